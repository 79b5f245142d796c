"""Records in, files out. No database here.

JSON Lines and JSON are lossless and stable (records by slug, keys in format order), so an
export, imported into an empty catalogue and exported again, is byte-identical.
CSV and the Excel workbook are for spreadsheets: sources become URLs, organizations names and
outcomes their text; costs and translations are left out. The country's name, region, sub-region
and income group are added beside its code, and every text cell that a spreadsheet would run as
a formula is neutralised (kb.cells). CSV starts with a UTF-8 byte-order mark so that Excel reads
"İstanbulkart" as written (see docs/format.md).

Exports of a view (search results, an Explore selection, a comparison) keep the order given,
the order on screen; `kb export` sorts by slug.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re
import unicodedata
from collections.abc import Iterable, Sequence
from typing import Any

from kb import cells
from kb.citation import CATALOGUE, LICENCE, LICENCE_URL, bibtex_list, csl_json_list
from kb.readers import CSV_DERIVED_COLUMNS, CSV_FIELDS, CSV_LIST_FIELDS, CSV_SEPARATOR
from kb.records import CaseRecord, CaseView
from kb.reference import countries

EXPORT_FORMATS = ("jsonl", "json", "csv")
# downloads of a view: format -> (button label, file extension, MIME type)
VIEW_FORMATS = {
    "csv": ("CSV", "csv", "text/csv"),
    "xlsx": (
        "Excel",
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    "jsonl": ("JSON Lines", "jsonl", "application/jsonl"),
    "bibtex": ("BibTeX", "bib", "application/x-bibtex"),
    "csl-json": ("CSL-JSON", "json", "application/vnd.citationstyles.csl+json"),
}
LICENCE_TEXT = (
    f"{LICENCE} ({LICENCE_URL}): you may share and adapt the data, crediting the {CATALOGUE}."
)
BOM = "\ufeff"
NUMBER_FIELDS = ("city_population", "latitude", "longitude", "start_year", "end_year")
_AFTER_COUNTRY = CSV_FIELDS.index("country") + 1
CSV_COLUMNS = CSV_FIELDS[:_AFTER_COUNTRY] + CSV_DERIVED_COLUMNS + CSV_FIELDS[_AFTER_COUNTRY:]
COLUMN_HELP = {
    "slug": "The case's identifier; its page is /case?slug=SLUG",
    "title": "Name of the initiative",
    "summary": "One or two sentences on what it is",
    "description": "Longer description",
    "city": "City where it runs",
    "country": "ISO 3166-1 alpha-2 country code",
    "country_name": "Country name (ISO 3166); added on export, ignored on import",
    "region": "UN M49 region; added on export, ignored on import",
    "sub_region": "UN M49 sub-region; added on export, ignored on import",
    "income_group": "World Bank income group, FY2025; added on export, ignored on import",
    "city_population": "City population (GeoNames, or as recorded)",
    "latitude": "City latitude, decimal degrees",
    "longitude": "City longitude, decimal degrees",
    "start_year": "Year the initiative started",
    "end_year": "Year it ended, if it has",
    "status": "pilot, active, scaled, completed or discontinued",
    "themes": "Theme codes, separated by ' ; '",
    "inclusion": "Inclusion dimension codes, separated by ' ; '",
    "safeguards": "Safeguard codes, separated by ' ; '",
    "engagement": "Level of public engagement",
    "organizations": "Organization names, separated by ' ; '",
    "outcomes": "Outcomes (their text), separated by ' ; '",
    "lessons": "Lessons, separated by ' ; '",
    "challenges": "Challenges and failures, separated by ' ; '",
    "tags": "Free tags, separated by ' ; '",
    "language": "Language of the record (ISO 639-1)",
    "sources": "Source URLs, separated by ' ; ' (titles and publishers: the Sources sheet)",
    "last_reviewed": "Date the record was last checked against its sources",
}
SOURCE_COLUMNS = ("slug", "case_title", "number", "title", "publisher", "year", "type", "url")


def to_jsonl(records: Iterable[CaseRecord], *, keep_order: bool = False) -> str:
    items = records if keep_order else _sorted(records)
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in items)


def to_json(records: Iterable[CaseRecord]) -> str:
    items = [r.to_dict() for r in _sorted(records)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def to_csv(records: Iterable[CaseRecord], *, keep_order: bool = False) -> str:
    """CSV for spreadsheets and for `kb import`: a byte-order mark, a header row, one row per
    case; formula-like text cells neutralised."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for record in records if keep_order else _sorted(records):
        writer.writerow(
            cells.neutralise(value) if isinstance(value, str) else value
            for value in _row(record).values()
        )
    return out.getvalue()


