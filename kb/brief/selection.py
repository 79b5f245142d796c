"""Which cases a brief cites, and the counts over every matching case: relevant first, then
diverse (regions, city sizes, statuses, inclusion dimensions), with a cautionary case when one
matches. No database: kb.brief.gathering hands in what the catalogue holds."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from kb import taxonomy
from kb.records import CaseView

POOL_PER_CASE = 3  # diversity is sought among the best 3 x max_cases matches, not all of them
# Tags the catalogue gives initiatives that met public, political or legal opposition.
CONTESTED_TAGS = frozenset(
    {
        "backlash",
        "contested",
        "court-ruling",
        "privacy-backlash",
        "protests",
        "public-backlash",
        "surveillance-concerns",
    }
)
# City size bands (upper population bounds), used only to spread the selection, never printed.
SIZE_BANDS = ((300_000, "small"), (1_000_000, "medium"), (5_000_000, "large"))

# -- what goes into a brief ------------------------------------------------------------------


@dataclass(frozen=True)
class Match:
    """What the counts need to know about one matching case."""

    slug: str
    country: str
    region: str | None
    status: str | None
    inclusion: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()

    @property
    def is_cautionary(self) -> bool:
        return self.status == "discontinued" or bool(CONTESTED_TAGS.intersection(self.tags))

    @classmethod
    def of_view(cls, view: CaseView) -> Match:
        r = view.record
        return cls(r.slug, r.country, view.region, r.status, r.inclusion, r.tags)


@dataclass(frozen=True)
class MatchStats:
    """Counts over every matching case, not only those a brief cites."""

    total: int
    countries: int
    regions: int
    discontinued: int
    contested: int  # contested and not discontinued, so the two add up
    inclusion: dict[str, int]  # dimension code -> matching cases that address it


def count_matches(matches: Iterable[Match]) -> MatchStats:
    matches = list(matches)
    discontinued = sum(m.status == "discontinued" for m in matches)
    return MatchStats(
        total=len(matches),
        countries=len({m.country for m in matches}),
        regions=len({m.region for m in matches if m.region}),
        discontinued=discontinued,
        contested=sum(m.is_cautionary for m in matches) - discontinued,
        inclusion={
            code: n
            for code in taxonomy.codes("inclusion")
            if (n := sum(code in m.inclusion for m in matches))
        },
    )


# -- choosing the cases ----------------------------------------------------------------------


def is_cautionary(view: CaseView) -> bool:
    """Discontinued, or tagged as contested: a case that shows what can go wrong."""
    return Match.of_view(view).is_cautionary


def size_band(population: int | None) -> str:
    if population is None:
        return "unknown"
    return next((name for bound, name in SIZE_BANDS if population < bound), "very large")


def select_cases(candidates: Sequence[CaseView], *, max_cases: int = 6) -> list[CaseView]:
    """Up to `max_cases` candidates (given best first), relevant and diverse; best first.

    The best match always leads. When any candidate is cautionary and the best is not, the most
    relevant cautionary one (from a new region if possible) comes next. Each further pick is
    the candidate among the best `POOL_PER_CASE * max_cases` that adds a region not yet
    covered, then the most of: a new country, city size band, status and inclusion dimension;
    ties go to relevance.
    """
    pool = _pool(candidates, max_cases)
    chosen = pool[:1]
    cautionary = [c for c in pool if is_cautionary(c)]
    if cautionary and chosen and not is_cautionary(chosen[0]) and max_cases > 1:
        chosen.append(_most_novel(cautionary, chosen))
    while len(chosen) < max_cases and (rest := [c for c in pool if c not in chosen]):
        chosen.append(_most_novel(rest, chosen))
    rank = {c.record.slug: n for n, c in enumerate(candidates)}
    return sorted(chosen, key=lambda c: rank[c.record.slug])


def _pool(candidates: Sequence[CaseView], max_cases: int) -> list[CaseView]:
    pool = list(candidates[: POOL_PER_CASE * max_cases])
    if not any(is_cautionary(c) for c in pool):
        pool += [c for c in candidates[len(pool) :] if is_cautionary(c)][:1]
    return pool


def _most_novel(options: Sequence[CaseView], chosen: Sequence[CaseView]) -> CaseView:
    """The option adding the most variety to `chosen`; the first (most relevant) on ties."""
    seen = {
        "region": {c.region for c in chosen},
        "country": {c.record.country for c in chosen},
        "size": {size_band(c.record.city_population) for c in chosen},
        "status": {c.record.status for c in chosen},
        "inclusion": {code for c in chosen for code in c.record.inclusion},
    }

    def novelty(c: CaseView) -> tuple[bool, int]:
        others = (
            c.record.country not in seen["country"],
            size_band(c.record.city_population) not in seen["size"],
            c.record.status not in seen["status"],
            bool(set(c.record.inclusion) - seen["inclusion"]),
        )
        return c.region not in seen["region"], sum(others)

    best = max(novelty(c) for c in options)
    return next(c for c in options if novelty(c) == best)
