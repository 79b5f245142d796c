"""The content rules of a brief: cases in (each with its passages ranked for the topic), a cited
Brief out. No database, no network, no model: the same input gives the same brief.

Every sentence is a passage or field of a cited case quoted as recorded, with a few fixed words
around it ("Key figure:", "Discontinued in 2023:"), or a count over the matching cases. Each
talking point leads with the passage of its case that best fits the topic (kb.brief.topic),
then where, since when and its status, then one number with its own source. The risk section
is computed over every matching case, not only the cited ones.

A brief is written in one language: the fixed words go through gettext (kb.i18n) under it, a
case's title and summary are its translation into that language where the record has one,
places are named in it (CLDR for countries, data/translations for cities), and whatever stays in
the record's language is marked so (kb.brief.model.quoted) and explained in the brief's notes.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from babel.lists import format_list

from kb import taxonomy
from kb.brief.model import (
    CHALLENGE_LABEL,
    Brief,
    Caution,
    Reach,
    Reference,
    TalkingPoint,
    cite,
    quoted,
    sentence,
)
from kb.brief.selection import CONTESTED_TAGS, MatchStats, is_cautionary, select_cases
from kb.brief.topic import best_challenge, best_figure, best_lead, can_lead, is_on_topic
from kb.errors import KbError
from kb.i18n import DEFAULT, _, country_name, current, language_name, ngettext, region_name, use
from kb.i18n.shown import city_label, country_label
from kb.records import CaseRecord, CaseView, RankedPassage, Translation
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
    language: str | None = None,
) -> Brief:
    """A brief citing up to `max_cases` of the matching cases (given best first), relevant and
    diverse, with counts and cautions over all of them. `chosen_by_hand`: the cases are ones a
    person named, not search results. `language`: the brief's (default: kb.i18n.current())."""
    with use(language or current()):
        return _build_brief(
            query=query,
            matching=matching,
            match_stats=match_stats,
            max_cases=max_cases,
            filters=filters,
            chosen_by_hand=chosen_by_hand,
        )


def _build_brief(
    *,
    query: str | None,
    matching: Sequence[Candidate],
    match_stats: MatchStats,
    max_cases: int,
    filters: Mapping[str, Any] | None,
    chosen_by_hand: bool,
) -> Brief:
    language = current()
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
        _caution(by_slug[slug].view, kind, label, challenge, refs_of[slug])
        for slug, (kind, label, challenge) in cautions.items()
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
        language=language,
        notes=_notes(
            [*chosen_views, *(by_slug[c.slug].view for c in caution_lines)],
            [*points, *caution_lines],
        ),
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
    translation = _translation(r)
    shown_lead = translation.summary if translation and lead_kind == "summary" else lead_text
    untranslated = ("figure",) + (() if translation else ("title",))
    untranslated += () if shown_lead != lead_text else ("lead",)
    return TalkingPoint(
        slug=r.slug,
        title=translation.title if translation else r.title,
        lead=shown_lead,
        lead_kind=lead_kind,
        context=_context(case.view),
        figure=None if lead_is_figure or outcome is None else outcome.text,
        figure_refs=_own_refs(outcome.source if outcome else None, url_number, refs),
        lead_refs=_own_refs(lead_outcome.source, url_number, ())
        if lead_outcome and lead_outcome.source
        else (),
        refs=refs,
        language=current(),
        source_language=_source_language(r),
        quoted=untranslated if _source_language(r) != current() else (),
    )


def _caution(
    view: CaseView, kind: str, label: str, challenge: str | None, refs: tuple[int, ...]
) -> Caution:
    r = view.record
    translation = _translation(r)
    untranslated = ("challenge",) + (() if translation else ("title",))
    return Caution(
        slug=r.slug,
        title=translation.title if translation else r.title,
        place=_place(view),
        label=label,
        challenge=challenge,
        refs=refs,
        kind=kind,
        language=current(),
        source_language=_source_language(r),
        quoted=untranslated if _source_language(r) != current() else (),
    )


