"""One ranking from two: the words a case shares with the query (Whoosh, BM25F) and what its
passages mean (cosine with the query's embedding), fused by reciprocal rank, with a boost for
cases in a place the query names. Rank fusion needs no score calibration between the two sides:
a case both rank high comes first, a case one side alone ranks high still comes early.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

RRF_K = 60  # the usual constant (Cormack, Clarke and Büttcher 2009)


@dataclass(frozen=True)
class Weights:
    """How much each side counts; chosen by measurement on the tuning half of the judged
    queries (bench/quality.py), reported on the other half."""

    lexical: float = 1.0
    meaning: float = 1.0
    place: float = 0.5  # a case in a place the query names gains this much of a first rank
    meaning_floor: float = 0.30  # a case may join the results on meaning alone above this cosine
    meaning_depth: int = 30  # ... if it is among the query's closest cases by meaning
    exact_meaning: float = 0.5  # meaning's share when the query quotes a phrase or a field
    nearest: bool = True  # when no case uses the words, show the closest in meaning


DEFAULT_WEIGHTS = Weights()


def fuse(
    lexical: Sequence[int],
    meaning: Sequence[int],
    *,
    in_place: Iterable[int] = (),
    weights: Weights = DEFAULT_WEIGHTS,
) -> dict[int, float]:
    """Document -> fused score, from two rankings (best first) and the documents in a place."""
    scores: dict[int, float] = {}
    for weight, ranking in ((weights.lexical, lexical), (weights.meaning, meaning)):
        for rank, doc in enumerate(ranking, 1):
            scores[doc] = scores.get(doc, 0.0) + weight / (RRF_K + rank)
    for doc in in_place:
        if doc in scores:
            scores[doc] += weights.place / (RRF_K + 1)
    return scores
