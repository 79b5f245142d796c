"""'Similar cases' and 'cities like this one': text likeness plus shared facets, with the
reason shown, so a user can judge the match."""

from __future__ import annotations

import math
from typing import Any

from kb import taxonomy
from kb.i18n import _, current, format_number, ngettext
from kb.i18n.shown import region_label
from kb.records import SimilarCase
from kb.reference import INCOME_GROUPS

WEIGHTS = {"text": 1.0, "theme": 0.3, "inclusion": 0.3, "region": 0.15, "size": 0.1, "tag": 0.1}


def _codes(stored: dict[str, Any], name: str) -> set[str]:
    return set(filter(None, (stored.get(name) or "").split(",")))


def similar_size(a: int | None, b: int | None) -> bool:
    """Within a factor of three: a town of 100,000 is not a megacity of 10 million."""
    return bool(a and b and max(a, b) <= 3 * min(a, b))


def explain(base: dict[str, Any], other: dict[str, Any]) -> tuple[float, str]:
    themes = _codes(base, "themes") & _codes(other, "themes")
    inclusion = _codes(base, "inclusion") & _codes(other, "inclusion")
    tags = _codes(base, "tags") & _codes(other, "tags")
    same_region = base.get("region") and base.get("region") == other.get("region")
    sized = similar_size(base.get("population"), other.get("population"))
    score = (
        WEIGHTS["theme"] * len(themes)
        + WEIGHTS["inclusion"] * len(inclusion)
        + WEIGHTS["region"] * bool(same_region)
        + WEIGHTS["size"] * sized
        + WEIGHTS["tag"] * min(len(tags), 3)
    )
    parts = []
    if themes and inclusion:
        parts.append(_("same theme and inclusion dimension"))
    elif themes:
        parts.append(_("same theme"))
    if same_region and sized:
        parts.append(_("similar-sized city in the same region"))
    elif same_region:
        parts.append(_("same region ({region})").format(region=region_label(base["region"])))
    elif sized:
        parts.append(_("similar-sized city"))
    shared = [taxonomy.label("theme", t) for t in sorted(themes)]
    shared += [taxonomy.label("inclusion", i) for i in sorted(inclusion)]
    shared += [t.replace("-", " ") for t in sorted(tags)][:3]
    reason = _(", ").join(parts) if parts else _("similar description")
    if shared:
        reason = _("{reason}; shares: {items}").format(reason=reason, items=_(", ").join(shared))
    return score, reason[0].upper() + reason[1:]


def rank_similar(
    base: dict[str, Any],
    text_matches: list[tuple[str, float]],
    stored: dict[str, dict[str, Any]],
    n: int,
) -> list[SimilarCase]:
    top_text = max((s for _, s in text_matches), default=0.0) or 1.0
    text_score = {slug: s / top_text for slug, s in text_matches}
    ranked = []
    for slug, other in stored.items():
        if slug == base["slug"]:
            continue
        facet_score, reason = explain(base, other)
        score = WEIGHTS["text"] * text_score.get(slug, 0.0) + facet_score
        ranked.append(
            SimilarCase(
                slug=slug,
                title=other["title"],
                score=round(score, 4),
                reason=reason,
                city=other.get("city", ""),
                country_name=other.get("country_name", ""),
            )
        )
    ranked.sort(key=lambda c: (-c.score, c.slug))
    return ranked[:n]


def cities_like(
    base: dict[str, Any], candidates: list[dict[str, Any]], n: int
) -> list[SimilarCase]:
    """Cases from other cities in the same region and income group and of the same size band
    (kb.reference.size_band), closest in population first; the reason names all three."""
    band = base.get("size")
    if not band:
        return []
    region, size = region_label(base.get("region") or ""), taxonomy.label("city_size", band)
    if base.get("income_group"):
        reason = _("same region ({region}), income group ({income}) and city size ({size})")
        reason = reason.format(region=region, income=_income(base["income_group"]), size=size)
    else:
        reason = _("same region ({region}) and city size ({size})").format(region=region, size=size)
    out = []
    for other in candidates:
        if other.get("size") != band or _same_city(base, other):
            continue
        if other.get("region") != base.get("region"):
            continue
        if other.get("income_group") != base.get("income_group"):
            continue
        ratio = (other.get("population") or 1) / (base.get("population") or 1)
        out.append(
            SimilarCase(
                slug=other["slug"],
                title=other["title"],
                score=round(-abs(math.log(ratio)), 4),
                reason=reason[0].upper() + reason[1:] + _population(other),
                city=other.get("city", ""),
                country_name=other.get("country_name", ""),
            )
        )
    out.sort(key=lambda c: (-c.score, c.slug))
    return out[:n]


def _same_city(a: dict[str, Any], b: dict[str, Any]) -> bool:
    return a.get("country") == b.get("country") and a.get("city") == b.get("city")


def _population(stored: dict[str, Any]) -> str:
    population = stored.get("population")
    if not population:
        return ""
    return ngettext("; {n} person", "; {n} people", population).format(n=format_number(population))


def _income(code: str) -> str:
    """The income group's code in English (as the catalogue writes it), else its label."""
    label = INCOME_GROUPS.get(code)
    return code if current() == "en" or not label else _(label)
