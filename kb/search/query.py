"""User text -> a Whoosh query: synonyms, spelling correction, the query's language, power-user
syntax, and a safe fallback for malformed input. Never raises on user input."""

from __future__ import annotations

import math
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
from kb.search.languages import analyse_in, field_for, query_languages
from kb.search.names import names_in
from kb.search.synonyms import SynonymTable, Tokens, join_prefix, load_synonyms

TEXT_FIELDS = ("body",)  # the body holds the title too: one field halves the matchers
SPELL = "spell_body"  # Whoosh keeps the unstemmed words of a spelling=True field here
# Whoosh's English stop words, and the question words people type ("how have cities...").
STOP_WORDS = frozenset(
    """a an and are as at be by can for from have if in is it may not of on or tbd that the
    this to us we when will with yet you your how what which who whom why where did does do
    has had been were was there their they them these those any some such into about than
    then so its our""".split()  # noqa: SIM905 - a word list reads best as text
)
MAX_QUERY_CHARS = 500
MAX_WORDS = 32
QUOTED = re.compile(r'"([^"]+)"')
ADVANCED = re.compile(r'["()]|\b(AND|OR|NOT)\b|\w:\S')
WORD = re.compile(r"\w+(?:[.-]?\w+)*", re.UNICODE)  # Whoosh's pattern, hyphenated words whole
LATIN = re.compile(r"[A-Za-zÀ-ɏ]")
OPERATORS = re.compile(r"\b(?:AND|OR|NOT)\b|\w+:(?=\S)|[()\"]")
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
    "evidence": "evidence",
}


@dataclass
class BuiltQuery:
    query: Query | None  # None: no words, so browse everything that passes the filters
    strict: Query | None = None  # every concept required (match="all"); None: same as query
    terms: set[str] = field(default_factory=set)  # analysed words, for highlighting
    suggestion: str | None = None
    message: str | None = None
    text: str = ""  # what the query means, for the meaning search ("" = nothing to mean)
    open_ended: bool = False  # plain words: cases may also join the results by meaning alone
    required: list[Query] = field(default_factory=list)  # concepts counted for `minimum`
    minimum: int = 0  # how many of `required` a case must match (0: any match will do)


@cache
def analyser():  # noqa: ANN201 - a Whoosh analyzer
    from kb.search.engine import CharsetFilter, accent_map

    return StemmingAnalyzer(stoplist=STOP_WORDS) | CharsetFilter(accent_map)


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
    meaning = " ".join(OPERATORS.sub(" ", text).split())
    return BuiltQuery(parsed, terms=terms, text=meaning)


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
    """Words, "phrases", synonyms, corrected spelling and the query's other languages, as
    concepts; a long query's case must match enough of them (MIN_SHOULD_MATCH)."""
    phrases = [p for p in (analyse(join_prefix(q)) for q in QUOTED.findall(text)) if p]
    rest = QUOTED.sub(" ", text)
    words = WORD.findall(rest)[:MAX_WORDS]
    latin = [w for w in words if LATIN.search(w) or w.isdigit()]
    table = synonyms()
    latin, suggestion = _correct_spelling(latin, searcher, table)
    pairs = [(tok, word) for word in latin for tok in analyse(join_prefix(word))]
    languages = query_languages(rest)
    concepts, groups, terms = _word_concepts(pairs, table, languages)
    concepts, common = _split_common(concepts, searcher)
    groups += common
    concepts += _translated_concepts(rest, languages)
    named = names_in(text, languages)
    concepts = [_concept({p}) for p in phrases] + concepts  # a "quoted phrase" is a concept
    groups += [_concept({analyse(name)}) for name in named if analyse(name)]
    if not concepts and not groups:
        message = "Your query has no words to search for."
        if words:
            message = (
                "Your query has only very common words (like 'the' or 'and'); "
                "try more specific terms."
            )
        return BuiltQuery(NullQuery, message=message)
    terms.update(t for p in phrases for t in p)
    built = _with_concepts(concepts, groups, terms, suggestion)
    corrected = suggestion or QUOTED.sub(lambda m: m.group(1), text)
    built.text = " ".join([corrected, *named]).strip()
    built.open_ended = not phrases
    return built


