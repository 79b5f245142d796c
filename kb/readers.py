"""Files -> RawRecords with their line numbers. JSON Lines, JSON arrays and CSV (format v1)."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from kb import cells
from kb.errors import Problem
from kb.records import FIELD_ORDER
from kb.validation import REQUIRED, RawRecord, suggest

FORMATS = {".jsonl": "jsonl", ".json": "json", ".csv": "csv"}
CSV_SEPARATOR = " ; "
CSV_SPLIT = re.compile(r"\s+;\s+")  # a bare ";" inside text does not split
CSV_INT_FIELDS = ("start_year", "end_year", "city_population")
CSV_FLOAT_FIELDS = ("latitude", "longitude")
CSV_LIST_FIELDS = (
    "themes",
    "inclusion",
    "safeguards",
    "outcomes",
    "lessons",
    "challenges",
    "tags",
    "sources",
    "organizations",
)
# written by `kb export --format csv` and the app's CSV downloads beside `country`; derived from
# the country code, so ignored on import
CSV_DERIVED_COLUMNS = ("country_name", "region", "sub_region", "income_group")
MAX_FILE_BYTES = 200 * 1024 * 1024
# CSV is a spreadsheet convenience: the nested v1.1 fields have no column
CSV_FIELDS = tuple(f for f in FIELD_ORDER if f not in ("costs", "translations"))


def expand_paths(paths: Iterable[str | Path]) -> list[Path]:
    """Files as given, and the catalogue files inside any folder given (sorted, not recursive)."""
    out: list[Path] = []
    for path in map(Path, paths):
        if path.is_dir():
            out.extend(sorted(p for p in path.iterdir() if p.suffix in FORMATS and p.is_file()))
        else:
            out.append(path)
    return out


def read_files(paths: Iterable[str | Path]) -> tuple[list[RawRecord], list[Problem]]:
    raws: list[RawRecord] = []
    problems: list[Problem] = []
    for path in expand_paths(paths):
        found_raws, found_problems = read_file(path)
        raws.extend(found_raws)
        problems.extend(found_problems)
    return raws, problems


def read_file(path: Path) -> tuple[list[RawRecord], list[Problem]]:
    name = str(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        return [], [Problem(name, 0, "", "unknown file type; use .jsonl, .json or .csv")]
    if not path.is_file():
        return [], [Problem(name, 0, "", "no such file")]
    if path.stat().st_size > MAX_FILE_BYTES:
        return [], [Problem(name, 0, "", f"file is larger than {MAX_FILE_BYTES // 2**20} MB")]
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        return [], [
            Problem(
                name, line, "", f"byte 0x{data[exc.start]:02x} is not UTF-8; save the file as UTF-8"
            )
        ]
    if not text.strip():
        return [], [Problem(name, 1, "", "file is empty: no records")]
    reader = {"jsonl": _read_jsonl, "json": _read_json, "csv": _read_csv}[fmt]
    raws, problems = [], []
    for item in reader(name, text):
        (problems if isinstance(item, Problem) else raws).append(item)
    return raws, problems


def _read_jsonl(name: str, text: str) -> Iterator[RawRecord | Problem]:
    # Only "\n" ends a record: str.splitlines() would also split inside text on U+2028,
    # U+0085 and other Unicode line breaks, which JSON allows unescaped.
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        found = _parse_json(name, number, line)
        yield found if isinstance(found, Problem) else RawRecord(name, number, found)


def _parse_json(name: str, line: int, text: str) -> Any:
    """The parsed value, or a Problem for JSON we cannot or will not read."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        return Problem(
            name, line + exc.lineno - 1, "", f"not valid JSON ({exc.msg} at column {exc.colno})"
        )
    except RecursionError:
        return Problem(name, line, "", "nested too deeply: a record is a flat object of fields")
    except ValueError as exc:
        if "integer string conversion" in str(exc):  # Python's advice is not the user's
            return Problem(
                name, line, "", "a number has more than 4,300 digits; no field is that long"
            )
        return Problem(name, line, "", f"not a value we can read ({exc})")


def _read_json(name: str, text: str) -> Iterator[RawRecord | Problem]:
    found = _parse_json(name, 1, text)
    if isinstance(found, Problem):
        yield found
        return
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    if text[pos] == "{":  # a single record
        yield RawRecord(name, text.count("\n", 0, pos) + 1, json.loads(text))
        return
    if text[pos] != "[":
        yield Problem(name, 1, "", "expected a JSON array of records")
        return
    pos = _skip_space(text, pos + 1)
    while text[pos] != "]":
        value, end = decoder.raw_decode(text, pos)
        yield RawRecord(name, text.count("\n", 0, pos) + 1, value)
        pos = _skip_space(text, end)
        if text[pos] == ",":
            pos = _skip_space(text, pos + 1)


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _read_csv(name: str, text: str) -> Iterator[RawRecord | Problem]:
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        yield from _csv_records(name, reader)
    except csv.Error as exc:  # a cell over the csv module's limit, a NUL byte, ...
        reason = str(exc)
        if "field limit" in reason:
            reason = f"a cell is longer than {csv.field_size_limit():,} characters"
        yield Problem(name, reader.line_num, "", f"not valid CSV: {reason}")


def _csv_records(name: str, reader: Any) -> Iterator[RawRecord | Problem]:
    header = [h.strip() for h in next(reader)]
    bad_header = False
    for column in header:
        if column not in CSV_FIELDS and column not in CSV_DERIVED_COLUMNS:
            near = suggest(column, CSV_FIELDS)
            hint = f"; did you mean {near!r}?" if near else ""
            yield Problem(name, 1, column, f"unknown column{hint}")
            bad_header = True
    for column in REQUIRED:
        if column not in header:
            yield Problem(name, 1, column, "required column is missing")
            bad_header = True
    if bad_header:
        return
    line = reader.line_num + 1
    for row in reader:
        if any(cell.strip() for cell in row):
            if len(row) != len(header):
                yield Problem(
                    name, line, "", f"row has {len(row)} cells, the header has {len(header)}"
                )
            else:
                yield from _csv_row(name, line, dict(zip(header, row, strict=True)))
        line = reader.line_num + 1


def _csv_row(name: str, line: int, row: dict[str, str]) -> Iterator[RawRecord | Problem]:
    data: dict[str, Any] = {}
    for key, cell in row.items():
        if key in CSV_DERIVED_COLUMNS:
            continue
        cell = cells.restore(cell).strip()  # undo the export's formula neutralisation
        if not cell:
            continue
        if key in CSV_LIST_FIELDS:
            items = [part.strip() for part in CSV_SPLIT.split(cell) if part.strip()]
            if key == "sources":
                data[key] = [{"url": url, "title": url} for url in items]
            elif key == "organizations":
                data[key] = [{"name": org} for org in items]
            else:
                data[key] = items
        elif key in CSV_INT_FIELDS or key in CSV_FLOAT_FIELDS:
            try:
                data[key] = int(cell) if key in CSV_INT_FIELDS else float(cell)
            except ValueError:
                yield Problem(name, line, key, f"{cell!r} is not a number")
                return
        else:
            data[key] = cell
    yield RawRecord(name, line, data)
