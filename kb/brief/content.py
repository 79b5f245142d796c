"""The content rules of a brief: cases in (each with its passages ranked for the topic), a cited
Brief out. No database, no network, no model: the same input gives the same brief.

Every sentence is a passage or field of a cited case quoted as recorded, with a few fixed words
around it ("Key figure:", "Discontinued in 2023:"), or a count over the matching cases. Each
talking point leads with the passage of its case that best fits the topic (kb.brief.topic),
then where, since when and its status, then one number with its own source. The risk section
is computed over every matching case, not only the cited ones.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kb import taxonomy
from kb.brief.model import (
    CHALLENGE_LABEL,
    Brief,
    Caution,
    Reach,
    Reference,
    TalkingPoint,
    cite,
    sentence,
)
from kb.brief.selection import CONTESTED_TAGS, MatchStats, is_cautionary, select_cases
from kb.brief.topic import best_challenge, best_figure, best_lead, can_lead, is_on_topic
from kb.errors import KbError
from kb.records import CaseView, RankedPassage
from kb.reference import countries

MIN_CASES, MAX_CASES = 3, 7  # talking points in a brief (fewer only when fewer cases match)
MINUTE_SENTENCES = 3
FILTER_KEYS = (
    "themes",
    "inclusion",
    "safeguards",
    "region",
    "country",
    "status",
    "size",
    "evidence",
    "year_from",
    "year_to",
)


@dataclass(frozen=True)
class Candidate:
    """A matching case and its passages ranked for the topic (None: no topic words)."""

    view: CaseView
    passages: tuple[RankedPassage, ...] | None = None

    @property
    def slug(self) -> str:
        return self.view.record.slug

    @property
    def can_lead(self) -> bool:
        """Has a passage on the topic to lead a talking point with (any case can, without a
        topic)."""
        return self.passages is None or can_lead(self.passages)


def build_brief(
    *,
    query: str | None,
    matching: Sequence[Candidate],
    match_stats: MatchStats,
    max_cases: int = 6,
    filters: Mapping[str, Any] | None = None,
    chosen_by_hand: bool = False,
) -> Brief:
    """A brief citing up to `max_cases` of the matching cases (given best first), relevant and
    diverse, with counts and cautions over all of them. `chosen_by_hand`: the cases are ones a
    person named, not search results."""
    check_max_cases(max_cases)
    query = (query or "").strip() or None
    filters = active_filters(filters or {})
    by_slug = {c.slug: c for c in matching}
    picked = select_cases([c.view for c in _leaders(matching)], max_cases=max_cases)
    chosen = [by_slug[v.record.slug] for v in picked]
    cautions = _cautious(matching)
    references, refs_of, url_number = _references(
        [*chosen, *(by_slug[s] for s in cautions if s not in {c.slug for c in chosen})],
        cited=len(chosen),
    )
    points = [_point(c, refs_of[c.slug], url_number) for c in chosen]
    caution_lines = [
        Caution(
            slug=slug,
            title=by_slug[slug].view.record.title,
            place=_place(by_slug[slug].view),
            label=label,
            challenge=challenge,
            refs=refs_of[slug],
        )
        for slug, (label, challenge) in cautions.items()
    ]
    chosen_views = [c.view for c in chosen]
    return Brief(
        title=_title(query, filters, len(chosen) if chosen_by_hand else None),
        minute=_minute(points),
        overview=_overview(query, filters, match_stats, chosen_views, chosen_by_hand),
        points=points,
        cautions=caution_lines,
        risks=[
            _caution_count(match_stats, caution_lines, query is not None),
            *(c.text() for c in caution_lines),
            *_safeguard_lines(chosen_views, refs_of),
        ],
        reach=_reach(chosen_views, match_stats, refs_of),
        references=references,
        cases=[c.slug for c in chosen],
        query=query,
        filters=filters,
        matching=[c.slug for c in matching],
    )


def _leaders(matching: Sequence[Candidate]) -> list[Candidate]:
    """The cases a talking point may be about, best fit first: those with a passage that fits
    the topic well; when fewer than MIN_CASES do, the best of those on the topic at all."""
    ordered = sorted(matching, key=_lead_order)
    strong = [c for c in ordered if c.can_lead]
    if len(strong) >= MIN_CASES:
        return strong
    loose = [c for c in ordered if not c.can_lead and is_on_topic(c.passages)]
    return strong + loose[: MIN_CASES - len(strong)]


def _lead_order(case: Candidate) -> float:
    """Cases whose best fact fits the topic best come first (stable: ties keep the order
    given, best match first)."""
    lead = best_lead(case.passages or ())
    return -lead.score if lead else 0.0


def check_max_cases(max_cases: int) -> None:
    if not MIN_CASES <= max_cases <= MAX_CASES:
        raise KbError(
            f"A brief cites {MIN_CASES} to {MAX_CASES} cases; {max_cases} were asked for. "
            f"Choose a number from {MIN_CASES} to {MAX_CASES}."
        )


def active_filters(filters: Mapping[str, Any]) -> dict[str, Any]:
    """The filters that are set, lists as lists, in a fixed order."""
    out: dict[str, Any] = {}
    for key in FILTER_KEYS:
        value = filters.get(key)
        if value is None or value == "" or value == ():
            continue
        if key.startswith("year_"):
            out[key] = int(value)
        else:
            values = [value] if isinstance(value, str) else list(value)
            if values:
                out[key] = values
    return out


# -- references and points -------------------------------------------------------------------


def _references(
    cases: Sequence[Candidate], cited: int = 0
) -> tuple[list[Reference], dict[str, tuple[int, ...]], dict[str, int]]:
    """Numbered in order of first citation; a URL two cases share gets one number. The first
    `cited` cases (the talking points) cite all their sources; a case named only among the
    risks cites one: its first independent source (news, evaluation, research), which is
    where challenges are reported, else its first."""
    by_url: dict[str, Reference] = {}
    refs_of: dict[str, tuple[int, ...]] = {}
    for n, case in enumerate(cases):
        sources = case.view.record.sources
        if n >= cited:
            independent = [s for s in sources if s.is_independent]
            sources = (independent or list(sources))[:1]
        numbers = []
        for s in sources:
            if s.url not in by_url:
                by_url[s.url] = Reference(len(by_url) + 1, s.url, s.title, s.publisher, s.year)
            numbers.append(by_url[s.url].number)
        refs_of[case.slug] = tuple(dict.fromkeys(numbers))
    return list(by_url.values()), refs_of, {url: r.number for url, r in by_url.items()}


def _point(case: Candidate, refs: tuple[int, ...], url_number: Mapping[str, int]) -> TalkingPoint:
    r = case.view.record
    lead = best_lead(case.passages or ())
    lead_kind, lead_text = (lead.kind, lead.text) if lead else ("summary", r.summary)
    if lead_kind == "summary":
        lead_text = r.summary  # the passage is "Title. Summary"; the title is printed apart
    outcome = best_figure(r, case.passages, has_figure)
    lead_is_figure = lead_kind == "outcome" and outcome is not None and outcome.text == lead_text
    lead_outcome = next((o for o in r.outcomes if o.text == lead_text), None)
    return TalkingPoint(
        slug=r.slug,
        title=r.title,
        lead=lead_text,
        lead_kind=lead_kind,
        context=_context(case.view),
        figure=None if lead_is_figure or outcome is None else outcome.text,
        figure_refs=_own_refs(outcome.source if outcome else None, url_number, refs),
        lead_refs=_own_refs(lead_outcome.source, url_number, ())
        if lead_outcome and lead_outcome.source
        else (),
        refs=refs,
    )


def _own_refs(
    url: str | None, url_number: Mapping[str, int], fallback: tuple[int, ...]
) -> tuple[int, ...]:
    return (url_number[url],) if url and url in url_number else fallback


def _context(view: CaseView) -> str:
    r = view.record
    status = taxonomy.label("status", r.status).lower() if r.status else None
    return "; ".join(x for x in (_place(view), _period(view), status) if x)


def _place(view: CaseView) -> str:
    return f"{view.record.city}, {view.country_name}"


def _period(view: CaseView) -> str | None:
    r = view.record
    if r.start_year is None:
        return f"ended {r.end_year}" if r.end_year else None
    if r.end_year:
        return f"{r.start_year}–{r.end_year}" if r.end_year != r.start_year else str(r.end_year)
    return (
        f"from {r.start_year}"
        if r.status in ("discontinued", "completed")
        else f"since {r.start_year}"
    )


def _minute(points: Sequence[TalkingPoint]) -> list[str]:
    """Three sentences a panelist can say: the first points' leads, each ending with its own
    source (a number's, when the lead is not sourced itself: then the number is said)."""
    out = []
    for point in points[:MINUTE_SENTENCES]:
        if point.lead_refs:
            text, refs = point.lead, point.lead_refs
        elif point.figure and len(point.figure_refs) == 1:
            text, refs = point.figure, point.figure_refs
        else:
            text, refs = point.lead, point.refs
        out.append(f"{point.title}: {sentence(text)[:-1]} {cite(refs)}.")
    return out


_NUMBER = re.compile(r"\d[\d,.]*")
_YEAR = re.compile(r"(19|20)\d\d")


def has_figure(text: str) -> bool:
    """Does the text state a quantity (a number that is not just a year)?"""
    return any(not _YEAR.fullmatch(n.rstrip(".,")) for n in _NUMBER.findall(text))


def _count(n: int, noun: str, plural: str | None = None) -> str:
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


# -- the prose around the fields -------------------------------------------------------------


def describe_filters(filters: Mapping[str, Any]) -> str:
    """'theme Digital literacy and accessibility, in Africa, started in or after 2015'."""
    parts = []
    for key, vocabulary, noun in (
        ("themes", "theme", "theme"),
        ("inclusion", "inclusion", "inclusion dimension"),
        ("safeguards", "safeguard", "safeguard"),
        ("status", "status", "status"),
        ("size", "city_size", "city size"),
    ):
        if key in filters:
            labels = [taxonomy.label(vocabulary, c) for c in filters[key]]
            parts.append(f"{noun} {' or '.join(labels)}")
    if "evidence" in filters:  # every value required
        labels = [taxonomy.label("evidence", c) for c in filters["evidence"]]
        parts.append(f"with {' and '.join(labels)}")
    places = list(filters.get("region", []))
    places += [countries()[c].name if c in countries() else c for c in filters.get("country", [])]
    if places:
        parts.append(f"in {' or '.join(places)}")
    start, end = filters.get("year_from"), filters.get("year_to")
    if start is not None and end is not None:
        parts.append(f"started {start}–{end}")
    elif start is not None or end is not None:
        parts.append(f"started in or {'after' if end is None else 'before'} {start or end}")
    return ", ".join(parts)


def _title(query: str | None, filters: Mapping[str, Any], hand_picked: int | None) -> str:
    if query:
        return f"Talking points: {query}"
    if filters:
        return f"Talking points: {describe_filters(filters)}"
    if hand_picked is not None:
        return f"Talking points: {_count(hand_picked, 'selected initiative')}"
    return "Talking points: the whole catalogue"


def _overview(
    query: str | None,
    filters: Mapping[str, Any],
    stats: MatchStats,
    chosen: Sequence[CaseView],
    chosen_by_hand: bool,
) -> str:
    scope = (
        f"{_count(stats.total, 'initiative')} in {_count(stats.countries, 'country', 'countries')}"
        f" across {_count(stats.regions, 'region')}"
    )
    if chosen_by_hand:
        sentences = [f"This brief covers {scope}, chosen by hand from the catalogue."]
    else:
        what = [f'"{query}"'] if query else []
        if filters:
            what.append(f"({describe_filters(filters)})" if query else describe_filters(filters))
        topic = f" {' '.join(what)}" if what else " the whole catalogue"
        if query:
            verb = "has a passage on" if stats.total == 1 else "have a passage on"
            sentences = [f"{scope} in the catalogue {verb}{topic}."]
        else:
            verb = "matches" if stats.total == 1 else "match"
            sentences = [f"{scope} in the catalogue {verb}{topic}."]
    sentences.append(_failures(stats, "Of these"))
    if not chosen_by_hand and len(chosen) < stats.total:
        caution = (
            ", with at least one discontinued or contested case"
            if any(is_cautionary(c) for c in chosen)
            else ""
        )
        sentences.append(
            f"The {len(chosen)} below were chosen for how well they fit the topic and for a"
            f" spread of regions, city sizes and statuses{caution}."
        )
    return " ".join(sentences)


def _failures(stats: MatchStats, among: str) -> str:
    """'Of these, 2 were discontinued and 1 other is contested.'"""
    if stats.total == 1:
        state = "was discontinued" if stats.discontinued else "is contested"
        if not (stats.discontinued or stats.contested):
            state = "is not recorded as discontinued or contested"
        return f"The only matching initiative {state}."
    parts = []
    if stats.discontinued:
        verb = "was" if stats.discontinued == 1 else "were"
        parts.append(f"{stats.discontinued} {verb} discontinued")
    if stats.contested:
        verb = "is" if stats.contested == 1 else "are"
        parts.append(f"{stats.contested} {'other ' if parts else ''}{verb} contested")
    if not parts:
        return f"{among}, none is recorded as discontinued or contested."
    return f"{among}, {' and '.join(parts)}."


# -- risks -----------------------------------------------------------------------------------


def _cautious(matching: Sequence[Candidate]) -> dict[str, tuple[str, str | None]]:
    """slug -> (label, challenge) for every matching case that was discontinued, is contested,
    or records a challenge on the topic or a grave one (kb.brief.topic): discontinued first,
    then contested, then the others, each group in the order given (best match first)."""
    groups: list[dict[str, tuple[str, str | None]]] = [{}, {}, {}]
    for case in matching:
        r = case.view.record
        challenge, on_topic = best_challenge(r, case.passages)
        if r.status == "discontinued":
            label = f"Discontinued in {r.end_year}" if r.end_year else "Discontinued"
            groups[0][r.slug] = (label, challenge)
        elif CONTESTED_TAGS.intersection(r.tags):
            groups[1][r.slug] = ("Contested", challenge)
        elif on_topic:
            groups[2][r.slug] = (CHALLENGE_LABEL, challenge)
    return {slug: value for group in groups for slug, value in group.items()}


def _caution_count(stats: MatchStats, cautions: Sequence[Caution], has_topic: bool) -> str:
    """The risk section's first line, true of the whole matching set: how many matching cases
    were discontinued, are contested, or record a challenge on the topic; or that none does."""
    among = (
        "the only matching initiative"
        if stats.total == 1
        else f"the {stats.total} matching initiatives"
    )
    challenged = sum(not c.is_failure for c in cautions)
    on_topic = " on this topic" if has_topic else ""
    if not cautions:
        none = f"Among {among}, none is recorded as discontinued or contested"
        return f"{none}, and none records a challenge{on_topic}." if has_topic else f"{none}."
    parts = []
    if stats.discontinued:
        verb = "was" if stats.discontinued == 1 else "were"
        parts.append(f"{stats.discontinued} {verb} discontinued")
    if stats.contested:
        parts.append(f"{stats.contested} {'is' if stats.contested == 1 else 'are'} contested")
    if challenged:
        verb = "records" if challenged == 1 else "record"
        others = ("other " if challenged == 1 else "others ") if parts else ""
        parts.append(f"{challenged} {others}{verb} a challenge{on_topic}")
    joined = parts[0] if len(parts) == 1 else ", ".join(parts[:-1]) + f" and {parts[-1]}"
    return f"Among {among}, {joined}."


def _safeguard_lines(
    chosen: Sequence[CaseView], refs_of: Mapping[str, tuple[int, ...]]
) -> list[str]:
    lines, absent = [], []
    for code in taxonomy.codes("safeguard"):
        having = [c.record for c in chosen if code in c.record.safeguards]
        if having:
            places = ", ".join(f"{r.city} {cite(refs_of[r.slug])}" for r in having)
            lines.append(f"Safeguard recorded, {taxonomy.label('safeguard', code)}: {places}.")
        else:
            absent.append(taxonomy.label("safeguard", code))
    if absent:
        lines.append(f"No case in this brief records these safeguards: {', '.join(absent)}.")
    return lines


# -- reach -----------------------------------------------------------------------------------


def _reach(
    chosen: Sequence[CaseView], stats: MatchStats, refs_of: Mapping[str, tuple[int, ...]]
) -> Reach:
    covered = {
        code: [c.record.slug for c in chosen if code in c.record.inclusion]
        for code in taxonomy.codes("inclusion")
    }
    covered = {code: slugs for code, slugs in covered.items() if slugs}
    missing = [code for code in taxonomy.codes("inclusion") if code not in covered]
    city = {c.record.slug: c.record.city for c in chosen}
    lines = [
        f"Reached, {taxonomy.label('inclusion', code)}: "
        + ", ".join(f"{city[s]} {cite(refs_of[s])}" for s in slugs)
        + "."
        for code, slugs in covered.items()
    ] or ["No case in this brief records an inclusion dimension."]
    for code in missing:
        if n := stats.inclusion.get(code, 0):
            verb = "addresses" if n == 1 else "address"
            label = taxonomy.label("inclusion", code)
            lines.append(
                f"Missing, {label}: no case in this brief, though {n} of the matching"
                f" initiatives {verb} it."
            )
    if nowhere := [taxonomy.label("inclusion", c) for c in missing if not stats.inclusion.get(c)]:
        every = (
            f"all {stats.total} matching initiatives"
            if stats.total > 1
            else "the only matching initiative"
        )
        lines.append(f"Missing from {every}: {', '.join(nowhere)}.")
    return Reach(covered=covered, missing=missing, matching=dict(stats.inclusion), lines=lines)
