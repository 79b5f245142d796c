"""A Brief as Markdown that shows catalogue text literally.

Record text is data: a title holding `[click](javascript:alert(1))` or `<script>` must print as
those characters, never become a link or a tag. Every character Markdown or HTML could read as
syntax is backslash-escaped (CommonMark allows that for any ASCII punctuation), line breaks are
folded into spaces, and URLs are written as autolinks `<...>` with the characters that would
end one early (space, <, >, and the others `quote` encodes) percent-encoded; a URL that is not
http(s) is printed as escaped text, not as a link.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from kb.brief.model import MINUTE, POINTS, REFERENCES, cite, heading

if TYPE_CHECKING:
    from kb.brief.model import Brief

# Characters that can start Markdown or HTML syntax inline: emphasis, link and image brackets,
# code, tables, strikethrough, HTML tags, entities and autolinks. With the brackets escaped no
# "(url)" can become a link target, so parentheses are left alone.
_SYNTAX = re.compile(r"([\\`*_{}\[\]<>|~&])")
_SPACE = re.compile(r"\s+")
_URL_SAFE = "/:?#[]@!$&'*+,;=%-._~()"  # kept as they are; anything else is percent-encoded
_CITATION = re.compile(r"\[\d+(?:(?:–|, )\d+)*\]")


def escape(text: str) -> str:
    """Text that Markdown renders exactly as given, on one line."""
    return _SYNTAX.sub(r"\\\1", _SPACE.sub(" ", str(text)))


def link(url: str) -> str:
    """An autolink `<url>` for an http(s) URL, percent-encoding what would end it early;
    escaped plain text for anything else."""
    url = url.strip()
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return escape(url)
    safe = quote(url, safe=_URL_SAFE).replace("[", "%5B").replace("]", "%5D")
    return f"<{safe}>"


def cited(text: str) -> str:
    """A sentence with citations ('Quito [3], Lima [4–6].'): the text escaped, the citations
    kept as they are (a bracketed number alone is never a link)."""
    out, position = [], 0
    for found in _CITATION.finditer(text):
        out += [escape(text[position : found.start()]), found.group(0)]
        position = found.end()
    out.append(escape(text[position:]))
    return "".join(out)


def to_markdown(brief: Brief) -> str:
    """The brief in its language; its notes on language (a brief in another language than its
    cases' records) as a quotation under the title."""
    lines = [f"# {escape(brief.title)}", ""]
    if brief.notes:
        lines += [f"> {escape(' '.join(brief.notes))}", ""]
    if brief.minute:
        minute = " ".join(cited(s) for s in brief.minute)
        lines += [f"## {heading(MINUTE, brief.language)}", "", minute, ""]
    lines += [escape(brief.overview), "", f"## {heading(POINTS, brief.language)}", ""]
    for n, point in enumerate(brief.points, 1):
        own = f" {cite(point.lead_refs)}" if point.lead_refs else ""
        headline = f"**{escape(point.headline.removesuffix(own))}**{own}"
        lines.append(f"{n}. {headline} {cited(point.detail)}")
    for title, items in brief.bullet_sections():
        lines += ["", f"## {title}", ""] + [f"- {cited(item)}" for item in items]
    lines += ["", f"## {heading(REFERENCES, brief.language)}", ""]
    lines += [f"{r.number}. {escape(r.text())} {link(r.url)}" for r in brief.references]
    return "\n".join(lines) + "\n"
