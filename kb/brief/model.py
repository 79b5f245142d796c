"""The shapes of a brief: plain frozen values that every renderer (Markdown, Word, PDF, slides)
prints the same way. Each text field is catalogue text quoted as recorded, or a sentence around
it built in kb.brief.content; nothing here adds words but the fixed ones ("Key figure:").

A brief is written in one language (`Brief.language`, one of kb.i18n.LANGUAGES): its fixed
words go through gettext under that language, whatever language the reader of the moment has
chosen. The headings below are English constants marked for extraction (N_); renderers translate
them with `heading()`. Catalogue text that is not translated into the brief's language (a case's
description, outcomes, lessons, challenges; a title with no translation) is quoted as recorded
and marked with the name of its language (`quoted`): "Lesson text. (English)".
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from kb.i18n import N_, _, is_rtl, language_name, use

MINUTE, POINTS, RISKS, REACH, REFERENCES = (
    N_("The one-minute version"),
    N_("Talking points"),
    N_("Risks and safeguards"),
    N_("Who is reached, who is missing"),
    N_("References"),
)
LRM, RLM = "\u200e", "\u200f"


def heading(text: str, language: str) -> str:
    """A heading constant (MINUTE, POINTS, ...) in the brief's language."""
    with use(language):
        return _(text)


def quoted(text: str, source: str | None, language: str) -> str:
    """A passage in the `source` language inside a brief in `language`: as it is when the two
    agree, else followed by the name of its language, "(English)", in the brief's language.
    Where the two run in different directions a direction mark keeps the passage's own
    punctuation with it (an English sentence's full stop stays at its end in an Arabic brief)."""
    if not source or source == language:
        return text
    if is_rtl(source) != is_rtl(language):
        text += RLM if is_rtl(source) else LRM
    with use(language):
        return _("{passage} ({language})").format(
            passage=text, language=language_name(source, language)
        )


def cite(numbers: tuple[int, ...] | list[int]) -> str:
    """'[1–3, 5]': reference numbers, consecutive runs joined (empty for none)."""
    runs: list[list[int]] = []
    for n in sorted(set(numbers)):
        if runs and n == runs[-1][-1] + 1:
            runs[-1].append(n)
        else:
            runs.append([n])
    parts = [f"{r[0]}–{r[-1]}" if len(r) > 2 else ", ".join(map(str, r)) for r in runs]
    return f"[{', '.join(parts)}]" if parts else ""


def sentence(text: str) -> str:
    """The text with a full stop at the end unless it already ends a sentence."""
    text = " ".join(text.split())
    ends = (".", "!", "?", "…", '."', ".'", ".)", ".”", "。", "！", "？", "؟", "」", "』")
    return text if text.endswith(ends) else text + "."


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
        return sentence(self.title) + (f" {sentence(by)}" if by else "")


@dataclass(frozen=True)
class TalkingPoint:
    """One case: the passage that best fits the topic, then where, since when and its status,
    then one number with its source. `refs` are all the case's sources."""

    slug: str
    title: str
    lead: str  # a passage of the case, as recorded
    lead_kind: str  # summary, description, outcome, lesson or challenge
    context: str  # "Bogotá, Colombia; since 2022; active"
    figure: str | None  # an outcome stating a number, unless the lead is that outcome
    figure_refs: tuple[int, ...]  # the number's own source (or the case's, when it has none)
    lead_refs: tuple[int, ...]  # the lead's own source, when the lead is a sourced outcome
    refs: tuple[int, ...]
    language: str = "en"  # the brief's
    source_language: str = "en"  # the case's record
    quoted: tuple[str, ...] = ()  # of title, lead, figure: those left in the record's language

    @property
    def citation(self) -> str:
        return cite(self.refs)

    def _quote(self, field: str, text: str) -> str:
        if field not in self.quoted:
            return text
        return quoted(text, self.source_language, self.language)

    @property
    def headline(self) -> str:
        """The lead, as one sentence (a lesson or challenge says so), with its own source when
        it has one."""
        own = f" {cite(self.lead_refs)}" if self.lead_refs else ""
        with use(self.language):
            lead = self._quote("lead", sentence(self.lead))
            label = LEAD_LABELS.get(self.lead_kind)
            return (_(label).format(text=lead) if label else lead) + own

    @property
    def shown_title(self) -> str:
        """The title, marked when it is left in the record's language."""
        return self._quote("title", self.title)

    def place_line(self, end: bool = True) -> str:
        """'Title (City, Country; since 2020; active).' (without the full stop: `end=False`)."""
        with use(self.language):
            line = _("{title} ({context}).") if end else _("{title} ({context})")
            return line.format(title=self.shown_title, context=self.context)

    def figure_line(self) -> str | None:
        """'Key figure: 40% of riders [3].', or None."""
        if not self.figure:
            return None
        with use(self.language):
            figure = self._quote("figure", self.figure.strip().rstrip("."))
            return _("Key figure: {figure} {refs}.").format(
                figure=figure, refs=cite(self.figure_refs)
            )

    def sources_line(self, end: bool = True) -> str:
        """'Sources: [1, 2].' (without the full stop: `end=False`)."""
        with use(self.language):
            line = _("Sources: {refs}.") if end else _("Sources: {refs}")
            return line.format(refs=self.citation)

    @property
    def detail(self) -> str:
        """What follows the headline: the case and its context, the number, the sources."""
        parts = [self.place_line(), self.figure_line(), self.sources_line()]
        return " ".join(p for p in parts if p)

    def text(self) -> str:
        return f"{self.headline} {self.detail}"