def table_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """Any table as spreadsheet CSV (byte-order mark, formula-like cells neutralised)."""
    out = io.StringIO()
    out.write(BOM)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow(cells.neutralise(v) if isinstance(v, str) else v for v in row)
    return out.getvalue().encode("utf-8")


def to_xlsx(
    records: Sequence[CaseRecord], *, retrieved: dt.date, description: str = "", licence: str = ""
) -> bytes:
    """An Excel workbook: a sheet of cases (the CSV's columns, in the order given), one of
    their sources, and one describing the selection, the columns and the licence."""
    from kb.workbook import write_workbook  # openpyxl is loaded only when a workbook is asked for

    cases = [list(_row(r).values()) for r in records]
    sources = [
        [r.slug, r.title, n, s.title, s.publisher or "", s.year, s.type or "", s.url]
        for r in records
        for n, s in enumerate(r.sources, 1)
    ]
    about = [
        ("Selection", description or "The whole catalogue"),
        ("Cases", len(records)),
        ("Retrieved", retrieved.isoformat()),
        ("Licence", licence),
    ]
    return write_workbook(
        sheets=[
            ("Cases", list(CSV_COLUMNS), cases),
            ("Sources", list(SOURCE_COLUMNS), sources),
        ],
        about=about,
        columns=[(name, COLUMN_HELP[name]) for name in CSV_COLUMNS],
    )


def _row(record: CaseRecord) -> dict[str, Any]:
    """One case as spreadsheet cells: lists joined, numbers kept as numbers, '' for nothing."""
    data = record.to_dict()
    data["sources"] = [s["url"] for s in data.get("sources", [])]
    data["organizations"] = [o["name"] for o in data.get("organizations", [])]
    data["outcomes"] = list(record.outcome_texts)
    country = countries().get(record.country)
    data |= {
        "country_name": country.name if country else "",
        "region": country.region if country else "",
        "sub_region": country.sub_region if country else "",
        "income_group": (country.income_group or "") if country else "",
    }
    row: dict[str, Any] = {}
    for key in CSV_COLUMNS:
        value = data.get(key)
        if key in CSV_LIST_FIELDS:
            value = CSV_SEPARATOR.join(value or [])
        row[key] = "" if value is None else value
    return row


def render_view(
    views: Sequence[CaseView],
    fmt: str,
    *,
    retrieved: dt.date,
    base_url: str | None = None,
    description: str = "",
) -> bytes:
    """The cases of a view, in the order given, as a file in one of VIEW_FORMATS."""
    records = [v.record for v in views]
    if fmt == "xlsx":
        return to_xlsx(records, retrieved=retrieved, description=description, licence=LICENCE_TEXT)
    if fmt == "csv":
        text = to_csv(records, keep_order=True)
    elif fmt == "jsonl":
        text = to_jsonl(records, keep_order=True)
    elif fmt == "bibtex":
        text = bibtex_list(views, retrieved=retrieved, base_url=base_url)
    elif fmt == "csl-json":
        text = csl_json_list(views, retrieved=retrieved, base_url=base_url)
    else:
        raise ValueError(f"Unknown format {fmt!r}; choose one of {', '.join(VIEW_FORMATS)}.")
    return text.encode("utf-8")


def render(records: Iterable[CaseRecord], fmt: str) -> str:
    """Render records in one of EXPORT_FORMATS."""
    return {"jsonl": to_jsonl, "json": to_json, "csv": to_csv}[fmt](records)


def file_name(parts: Iterable[str], ext: str, *, day: dt.date, stem: str = "cases") -> str:
    """`cases_e-mobility_disability_2026-12-04.csv`: what was chosen, then the date."""
    words = [w for w in (_slugify(p) for p in parts) if w]
    middle = "_".join(words)[:80].rstrip("-_")
    return "_".join(x for x in (stem, middle, day.isoformat()) if x) + f".{ext}"


def _slugify(text: str) -> str:
    """ASCII words joined by hyphens: accents folded (`Guédiawaye` -> `guediawaye`)."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in folded if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9]+", "-", plain).strip("-")


def _sorted(records: Iterable[CaseRecord]) -> list[CaseRecord]:
    return sorted(records, key=lambda r: r.slug)