# -- languages -------------------------------------------------------------------------------


def _source_language(record: CaseRecord) -> str:
    return record.language or DEFAULT


def _translation(record: CaseRecord) -> Translation | None:
    """The case's title and summary in the brief's language, when the record has them (and is
    not itself in that language)."""
    if _source_language(record) == current():
        return None
    found = record.translation(current())
    return found if found and found.title and found.summary else None


def _notes(views: Sequence[CaseView], parts: Sequence[TalkingPoint | Caution]) -> list[str]:
    """What a reader of a brief in another language than its cases' records should know: which
    passages are quoted in which language, and who translated the titles and summaries."""
    language = current()
    sources = sorted({p.source_language for p in parts if p.quoted})
    notes = []
    if sources:
        names = and_list([language_name(s, language) for s in sources])
        notes.append(
            _(
                "Case details quoted from the catalogue are in {languages}, as recorded; each is "
                "marked with the name of its language in brackets."
            ).format(languages=names)
        )
    records = {v.record.slug: v.record for v in views}.values()
    used = [t for r in records if (t := _translation(r))]
    unreviewed = [t for t in used if not t.reviewed]
    if used and not unreviewed:
        notes.append(_("Case titles and summaries are translations reviewed by a second person."))
    elif unreviewed and len(unreviewed) < len(used):
        notes.append(_("Some case titles and summaries are translations not yet reviewed."))
    elif unreviewed and all(_machine_assisted(t) for t in unreviewed):
        notes.append(_("Case titles and summaries are AI-assisted translations not yet reviewed."))
    elif unreviewed:
        notes.append(_("Case titles and summaries are translations not yet reviewed."))
    return notes


_MACHINE = re.compile(r"\b(AI|machine)\b", re.IGNORECASE)


def _machine_assisted(translation: Translation) -> bool:
    """Does the translator say the translation was made with AI or machine translation?"""
    return bool(_MACHINE.search(translation.translator))


def and_list(items: Sequence[str]) -> str:
    """'a, b and c' (in the brief's language)."""
    if current() == DEFAULT:
        return items[0] if len(items) == 1 else ", ".join(items[:-1]) + f" and {items[-1]}"
    return format_list(list(items), style="standard", locale=current())


def or_list(items: Sequence[str]) -> str:
    """'a or b or c' (in the brief's language)."""
    if current() == DEFAULT:
        return " or ".join(items)
    return format_list(list(items), style="or", locale=current())


def comma_list(items: Sequence[str]) -> str:
    """'Quito [3], Lima [4]' (in another language than English: its list pattern)."""
    if current() == DEFAULT:
        return ", ".join(items)
    return format_list(list(items), style="standard", locale=current())


def _own_refs(
    url: str | None, url_number: Mapping[str, int], fallback: tuple[int, ...]
) -> tuple[int, ...]:
    return (url_number[url],) if url and url in url_number else fallback


def _context(view: CaseView) -> str:
    r = view.record
    status = taxonomy.label("status", r.status).lower() if r.status else None
    return _("; ").join(x for x in (_place(view), _period(view), status) if x)


def _place(view: CaseView) -> str:
    return _("{city}, {country}").format(
        city=city_label(view.record.city),
        country=country_label(view.record.country, view.country_name),
    )


def _period(view: CaseView) -> str | None:
    r = view.record
    if r.start_year is None:
        return _("ended {year}").format(year=r.end_year) if r.end_year else None
    if r.end_year:
        if r.end_year == r.start_year:
            return str(r.end_year)
        return _("{start}–{end}").format(start=r.start_year, end=r.end_year)
    if r.status in ("discontinued", "completed"):
        return _("from {year}").format(year=r.start_year)
    return _("since {year}").format(year=r.start_year)


