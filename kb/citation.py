"""'Cite this case': plain text, BibTeX and CSL-JSON, each naming the record's revision, the
retrieval date and the data licence. Records in, text out; no database, no UI.

A citation names one revision of a case, because cases are corrected over time: the revision
lets a reader find the exact text that was cited (`kb history SLUG` lists the revisions).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Iterable
from typing import Any
from urllib.parse import quote

from kb.records import CaseView

CATALOGUE = "Urban Digital Initiatives Knowledge Base"
LICENCE = "CC BY 4.0"
LICENCE_URL = "https://creativecommons.org/licenses/by/4.0/"
FORMATS = ("text", "bibtex", "csl-json")

_BIBTEX_SPECIAL = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "&": r"\&",
    "%": r"\%",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_BIBTEX_CHARS = re.compile("|".join(re.escape(c) for c in _BIBTEX_SPECIAL))


def case_url(base_url: str, slug: str) -> str:
    """The case page's address under the app's base address (e.g. http://host:8501/)."""
    return f"{base_url.rstrip('/')}/case?slug={quote(slug)}"


def cite_key(view: CaseView) -> str:
    """A BibTeX key / CSL id that names the revision, e.g. `kb-kigali-irembo-r3`."""
    return f"kb-{view.record.slug}-r{view.revision}"


def _place(view: CaseView) -> str:
    return f"{view.record.city}, {view.country_name}"


def _licence_note(view: CaseView, retrieved: dt.date) -> str:
    return (
        f"Revision {view.revision}; retrieved {retrieved.isoformat()}; "
        f"data licence {LICENCE} ({LICENCE_URL})"
    )


def plain_text(view: CaseView, *, retrieved: dt.date, url: str | None = None) -> str:
    """One paragraph for a reference list."""
    record = view.record
    reviewed = f", last reviewed {record.last_reviewed}" if record.last_reviewed else ""
    where = f" {url}." if url else ""
    return (
        f"{CATALOGUE}. “{record.title}” ({_place(view)}). "
        f"Case {record.slug}, revision {view.revision}{reviewed}.{where} "
        f"Retrieved {retrieved.isoformat()}. Data licence: {LICENCE} ({LICENCE_URL})."
    )


def bibtex_escape(text: str) -> str:
    """Text safe inside a BibTeX field: LaTeX specials escaped, so braces always balance."""
    return _BIBTEX_CHARS.sub(lambda m: _BIBTEX_SPECIAL[m.group(0)], " ".join(text.split()))


def _bibtex_url(url: str) -> str:
    # url fields are read verbatim, so only characters that would unbalance the entry change
    return url.replace("{", "%7B").replace("}", "%7D").replace(" ", "%20")


def bibtex(view: CaseView, *, retrieved: dt.date, url: str | None = None) -> str:
    """A `@misc` entry; the double braces around the title keep its capitals."""
    record = view.record
    fields = [
        ("title", "{" + bibtex_escape(record.title) + "}"),
        ("author", "{" + bibtex_escape(CATALOGUE) + "}"),
        ("howpublished", bibtex_escape(f"{CATALOGUE}, case {record.slug}")),
        ("year", view.updated_at[:4]),
        ("version", str(view.revision)),
    ]
    if url:
        fields.append(("url", _bibtex_url(url)))
    fields += [
        ("urldate", retrieved.isoformat()),
        ("note", bibtex_escape(_licence_note(view, retrieved))),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in fields)
    return f"@misc{{{cite_key(view)},\n{body}\n}}\n"


def bibtex_list(
    views: Iterable[CaseView], *, retrieved: dt.date, base_url: str | None = None
) -> str:
    """BibTeX entries for several cases, one after another (an export of search results)."""
    return "\n".join(
        bibtex(v, retrieved=retrieved, url=case_url(base_url, v.record.slug) if base_url else None)
        for v in views
    )


def _date_parts(day: dt.date) -> dict[str, Any]:
    return {"date-parts": [[day.year, day.month, day.day]]}


def csl_json(view: CaseView, *, retrieved: dt.date, url: str | None = None) -> dict[str, Any]:
    """A CSL-JSON item (citation-style-language/schema csl-data.json): the licence and the
    revision go in `note`, the revision also in `version`, since CSL has no licence field."""
    record = view.record
    item: dict[str, Any] = {
        "id": cite_key(view),
        "type": "dataset",
        "title": record.title,
        "author": [{"literal": CATALOGUE}],
        "publisher": CATALOGUE,
        "genre": "Catalogue entry",
        "version": str(view.revision),
        "issued": _date_parts(dt.date.fromisoformat(view.updated_at[:10])),
        "accessed": _date_parts(retrieved),
        "language": record.language,
        "abstract": record.summary,
        "note": _licence_note(view, retrieved),
    }
    if url:
        item["URL"] = url
    return item


def csl_json_text(view: CaseView, *, retrieved: dt.date, url: str | None = None) -> str:
    """The CSL-JSON item as a one-item array, the shape reference managers import."""
    item = csl_json(view, retrieved=retrieved, url=url)
    return json.dumps([item], ensure_ascii=False, indent=2) + "\n"


def csl_json_list(
    views: Iterable[CaseView], *, retrieved: dt.date, base_url: str | None = None
) -> str:
    """CSL-JSON items for several cases, as one array (Zotero, Mendeley and pandoc read it)."""
    items = [
        csl_json(
            v, retrieved=retrieved, url=case_url(base_url, v.record.slug) if base_url else None
        )
        for v in views
    ]
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


def cite(view: CaseView, fmt: str, *, retrieved: dt.date, url: str | None = None) -> str:
    """The citation in one of FORMATS."""
    if fmt == "text":
        return plain_text(view, retrieved=retrieved, url=url)
    if fmt == "bibtex":
        return bibtex(view, retrieved=retrieved, url=url)
    if fmt == "csl-json":
        return csl_json_text(view, retrieved=retrieved, url=url)
    raise ValueError(f"Unknown citation format {fmt!r}; choose one of {', '.join(FORMATS)}.")
