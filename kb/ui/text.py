"""Catalogue text made safe for Streamlit's Markdown: every character shown literally.

Streamlit renders labels, headings, captions and table cells as Markdown (never raw HTML unless
asked). Catalogue text is data, so each ASCII punctuation character is backslash-escaped
(CommonMark allows that for all of them); the result displays exactly the original text, with
no links, emphasis, LaTeX, emoji shortcodes or colour directives taken from the data.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from urllib.parse import quote, urlsplit

from kb import taxonomy
from kb.i18n import _, ngettext
from kb.i18n.shown import (  # noqa: F401  (re-exported for the pages)
    country_label,
    date_label,
    region_label,
    sub_region_label,
)

_PUNCTUATION = re.compile(r"([!-/:-@\[-`{-~])")
_WHITESPACE = re.compile(r"\s+")
_MARK = re.compile(r'<mark class="[^"<>]*">(.*?)</mark>', re.DOTALL)
_SAFE_URL_CHARS = "/:?#[]@!$&*+,;=%-._~"  # not ( ) ' or space: they would end a Markdown link


def md(text: object) -> str:
    """Escape text for any element that renders Markdown, so it displays literally."""
    escaped = _PUNCTUATION.sub(r"\\\1", str(text))
    # a line break would end a table cell or start a new block: keep text on its line
    return _WHITESPACE.sub(" ", escaped)


def snippet_markdown(snippet: str) -> str:
    """A search snippet (HTML-escaped text with matched words in <mark>) as Markdown in which
    the matched words are bold: a signal that is not colour alone, and no HTML rendering."""
    out, position = [], 0
    for match in _MARK.finditer(snippet):
        out.append(md(html.unescape(snippet[position : match.start()])))
        word = md(html.unescape(match.group(1)))
        out.append(f"**{word}**" if word else "")
        position = match.end()
    out.append(md(html.unescape(snippet[position:])))
    return "".join(out).strip()


def safe_url(url: str) -> str | None:
    """An http(s) URL fit for a Markdown link target, or None for any other scheme."""
    parts = urlsplit(url.strip())
    if parts.scheme.lower() not in ("http", "https") or not parts.netloc:
        return None
    # parentheses, spaces and angle brackets would end the Markdown link early
    return quote(url.strip(), safe=_SAFE_URL_CHARS)


def link(label: str, url: str) -> str:
    """A Markdown link with an escaped label; plain escaped text when the URL is not http(s)."""
    target = safe_url(url)
    return f"[{md(label)}]({target})" if target else md(label)


def plural(n: int, noun: str, nouns: str | None = None) -> str:
    """`1 case`, `2 cases`: English only. Text a person reads in another language counts
    with kb.i18n.ngettext: `ngettext("{n} case", "{n} cases", n).format(n=...)`."""
    return f"{n:,} {noun if n == 1 else nouns or noun + 's'}"


def badges(themes: Iterable[str], inclusion: Iterable[str], safeguards: Iterable[str] = ()) -> str:
    """Theme, inclusion and safeguard labels as Markdown badges, each group named in words, so
    colour is never the only thing telling them apart."""
    groups = [
        ("blue", "theme", tuple(themes)),
        ("violet", "inclusion", tuple(inclusion)),
        ("green", "safeguard", tuple(safeguards)),
    ]
    parts = [
        _group(vocab, len(codes)).format(
            badges=" ".join(f":{colour}-badge[{md(taxonomy.label(vocab, c))}]" for c in codes)
        )
        for colour, vocab, codes in groups
        if codes
    ]
    return " · ".join(parts)


def _group(vocabulary: str, n: int) -> str:
    """`Theme: {badges}` / `Themes: {badges}`, in the reader's language."""
    if vocabulary == "theme":
        return ngettext("Theme: {badges}", "Themes: {badges}", n)
    if vocabulary == "inclusion":
        return ngettext("Inclusion: {badges}", "Inclusion: {badges}", n)
    return ngettext("Safeguard: {badges}", "Safeguards: {badges}", n)


def case_facts(*, city: str, country_name: str, start_year: int | None, status: str | None) -> str:
    """`Nairobi, Kenya · started 2012 · status: Completed`, escaped (`country_name` as the
    reader should see it: see country_label)."""
    parts = [_("{city}, {country}").format(city=city, country=country_name)]
    if start_year is not None:
        parts.append(_("started {year}").format(year=start_year))
    if status:
        parts.append(_("status: {status}").format(status=taxonomy.label("status", status)))
    return md(" · ".join(parts))
