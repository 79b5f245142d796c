"""Untrusted input -> validated CaseRecords, or Problems located as FILE:LINE: FIELD: message.

Limits (also in docs/format.md) keep one bad record from swamping the catalogue or the UI.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import pycountry
from rapidfuzz import fuzz, process

from kb import taxonomy
from kb.errors import Problem
from kb.records import FIELD_ORDER, CaseRecord
from kb.reference import countries

SLUG_RE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
DATE_RE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
CONTROL_RE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
SURROGATE_RE = re.compile(r"[\ud800-\udfff]")  # half a UTF-16 pair: not a character at all
REQUIRED = ("slug", "title", "summary", "city", "country", "themes", "sources")
LIMITS = {  # field: (min chars, max chars)
    "slug": (1, 80),
    "title": (3, 200),
    "summary": (20, 1000),
    "description": (1, 20_000),
    "city": (1, 120),
    "list_item": (1, 2_000),
    "tag": (1, 60),
    "url": (1, 2_000),
    "source_title": (1, 500),
    "name": (1, 300),
    "unit": (1, 100),
    "note": (1, 500),
    "translator": (1, 200),
}
MAX_LIST_ITEMS = 100
YEAR_RANGE = (1950, 2100)
CODE_LISTS = {"themes": "theme", "inclusion": "inclusion", "safeguards": "safeguard"}
CODE_FIELDS = {"status": "status", "engagement": "engagement"}
SOURCE_KEYS = ("url", "title", "publisher", "year", "type")
OUTCOME_KEYS = ("text", "kind", "figure", "unit", "year", "source")
COST_KEYS = ("amount", "currency", "year", "covers", "funder", "source", "note")
TRANSLATION_KEYS = ("title", "summary", "translator", "reviewed")


@dataclass(frozen=True)
class RawRecord:
    """One record as read from a file, before validation."""

    file: str
    line: int
    data: Any


def suggest(value: str, choices: Iterable[str]) -> str | None:
    """The nearest valid choice to a misspelt value, if one is close enough."""
    match = process.extractOne(value, list(choices), scorer=fuzz.WRatio, score_cutoff=70)
    return match[0] if match else None


def _did_you_mean(value: str, choices: Iterable[str]) -> str:
    choices = list(choices)
    near = suggest(value, choices)
    hint = f"; did you mean {near!r}?" if near else ""
    return f"valid values are {', '.join(choices)}{hint}"


class _Checker:
    """Collects the problems of one record, so every problem is reported at once."""

    def __init__(self, raw: RawRecord):
        self.raw = raw
        self.problems: list[Problem] = []

    def fail(self, field: str, message: str) -> None:
        self.problems.append(Problem(self.raw.file, self.raw.line, field, message))

    def text(self, field: str, value: Any, limit: str | None = None) -> str | None:
        if not isinstance(value, str):
            self.fail(field, f"must be text, got {type(value).__name__}")
            return None
        value = value.strip()
        low, high = LIMITS[limit or field]
        if len(value) < low:
            self.fail(field, f"must have at least {low} characters, got {len(value)}")
        elif len(value) > high:
            self.fail(field, f"must have at most {high:,} characters, got {len(value):,}")
        elif CONTROL_RE.search(value):
            self.fail(field, "contains control characters")
        elif SURROGATE_RE.search(value):
            self.fail(field, "contains a lone surrogate (such as \\ud800), which is not valid text")
            return None
        return value

    def integer(self, field: str, value: Any, low: int, high: int) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(field, f"must be a whole number between {low} and {high}, got {value!r}")
            return None
        if not low <= value <= high:
            self.fail(field, f"must be between {low} and {high}, got {value}")
            return None
        return value

    def number(self, field: str, value: Any, low: float, high: float) -> float | None:
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.fail(field, f"must be a number between {low:g} and {high:g}, got {value!r}")
            return None
        if not low <= value <= high:
            self.fail(field, f"must be between {low:g} and {high:g}, got {value}")
            return None
        return float(value)

    def code(self, field: str, value: Any, vocabulary: str) -> str | None:
        valid = taxonomy.codes(vocabulary)
        if not isinstance(value, str) or value not in valid:
            shown = value if isinstance(value, str) else repr(value)
            self.fail(field, f"unknown code {shown!r}; {_did_you_mean(str(value), valid)}")
            return None
        return value

    def has(self, where: str, item: dict[str, Any], keys: Iterable[str]) -> bool:
        """Report each of `keys` missing from an object; True when none is."""
        missing = [key for key in keys if item.get(key) in (None, "")]
        for key in missing:
            self.fail(f"{where}.{key}", "required")
        return not missing

    def items(self, field: str, value: Any) -> list[Any]:
        if not isinstance(value, list):
            self.fail(field, f"must be a list, got {type(value).__name__}")
            return []
        if len(value) > MAX_LIST_ITEMS:
            self.fail(field, f"must have at most {MAX_LIST_ITEMS} items, got {len(value)}")
            return []
        return value


def validate_record(raw: RawRecord) -> tuple[CaseRecord | None, list[Problem]]:
    """Check one raw record against interchange format v1.1."""
    check = _Checker(raw)
    data = raw.data
    if not isinstance(data, dict):
        check.fail("", f"a record must be a JSON object, got {type(data).__name__}")
        return None, check.problems
    for key in data:
        if key not in FIELD_ORDER:
            check.fail(key, f"unknown field; {_did_you_mean(key, FIELD_ORDER)}")
    for key in REQUIRED:
        if data.get(key) in (None, "", []):
            check.fail(key, "required field is missing or empty")
    out: dict[str, Any] = {}
    for key, value in data.items():
        if key in FIELD_ORDER and value not in (None, "", []):
            handled = _FIELD_CHECKS[key](check, key, value)
            if handled is not None:
                out[key] = handled
    _check_across_fields(check, out)
    if check.problems:
        return None, check.problems
    out.setdefault("language", "en")
    return CaseRecord.from_dict(out), []


def _check_slug(check: _Checker, key: str, value: Any) -> str | None:
    slug = check.text(key, value)
    if slug and not SLUG_RE.match(slug):
        check.fail(
            key, f"{slug!r} must be lowercase kebab-case (letters, digits and single hyphens)"
        )
        return None
    return slug


def _check_text(check: _Checker, key: str, value: Any) -> str | None:
    return check.text(key, value)


def _check_country(check: _Checker, key: str, value: Any) -> str | None:
    if not isinstance(value, str):
        check.fail(key, f"must be an ISO 3166-1 alpha-2 code such as 'ES', got {value!r}")
        return None
    known = countries()
    if value in known:
        return value
    if value.upper() in known:
        hint = (
            f"codes are upper case: did you mean {value.upper()!r} ({known[value.upper()].name})?"
        )
        check.fail(key, f"{value!r} is not valid; {hint}")
        return None
    try:
        found = pycountry.countries.lookup(value)
        hint = f" did you mean {found.alpha_2!r} ({found.name})?"
    except LookupError:
        hint = " see https://www.iso.org/obp/ui/#search for the codes."
    check.fail(key, f"{value!r} is not an ISO 3166-1 alpha-2 country code;{hint}")
    return None


def _check_year(check: _Checker, key: str, value: Any) -> int | None:
    return check.integer(key, value, *YEAR_RANGE)


def _check_code(check: _Checker, key: str, value: Any) -> str | None:
    return check.code(key, value, CODE_FIELDS[key])


def _check_code_list(check: _Checker, key: str, value: Any) -> list[str] | None:
    out = []
    for item in check.items(key, value):
        code = check.code(key, item, CODE_LISTS[key])
        if code in out:
            check.fail(key, f"{code!r} is listed twice")
        elif code:
            out.append(code)
    return out


def _check_text_list(check: _Checker, key: str, value: Any) -> list[str]:
    limit = "tag" if key == "tags" else "list_item"
    out = []
    for item in check.items(key, value):
        text = check.text(key, item, limit)
        if text and key == "tags" and text in out:
            check.fail(key, f"{text!r} is listed twice")
        elif text:
            out.append(text)
    return out


def _check_sources(check: _Checker, key: str, value: Any) -> list[dict[str, Any]]:
    out = []
    for n, item in enumerate(check.items(key, value), 1):
        where = f"sources[{n}]"
        if not isinstance(item, dict):
            check.fail(where, "must be an object {url, title, publisher?, year?}")
            continue
        for extra in sorted(set(item).difference(SOURCE_KEYS)):
            check.fail(f"{where}.{extra}", f"unknown field; valid are {', '.join(SOURCE_KEYS)}")
        url = _check_url(check, f"{where}.url", item.get("url"))
        title = check.text(f"{where}.title", item.get("title"), "source_title")
        source: dict[str, Any] = {"url": url, "title": title}
        if item.get("publisher") not in (None, ""):
            source["publisher"] = check.text(f"{where}.publisher", item["publisher"], "name")
        if item.get("year") is not None:
            source["year"] = check.integer(f"{where}.year", item["year"], 1900, 2100)
        if item.get("type") not in (None, ""):
            source["type"] = check.code(f"{where}.type", item["type"], "source_type")
        out.append(source)
    return out


def _check_outcomes(check: _Checker, key: str, value: Any) -> list[Any]:
    """Each outcome is text (v1) or {text, kind, figure?, unit?, year?, source?} (v1.1)."""
    out: list[Any] = []
    for n, item in enumerate(check.items(key, value), 1):
        where = f"outcomes[{n}]"
        if isinstance(item, str):
            if text := check.text(where, item, "list_item"):
                out.append(text)
            continue
        if not isinstance(item, dict):
            check.fail(
                where, "must be text or an object {text, kind, figure?, unit?, year?, source?}"
            )
            continue
        for extra in sorted(set(item).difference(OUTCOME_KEYS)):
            check.fail(f"{where}.{extra}", f"unknown field; valid are {', '.join(OUTCOME_KEYS)}")
        if not check.has(where, item, ("text", "kind")):
            continue
        outcome: dict[str, Any] = {
            "text": check.text(f"{where}.text", item["text"], "list_item"),
            "kind": check.code(f"{where}.kind", item["kind"], "outcome_kind"),
        }
        if item.get("figure") is not None:
            outcome["figure"] = check.number(f"{where}.figure", item["figure"], -1e15, 1e15)
        if item.get("unit") not in (None, ""):
            outcome["unit"] = check.text(f"{where}.unit", item["unit"], "unit")
        if item.get("year") is not None:
            outcome["year"] = check.integer(f"{where}.year", item["year"], *YEAR_RANGE)
        if item.get("source") not in (None, ""):
            outcome["source"] = check.text(f"{where}.source", item["source"], "url")
        out.append(outcome)
    return out


def _check_costs(check: _Checker, key: str, value: Any) -> list[dict[str, Any]]:
    out = []
    for n, item in enumerate(check.items(key, value), 1):
        where = f"costs[{n}]"
        if not isinstance(item, dict):
            check.fail(where, "must be an object {amount, currency, covers, source, ...}")
            continue
        for extra in sorted(set(item).difference(COST_KEYS)):
            check.fail(f"{where}.{extra}", f"unknown field; valid are {', '.join(COST_KEYS)}")
        check.has(where, item, ("amount", "currency", "covers", "source"))
        cost: dict[str, Any] = {}
        if item.get("amount") is not None:
            cost["amount"] = check.number(f"{where}.amount", item["amount"], 0.01, 1e13)
        if item.get("currency") not in (None, ""):
            cost["currency"] = _check_currency(check, f"{where}.currency", item["currency"])
        if item.get("covers") not in (None, ""):
            cost["covers"] = check.code(f"{where}.covers", item["covers"], "cost_covers")
        if item.get("source") not in (None, ""):
            cost["source"] = check.text(f"{where}.source", item["source"], "url")
        if item.get("year") is not None:
            cost["year"] = check.integer(f"{where}.year", item["year"], 1900, 2100)
        for name, limit in (("funder", "name"), ("note", "note")):
            if item.get(name) not in (None, ""):
                cost[name] = check.text(f"{where}.{name}", item[name], limit)
        out.append(cost)
    return out


def _check_currency(check: _Checker, field: str, value: Any) -> str | None:
    if isinstance(value, str) and value.isupper() and pycountry.currencies.get(alpha_3=value):
        return value
    hint = ""
    if isinstance(value, str) and pycountry.currencies.get(alpha_3=value.upper()):
        hint = f"; did you mean {value.upper()!r}?"
    check.fail(field, f"{value!r} is not an ISO 4217 currency code such as 'USD' or 'EUR'{hint}")
    return None


def _check_translations(check: _Checker, key: str, value: Any) -> dict[str, Any] | None:
    """{language: {title, summary, translator, reviewed}}: the case in other languages."""
    if not isinstance(value, dict):
        check.fail(key, 'must be an object keyed by language code, e.g. {"fr": {...}}')
        return None
    out: dict[str, Any] = {}
    for language, item in value.items():
        where = f"{key}.{language}"
        if not (isinstance(language, str) and _is_language(language)):
            check.fail(where, f"{language!r} is not an ISO 639-1 language code such as 'fr'")
            continue
        if not isinstance(item, dict):
            check.fail(where, "must be an object {title, summary, translator, reviewed}")
            continue
        for extra in sorted(set(item).difference(TRANSLATION_KEYS)):
            check.fail(
                f"{where}.{extra}", f"unknown field; valid are {', '.join(TRANSLATION_KEYS)}"
            )
        reviewed = item.get("reviewed", False)
        if not isinstance(reviewed, bool):
            check.fail(f"{where}.reviewed", f"must be true or false, got {reviewed!r}")
        if not check.has(where, item, ("title", "summary", "translator")):
            continue
        out[language] = {
            "title": check.text(f"{where}.title", item["title"], "title"),
            "summary": check.text(f"{where}.summary", item["summary"], "summary"),
            "translator": check.text(f"{where}.translator", item["translator"], "translator"),
            "reviewed": reviewed is True,
        }
    return out


def _check_url(check: _Checker, field: str, value: Any) -> str | None:
    url = check.text(field, value, "url") if value is not None else None
    if value is None:
        check.fail(field, "required")
        return None
    if url is None:
        return None
    if re.search(r"\s", url):
        check.fail(field, f"{url[:60]!r} contains a space; write it as %20")
        return None
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        check.fail(field, f"{url[:60]!r} is not allowed: only http:// and https:// URLs are")
        return None
    return url


def _check_organizations(check: _Checker, key: str, value: Any) -> list[dict[str, Any]]:
    out = []
    for n, item in enumerate(check.items(key, value), 1):
        where = f"organizations[{n}]"
        if not isinstance(item, dict):
            check.fail(where, "must be an object {name, type, role}")
            continue
        for extra in set(item) - {"name", "type", "role"}:
            check.fail(f"{where}.{extra}", "unknown field; valid are name, type, role")
        org = {"name": check.text(f"{where}.name", item.get("name"), "name")}
        if item.get("type") not in (None, ""):
            org["type"] = check.code(f"{where}.type", item["type"], "organization_type")
        if item.get("role") not in (None, ""):
            org["role"] = check.code(f"{where}.role", item["role"], "organization_role")
        out.append(org)
    return out


def _is_language(value: str) -> bool:
    return len(value) == 2 and pycountry.languages.get(alpha_2=value) is not None


def _check_language(check: _Checker, key: str, value: Any) -> str | None:
    if isinstance(value, str) and _is_language(value):
        return value
    check.fail(key, f"{value!r} is not an ISO 639-1 language code such as 'en', 'es', 'fr'")
    return None


def _check_date(check: _Checker, key: str, value: Any) -> str | None:
    if isinstance(value, str) and DATE_RE.match(value):
        try:
            dt.date.fromisoformat(value)
            return value
        except ValueError:
            pass
    check.fail(key, f"{value!r} is not a date written YYYY-MM-DD")
    return None


def _check_population(check: _Checker, key: str, value: Any) -> int | None:
    return check.integer(key, value, 0, 100_000_000)


def _check_latitude(check: _Checker, key: str, value: Any) -> float | None:
    return check.number(key, value, -90, 90)


def _check_longitude(check: _Checker, key: str, value: Any) -> float | None:
    return check.number(key, value, -180, 180)


def _check_across_fields(check: _Checker, out: dict[str, Any]) -> None:
    start, end = out.get("start_year"), out.get("end_year")
    if start is not None and end is not None and end < start:
        check.fail("end_year", f"{end} is before start_year {start}")
    if ("latitude" in out) != ("longitude" in out):
        check.fail("latitude", "give both latitude and longitude, or neither")
    cited = {s["url"] for s in out.get("sources", []) if s.get("url")}
    for name in ("outcomes", "costs"):
        for n, item in enumerate(out.get(name, []), 1):
            url = item.get("source") if isinstance(item, dict) else None
            if url and url not in cited:
                check.fail(
                    f"{name}[{n}].source",
                    f"{url[:60]!r} is not one of this case's sources; give the url of the "
                    "source that states it",
                )
    if out.get("language", "en") in out.get("translations", {}):
        check.fail("translations", f"has the record's own language {out.get('language', 'en')!r}")


_FIELD_CHECKS: dict[str, Callable[[_Checker, str, Any], Any]] = {
    "slug": _check_slug,
    "title": _check_text,
    "summary": _check_text,
    "description": _check_text,
    "city": _check_text,
    "country": _check_country,
    "city_population": _check_population,
    "latitude": _check_latitude,
    "longitude": _check_longitude,
    "start_year": _check_year,
    "end_year": _check_year,
    "status": _check_code,
    "engagement": _check_code,
    "themes": _check_code_list,
    "inclusion": _check_code_list,
    "safeguards": _check_code_list,
    "organizations": _check_organizations,
    "outcomes": _check_outcomes,
    "lessons": _check_text_list,
    "challenges": _check_text_list,
    "costs": _check_costs,
    "tags": _check_text_list,
    "language": _check_language,
    "sources": _check_sources,
    "last_reviewed": _check_date,
    "translations": _check_translations,
}


def validate_records(raws: Iterable[RawRecord]) -> tuple[list[CaseRecord], list[Problem]]:
    """Validate every record and the slugs across them; report all problems, not the first."""
    records: list[CaseRecord] = []
    problems: list[Problem] = []
    first_seen: dict[str, RawRecord] = {}
    for raw in raws:
        record, found = validate_record(raw)
        problems.extend(found)
        if record is None:
            continue
        if record.slug in first_seen:
            first = first_seen[record.slug]
            problems.append(
                Problem(
                    raw.file, raw.line, "slug", f"{record.slug!r} repeats {first.file}:{first.line}"
                )
            )
            continue
        first_seen[record.slug] = raw
        records.append(record)
    return records, problems
