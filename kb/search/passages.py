"""A case cut into passages for meaning search: its title and summary, its description in
groups of a sentence or two, each outcome, lesson and challenge, and its translated titles and
summaries. A search can then say which passage of a case answers the question."""

from __future__ import annotations

import re
from dataclasses import dataclass

from kb.records import CaseRecord

# A sentence ends at . ! or ? followed by a space and an upper-case letter, a digit or a quote.
SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"'“(])")
# Abbreviations whose full stop does not end a sentence.
ABBREVIATION = re.compile(r"\b(?:e\.g|i\.e|U\.S|U\.K|St|Dr|Mr|Mrs|Ms|No|vs|approx|etc|Inc|Ltd)\.$")
GROUP_CHARS = 160  # description sentences are grouped until a passage has this many characters


@dataclass(frozen=True)
class Passage:
    kind: str  # summary, description, outcome, lesson, challenge, or summary:<language>
    text: str


def sentences(text: str) -> list[str]:
    """The sentences of a text, whole (abbreviations do not end one)."""
    out: list[str] = []
    pending = ""
    for piece in SENTENCE_END.split(text.strip()):
        pending = f"{pending} {piece}" if pending else piece
        if ABBREVIATION.search(pending):
            continue
        out.append(pending)
        pending = ""
    if pending:
        out.append(pending)
    return [s for s in out if s]


def passages(record: CaseRecord) -> list[Passage]:
    """Every passage of a case, in reading order."""
    out = [Passage("summary", f"{record.title}. {record.summary}")]
    group: list[str] = []
    for sentence in sentences(record.description or ""):
        group.append(sentence)
        if sum(map(len, group)) >= GROUP_CHARS:
            out.append(Passage("description", " ".join(group)))
            group = []
    if group:
        out.append(Passage("description", " ".join(group)))
    out += [Passage("outcome", o.text) for o in record.outcomes]
    out += [Passage("lesson", text) for text in record.lessons]
    out += [Passage("challenge", text) for text in record.challenges]
    out += [
        Passage(f"summary:{t.language}", f"{t.title}. {t.summary}") for t in record.translations
    ]
    return out
