"""What a selection of cases covers: the counts behind the Explore page and the gaps in them.

Pure functions over CaseFacts (a few fields per case, read by kb.statistics); no database, no
UI. A Coverage counts only the cases given, and its tables list only the values a filter
allows, so every cell equals the number of cases a search for that cell's values finds.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from kb import taxonomy
from kb.reference import REGIONS

THIN = 3  # by default a cell with fewer cases than this is a gap


@dataclass(frozen=True)
class CaseFacts:
    slug: str
    city: str
    country: str
    country_name: str
    region: str
    latitude: float | None
    longitude: float | None
    start_year: int | None
    status: str | None
    themes: tuple[str, ...]
    inclusion: tuple[str, ...]


@dataclass(frozen=True)
class CityCount:
    city: str
    country: str
    country_name: str
    latitude: float | None
    longitude: float | None
    cases: int


@dataclass(frozen=True)
class Gap:
    """A cell of a two-way table with few cases: its two filters (URL parameter, value)."""

    table: str  # "theme x inclusion" or "region x theme"
    row: tuple[str, str]
    column: tuple[str, str]
    cases: int

    @property
    def filters(self) -> dict[str, str]:
        return {self.row[0]: self.row[1], self.column[0]: self.column[1]}

    def to_dict(self) -> dict[str, object]:
        return {"table": self.table, **self.filters, "cases": self.cases}


@dataclass(frozen=True)
class Coverage:
    total: int
    countries: int
    cities: int
    theme_by_inclusion: dict[str, dict[str, int]]
    region_by_theme: dict[str, dict[str, int]]
    by_region: dict[str, int]
    by_status: dict[str, int]
    by_year: dict[int, int]  # every year from the first to the last, zeros included
    places: tuple[CityCount, ...] = field(default=())

    def gaps(self, below: int = THIN) -> list[Gap]:
        return find_gaps(self.theme_by_inclusion, self.region_by_theme, below=below)


def two_way(
    pairs: Iterable[tuple[str, str]], rows: Sequence[str], columns: Sequence[str]
) -> dict[str, dict[str, int]]:
    """Counts of (row, column) pairs as a full table: every row and column, zeros included."""
    counts = Counter(pairs)
    return {r: {c: counts.get((r, c), 0) for c in columns} for r in rows}


def summarise(
    facts: Sequence[CaseFacts],
    *,
    themes: Sequence[str] = (),
    inclusion: Sequence[str] = (),
    regions: Sequence[str] = (),
    statuses: Sequence[str] = (),
) -> Coverage:
    """Counts over `facts`; a non-empty `themes` (etc.) limits the tables to those values."""
    theme_codes = tuple(themes) or taxonomy.codes("theme")
    inclusion_codes = tuple(inclusion) or taxonomy.codes("inclusion")
    region_names = tuple(regions) or REGIONS
    status_codes = tuple(statuses) or taxonomy.codes("status")
    regions_of = Counter(f.region for f in facts)
    status_of = Counter(f.status for f in facts)
    years = Counter(f.start_year for f in facts if f.start_year is not None)
    return Coverage(
        total=len(facts),
        countries=len({f.country for f in facts}),
        cities=len({(f.city, f.country) for f in facts}),
        theme_by_inclusion=two_way(
            ((t, i) for f in facts for t in f.themes for i in f.inclusion),
            theme_codes,
            inclusion_codes,
        ),
        region_by_theme=two_way(
            ((f.region, t) for f in facts for t in f.themes), region_names, theme_codes
        ),
        by_region={r: regions_of.get(r, 0) for r in region_names},
        by_status={s: status_of.get(s, 0) for s in status_codes},
        by_year=continuous_years(years),
        places=_places(facts),
    )


def continuous_years(counts: Mapping[int, int]) -> dict[int, int]:
    """Every year from the first to the last with its count, so a year without a case shows
    as a zero instead of vanishing from the axis."""
    if not counts:
        return {}
    return {y: counts.get(y, 0) for y in range(min(counts), max(counts) + 1)}


def find_gaps(
    theme_by_inclusion: Mapping[str, Mapping[str, int]],
    region_by_theme: Mapping[str, Mapping[str, int]],
    *,
    below: int = THIN,
) -> list[Gap]:
    """Theme x inclusion and region x theme cells with fewer than `below` cases, fewest first
    (table order breaks ties)."""
    found = [
        Gap("theme x inclusion", ("theme", t), ("inclusion", i), n)
        for t, row in theme_by_inclusion.items()
        for i, n in row.items()
        if n < below
    ] + [
        Gap("region x theme", ("region", r), ("theme", t), n)
        for r, row in region_by_theme.items()
        for t, n in row.items()
        if n < below
    ]
    return sorted(found, key=lambda g: g.cases)


def _places(facts: Sequence[CaseFacts]) -> tuple[CityCount, ...]:
    """Cities with their number of cases, most cases first, then by name."""
    counts = Counter((f.city, f.country) for f in facts)
    first = {(f.city, f.country): f for f in reversed(facts)}
    cities = [
        CityCount(
            city,
            code,
            first[(city, code)].country_name,
            first[(city, code)].latitude,
            first[(city, code)].longitude,
            n,
        )
        for (city, code), n in counts.items()
    ]
    return tuple(sorted(cities, key=lambda c: (-c.cases, c.city, c.country)))
