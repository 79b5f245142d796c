"""User text -> a Whoosh query: synonyms, spelling correction, power-user syntax, and a safe
fallback for malformed input. Never raises on user input."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from kb.search.engine import (
    And,
    AndNot,
    DisjunctionMax,
    MultifieldParser,
    Not,
    NullQuery,
    Or,
    OrGroup,
    Phrase,
    Query,
    StemmingAnalyzer,
    Term,
)
from kb.search.synonyms import SynonymTable, Tokens, load_synonyms

TEXT_FIELDS = ("body",)  # the body holds the title too: one field halves the matchers
SPELL = "spell_body"  # Whoosh keeps the unstemmed words of a spelling=True field here
MAX_QUERY_CHARS = 500
MAX_WORDS = 32
QUOTED = re.compile(r'"([^"]+)"')
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
    strict: Query | None = None  # every concept required (match="all"); None: same as query
    terms: set[str] = field(default_factory=set)  # analysed words, for highlighting
    suggestion: str | None = None
    message: str | None = None


@cache
def analyser():  # noqa: ANN201 - a Whoosh analyzer
    from kb.search.engine import CharsetFilter, accent_map

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
    if QUOTED.search(text) and not ADVANCED.search(QUOTED.sub(" ", text)):
        built = _plain(text, searcher)  # phrases plus plain words: keep synonyms and spelling
        built.message = built.message or message
        return built
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
    parser = MultifieldParser(list(TEXT_FIELDS), schema=searcher.schema, group=OrGroup)
    try:
        parsed = parser.parse(text)
    except Exception:  # noqa: BLE001 - whatever the parser trips on, fall back to plain words
        return None
    parsed = _exclude_negations(parsed)
    all_terms = list(parsed.iter_all_terms(phrases=True))
    if parsed is NullQuery or not all_terms:
        return None
    terms = {str(t) for f, t in all_terms if f in TEXT_FIELDS}
    return BuiltQuery(parsed, terms=terms)


def _exclude_negations(query: Query) -> Query:
    """With OR as the default operator, `a NOT b` parses as `a OR (NOT b)`, which matches
    nearly everything. Users mean: a, excluding b."""
    if not isinstance(query, Or | And):
        return query
    negated = [q.query for q in query.subqueries if isinstance(q, Not)]
    kept = [q for q in query.subqueries if not isinstance(q, Not)]
    if not negated or not kept:
        return query
    positive = kept[0] if len(kept) == 1 else type(query)(kept)
    return AndNot(positive, negated[0] if len(negated) == 1 else Or(negated))


def _plain(text: str, searcher) -> BuiltQuery:  # noqa: ANN001
    phrases = [analyse(p) for p in QUOTED.findall(text)]
    phrases = [p for p in phrases if p]
    words = WORD.findall(QUOTED.sub(" ", text))[:MAX_WORDS]
    if phrases and not words:
        return _with_concepts([_concept({p}) for p in phrases], {t for p in phrases for t in p})
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
    concepts: list[Query] = [_concept({p}) for p in phrases]
    terms: set[str] = {t for p in phrases for t in p}
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
    return _with_concepts(concepts, terms, suggestion)


def _with_concepts(concepts: list[Query], terms: set[str], suggestion: str | None = None):  # noqa: ANN202
    """Any concept may match; cases matching more of them score higher (BM25 sums). `strict`
    needs every concept, for counting what matches the whole topic."""
    if len(concepts) == 1:
        return BuiltQuery(concepts[0], strict=concepts[0], terms=terms, suggestion=suggestion)
    return BuiltQuery(Or(concepts), strict=And(concepts), terms=terms, suggestion=suggestion)


def _concept(variants: set[Tokens]) -> Query:
    """One concept of the query: any of its variants, in the title or the body. Scored by its
    best variant (not their sum), so a case using many synonyms is not rewarded for it."""
    parts: list[Query] = []
    for variant in sorted(variants):
        fields: list[Query] = [
            Term(name, variant[0]) if len(variant) == 1 else Phrase(name, list(variant))
            for name in TEXT_FIELDS
        ]
        parts.append(Or(fields))
    return parts[0] if len(parts) == 1 else DisjunctionMax(parts)


def _correct_spelling(words: list[str], searcher, table: SynonymTable):  # noqa: ANN001, ANN202
    """Replace words found nowhere in the index (nor in the synonyms) with the nearest known
    word; returns the words to search and a 'did you mean' text when anything changed."""
    reader = searcher.reader()
    out, changed = [], False
    for word in words:
        stems = analyse(word)
        known = not stems or any(
            reader.doc_frequency(name, s) for s in stems for name in TEXT_FIELDS
        )
        lower = word.lower()
        if known or lower in table.surface_words or (stems[0],) in table.expansions:
            out.append(word)
            continue
        if len(word) < MIN_CORRECTED or not word.isalpha():
            out.append(word)  # short words are often abbreviations (muni, LPR), not typos
            continue
        found = nearest_word(lower, vocabulary(reader) | table.surface_words, reader)
        out.append(found or word)
        changed = changed or bool(found)
    return out, (" ".join(out) if changed else None)


MIN_CORRECTED = 5
_VOCABULARY: dict[object, frozenset[str]] = {}


def vocabulary(reader) -> frozenset[str]:  # noqa: ANN001 - a Whoosh reader
    """The unstemmed words of the index (its spelling field), cached per reader generation."""
    key = (id(reader.storage) if hasattr(reader, "storage") else None, reader.generation())
    if key not in _VOCABULARY:
        _VOCABULARY.clear()
        words = (w.decode("utf-8") if isinstance(w, bytes) else w for w in reader.lexicon(SPELL))
        _VOCABULARY[key] = frozenset(w for w in words if w.isalpha() and len(w) > 2)
    return _VOCABULARY[key]


def nearest_word(word: str, candidates: frozenset[str], reader) -> str | None:  # noqa: ANN001
    """The closest candidate within 1 edit (2 for words of 8+ letters; a swap of two letters
    is one edit); ties go to the word more documents use."""
    from rapidfuzz import process
    from rapidfuzz.distance import OSA

    maxdist = 2 if len(word) >= 8 else 1
    close = process.extract(word, candidates, scorer=OSA.distance, score_cutoff=maxdist, limit=20)
    if not close:
        return None
    best = min(close, key=lambda m: (m[1], -reader.doc_frequency(SPELL, m[0]), m[0]))
    return best[0]
