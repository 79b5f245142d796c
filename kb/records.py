"""The shapes handed in and out of the service: plain frozen values, never live ORM objects.

`CaseRecord.to_dict()` is interchange format v1.1 (docs/format.md) in canonical form: fixed key
order, empty optional fields left out, unordered code lists sorted, whole numbers written as
integers. Two records are the same exactly when their canonical dicts are equal.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from kb.coverage import Gap

FIELD_ORDER = (
    "slug",
    "title",
    "summary",
    "description",
    "city",
    "country",
    "city_population",
    "latitude",
    "longitude",
    "start_year",
    "end_year",
    "status",
    "themes",
    "inclusion",
    "safeguards",
    "engagement",
    "organizations",
    "outcomes",
    "lessons",
    "challenges",
    "costs",
    "tags",
    "language",
    "sources",
    "last_reviewed",
    "translations",
)
UNORDERED_LISTS = ("themes", "inclusion", "safeguards", "tags")


INDEPENDENT_SOURCE_TYPES = frozenset({"evaluation", "academic", "news"})


def canonical_number(value: float | int) -> float | int:
    """Whole numbers as int, so 40000 and 40000.0 are one value and round-trip unchanged."""
    if isinstance(value, float) and value.is_integer() and abs(value) < 2**53:
        return int(value)
    return value


def _present(pairs: dict[str, Any]) -> dict[str, Any]:
    """The items whose value is given (not None or empty)."""
    return {k: v for k, v in pairs.items() if v is not None and v != ""}


@dataclass(frozen=True)
class Source:
    url: str
    title: str
    publisher: str | None = None
    year: int | None = None
    type: str | None = None  # evaluation, academic, news, report, dataset, website, encyclopedia

    @property
    def is_independent(self) -> bool:
        """Written by someone other than those who run or pay for the initiative."""
        return self.type in INDEPENDENT_SOURCE_TYPES

    def to_dict(self) -> dict[str, Any]:
        return _present(
            {
                "url": self.url,
                "title": self.title,
                "publisher": self.publisher,
                "year": self.year,
                "type": self.type,
            }
        )


@dataclass(frozen=True)
class Outcome:
    """A result of the initiative; v1 records give only the text."""

    text: str
    kind: str | None = None  # output, outcome, impact
    figure: float | int | None = None
    unit: str | None = None
    year: int | None = None
    source: str | None = None  # the url of one of the case's sources

    def to_dict(self) -> str | dict[str, Any]:
        details = _present(
            {
                "kind": self.kind,
                "figure": None if self.figure is None else canonical_number(self.figure),
                "unit": self.unit,
                "year": self.year,
                "source": self.source,
            }
        )
        return {"text": self.text, **details} if details else self.text

    @classmethod
    def from_value(cls, value: str | dict[str, Any]) -> Outcome:
        if isinstance(value, str):
            return cls(value)
        figure = value.get("figure")
        return cls(**{**value, "figure": None if figure is None else canonical_number(figure)})


@dataclass(frozen=True)
class Cost:
    """What the initiative cost, as a cited source states it (never converted or estimated)."""

    amount: float | int
    currency: str  # ISO 4217
    covers: str  # capital, yearly-operation, total-programme
    source: str  # the url of one of the case's sources
    year: int | None = None
    funder: str | None = None
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return _present(
            {
                "amount": canonical_number(self.amount),
                "currency": self.currency,
                "year": self.year,
                "covers": self.covers,
                "funder": self.funder,
                "source": self.source,
                "note": self.note,
            }
        )


@dataclass(frozen=True)
class Translation:
    """A case's title and summary in another language, with who made it and whether a second
    person has reviewed it."""

    language: str
    title: str
    summary: str
    translator: str
    reviewed: bool = False

    def to_dict(self) -> dict[str, Any]:
        return {
            "title": self.title,
            "summary": self.summary,
            "translator": self.translator,
            "reviewed": self.reviewed,
        }


@dataclass(frozen=True)
class Organization:
    name: str
    type: str | None = None
    role: str | None = None

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"name": self.name}
        if self.type:
            out["type"] = self.type
        if self.role:
            out["role"] = self.role
        return out


@dataclass(frozen=True)
class CaseRecord:
    slug: str
    title: str
    summary: str
    city: str
    country: str
    themes: tuple[str, ...]
    sources: tuple[Source, ...]
    description: str | None = None
    city_population: int | None = None
    latitude: float | None = None
    longitude: float | None = None
    start_year: int | None = None
    end_year: int | None = None
    status: str | None = None
    inclusion: tuple[str, ...] = ()
    safeguards: tuple[str, ...] = ()
    engagement: str | None = None
    organizations: tuple[Organization, ...] = ()
    outcomes: tuple[Outcome, ...] = ()
    lessons: tuple[str, ...] = ()
    challenges: tuple[str, ...] = ()
    costs: tuple[Cost, ...] = ()
    tags: tuple[str, ...] = ()
    language: str = "en"
    last_reviewed: str | None = None
    translations: tuple[Translation, ...] = ()  # sorted by language

    @property
    def outcome_texts(self) -> tuple[str, ...]:
        return tuple(o.text for o in self.outcomes)

    def translation(self, language: str) -> Translation | None:
        """The title and summary in `language`, if the case has them."""
        return next((t for t in self.translations if t.language == language), None)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name in FIELD_ORDER:
            value = getattr(self, name)
            if value is None or value == ():
                continue
            if name in UNORDERED_LISTS:
                value = sorted(value)
            elif name == "translations":
                value = {t.language: t.to_dict() for t in value}
            elif name in ("sources", "organizations", "outcomes", "costs"):
                value = [item.to_dict() for item in value]
            elif isinstance(value, tuple):
                value = list(value)
            out[name] = value
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> CaseRecord:
        """Build from an already validated dict (see kb.validation for untrusted input)."""
        values = dict(data)
        values["sources"] = tuple(Source(**s) for s in data.get("sources", ()))
        values["organizations"] = tuple(Organization(**o) for o in data.get("organizations", ()))
        values["outcomes"] = tuple(Outcome.from_value(o) for o in data.get("outcomes", ()))
        values["costs"] = tuple(
            Cost(**{**c, "amount": canonical_number(c["amount"])}) for c in data.get("costs", ())
        )
        values["translations"] = tuple(
            Translation(language=lang, **t)
            for lang, t in sorted(data.get("translations", {}).items())
        )
        for name in ("themes", "inclusion", "safeguards", "lessons", "challenges"):
            values[name] = tuple(data.get(name, ()))
        values["tags"] = tuple(data.get("tags", ()))
        for name in UNORDERED_LISTS:
            values[name] = tuple(sorted(values[name]))
        return cls(**values)


@dataclass(frozen=True)
class ImportReport:
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    dry_run: bool = False
    index_error: str | None = None


@dataclass(frozen=True)
class RevisionInfo:
    revision: int
    action: str
    actor: str
    created_at: str
    changed_fields: tuple[str, ...] = ()
    note: str | None = None


@dataclass(frozen=True)
class CaseView:
    """A case with the reference data the UI and briefs need around it."""

    record: CaseRecord
    revision: int
    country_name: str
    region: str
    sub_region: str
    income_group: str | None
    updated_at: str


@dataclass(frozen=True)
class Stats:
    total: int
    by_theme: dict[str, int]
    by_inclusion: dict[str, int]
    by_safeguard: dict[str, int]
    by_region: dict[str, int]
    by_status: dict[str, int]
    by_income_group: dict[str, int]
    countries: int
    cities: int
    matrix: dict[str, dict[str, int]] = field(default_factory=dict)
    thin_cells: list[tuple[str, str, int]] = field(default_factory=list)
    region_by_theme: dict[str, dict[str, int]] = field(default_factory=dict)

    def gaps(self, below: int = 3) -> list[Gap]:
        """Theme x inclusion and region x theme cells with fewer than `below` cases."""
        from kb.coverage import find_gaps

        return find_gaps(self.matrix, self.region_by_theme, below=below)

    def to_dict(self, gaps_below: int = 3) -> dict[str, Any]:
        return {
            "total": self.total,
            "countries": self.countries,
            "cities": self.cities,
            "by_theme": self.by_theme,
            "by_inclusion": self.by_inclusion,
            "by_safeguard": self.by_safeguard,
            "by_region": self.by_region,
            "by_status": self.by_status,
            "by_income_group": self.by_income_group,
            "theme_by_inclusion": self.matrix,
            "thin_cells": [{"theme": t, "inclusion": i, "count": n} for t, i, n in self.thin_cells],
            "region_by_theme": self.region_by_theme,
            "gaps": {
                "below": gaps_below,
                "cells": [g.to_dict() for g in self.gaps(gaps_below)],
            },
        }


PASSAGE_WORDS_WEIGHT = 0.3  # how much a passage's share of the topic's words adds to its cosine


@dataclass(frozen=True)
class RankedPassage:
    """A passage of a case and how well it fits a topic: its cosine with the topic's embedding
    and the weighted share of the topic's words it uses (kb.search.topics)."""

    kind: str  # summary, description, outcome, lesson or challenge
    text: str
    cosine: float
    words: float  # 0 to 1
    standing: float = 0.0  # share of the catalogue's passages with a lower cosine (0 to 1)
    best_words: float = 0.0  # the highest `words` among the passages ranked with this one

    @property
    def relative_words(self) -> float:
        """`words` against the passage that uses most of the topic's words: a topic naming
        several things ("motorbikes, buses and fare cards") is rarely all in one passage."""
        return self.words / self.best_words if self.best_words else 0.0

    @property
    def score(self) -> float:
        """The order of a case's passages for a topic (bench/briefs.py measured the weight)."""
        return self.cosine + PASSAGE_WORDS_WEIGHT * self.words


