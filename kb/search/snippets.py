"""What a result shows of a case: the passage that answers the query, as whole sentences, with
an ellipsis where text is left out and the query's words marked."""

from __future__ import annotations

import html
import re
from collections.abc import Callable

from kb.search.passages import sentences

MAX_CHARS = 300
WORD = re.compile(r"\w+(?:[.'’-]\w+)*", re.UNICODE)
ELLIPSIS = "…"


def snippet(text: str, terms: set[str], analyse: Callable[[str], tuple[str, ...]]) -> str:
    """HTML-escaped sentences of `text` (at most about MAX_CHARS characters), chosen where the
    query's analysed `terms` are densest, with those words in <mark>."""
    parts = sentences(text) or [text]
    hits = [_hit_count(p, terms, analyse) for p in parts]
    start, end = _best_window(parts, hits)
    shown = " ".join(parts[start:end])
    if len(shown) > MAX_CHARS:  # one sentence longer than a snippet: cut at a word
        shown = shown[: MAX_CHARS - 1].rsplit(" ", 1)[0]
        end = len(parts) + 1  # force the trailing ellipsis
    marked = _mark(shown, terms, analyse)
    before = f"{ELLIPSIS} " if start > 0 else ""
    after = f" {ELLIPSIS}" if end < len(parts) or end > len(parts) else ""
    return before + marked + after


def _hit_count(sentence: str, terms: set[str], analyse: Callable[[str], tuple[str, ...]]) -> int:
    return sum(1 for w in WORD.findall(sentence) if terms.intersection(analyse(w)))


def _best_window(parts: list[str], hits: list[int]) -> tuple[int, int]:
    """The run of consecutive sentences within MAX_CHARS with the most hits (earliest wins)."""
    best = (0, 1, hits[0] if hits else 0)
    for start in range(len(parts)):
        length, score = 0, 0
        for end in range(start, len(parts)):
            length += len(parts[end]) + (1 if end > start else 0)
            if length > MAX_CHARS and end > start:
                break
            score += hits[end]
            if score > best[2] or (score == best[2] and start == best[0] and end + 1 > best[1]):
                best = (start, end + 1, score)
    return best[0], best[1]


def _mark(text: str, terms: set[str], analyse: Callable[[str], tuple[str, ...]]) -> str:
    out, last = [], 0
    for match in WORD.finditer(text):
        out.append(html.escape(text[last : match.start()], quote=False))
        word = html.escape(match.group(0), quote=False)
        hit = terms and terms.intersection(analyse(match.group(0)))
        out.append(f'<mark class="match">{word}</mark>' if hit else word)
        last = match.end()
    out.append(html.escape(text[last:], quote=False))
    return "".join(out)