def _minute(points: Sequence[TalkingPoint]) -> list[str]:
    """Three sentences a panelist can say: the first points' leads, each ending with its own
    source (a number's, when the lead is not sourced itself: then the number is said)."""
    out = []
    for point in points[:MINUTE_SENTENCES]:
        if point.lead_refs:
            field, text, refs = "lead", point.lead, point.lead_refs
        elif point.figure and len(point.figure_refs) == 1:
            field, text, refs = "figure", point.figure, point.figure_refs
        else:
            field, text, refs = "lead", point.lead, point.refs
        said = sentence(text)[:-1]
        if field in point.quoted:
            said = quoted(said, point.source_language, point.language)
        out.append(
            _("{title}: {text} {refs}.").format(title=point.shown_title, text=said, refs=cite(refs))
        )
    return out


_NUMBER = re.compile(r"\d[\d,.]*")
_YEAR = re.compile(r"(19|20)\d\d")


def has_figure(text: str) -> bool:
    """Does the text state a quantity (a number that is not just a year)?"""
    return any(not _YEAR.fullmatch(n.rstrip(".,")) for n in _NUMBER.findall(text))


# -- the prose around the fields -------------------------------------------------------------


def describe_filters(filters: Mapping[str, Any]) -> str:
    """'theme Digital literacy and accessibility, in Africa, started in or after 2015'."""
    parts = []
    for key, vocabulary, words in (
        ("themes", "theme", _("theme {labels}")),
        ("inclusion", "inclusion", _("inclusion dimension {labels}")),
        ("safeguards", "safeguard", _("safeguard {labels}")),
        ("status", "status", _("status {labels}")),
        ("size", "city_size", _("city size {labels}")),
    ):
        if key in filters:
            labels = [taxonomy.label(vocabulary, c) for c in filters[key]]
            parts.append(words.format(labels=or_list(labels)))
    if "evidence" in filters:  # every value required
        labels = [taxonomy.label("evidence", c) for c in filters["evidence"]]
        joined = " and ".join(labels) if current() == DEFAULT else and_list(labels)
        parts.append(_("with {labels}").format(labels=joined))
    places = [_region(r) for r in filters.get("region", [])]
    places += [_country_code(c) for c in filters.get("country", [])]
    if places:
        parts.append(_("in {places}").format(places=or_list(places)))
    start, end = filters.get("year_from"), filters.get("year_to")
    if start is not None and end is not None:
        parts.append(_("started {start}–{end}").format(start=start, end=end))
    elif start is not None:
        parts.append(_("started in or after {year}").format(year=start))
    elif end is not None:
        parts.append(_("started in or before {year}").format(year=end))
    return _(", ").join(parts)


def _region(region: str) -> str:
    return region if current() == DEFAULT else region_name(region, current())


def _country_code(code: str) -> str:
    if current() != DEFAULT:
        return country_name(code, current())
    return countries()[code].name if code in countries() else code


def _title(query: str | None, filters: Mapping[str, Any], hand_picked: int | None) -> str:
    if query:
        return _("Talking points: {topic}").format(topic=query)
    if filters:
        return _("Talking points: {topic}").format(topic=describe_filters(filters))
    if hand_picked is not None:
        return ngettext(
            "Talking points: {n} selected initiative",
            "Talking points: {n} selected initiatives",
            hand_picked,
        ).format(n=hand_picked)
    return _("Talking points: the whole catalogue")


def _scope(stats: MatchStats) -> str:
    """'12 initiatives in 9 countries across 4 regions'."""
    return _("{initiatives} in {countries} across {regions}").format(
        initiatives=ngettext("{n} initiative", "{n} initiatives", stats.total).format(
            n=stats.total
        ),
        countries=ngettext("{n} country", "{n} countries", stats.countries).format(
            n=stats.countries
        ),
        regions=ngettext("{n} region", "{n} regions", stats.regions).format(n=stats.regions),
    )


