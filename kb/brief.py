"""Talking-points briefs: cases in, a cited Brief out. No database, no network, no model.

Every sentence is a template around catalogue fields of a cited case, quoted as recorded, or a
count over the matching cases; the same input gives the same brief. `KnowledgeBase.brief()`
gathers the input; `kb.brief_render` turns a Brief into Markdown, Word or PDF.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from kb import taxonomy
from kb.brief_selection import MatchStats, is_cautionary, select_cases
from kb.errors import KbError
from kb.records import CaseView
from kb.reference import countries

MIN_CASES, MAX_CASES = 3, 7  # talking points in a brief (fewer only when fewer cases match)
CANDIDATES = 60  # the service's first search page; it reads every match only when there are more
# Word starts that file a recorded challenge under a risk heading.
RISK_TOPICS = (
    (
        "Privacy",
        ("privacy", "personal data", "data protection", "consent", "surveillance", "biometric"),
    ),
    (
        "Security",
        ("security", "insecure", "vulnerab", "breach", "hack", "cyber", "fraud", "leak", "theft"),
    ),
    (
        "Bias and discrimination",
        ("bias", "discriminat", "racial", "racis", "disproportion", "false positive", "profil"),
    ),
)
RISK_QUOTES_PER_CASE = 2
POINTS, RISKS, REACH, REFERENCES = (
    "Talking points",
    "Risks and safeguards",
    "Who is reached, who is missing",
    "References",
)
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


# -- the brief -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reference:
    number: int
    url: str
    title: str
    publisher: str | None = None
    year: int | None = None

    def text(self) -> str:
        """Title. Publisher, year. (without the URL)"""
        by = ", ".join(str(p) for p in (self.publisher, self.year) if p)
        return _sentence(self.title) + (f" {_sentence(by)}" if by else "")


@dataclass(frozen=True)
class TalkingPoint:
    """One case: what, where, since when, a result (with its figure when recorded), a lesson."""

    slug: str
    title: str
    context: str  # "Kyiv, Ukraine; since 2020; active"
    what: str
    result: str | None
    lesson: str | None
    refs: tuple[int, ...]

    @property
    def citation(self) -> str:
        return "".join(f"[{n}]" for n in self.refs)

    @property
    def body(self) -> str:
        parts = [_sentence(self.what)]
        if self.result:
            parts.append(f"Result: {_sentence(self.result)}")
        if self.lesson:
            parts.append(f"Lesson: {_sentence(self.lesson)}")
        return " ".join([*parts, self.citation])

    def text(self) -> str:
        return f"{self.title} ({self.context}). {self.body}"


@dataclass(frozen=True)
class Reach:
    """Inclusion dimensions the cited cases address, and those none of them does (the gap)."""

    covered: dict[str, list[str]]  # dimension code -> slugs of cited cases addressing it
    missing: list[str]  # dimension codes no cited case addresses
    matching: dict[str, int]  # dimension code -> matching cases addressing it
    lines: list[str]  # the section as sentences


@dataclass(frozen=True)
class Brief:
    title: str
    overview: str
    points: list[TalkingPoint]
    risks: list[str]
    reach: Reach
    references: list[Reference]
    cases: list[str]
    query: str | None
    filters: dict[str, Any]

    def to_dict(self) -> dict[str, Any]:
        """Every field, plus each point's and reference's text as printed."""
        out = dataclasses.asdict(self)
        for point, data in zip(self.points, out["points"], strict=True):
            data["text"] = point.text()
        for ref, data in zip(self.references, out["references"], strict=True):
            data["text"] = ref.text()
        return out

    def bullet_sections(self) -> list[tuple[str, list[str]]]:
        """The sections printed as bullet points, with their headings."""
        return [(RISKS, self.risks), (REACH, self.reach.lines)]

    def to_markdown(self) -> str:
        lines = [f"# {self.title}", "", self.overview, "", f"## {POINTS}", ""]
        lines += [
            f"{n}. **{p.title}** ({p.context}). {p.body}" for n, p in enumerate(self.points, 1)
        ]
        for heading, items in self.bullet_sections():
            lines += ["", f"## {heading}", ""] + [f"- {item}" for item in items]
        lines += ["", f"## {REFERENCES}", ""]
        lines += [f"{r.number}. {r.text()} <{r.url}>" for r in self.references]
        return "\n".join(lines) + "\n"


def build_brief(
    *,
    query: str | None,
    candidates: Sequence[CaseView],
    match_stats: MatchStats,
    max_cases: int = 6,
    filters: Mapping[str, Any] | None = None,
    chosen_by_hand: bool = False,
    partial: bool = False,
) -> Brief:
    """A brief on up to `max_cases` of the candidates (best match first), with counts over all
    matches. `chosen_by_hand`: the candidates are cases a person named, not search results.
    `partial`: too few cases match every word of the query, so the matches are cases matching
    some of them (the overview says so)."""
    check_max_cases(max_cases)
    query = (query or "").strip() or None
    filters = active_filters(filters or {})
    chosen = select_cases(candidates, max_cases=max_cases)
    references, cite = _references(chosen)
    return Brief(
        title=_title(query, filters, len(chosen) if chosen_by_hand else None),
        overview=_overview(query, filters, match_stats, chosen, chosen_by_hand, partial),
        points=[_point(view, cite[view.record.slug]) for view in chosen],
        risks=_risks(chosen, match_stats, cite),
        reach=_reach(chosen, match_stats, cite),
        references=references,
        cases=[view.record.slug for view in chosen],
        query=query,
        filters=filters,
    )


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


def _references(chosen: Sequence[CaseView]) -> tuple[list[Reference], dict[str, tuple[int, ...]]]:
    """Numbered in order of first citation; a URL two cases share gets one number."""
    by_url: dict[str, Reference] = {}
    cite: dict[str, tuple[int, ...]] = {}
    for view in chosen:
        numbers = []
        for s in view.record.sources:
            if s.url not in by_url:
                by_url[s.url] = Reference(len(by_url) + 1, s.url, s.title, s.publisher, s.year)
            numbers.append(by_url[s.url].number)
        cite[view.record.slug] = tuple(dict.fromkeys(numbers))
    return list(by_url.values()), cite


def _point(view: CaseView, refs: tuple[int, ...]) -> TalkingPoint:
    r = view.record
    status = taxonomy.label("status", r.status).lower() if r.status else None
    context = "; ".join(x for x in (f"{r.city}, {view.country_name}", _period(view), status) if x)
    return TalkingPoint(
        slug=r.slug,
        title=r.title,
        context=context,
        what=r.summary,
        result=next(
            (o for o in r.outcome_texts if has_figure(o)),
            r.outcome_texts[0] if r.outcomes else None,
        ),
        lesson=r.lessons[0] if r.lessons else None,
        refs=refs,
    )


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


_NUMBER = re.compile(r"\d[\d,.]*")
_YEAR = re.compile(r"(19|20)\d\d")


def has_figure(text: str) -> bool:
    """Does the text state a quantity (a number that is not just a year)?"""
    return any(not _YEAR.fullmatch(n.rstrip(".,")) for n in _NUMBER.findall(text))


def _sentence(text: str) -> str:
    text = text.strip()
    return text if text.endswith((".", "!", "?", "…", '."', ".'", ".)")) else text + "."


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
    partial: bool = False,
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
        verb = "matches" if stats.total == 1 else "match"
        if partial and query:
            sentences = [
                f"Fewer than {MIN_CASES} cases in the catalogue match every word of"
                f" {topic.strip()}; {scope} match some of them."
            ]
        else:
            sentences = [f"{scope} in the catalogue {verb}{topic}."]
    sentences.append(_caution_count(stats, "Of these"))
    if not chosen_by_hand and len(chosen) < stats.total:
        caution = (
            ", with at least one discontinued or contested case"
            if any(is_cautionary(c) for c in chosen)
            else ""
        )
        sentences.append(
            f"The {len(chosen)} below were chosen for relevance and for a spread of regions,"
            f" city sizes and statuses{caution}."
        )
    return " ".join(sentences)


def _risks(
    chosen: Sequence[CaseView], stats: MatchStats, cite: Mapping[str, tuple[int, ...]]
) -> list[str]:
    """The caution count, then challenges of the cited cases quoted under what they show:
    discontinued or contested first, then privacy, security, bias; then the safeguards."""
    quoted: dict[str, list[str]] = {c.record.slug: [] for c in chosen}
    lines = []
    for r in (c.record for c in chosen if is_cautionary(c)):
        label = "Contested"
        if r.status == "discontinued":
            label = f"Discontinued in {r.end_year}" if r.end_year else "Discontinued"
        quote = f" {_sentence(r.challenges[0])}" if r.challenges else ""
        quoted[r.slug] += r.challenges[:1]
        lines.append(f"{label}: {r.title} ({r.city}).{quote} {_cite(cite, r.slug)}")
    for topic, words in RISK_TOPICS:
        pattern = re.compile(r"\b(" + "|".join(map(re.escape, words)) + ")", re.IGNORECASE)
        for r in (c.record for c in chosen):
            for challenge in r.challenges:
                room = len(quoted[r.slug]) < RISK_QUOTES_PER_CASE
                if room and challenge not in quoted[r.slug] and pattern.search(challenge):
                    quoted[r.slug].append(challenge)
                    lines.append(_quote(topic, challenge, r.city, _cite(cite, r.slug)))
    if not lines:  # nothing cautionary or risk-related: say what the cases record as hard
        for r in (c.record for c in chosen if c.record.challenges):
            lines.append(_quote("Challenge", r.challenges[0], r.city, _cite(cite, r.slug)))
    among = f"Among {_the_matches(stats.total)}"
    return [_caution_count(stats, among), *lines, *_safeguard_lines(chosen, cite)]


def _quote(topic: str, challenge: str, city: str, citation: str) -> str:
    return f"{topic} ({city}): {_sentence(challenge)} {citation}"


def _caution_count(stats: MatchStats, among: str) -> str:
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


def _the_matches(total: int) -> str:
    return "the only matching initiative" if total == 1 else f"the {total} matching initiatives"


def _safeguard_lines(chosen: Sequence[CaseView], cite: Mapping[str, tuple[int, ...]]) -> list[str]:
    lines, absent = [], []
    for code in taxonomy.codes("safeguard"):
        having = [c.record for c in chosen if code in c.record.safeguards]
        if having:
            places = ", ".join(f"{r.city} {_cite(cite, r.slug)}" for r in having)
            lines.append(f"Safeguard recorded, {taxonomy.label('safeguard', code)}: {places}.")
        else:
            absent.append(taxonomy.label("safeguard", code))
    if absent:
        lines.append(f"No case in this brief records these safeguards: {', '.join(absent)}.")
    return lines


def _reach(
    chosen: Sequence[CaseView], stats: MatchStats, cite: Mapping[str, tuple[int, ...]]
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
        + ", ".join(f"{city[s]} {_cite(cite, s)}" for s in slugs)
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
        every = f"all {stats.total} matching initiatives" if stats.total > 1 else _the_matches(1)
        lines.append(f"Missing from {every}: {', '.join(nowhere)}.")
    return Reach(covered=covered, missing=missing, matching=dict(stats.inclusion), lines=lines)


def _cite(cite: Mapping[str, tuple[int, ...]], slug: str) -> str:
    return "".join(f"[{n}]" for n in cite[slug])
