"""The shapes of a brief: plain frozen values that every renderer (Markdown, Word, PDF, slides)
prints the same way. Each text field is catalogue text quoted as recorded, or a sentence around
it built in kb.brief.content; nothing here adds words."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

MINUTE, POINTS, RISKS, REACH, REFERENCES = (
    "The one-minute version",
    "Talking points",
    "Risks and safeguards",
    "Who is reached, who is missing",
    "References",
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
    return text if text.endswith((".", "!", "?", "…", '."', ".'", ".)", ".”")) else text + "."


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

    @property
    def citation(self) -> str:
        return cite(self.refs)

    @property
    def headline(self) -> str:
        """The lead, as one sentence (a lesson or challenge says so), with its own source when
        it has one."""
        own = f" {cite(self.lead_refs)}" if self.lead_refs else ""
        return LEAD_LABELS.get(self.lead_kind, "") + sentence(self.lead) + own

    @property
    def detail(self) -> str:
        """What follows the headline: the case and its context, the number, the sources."""
        parts = [f"{self.title} ({self.context})."]
        if self.figure:
            parts.append(f"Key figure: {self.figure.strip().rstrip('.')} {cite(self.figure_refs)}.")
        parts.append(f"Sources: {self.citation}.")
        return " ".join(parts)

    def text(self) -> str:
        return f"{self.headline} {self.detail}"


@dataclass(frozen=True)
class Caution:
    """A matching case that shows what can go wrong: discontinued, contested, or recording a
    challenge on the topic; with the challenge quoted and the case's sources."""

    slug: str
    title: str
    place: str
    label: str  # "Discontinued in 2023", "Contested" or "Recorded challenge"
    challenge: str | None
    refs: tuple[int, ...]

    @property
    def is_failure(self) -> bool:
        """Discontinued or contested, not only a challenge recorded."""
        return self.label != CHALLENGE_LABEL

    def text(self) -> str:
        quote = f" {sentence(self.challenge)}" if self.challenge else ""
        return f"{self.label}: {self.title} ({self.place}).{quote} {cite(self.refs)}"


CHALLENGE_LABEL = "Recorded challenge"
LEAD_LABELS = {"lesson": "Lesson: ", "challenge": "Challenge: "}


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
        from kb.brief.markdown import to_markdown

        return to_markdown(self)
