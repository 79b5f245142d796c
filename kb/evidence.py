"""What a case's record shows about how far its claims can be relied on: the kinds of sources
behind it (independent or not), the costs its sources state and the results it reports, with
their figures. Shared by the search index (the `evidence` filter), the app, the CLI and briefs.

The `evidence` filter's codes are the vocabulary of that name in data/vocabularies.csv: the
source types plus `independent` (any independent source), `cost` (a recorded cost) and `impact`
(an impact outcome). A case has a code when its record shows it; a search for several codes
finds the cases having all of them.

Its sentences and numbers are in the reader's language (kb.i18n: the app's or the CLI's, or a
brief's under `use(language)`); the figures and units quoted from records are not translated.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from babel.numbers import format_decimal

from kb import taxonomy
from kb.i18n import N_, _, current, ngettext
from kb.records import CaseRecord, Cost, Outcome

VOCABULARY = "evidence"
OUTCOME_KINDS = ("output", "outcome", "impact")
# shown with _(COSTS_AS_STATED)
COSTS_AS_STATED = N_(
    "Amounts are as the source states them, in its currency and year of money: never "
    "converted between currencies or adjusted for inflation."
)


def codes() -> tuple[str, ...]:
    """The evidence filter's codes, in the order to offer them."""
    return taxonomy.codes(VOCABULARY)


def label(code: str) -> str:
    return taxonomy.label(VOCABULARY, code)


def evidence_codes(record: CaseRecord) -> tuple[str, ...]:
    """The evidence codes a case has, in vocabulary order (what the index stores)."""
    has = {s.type for s in record.sources if s.type}
    if any(s.is_independent for s in record.sources):
        has.add("independent")
    if record.costs:
        has.add("cost")
    if any(o.kind == "impact" for o in record.outcomes):
        has.add("impact")
    return tuple(code for code in codes() if code in has)


@dataclass(frozen=True)
class EvidenceSummary:
    """Counts behind "how well supported is this case?"."""

    sources: int
    independent: int
    by_type: dict[str, int]  # source type -> sources, vocabulary order; untyped left out
    costs: int
    impacts: int
    figures: int  # outcomes that state a figure
    untyped: int = 0  # sources whose type is not recorded (v1 records)

    def text(self) -> str:
        """`4 sources, 2 independent (including an evaluation); 1 recorded cost; no impact
        outcome`: one line for a case page or `kb show`."""
        sources = ngettext("{n} source", "{n} sources", self.sources).format(
            n=number_text(self.sources)
        )
        if self.costs:
            costs = ngettext("{n} recorded cost", "{n} recorded costs", self.costs)
        else:
            costs = _("no recorded cost")
        if self.impacts:
            impacts = ngettext("{n} impact outcome", "{n} impact outcomes", self.impacts)
        else:
            impacts = _("no impact outcome")
        # a list of four phrases, not a sentence: translators may change its punctuation
        return _("{sources}, {independence}; {costs}; {impacts}").format(
            sources=sources,
            independence=self.independence_text(),
            costs=costs.format(n=number_text(self.costs)),
            impacts=impacts.format(n=number_text(self.impacts)),
        )

    def independence_text(self) -> str:
        """`2 independent`, `none independent`, `type not recorded`, or `1 independent, 2 of
        unknown type`: a source of unknown type is never counted as independent or not."""
        if self.untyped == self.sources:
            return ngettext("type not recorded", "types not recorded", self.sources)
        if self.independent:
            independent = ngettext("{n} independent", "{n} independent", self.independent).format(
                n=number_text(self.independent)
            )
        else:
            independent = _("none independent")
        if self.by_type.get("evaluation"):
            independent = _("{independent} (including an evaluation)").format(
                independent=independent
            )
        if self.untyped:
            independent = ngettext(
                "{independent}, {n} of unknown type",
                "{independent}, {n} of unknown type",
                self.untyped,
            ).format(independent=independent, n=number_text(self.untyped))
        return independent

    def types_text(self) -> str:
        """`News ×2, Project website`: each source type with its count when more than one."""
        return ", ".join(
            taxonomy.label("source_type", code) + (f" ×{n}" if n > 1 else "")
            for code, n in self.by_type.items()
        )


def summarise(record: CaseRecord) -> EvidenceSummary:
    types = Counter(s.type for s in record.sources if s.type)
    return EvidenceSummary(
        sources=len(record.sources),
        independent=sum(s.is_independent for s in record.sources),
        by_type={code: types[code] for code in taxonomy.codes("source_type") if types[code]},
        costs=len(record.costs),
        impacts=sum(o.kind == "impact" for o in record.outcomes),
        figures=sum(o.figure is not None for o in record.outcomes),
        untyped=sum(not s.type for s in record.sources),
    )


def source_numbers(record: CaseRecord) -> dict[str, int]:
    """Each source URL's number in the case's list of sources (1-based)."""
    numbers: dict[str, int] = {}
    for n, source in enumerate(record.sources, 1):
        numbers.setdefault(source.url, n)
    return numbers


def outcomes_by_kind(record: CaseRecord) -> list[tuple[str | None, list[Outcome]]]:
    """Outcomes grouped by kind (output, outcome, impact), then those with no kind (v1)."""
    groups = [(kind, [o for o in record.outcomes if o.kind == kind]) for kind in OUTCOME_KINDS]
    groups.append((None, [o for o in record.outcomes if o.kind not in OUTCOME_KINDS]))
    return [(kind, items) for kind, items in groups if items]


def number_text(value: float | int, *, money: bool = False) -> str:
    """`14,000`, `12.5`; money `2,500,000.50`: digits grouped, whole numbers without decimals,
    nothing rounded away; separators of the reader's language (`14 000`, `12,5` in French)."""
    locale = current()
    if isinstance(value, int) or float(value).is_integer():
        return format_decimal(int(value), locale=locale)
    if money and round(value, 2) == value:
        return format_decimal(value, format="#,##0.00", locale=locale)
    return format_decimal(value, locale=locale, decimal_quantization=False)


def figure_text(outcome: Outcome) -> str | None:
    """`14,000 trips a day` or `35%`, or None when the outcome states no figure."""
    if outcome.figure is None:
        return None
    number = number_text(outcome.figure)
    if not outcome.unit:
        return number
    return f"{number}{outcome.unit}" if outcome.unit.startswith("%") else f"{number} {outcome.unit}"


def amount_text(cost: Cost) -> str:
    """`USD 1,200,000`: the amount as stated, with its ISO 4217 currency code (a code, not a
    symbol: `$` alone would not tell US from Canadian dollars)."""
    return f"{cost.currency} {number_text(cost.amount, money=True)}"


def covers_text(cost: Cost) -> str:
    return taxonomy.label("cost_covers", cost.covers)


def cost_text(cost: Cost) -> str:
    """`USD 1,200,000, capital, 2019 money, paid by the city`: a cost on one line (the funder
    quoted from the record)."""
    parts = [amount_text(cost), covers_text(cost).lower()]
    if cost.year:
        parts.append(_("{year} money").format(year=cost.year))
    if cost.funder:
        parts.append(_("paid by {funder}").format(funder=cost.funder))
    return ", ".join(parts)
