"""How well each passage of some cases fits a topic: its cosine with the topic's embedding, and
the share of the topic's words (with their synonyms) it uses, each word weighted by how rare it
is in the catalogue. Briefs use both to lead each talking point with the passage that answers
the topic, and to leave out cases with no such passage.

The two are kept apart because neither is enough alone: a short topic and a long passage have
a low cosine even when the passage is on point ("algorithms in welfare"), and a passage can
share a topic's common words ("digital", "services") without being about it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace

import numpy as np

from kb.records import RankedPassage
from kb.search.query import WORD, analyse, synonyms
from kb.search.synonyms import Tokens, join_prefix
from kb.search.vectors import Matrix


@dataclass(frozen=True)
class TopicWord:
    """One word of a topic: the token sequences that stand for it, and its weight (IDF)."""

    variants: frozenset[Tokens]
    weight: float


def topic_words(text: str, frequency, documents: int) -> list[TopicWord]:  # noqa: ANN001
    """The topic's words as analysed (stop words dropped), each with its one-word synonyms,
    weighted by log((N + 1) / (df + 1)); `frequency(token)` gives a token's document frequency.
    Words that a multi-word synonym covers ("public transport") are one word, standing for
    every phrase of its group ("buses", "mass transit"), weighing what its words weigh."""
    table = synonyms()
    tokens = [t for word in WORD.findall(text) for t in analyse(join_prefix(word))]
    out: dict[Tokens, TopicWord] = {}
    i = 0
    while i < len(tokens):
        found = table.match(tokens, i)
        size = len(found[0]) if found else 1
        key = tuple(tokens[i : i + size])
        variants = {key} | (set(found[1]) if found else set())
        weight = sum(math.log((documents + 1) / (frequency(t) + 1)) for t in key)
        if key not in out:
            out[key] = TopicWord(frozenset(variants), weight)
        i += size
    return list(out.values())


def word_share(text: str, words: Sequence[TopicWord]) -> float:
    """The weighted share (0 to 1) of the topic's words the text uses, synonyms included."""
    total = sum(w.weight for w in words)
    if total <= 0:
        return 0.0
    tokens = analyse(join_prefix(text))
    used = sum(w.weight for w in words if any(_contains(tokens, v) for v in w.variants))
    return round(used / total, 4)


def _contains(tokens: Tokens, variant: Tokens) -> bool:
    n = len(variant)
    return any(tokens[i : i + n] == variant for i in range(len(tokens) - n + 1))


def rank_passages(
    matrix: Matrix, slugs: Iterable[str], vector: np.ndarray, words: Sequence[TopicWord]
) -> dict[str, list[RankedPassage]]:
    """Each case's passages (in the catalogue's language; translations left out), best fit
    first, each with its standing among all the catalogue's passages for this topic (a one-word
    topic has low cosines everywhere) and the best word share among all the passages ranked;
    cases without vectors are left out."""
    position = {slug: n for n, slug in enumerate(matrix.slugs)}
    own_language = np.array([":" not in kind for kind in matrix.kinds], dtype=bool)
    catalogue = np.sort(matrix.passage_scores(vector)[own_language])
    out: dict[str, list[RankedPassage]] = {}
    for slug in dict.fromkeys(slugs):
        case = position.get(slug)
        if case is None:
            continue
        start = int(matrix.starts[case])
        end = int(matrix.starts[case + 1]) if case + 1 < len(matrix.starts) else len(matrix.scales)
        sims = (matrix.codes[start:end].astype(np.float32) @ vector) * matrix.scales[start:end]
        ranked = [
            RankedPassage(
                kind=matrix.kinds[row],
                text=matrix.texts[row],
                cosine=round(float(sims[row - start]), 4),
                words=word_share(matrix.texts[row], words),
                standing=_standing(catalogue, float(sims[row - start])),
            )
            for row in range(start, end)
            if ":" not in matrix.kinds[row]  # "summary:fr" and the like: translations
        ]
        out[slug] = ranked
    best = max((p.words for ranked in out.values() for p in ranked), default=0.0)
    return {
        slug: sorted((replace(p, best_words=best) for p in ranked), key=lambda p: -p.score)
        for slug, ranked in out.items()
    }


def _standing(catalogue: np.ndarray, cosine: float) -> float:
    """The share of the catalogue's passages (sorted cosines) that score lower."""
    if not len(catalogue):
        return 0.0
    return round(float(np.searchsorted(catalogue, cosine, side="left")) / len(catalogue), 4)
