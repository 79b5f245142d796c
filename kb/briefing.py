"""Gathering a brief's input through the service: the matching cases (whole topic first), the
counts over all of them, and the candidates to choose from. kb.brief turns them into a Brief."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from kb import brief as briefs
from kb.brief_selection import Match, candidate_slugs, count_matches
from kb.errors import EmptyBrief, KbError

if TYPE_CHECKING:
    from kb.service import KnowledgeBase


def make_brief(
    kb: KnowledgeBase,
    query: str | None,
    *,
    slugs: Sequence[str] | None,
    filters: Mapping[str, Any],
    max_cases: int,
) -> briefs.Brief:
    """A brief on the named cases, or on the cases matching the query and filters."""
    briefs.check_max_cases(max_cases)
    if slugs:
        if briefs.active_filters(filters):
            raise KbError("Give a brief either cases or filters, not both.")
        views = [kb.get(slug) for slug in dict.fromkeys(slugs)]
        return briefs.build_brief(
            query=query,
            candidates=views,
            match_stats=count_matches(Match.of_view(v) for v in views),
            max_cases=max_cases,
            chosen_by_hand=True,
        )
    text = (query or "").strip()
    # cases matching the whole topic (every word or its synonyms), unless too few do
    found = kb.search(text, **filters, limit=briefs.CANDIDATES, match="all")
    match = "all" if found.total >= briefs.MIN_CASES else "any"
    if match == "any":
        found = kb.search(text, **filters, limit=briefs.CANDIDATES)
    if not found.total:
        raise EmptyBrief(text or None, found.suggestion)
    if found.total > len(found.hits):  # the counts cover every match, not only the best
        found = kb.search(text, **filters, limit=found.total, match=match)
    stored = kb.index.stored(h.slug for h in found.hits)
    matches = [Match.of_stored(stored[h.slug]) for h in found.hits if h.slug in stored]
    return briefs.build_brief(
        query=found.suggestion or text,
        candidates=[kb.get(slug) for slug in candidate_slugs(matches, max_cases=max_cases)],
        match_stats=count_matches(matches),
        max_cases=max_cases,
        filters=filters,
        partial=match == "any" and len(text.split()) > 1,
    )
