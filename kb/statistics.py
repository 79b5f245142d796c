"""Coverage counts over the catalogue, computed in the database (cheap at 100,000 cases)."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Table, func, select
from sqlalchemy.orm import Session

from kb import models, taxonomy
from kb.coverage import CaseFacts, two_way
from kb.records import Stats
from kb.reference import REGIONS

THIN_CELL = 3  # a theme x inclusion cell with fewer cases than this is "thin"


def _count_codes(session: Session, table: Table, column: str, vocabulary: str) -> dict[str, int]:
    found = _grouped(session, table.c[column])
    return {code: found.get(code, 0) for code in taxonomy.codes(vocabulary)}


def _grouped(session: Session, column: Any) -> dict[Any, int]:
    return {key: n for key, n in session.execute(select(column, func.count()).group_by(column))}


def compute_stats(session: Session) -> Stats:
    total = session.scalar(select(func.count()).select_from(models.Case)) or 0
    country_of_case = (
        select(models.Case.id, models.Country.region, models.Country.income_group)
        .join(models.City, models.Case.city_id == models.City.id)
        .join(models.Country, models.City.country_iso2 == models.Country.iso2)
        .subquery()
    )
    regions = _grouped(session, country_of_case.c.region)
    incomes = _grouped(session, country_of_case.c.income_group)
    statuses = _grouped(session, models.Case.status)
    theme, dim = models.case_theme.c, models.case_inclusion.c
    pairs = {
        (t, i): n
        for t, i, n in session.execute(
            select(theme.theme_code, dim.dimension_code, func.count())
            .join(models.case_inclusion, theme.case_id == dim.case_id)
            .group_by(theme.theme_code, dim.dimension_code)
        )
    }
    matrix = {
        t: {i: pairs.get((t, i), 0) for i in taxonomy.codes("inclusion")}
        for t in taxonomy.codes("theme")
    }
    theme_region = session.execute(
        select(country_of_case.c.region, theme.theme_code).join(
            models.case_theme, theme.case_id == country_of_case.c.id
        )
    )
    region_by_theme = two_way(theme_region, REGIONS, taxonomy.codes("theme"))
    thin = [(t, i, n) for t, row in matrix.items() for i, n in row.items() if n < THIN_CELL]
    return Stats(
        total=total,
        by_theme=_count_codes(session, models.case_theme, "theme_code", "theme"),
        by_inclusion=_count_codes(session, models.case_inclusion, "dimension_code", "inclusion"),
        by_safeguard=_count_codes(session, models.case_safeguard, "safeguard_code", "safeguard"),
        by_region={r: regions.get(r, 0) for r in REGIONS},
        by_status={s: statuses.get(s, 0) for s in taxonomy.codes("status")},
        by_income_group={
            g: incomes.get(g, 0) for g in ("low", "lower-middle", "upper-middle", "high")
        },
        countries=session.scalar(
            select(func.count(func.distinct(models.City.country_iso2)))
            .select_from(models.Case)
            .join(models.City)
        )
        or 0,
        cities=session.scalar(select(func.count(func.distinct(models.Case.city_id)))) or 0,
        matrix=matrix,
        thin_cells=thin,
        region_by_theme=region_by_theme,
    )


def case_facts(session: Session) -> list[CaseFacts]:
    """The few fields of every case that coverage counts need, in three queries."""
    theme, dim = models.case_theme.c, models.case_inclusion.c
    themes: dict[int, list[str]] = {}
    for case_id, code in session.execute(select(theme.case_id, theme.theme_code)):
        themes.setdefault(case_id, []).append(code)
    inclusion: dict[int, list[str]] = {}
    for case_id, code in session.execute(select(dim.case_id, dim.dimension_code)):
        inclusion.setdefault(case_id, []).append(code)
    rows = session.execute(
        select(
            models.Case.id,
            models.Case.slug,
            models.City.name,
            models.Country.iso2,
            models.Country.name,
            models.Country.region,
            models.City.latitude,
            models.City.longitude,
            models.Case.start_year,
            models.Case.status,
        )
        .join(models.City, models.Case.city_id == models.City.id)
        .join(models.Country, models.City.country_iso2 == models.Country.iso2)
    )
    return [
        CaseFacts(
            slug,
            city,
            iso2,
            name,
            region,
            lat,
            lon,
            year,
            status,
            tuple(sorted(themes.get(case_id, ()))),
            tuple(sorted(inclusion.get(case_id, ()))),
        )
        for case_id, slug, city, iso2, name, region, lat, lon, year, status in rows
    ]
