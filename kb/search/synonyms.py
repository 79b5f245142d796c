"""Domain synonyms kept as data (data/synonyms.txt) and matched on analysed token sequences."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from kb.config import DATA_DIR

SYNONYMS_FILE = DATA_DIR / "synonyms.txt"
Tokens = tuple[str, ...]
ONE_LETTER_PREFIX = re.compile(r"(?<!\w)\w-\w")


@dataclass(frozen=True)
class SynonymTable:
    """Maps a phrase (as analysed tokens) to every phrase it should also match."""

    expansions: dict[Tokens, frozenset[Tokens]]
    surface_words: frozenset[str]  # plain words of every variant, for spelling correction

    @property
    def longest(self) -> int:
        return max((len(k) for k in self.expansions), default=1)

    def match(self, tokens: Sequence[str], start: int) -> tuple[Tokens, frozenset[Tokens]] | None:
        """The longest synonym phrase starting at tokens[start], with its expansions."""
        for size in range(min(self.longest, len(tokens) - start), 0, -1):
            key = tuple(tokens[start : start + size])
            if key in self.expansions:
                return key, self.expansions[key]
        return None


def parse_groups(lines: Sequence[str]) -> list[tuple[list[str], list[str]]]:
    """(sources, targets) per line; a two-way group has sources == targets."""
    groups = []
    for line in lines:
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if "=>" in line:
            left, right = line.split("=>", 1)
            sources = [v.strip() for v in left.split(",") if v.strip()]
            targets = sources + [v.strip() for v in right.split(",") if v.strip()]
        else:
            sources = targets = [v.strip() for v in line.split(",") if v.strip()]
        groups.append((sources, targets))
    return groups


def join_prefix(text: str) -> str:
    """'e-gov' -> 'egov': analysis would drop the one-letter prefix, and plain "gov" or "bus"
    would match far too much."""
    return ONE_LETTER_PREFIX.sub(lambda m: m.group(0).replace("-", ""), text)


def _lossless(analyse: Callable[[str], Tokens]) -> Callable[[str], Tokens]:
    def run(variant: str) -> Tokens:
        return analyse(join_prefix(variant))

    return run


@cache
def load_synonyms(analyse: Callable[[str], Tokens], path: Path = SYNONYMS_FILE) -> SynonymTable:
    expansions: dict[Tokens, set[Tokens]] = {}
    words: set[str] = set()
    for sources, targets in parse_groups(path.read_text(encoding="utf-8").splitlines()):
        analysed_targets = {t for t in map(_lossless(analyse), targets) if t}
        for variant in targets:
            words.update(w for w in variant.lower().replace("-", " ").split() if w.isalpha())
        for source in sources:
            key = _lossless(analyse)(source)
            if key:
                expansions.setdefault(key, set()).update(analysed_targets)
    return SynonymTable({k: frozenset(v) for k, v in expansions.items()}, frozenset(words))