def _overview(
    query: str | None,
    filters: Mapping[str, Any],
    stats: MatchStats,
    chosen: Sequence[CaseView],
    chosen_by_hand: bool,
) -> str:
    scope = _scope(stats)
    if chosen_by_hand:
        sentences = [
            _("This brief covers {scope}, chosen by hand from the catalogue.").format(scope=scope)
        ]
    else:
        what = [_('"{query}"').format(query=query)] if query else []
        if filters:
            described = describe_filters(filters)
            what.append(_("({filters})").format(filters=described) if query else described)
        topic = " ".join(what) if what else _("the whole catalogue")
        if query:
            said = ngettext(
                "{scope} in the catalogue has a passage on {topic}.",
                "{scope} in the catalogue have a passage on {topic}.",
                stats.total,
            )
        else:
            said = ngettext(
                "{scope} in the catalogue matches {topic}.",
                "{scope} in the catalogue match {topic}.",
                stats.total,
            )
        sentences = [said.format(scope=scope, topic=topic)]
    sentences.append(_failures(stats))
    if not chosen_by_hand and len(chosen) < stats.total:
        if any(is_cautionary(c) for c in chosen):
            why = ngettext(
                "The {n} below was chosen for how well it fits the topic and for a spread of"
                " regions, city sizes and statuses, with at least one discontinued or contested"
                " case.",
                "The {n} below were chosen for how well they fit the topic and for a spread of"
                " regions, city sizes and statuses, with at least one discontinued or contested"
                " case.",
                len(chosen),
            )
        else:
            why = ngettext(
                "The {n} below was chosen for how well it fits the topic and for a spread of"
                " regions, city sizes and statuses.",
                "The {n} below were chosen for how well they fit the topic and for a spread of"
                " regions, city sizes and statuses.",
                len(chosen),
            )
        sentences.append(why.format(n=len(chosen)))
    return " ".join(sentences)


def _discontinued(n: int) -> str:
    return ngettext("{n} was discontinued", "{n} were discontinued", n).format(n=n)


def _failures(stats: MatchStats) -> str:
    """'Of these, 2 were discontinued and 1 other is contested.'"""
    if stats.total == 1:
        if stats.discontinued:
            return _("The only matching initiative was discontinued.")
        if stats.contested:
            return _("The only matching initiative is contested.")
        return _("The only matching initiative is not recorded as discontinued or contested.")
    parts = []
    if stats.discontinued:
        parts.append(_discontinued(stats.discontinued))
    if stats.contested:
        n = stats.contested
        if parts:
            parts.append(ngettext("{n} other is contested", "{n} other are contested", n))
        else:
            parts.append(ngettext("{n} is contested", "{n} are contested", n))
        parts[-1] = parts[-1].format(n=n)
    if not parts:
        return _("Of these, none is recorded as discontinued or contested.")
    joined = " and ".join(parts) if current() == DEFAULT else and_list(parts)
    return _("Of these, {facts}.").format(facts=joined)


# -- risks -----------------------------------------------------------------------------------


def _cautious(matching: Sequence[Candidate]) -> dict[str, tuple[str, str, str | None]]:
    """slug -> (kind, label, challenge) for every matching case that was discontinued, is
    contested, or records a challenge on the topic or a grave one (kb.brief.topic):
    discontinued first, then contested, then the others, each group in the order given (best
    match first)."""
    groups: list[dict[str, tuple[str, str, str | None]]] = [{}, {}, {}]
    for case in matching:
        r = case.view.record
        challenge, on_topic = best_challenge(r, case.passages)
        if r.status == "discontinued":
            label = (
                _("Discontinued in {year}").format(year=r.end_year)
                if r.end_year
                else _("Discontinued")
            )
            groups[0][r.slug] = ("discontinued", label, challenge)
        elif CONTESTED_TAGS.intersection(r.tags):
            groups[1][r.slug] = ("contested", _("Contested"), challenge)
        elif on_topic:
            groups[2][r.slug] = ("challenge", _(CHALLENGE_LABEL), challenge)
    return {slug: value for group in groups for slug, value in group.items()}