@dataclass(frozen=True)
class SearchHit:
    slug: str
    title: str
    score: float
    snippet: str  # HTML-escaped text with matched words wrapped in <mark>
    summary: str
    city: str
    country: str
    country_name: str
    start_year: int | None
    status: str | None
    themes: tuple[str, ...]
    inclusion: tuple[str, ...]
    passage: str | None = None  # the case's passage closest in meaning to the query
    passage_kind: str | None = None  # summary, description, outcome, lesson, challenge, ...

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "slug": self.slug,
            "title": self.title,
            "score": self.score,
            "snippet": self.snippet,
        }
        if self.passage:
            out["passage"] = {"kind": self.passage_kind, "text": self.passage}
        return out


@dataclass(frozen=True)
class SearchResult:
    query: str
    total: int
    hits: list[SearchHit]
    facets: dict[str, dict[str, int]]
    suggestion: str | None = None
    message: str | None = None
    offset: int = 0
    limit: int = 10
    warning: str | None = None  # e.g. the index was damaged and rebuilt to answer
    places: list[dict[str, str]] = field(default_factory=list)  # places named: facet, value
    nearest: bool = False  # no case uses the words: these are the closest in meaning

    def to_dict(self) -> dict[str, Any]:
        out = {
            "query": self.query,
            "total": self.total,
            "hits": [h.to_dict() for h in self.hits],
            "facets": self.facets,
            "suggestion": self.suggestion,
            "message": self.message,
        }
        if self.warning:
            out["warning"] = self.warning
        if self.places:
            out["places"] = self.places
        if self.nearest:
            out["nearest"] = True
        return out


@dataclass(frozen=True)
class SimilarCase:
    slug: str
    title: str
    score: float
    reason: str
    city: str
    country_name: str


@dataclass(frozen=True)
class IndexCheck:
    missing: list[str]
    stale: list[str]
    extra: list[str]
    indexed: int
    in_database: int

    @property
    def ok(self) -> bool:
        return not (self.missing or self.stale or self.extra)