def _word_concepts(
    pairs: list[tuple[str, str]], table: SynonymTable, languages: tuple[str, ...]
) -> tuple[list[Query], list[Query], set[str]]:
    """One concept per English word (with its one-word synonyms and, for a Latin-script query,
    the word as French and Spanish analyse it), and one optional concept per multi-word
    synonym group found: a group adds to the words typed, it never replaces them."""
    tokens = [tok for tok, _ in pairs]
    concepts: list[Query] = []
    groups: list[Query] = []
    terms: set[str] = set()
    for i, (token, word) in enumerate(pairs):
        variants: set[Tokens] = {(token,)}
        found = table.match(tokens, i)
        if found and len(found[0]) == 1:
            variants |= set(found[1])
        elif found:
            groups.append(_concept(set(found[1]) | {found[0]}))
            terms.update(t for v in found[1] for t in v)
        extra: list[Query] = [
            Term(field_for(lang), stem)
            for lang in ("fr", "es")
            if lang in languages
            for stem in analyse_in(lang, word)
        ]
        concepts.append(_concept(variants, extra))
        terms.update(t for v in variants for t in v)
    return concepts, groups, terms


COMMON_SHARE = 0.4  # a word in more than this share of the cases is too common to require


def _split_common(concepts: list[Query], searcher) -> tuple[list[Query], list[Query]]:  # noqa: ANN001
    """Concepts most cases match ("digital" in a catalogue of digital initiatives) still
    rank, but do not count towards the concepts a case must match."""
    if len(concepts) < 3:
        return concepts, []
    reader = searcher.reader()
    limit = COMMON_SHARE * max(1, reader.doc_count())
    rare, common = [], []
    for concept in concepts:
        terms = [t for f, t in concept.iter_all_terms() if f in TEXT_FIELDS]
        frequency = max((reader.doc_frequency("body", t) for t in terms), default=0)
        (common if frequency > limit else rare).append(concept)
    return (rare, common) if rare else (concepts, [])


def _translated_concepts(text: str, languages: tuple[str, ...]) -> list[Query]:
    """For a query in Arabic, Chinese or Russian: each of its words, as that language analyses
    it, in the cases' translated titles and summaries."""
    out: list[Query] = []
    for lang in ("ar", "zh", "ru"):
        if lang in languages:
            out += [Term(field_for(lang), t) for t in dict.fromkeys(analyse_in(lang, text))]
    return out


MIN_SHOULD_MATCH = 0.4  # share of a long query's concepts a case must match to count


def _with_concepts(
    concepts: list[Query],
    groups: list[Query],
    terms: set[str],
    suggestion: str | None = None,
) -> BuiltQuery:
    """Any concept may match; cases matching more of them score higher (BM25 sums). A query
    of three concepts or more needs MIN_SHOULD_MATCH of them (a long question would otherwise
    match nearly every case through its commonest word; Whoosh's own `minmatch` is not applied
    by its matchers, so the index counts them). Groups (phrases, multi-word synonyms, place
    names, words most cases use) are optional extras. `strict` needs every word concept, for
    counting what matches the whole topic."""
    every = concepts + groups
    query = every[0] if len(every) == 1 else Or(every)
    minimum = math.ceil(MIN_SHOULD_MATCH * len(concepts)) if len(concepts) >= 3 else 0
    required = concepts or groups
    strict = required[0] if len(required) == 1 else And(required)
    return BuiltQuery(
        query,
        strict=strict,
        terms=terms,
        suggestion=suggestion,
        required=concepts,
        minimum=minimum,
    )


def _concept(variants: set[Tokens], extra: list[Query] | None = None) -> Query:
    """One concept of the query: any of its variants (and `extra` terms in other languages),
    scored by its best variant (not their sum), so a case using many synonyms is not rewarded
    for it."""
    parts: list[Query] = []
    for variant in sorted(variants):
        fields: list[Query] = [
            Term(name, variant[0]) if len(variant) == 1 else Phrase(name, list(variant))
            for name in TEXT_FIELDS
        ]
        parts.append(fields[0] if len(fields) == 1 else Or(fields))
    parts += extra or []
    return parts[0] if len(parts) == 1 else DisjunctionMax(parts)


def _correct_spelling(words: list[str], searcher, table: SynonymTable):  # noqa: ANN001, ANN202
    """Replace words found nowhere in the index (nor in the synonyms) with the nearest known
    word; returns the words to search and a 'did you mean' text when anything changed."""
    reader = searcher.reader()
    out, changed = [], False
    for position, word in enumerate(words):
        if is_real_word(word) or (position and word[:1].isupper()):
            out.append(word)  # a word of the language, or a name: never "corrected"
            continue
        stems = analyse(join_prefix(word))
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
DICTIONARY_LANGUAGES = ("en", "fr", "es")  # Latin-script words a query may hold


@cache
def _dictionary() -> frozenset[str]:
    from spellchecker import SpellChecker

    words: set[str] = set()
    for language in DICTIONARY_LANGUAGES:
        words.update(SpellChecker(language=language).word_frequency.dictionary)
    return frozenset(words)


def is_real_word(word: str) -> bool:
    """A word of English, French or Spanish (pyspellchecker's lists): 'isolation' is never
    turned into 'solution', 'mujeres' never into an English word."""
    return word.lower() in _dictionary()


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