def _caution_count(stats: MatchStats, cautions: Sequence[Caution], has_topic: bool) -> str:
    """The risk section's first line, true of the whole matching set: how many matching cases
    were discontinued, are contested, or record a challenge on the topic; or that none does."""
    among = (
        _("Among the only matching initiative")
        if stats.total == 1
        else ngettext(
            "Among the {n} matching initiative", "Among the {n} matching initiatives", stats.total
        ).format(n=stats.total)
    )
    challenged = sum(not c.is_failure for c in cautions)
    if not cautions:
        if has_topic:
            said = _(
                "{among}, none is recorded as discontinued or contested, and none records a"
                " challenge on this topic."
            )
        else:
            said = _("{among}, none is recorded as discontinued or contested.")
        return said.format(among=among)
    parts = []
    if stats.discontinued:
        parts.append(_discontinued(stats.discontinued))
    if stats.contested:
        n = stats.contested
        parts.append(ngettext("{n} is contested", "{n} are contested", n).format(n=n))
    if challenged:
        if parts and has_topic:
            said = ngettext(
                "{n} other records a challenge on this topic",
                "{n} others record a challenge on this topic",
                challenged,
            )
        elif parts:
            said = ngettext(
                "{n} other records a challenge", "{n} others record a challenge", challenged
            )
        elif has_topic:
            said = ngettext(
                "{n} records a challenge on this topic",
                "{n} record a challenge on this topic",
                challenged,
            )
        else:
            said = ngettext("{n} records a challenge", "{n} record a challenge", challenged)
        parts.append(said.format(n=challenged))
    return _("{among}, {facts}.").format(among=among, facts=and_list(parts))


def _safeguard_lines(
    chosen: Sequence[CaseView], refs_of: Mapping[str, tuple[int, ...]]
) -> list[str]:
    lines, absent = [], []
    for code in taxonomy.codes("safeguard"):
        having = [c.record for c in chosen if code in c.record.safeguards]
        if having:
            places = comma_list([f"{city_label(r.city)} {cite(refs_of[r.slug])}" for r in having])
            lines.append(
                _("Safeguard recorded, {safeguard}: {places}.").format(
                    safeguard=taxonomy.label("safeguard", code), places=places
                )
            )
        else:
            absent.append(taxonomy.label("safeguard", code))
    if absent:
        lines.append(
            _("No case in this brief records these safeguards: {safeguards}.").format(
                safeguards=comma_list(absent)
            )
        )
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
    city = {c.record.slug: city_label(c.record.city) for c in chosen}
    lines = [
        _("Reached, {dimension}: {places}.").format(
            dimension=taxonomy.label("inclusion", code),
            places=comma_list([f"{city[s]} {cite(refs_of[s])}" for s in slugs]),
        )
        for code, slugs in covered.items()
    ] or [_("No case in this brief records an inclusion dimension.")]
    for code in missing:
        if n := stats.inclusion.get(code, 0):
            said = ngettext(
                "Missing, {dimension}: no case in this brief, though {n} of the matching"
                " initiatives addresses it.",
                "Missing, {dimension}: no case in this brief, though {n} of the matching"
                " initiatives address it.",
                n,
            )
            lines.append(said.format(dimension=taxonomy.label("inclusion", code), n=n))
    if nowhere := [taxonomy.label("inclusion", c) for c in missing if not stats.inclusion.get(c)]:
        if stats.total > 1:
            said = ngettext(
                "Missing from all {n} matching initiative: {dimensions}.",
                "Missing from all {n} matching initiatives: {dimensions}.",
                stats.total,
            )
        else:
            said = _("Missing from the only matching initiative: {dimensions}.")
        lines.append(said.format(n=stats.total, dimensions=comma_list(nowhere)))
    return Reach(covered=covered, missing=missing, matching=dict(stats.inclusion), lines=lines)
