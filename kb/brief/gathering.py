"""Gathering a brief's input through the service: the cases matching the topic and filters,
each with its passages ranked for the topic, and only those with a passage that fits it
(kb.brief.topic); or the cases a person named. kb.brief.content turns them into a Brief."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kb.brief.content import Candidate, active_filters, build_brief, check_max_cases
from kb.brief.model import Brief
from kb.brief.selection import Match, count_matches
from kb.brief.topic import can_lead, is_on_topic
from kb.errors import EmptyBrief, KbError
from kb.i18n import current, use

if TYPE_CHECKING:
    from kb.service import KnowledgeBase


def make_brief(
    kb: KnowledgeBase,
    query: str | None,
    *,
    slugs: Sequence[str] | None,
    filters: Mapping[str, Any],
    max_cases: int,
    language: str | None = None,
) -> Brief:
    """A brief on the named cases, or on the cases matching the query and filters, written in
    `language` (default: the reader's, kb.i18n.current()). The topic is searched as given."""
    with use(language or current()):
        return _make_brief(kb, query, slugs=slugs, filters=filters, max_cases=max_cases)


def _make_brief(
    kb: KnowledgeBase,
    query: str | None,
    *,
    slugs: Sequence[str] | None,
    filters: Mapping[str, Any],
    max_cases: int,
) -> Brief:
    check_max_cases(max_cases)
    text = " ".join((query or "").split())
    if slugs:
        if active_filters(filters):
            raise KbError("Give a brief either cases or filters, not both.")
        views = [kb.get(slug) for slug in dict.fromkeys(slugs)]
        ranked = kb.passages([v.record.slug for v in views], text) if text else {}
        matching = [Candidate(v, _passages(ranked, v.record.slug, text)) for v in views]
        return _build(text, matching, {}, max_cases, chosen_by_hand=True)
    total = kb.search(text, **filters, limit=0).total
    found = kb.search(text, **filters, limit=total)
    if not found.total or found.nearest:  # cases merely close in meaning are not a topic
        raise EmptyBrief(text or None, found.suggestion)
    if not text:  # filters alone: every filtered case matches, each led by its summary
        views = kb.views(h.slug for h in found.hits)
        return _build(None, [Candidate(v) for v in views], filters, max_cases)
    topic = found.suggestion or text
    ranked = kb.passages([h.slug for h in found.hits], topic)
    fitting = [h.slug for h in found.hits if is_on_topic(ranked.get(h.slug))]
    if not any(can_lead(ranked[slug]) for slug in fitting):
        raise EmptyBrief(text, found.suggestion, searched=found.total)
    matching = [Candidate(v, tuple(ranked[v.record.slug])) for v in kb.views(fitting)]
    return _build(topic, matching, filters, max_cases)


def _passages(ranked: Mapping[str, Any], slug: str, text: str) -> tuple | None:
    return tuple(ranked.get(slug, ())) if text else None


def _build(
    query: str | None,
    matching: Sequence[Candidate],
    filters: Mapping[str, Any],
    max_cases: int,
    *,
    chosen_by_hand: bool = False,
) -> Brief:
    return build_brief(
        query=query,
        matching=matching,
        match_stats=count_matches(Match.of_view(c.view) for c in matching),
        max_cases=max_cases,
        filters=filters,
        chosen_by_hand=chosen_by_hand,
    )
