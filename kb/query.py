"""User text -> a Whoosh query: synonyms, spelling correction, power-user syntax, and a safe
fallback for malformed input. Never raises on user input."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kb.engine import (
    And,
    MultifieldParser,
    NullQuery,
    Or,
    Phrase,
    Query,
    StemmingAnalyzer,
    Term,
)
from kb.synonyms import SynonymTable, Tokens, load_synonyms

TEXT_FIELDS = ("title", "body")
MAX_QUERY_CHARS = 500
MAX_WORDS = 32
ADVANCED = re.compile(r'["()]|\b(AND|OR|NOT)\b|\w:\S')
WORD = re.compile(r"\w+(?:\.?\w+)*", re.UNICODE)  # Whoosh's own tokenizer pattern
FIELD_ALIASES = {
    "theme": "themes",
    "inclusion": "inclusion",
    "safeguard": "safeguards",
    "status": "status",
    "region": "region",
    "country": "country",
    "income": "income_group",
    "title": "title",
    "tag": "tags",
}


@dataclass
class BuiltQuery:
    query: Query | None  # None: no words, so browse everything that passes the filters
    fallback: Query | None = None  # looser query to try when `query` matches nothing
    terms: set[str] = field(default_factory=set)  # analysed words, for highlighting
    suggestion: str | None = None
    message: str | None = None


@cache
def analyser():  # noqa: ANN201 - a Whoosh analyzer
    from kb.engine import CharsetFilter, accent_map

    return StemmingAnalyzer() | CharsetFilter(accent_map)


def analyse(text: str) -> Tokens:
    return tuple(t.text for t in analyser()(text))


def synonyms() -> SynonymTable:
    return load_synonyms(analyse)


def build_query(text: str, searcher) -> BuiltQuery:  # noqa: ANN001 - a Whoosh searcher
    """Build the query for `text`; messages explain anything we changed or could not use."""
    message = None
    text = (text or "").strip()
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        message = f"Your query was cut to its first {MAX_QUERY_CHARS} characters."
    if not text:
        return BuiltQuery(None, message=message)
    if ADVANCED.search(text):
        built = _advanced(text, searcher)
        if built is not None:
            built.message = built.message or message
            return built
        message = "The query syntax was not understood, so its words were searched as plain terms."
    built = _plain(text, searcher)
    built.message = built.message or message
    return built


def _advanced(text: str, searcher) -> BuiltQuery | None:  # noqa: ANN001
    for alias, name in FIELD_ALIASES.items():
        text = re.sub(rf"\b{alias}:", f"{name}:", text)
    parser = MultifieldParser(list(TEXT_FIELDS), schema=searcher.schema)
    try:
        parsed = parser.parse(text)
    except Exception:  # noqa: BLE001 - whatever the parser trips on, fall back to plain words
        return None
    all_terms = list(parsed.iter_all_terms(phrases=True))
    if parsed is NullQuery or not all_terms:
        return None
    terms = {str(t) for f, t in all_terms if f in TEXT_FIELDS}
    return BuiltQuery(parsed, terms=terms)


def _plain(text: str, searcher) -> BuiltQuery:  # noqa: ANN001
    words = WORD.findall(text)[:MAX_WORDS]
    if not words:
        return BuiltQuery(NullQuery, message="Your query has no words to search for.")
    table = synonyms()
    words, suggestion = _correct_spelling(words, searcher, table)
    tokens = [tok for word in words for tok in analyse(word)]
    if not tokens:
        return BuiltQuery(
            NullQuery,
            message="Your query has only very common words (like 'the' or 'and'); "
            "try more specific terms.",
        )
    concepts: list[Query] = []
    terms: set[str] = set()
    i = 0
    while i < len(tokens):
        found = table.match(tokens, i)
        variants: set[Tokens] = {(tokens[i],)}
        size = 1
        if found:
            key, expansions = found
            variants, size = set(expansions) | {key}, len(key)
        concepts.append(_concept(variants))
        terms.update(t for v in variants for t in v)
        i += size
    strict = concepts[0] if len(concepts) == 1 else And(concepts)
    loose = None if len(concepts) == 1 else Or(concepts)
    return BuiltQuery(strict, fallback=loose, terms=terms, suggestion=suggestion)


def _concept(variants: set[Tokens]) -> Query:
    parts: list[Query] = []
    for variant in sorted(variants):
        for name in TEXT_FIELDS:
            if len(variant) == 1:
                parts.append(Term(name, variant[0]))
            else:
                parts.append(Phrase(name, list(variant)))
    return parts[0] if len(parts) == 1 else Or(parts)


def _correct_spelling(words: list[str], searcher, table: SynonymTable):  # noqa: ANN001, ANN202
    """Replace words found nowhere in the index (nor in the synonyms) with the nearest known
    word; returns the words to search and a 'did you mean' text when anything changed."""
    reader = searcher.reader()
    corrector = None
    out, changed = [], False
    for word in words:
        stems = analyse(word)
        known = not stems or any(
            reader.doc_frequency(name, s) for s in stems for name in TEXT_FIELDS
        )
        if known or word.lower() in table.surface_words or (stems[0],) in table.expansions:
            out.append(word)
            continue
        if len(word) < 4 or word.isdigit():
            out.append(word)
            continue
        corrector = corrector or searcher.corrector("body")
        maxdist = 1 if len(word) < 6 else 2
        found = corrector.suggest(word.lower(), limit=1, maxdist=maxdist)
        if not found:
            found = _nearest_synonym_word(word.lower(), table, maxdist)
        if found:
            out.append(found[0])
            changed = True
        else:
            out.append(word)
    return out, (" ".join(out) if changed else None)


def _nearest_synonym_word(word: str, table: SynonymTable, maxdist: int) -> list[str]:
    from rapidfuzz.distance import Levenshtein

    best = min(table.surface_words, key=lambda w: Levenshtein.distance(word, w), default=None)
    if best and Levenshtein.distance(word, best) <= maxdist:
        return [best]
    return []
