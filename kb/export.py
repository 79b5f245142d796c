"""Records in, interchange-format text out. No database here.

JSON Lines and JSON are lossless and stable (records by slug, keys in format order), so an
export, imported into an empty catalogue and exported again, is byte-identical.
CSV is for spreadsheets: sources become URLs, organizations names and outcomes their text; costs
and translations are left out (see docs/format.md).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable

from kb.readers import CSV_FIELDS, CSV_LIST_FIELDS, CSV_SEPARATOR
from kb.records import CaseRecord

EXPORT_FORMATS = ("jsonl", "json", "csv")


def to_jsonl(records: Iterable[CaseRecord]) -> str:
    return "".join(json.dumps(r.to_dict(), ensure_ascii=False) + "\n" for r in _sorted(records))


def to_json(records: Iterable[CaseRecord]) -> str:
    items = [r.to_dict() for r in _sorted(records)]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def to_csv(records: Iterable[CaseRecord]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_FIELDS)
    for record in _sorted(records):
        data = record.to_dict()
        data["sources"] = [s["url"] for s in data.get("sources", [])]
        data["organizations"] = [o["name"] for o in data.get("organizations", [])]
        data["outcomes"] = list(record.outcome_texts)
        row = []
        for key in CSV_FIELDS:
            value = data.get(key, "")
            if key in CSV_LIST_FIELDS:
                value = CSV_SEPARATOR.join(value or [])
            row.append(value)
        writer.writerow(row)
    return out.getvalue()


def render(records: Iterable[CaseRecord], fmt: str) -> str:
    """Render records in one of EXPORT_FORMATS."""
    return {"jsonl": to_jsonl, "json": to_json, "csv": to_csv}[fmt](records)


def _sorted(records: Iterable[CaseRecord]) -> list[CaseRecord]:
    return sorted(records, key=lambda r: r.slug)