@dataclass(frozen=True)
class Caution:
    """A matching case that shows what can go wrong: discontinued, contested, or recording a
    challenge on the topic; with the challenge quoted and the case's sources."""

    slug: str
    title: str
    place: str
    label: str  # "Discontinued in 2023", "Contested" or "Recorded challenge" (translated)
    challenge: str | None
    refs: tuple[int, ...]
    kind: str = ""  # discontinued, contested or challenge
    language: str = "en"  # the brief's
    source_language: str = "en"  # the case's record
    quoted: tuple[str, ...] = ()  # of title, challenge: those left in the record's language

    @property
    def is_failure(self) -> bool:
        """Discontinued or contested, not only a challenge recorded."""
        if self.kind:
            return self.kind != "challenge"
        return self.label != CHALLENGE_LABEL

    def _quote(self, field: str, text: str) -> str:
        if field not in self.quoted:
            return text
        return quoted(text, self.source_language, self.language)

    def text(self) -> str:
        with use(self.language):
            quote = self._quote("challenge", sentence(self.challenge)) if self.challenge else ""
            named = _("{label}: {title} ({place}).").format(
                label=self.label, title=self._quote("title", self.title), place=self.place
            )
        return f"{named}{' ' + quote if quote else ''} {cite(self.refs)}"


CHALLENGE_LABEL = N_("Recorded challenge")
LEAD_LABELS = {"lesson": N_("Lesson: {text}"), "challenge": N_("Challenge: {text}")}


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
    minute: list[str]  # the one-minute version: up to three sentences, each with its reference
    overview: str
    points: list[TalkingPoint]
    cautions: list[Caution]
    risks: list[str]  # the risk section as printed: the count, each caution, the safeguards
    reach: Reach
    references: list[Reference]
    cases: list[str]
    query: str | None
    filters: dict[str, Any]
    matching: list[str] = dataclasses.field(default_factory=list)  # every matching case
    language: str = "en"  # the language of its fixed words and of the translated case texts
    notes: list[str] = dataclasses.field(default_factory=list)  # what is left in which language

    def to_dict(self) -> dict[str, Any]:
        """Every field, plus each point's and reference's text as printed."""
        out = dataclasses.asdict(self)
        for point, data in zip(self.points, out["points"], strict=True):
            data["text"] = point.text()
        for ref, data in zip(self.references, out["references"], strict=True):
            data["text"] = ref.text()
        return out

    def bullet_sections(self) -> list[tuple[str, list[str]]]:
        """The sections printed as bullet points, with their headings (in the brief's
        language)."""
        return [
            (heading(RISKS, self.language), self.risks),
            (heading(REACH, self.language), self.reach.lines),
        ]

    @property
    def direction(self) -> str:
        """'rtl' for a brief in Arabic, else 'ltr'."""
        return "rtl" if is_rtl(self.language) else "ltr"

    def to_markdown(self) -> str:
        from kb.brief.markdown import to_markdown

        return to_markdown(self)
