"""What the search index holds for a case (schema and documents), the filters a search takes,
and the mark that says which database state an index mirrors."""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass
from typing import Any

from kb.evidence import evidence_codes
from kb.records import CaseRecord
from kb.reference import countries, size_band
from kb.search.engine import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from kb.search.languages import TRANSLATED, analyser_for, field_for
from kb.search.passages import Passage, passages
from kb.search.query import analyser

# Raised whenever what the index holds or how it analyses text changes: an index of another
# version is rebuilt, never searched with the new rules.
SCHEMA_VERSION = 3
SORTS = ("relevance", "newest", "oldest", "title")
MATCHES = ("any", "all")  # any: a case matching more of the words ranks higher; all: every word
FILTER_FACETS = {
    "themes": "themes",
    "inclusion": "inclusion",
    "safeguards": "safeguards",
    "region": "region",
    "country": "country",
    "status": "status",
    "income_group": "income_group",
    "size": "size",
    "evidence": "evidence",
}
# Filters whose values are all required (a case with an evaluation AND a recorded cost); the
# values of every other filter are alternatives.
ALL_REQUIRED = frozenset({"evidence"})


def make_schema() -> Schema:
    text = analyser()
    return Schema(
        slug=ID(stored=True, unique=True),
        title=TEXT(analyzer=text, stored=True, field_boost=1.5),
        body=TEXT(analyzer=text, spelling=True),
        summary=STORED,
        themes=KEYWORD(commas=True, stored=True),
        inclusion=KEYWORD(commas=True, stored=True),
        safeguards=KEYWORD(commas=True, stored=True),
        tags=KEYWORD(commas=True, stored=True, lowercase=True),
        status=ID(stored=True),
        region=ID(stored=True),
        country=ID(stored=True),
        income_group=ID(stored=True),
        size=ID(stored=True),
        evidence=KEYWORD(commas=True, stored=True),  # kb.evidence codes: source types, ...
        **{field_for(lang): TEXT(analyzer=analyser_for(lang)) for lang in TRANSLATED},
        start_year=NUMERIC(stored=True, sortable=True),
        title_sort=ID(sortable=True),
        title_key=ID(),  # the title as title_key() writes it, for exact-title lookup
        city_key=ID(),  # the city as title_key() writes it, for places named in a query
        city=STORED,
        country_name=STORED,
        population=STORED,
        revision=STORED,
        updated=STORED,  # when the case last changed: with revision, what check() compares
    )


def title_key(text: str) -> str:
    """A title or query reduced for exact lookup: case, accents and punctuation ignored
    ("C-Vélo" and "c velo" are one key; "Citi Bike" stays apart from "city bike")."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(c for c in folded if not unicodedata.combining(c))
    return " ".join(re.findall(r"\w+", letters))


def body_text(record: CaseRecord) -> str:
    """Everything searchable about a case, as one text (a lean schema is a fast schema)."""
    country = countries().get(record.country)
    parts = [
        record.title,
        record.summary,
        record.description or "",
        *record.outcome_texts,
        *record.lessons,
        *record.challenges,
        *(t.replace("-", " ") for t in record.tags),
        record.city,
        country.name if country else record.country,
        *(o.name for o in record.organizations),
    ]
    return "\n".join(parts)


def stamp(moment: dt.datetime | None) -> str:
    """A case's change time as exact text (SQLite hands back naive UTC datetimes)."""
    if moment is None:
        return ""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=dt.UTC)
    return moment.astimezone(dt.UTC).isoformat(timespec="microseconds")


def case_document(record: CaseRecord, revision: int, updated: str = "") -> dict[str, Any]:
    country = countries().get(record.country)
    doc: dict[str, Any] = {
        "slug": record.slug,
        "title": record.title,
        "body": body_text(record),
        "summary": record.summary,
        "themes": ",".join(record.themes),
        "inclusion": ",".join(record.inclusion),
        "safeguards": ",".join(record.safeguards),
        "evidence": ",".join(evidence_codes(record)),
        "tags": ",".join(record.tags),
        "country": record.country,
        "title_sort": record.title.casefold(),
        "title_key": title_key(record.title),
        "city": record.city,
        "city_key": title_key(record.city),
        "country_name": country.name if country else record.country,
        "population": record.city_population,
        "revision": revision,
        "updated": updated,
    }
    if record.status:
        doc["status"] = record.status
    if country:
        doc["region"] = country.region
        if country.income_group:
            doc["income_group"] = country.income_group
    if record.start_year is not None:
        doc["start_year"] = record.start_year
    if band := size_band(record.city_population):
        doc["size"] = band
    for translation in record.translations:
        if translation.language in TRANSLATED:
            doc[field_for(translation.language)] = f"{translation.title}\n{translation.summary}"
    return doc


@dataclass(frozen=True)
class Entry:
    """What the index keeps of one case: its Whoosh document and its passages."""

    document: dict[str, Any]
    passages: list[Passage]

    @property
    def slug(self) -> str:
        return self.document["slug"]

    @property
    def revision(self) -> int:
        return self.document["revision"]


def index_entry(record: CaseRecord, revision: int, updated: str = "") -> Entry:
    return Entry(case_document(record, revision, updated), passages(record))


@dataclass(frozen=True)
class Mark:
    """What an index mirrors: a database (its identity) up to a revision row (its id, and
    'slug@revision@time' to tell it from a row that reused the id in a restored or re-created
    database). Equal marks mean the index is current."""

    database: str
    revision_id: int
    head: str

    def to_dict(self) -> dict[str, Any]:
        return {"database": self.database, "revision_id": self.revision_id, "head": self.head}


@dataclass(frozen=True)
class Filters:
    themes: tuple[str, ...] = ()
    inclusion: tuple[str, ...] = ()
    safeguards: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    income_group: tuple[str, ...] = ()
    size: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # every one required
    year_from: int | None = None
    year_to: int | None = None
