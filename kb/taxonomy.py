"""Controlled vocabularies (themes, inclusion dimensions, safeguards, ...) kept in data/."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kb.config import DATA_DIR
from kb.i18n.catalogues import gettext

VOCABULARY_FILE = DATA_DIR / "vocabularies.csv"


@dataclass(frozen=True)
class Term:
    code: str
    label: str
    definition: str


@cache
def load_vocabularies(path: Path = VOCABULARY_FILE) -> dict[str, tuple[Term, ...]]:
    """All vocabularies by name, each term in file order."""
    out: dict[str, list[Term]] = {}
    with path.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            out.setdefault(row["vocabulary"], []).append(
                Term(row["code"], row["label"], row["definition"])
            )
    return {name: tuple(terms) for name, terms in out.items()}


def codes(vocabulary: str) -> tuple[str, ...]:
    return tuple(t.code for t in load_vocabularies()[vocabulary])


def label(vocabulary: str, code: str) -> str:
    """The code's label in the reader's language (kb.i18n; English when untranslated)."""
    for term in load_vocabularies()[vocabulary]:
        if term.code == code:
            return gettext(term.label)
    return code


def definition(vocabulary: str, code: str) -> str:
    """The code's definition in the reader's language."""
    for term in load_vocabularies()[vocabulary]:
        if term.code == code:
            return gettext(term.definition)
    return ""
