"""Word analysis for the six UN languages: which languages a query may be in, and how each
language's translated titles and summaries are cut into searchable words.

English, French, Spanish and Russian use Whoosh's Snowball stemmers and stop lists (with accents
folded in French and Spanish), Arabic its ISRI root stemmer with a short stop list of our own
(Whoosh has none), Chinese overlapping two-character words (the Lucene CJK bigram method: no
dictionary, no segmenter to load, nearly as good on short text).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from typing import Any

from kb.search.engine import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StopFilter,
    Token,
    Tokenizer,
    accent_map,
    stopwords_for_language,
)

TRANSLATED = ("ar", "zh", "fr", "ru", "es")  # languages the catalogue's translations are in
ARABIC = re.compile(r"[\u0600-\u06ff]")
CYRILLIC = re.compile(r"[\u0400-\u04ff]")
HAN = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
ARABIC_STOP = frozenset(
    """في من على إلى عن مع أو و ثم التي الذي الذين هذا هذه ذلك تلك هل ما ماذا كيف أين متى لماذا
    كان كانت يكون قد لقد لم لن إن أن كل بعض عند بين حتى منذ""".split()  # noqa: SIM905
)


def query_languages(text: str) -> tuple[str, ...]:
    """The translated languages a query may be written in, judged by its script: Arabic
    letters -> ar, Han characters -> zh, Cyrillic -> ru, Latin -> fr and es (and English)."""
    found = []
    if ARABIC.search(text):
        found.append("ar")
    if HAN.search(text):
        found.append("zh")
    if CYRILLIC.search(text):
        found.append("ru")
    if re.search(r"[A-Za-zÀ-ÿ]", text):
        found += ["fr", "es"]
    return tuple(found)


class CjkBigramTokenizer(Tokenizer):
    """Runs of Han characters as overlapping pairs (a single character alone), other runs of
    letters and digits as words: '共享单车' -> 共享, 享单, 单车."""

    PIECES = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]+|\w+")

    def __call__(  # noqa: PLR0913 - Whoosh's tokenizer protocol
        self,
        value: str,
        positions: bool = False,
        chars: bool = False,
        keeporiginal: bool = False,
        removestops: bool = True,
        start_pos: int = 0,
        start_char: int = 0,
        mode: str = "",
        **kwargs: Any,
    ) -> Iterator[Token]:
        token = Token(positions, chars, removestops=removestops, mode=mode, **kwargs)
        position = start_pos
        for match in self.PIECES.finditer(value):
            run = match.group(0)
            if HAN.match(run):
                grams = [run] if len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)]
                offsets = range(len(grams))
            else:
                grams, offsets = [run], [0]
            for gram, offset in zip(grams, offsets, strict=True):
                token.text = gram
                token.boost = 1.0
                token.stopped = False
                if keeporiginal:
                    token.original = gram
                if positions:
                    token.pos = position
                    position += 1
                if chars:
                    token.startchar = start_char + match.start() + offset
                    token.endchar = token.startchar + len(gram)
                yield token


@cache
def analyser_for(language: str):  # noqa: ANN201 - a Whoosh analyzer
    """The analyser for one translated language's field."""
    if language == "zh":
        return CjkBigramTokenizer() | LowercaseFilter()
    chain = RegexTokenizer() | LowercaseFilter()
    stops = ARABIC_STOP if language == "ar" else frozenset(stopwords_for_language(language))
    chain = chain | StopFilter(stoplist=stops, minsize=1)
    if language in ("fr", "es"):
        chain = chain | CharsetFilter(accent_map)
    return chain | StemFilter(lang=language, cachesize=50000)


def analyse_in(language: str, text: str) -> tuple[str, ...]:
    return tuple(t.text for t in analyser_for(language)(text))


def field_for(language: str) -> str:
    """The index field holding the translated titles and summaries of one language."""
    return f"tr_{language}"
