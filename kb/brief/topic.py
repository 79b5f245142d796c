"""What fits a brief's topic: the rule that decides whether a passage of a case is about the
topic, and the passages a talking point and a caution quote.

A passage fits when its cosine with the topic is high on its own, or when it uses at least half
of the topic's words (weighted by rarity, synonyms counted) and its cosine is fair: at least
FAIR_COSINE, or among the top 2% of the catalogue's passages for that topic (a one-word topic
such as "gender" has low cosines everywhere). Measured on 284 leads of the 21 judged topics
(bench/judged/brief-topics.jsonl, leads judged in bench/judged/brief-leads.jsonl): 91% of the
passages this rule keeps are on topic (cosine alone, at any threshold keeping as many: 77-81%).
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from kb.records import CaseRecord, Outcome, RankedPassage

HIGH_COSINE = 0.45  # a passage this close in meaning fits whatever words it uses
FAIR_COSINE = 0.26
TOP_SHARE = 0.98  # ... or a cosine above this share of the catalogue's passages
HALF_THE_WORDS = 0.5  # on the topic: counted among the matches, its risks named
MOST_WORDS = 0.6  # ... and able to lead a talking point
FACTS = ("summary", "description", "outcome")  # what a talking point leads with when it can


def fits(passage: RankedPassage, words: float = MOST_WORDS) -> bool:
    """Is this passage about the topic? (the rule above; `words` is the share of the topic's
    words it must use, against the passage that uses most)"""
    if passage.cosine >= HIGH_COSINE and passage.kind in FACTS:
        return True
    fair = passage.cosine >= FAIR_COSINE or passage.standing >= TOP_SHARE
    return fair and passage.relative_words >= words


def best_lead(passages: Sequence[RankedPassage]) -> RankedPassage | None:
    """The passage a talking point leads with: the best-fitting fact (summary, description,
    outcome), else the best-fitting lesson or challenge ("offline or no smartphone" is recorded
    mostly as challenges and lessons), first under the strict rule and then the loose one;
    else the best fact."""
    for words in (MOST_WORDS, HALF_THE_WORDS):
        fitting = [p for p in passages if fits(p, words)]
        found = next((p for p in fitting if p.kind in FACTS), fitting[0] if fitting else None)
        if found:
            return found
    return next((p for p in passages if p.kind in FACTS), None)


def is_on_topic(passages: Sequence[RankedPassage] | None) -> bool:
    """Does any passage of the case fit the topic, at least loosely (half the words)?"""
    return any(fits(p, HALF_THE_WORDS) for p in passages or ())


def can_lead(passages: Sequence[RankedPassage] | None) -> bool:
    """Does a passage of the case fit the topic well enough to lead a talking point?"""
    return any(fits(p) for p in passages or ())


# Challenges that record harm, a legal fight or a breakdown, whatever the topic: a brief names
# them among the risks even when their words are not the topic's.
GRAVE = re.compile(
    r"\b(court|lawsuit|sued|unlawful|illegal|ruled|suspend|halt|scrapped|abandon|shut down|"
    r"withdr[ae]w|breach|leak|hack|cyberattack|fraud|corrupt|discriminat|bias|racial|"
    r"profil|surveil|privacy|exclu|harass|abuse|protest|backlash|displace|evict|arrest|"
    r"cut off|refused|denied)",
    re.IGNORECASE,
)


def is_grave(challenge: str) -> bool:
    return bool(GRAVE.search(challenge))


def best_challenge(
    record: CaseRecord, passages: Sequence[RankedPassage] | None
) -> tuple[str | None, bool]:
    """The challenge a brief quotes for a case, and whether it is a risk worth naming: the one
    that fits the topic, else the first grave one, else the one closest to the topic (the
    first recorded without a topic), which is quoted only for a failed or contested case."""
    ranked = [p for p in passages or () if p.kind == "challenge" and p.text in record.challenges]
    for passage in ranked:
        if fits(passage):
            return passage.text, True
    ordered = [p.text for p in ranked] or list(record.challenges)
    grave = next((c for c in ordered if is_grave(c)), None)
    if grave:
        return grave, True
    return (ordered[0] if ordered else None), False


def best_figure(
    record: CaseRecord, passages: Sequence[RankedPassage] | None, has_figure
) -> Outcome | None:  # noqa: ANN001 - has_figure: str -> bool
    """The outcome stating a number that fits the topic best, those with their own source
    first; in recorded order without a topic."""
    order = {p.text: n for n, p in enumerate(p for p in passages or () if p.kind == "outcome")}
    figured = [o for o in record.outcomes if o.figure is not None or has_figure(o.text)]
    figured.sort(key=lambda o: (o.source is None, order.get(o.text, len(order))))
    return figured[0] if figured else None
