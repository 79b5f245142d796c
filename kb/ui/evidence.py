"""A case's evidence on its page: results grouped by kind with their figures and sources, costs
as their sources state them, and sources with their type and a mark for independent ones.

The Markdown builders are plain functions (catalogue text escaped with md(), links through
link()); the section functions draw them. Numbers link to the case's numbered sources.
"""

from __future__ import annotations

import streamlit as st

from kb import evidence, taxonomy
from kb.i18n import N_, _
from kb.records import CaseRecord, Outcome, Source
from kb.ui.text import link, md, safe_url

RESULT_HEADINGS = {  # English, marked for translation: shown with _()
    "output": N_("Outputs: what was delivered"),
    "outcome": N_("Outcomes: changes in use or behaviour"),
    "impact": N_("Impacts: longer-term changes"),
    None: N_("Other results (kind not recorded)"),
}
NOT_STATED = "–"
PHONE = 640  # px: below this width the cost table gives way to one card per cost
COSTS_CSS = f"""<style>
@media (max-width: {PHONE}px) {{ .st-key-cost_table {{ display: none; }} }}
@media (min-width: {PHONE + 1}px) {{ .st-key-cost_cards {{ display: none; }} }}
</style>"""


def summary_markdown(record: CaseRecord) -> str:
    """`**Evidence:** 4 sources, 2 independent; 1 recorded cost; no impact outcome`."""
    label = _("Evidence:")
    return f"**{label}** {md(evidence.summarise(record).text())}"


def source_link(record: CaseRecord, url: str | None) -> str | None:
    """`[source 2](url)`: a link to one of the case's numbered sources, None if it is not one."""
    number = evidence.source_numbers(record).get(url or "")
    if number is None:
        return None
    target = safe_url(record.sources[number - 1].url)
    # kept on one line in a narrow table column
    label = _("source {number}").format(number=number).replace(" ", "\u00a0")
    return f"[{label}]({target})" if target else label


def outcome_markdown(record: CaseRecord, outcome: Outcome) -> str:
    """The outcome's text, then its figure, year and source when it has them."""
    details = []
    if (figure := evidence.figure_text(outcome)) is not None:
        details.append(_("figure {figure}").format(figure=f"**{md(figure)}**"))
    if outcome.year is not None:
        details.append(_("year {year}").format(year=outcome.year))
    if (source := source_link(record, outcome.source)) is not None:
        details.append(source)
    return md(outcome.text) + (f" — {', '.join(details)}" if details else "")


def cost_table(record: CaseRecord) -> dict[str, list[str]]:
    """One row per cost, every cell Markdown: amount with its currency, what it covers, the
    year of money, who paid, the source (linked) and the note; headed in the reader's
    language."""
    rows = record.costs
    return {
        _("Amount"): [md(evidence.amount_text(c)).replace(" ", "\u00a0") for c in rows],
        _("Covers"): [md(evidence.covers_text(c)) for c in rows],
        _("Year of money"): [str(c.year) if c.year else NOT_STATED for c in rows],
        _("Funder"): [md(c.funder) if c.funder else NOT_STATED for c in rows],
        _("Source"): [source_link(record, c.source) or NOT_STATED for c in rows],
        _("Note"): [md(c.note) if c.note else NOT_STATED for c in rows],
    }


def source_markdown(source: Source) -> str:
    """`:green-badge[:material/verified: Independent · News] [Title](url) (Publisher, 2020)`:
    the type first, so the list reads down one column; independent sources say so in words."""
    about = ", ".join(str(x) for x in (source.publisher, source.year) if x)
    line = link(source.title, source.url) + (f" ({md(about)})" if about else "")
    return f"{type_badge(source)} {line}" if source.type else line


def type_badge(source: Source) -> str:
    """The source's type as a badge; green, with a tick and the word, when independent."""
    kind = md(taxonomy.label("source_type", source.type or ""))
    if source.is_independent:
        text = _("Independent · {type}").format(type=kind)
        return f":green-badge[:material/verified: {text}]"
    return f":gray-badge[{kind}]"


# -- sections ------------------------------------------------------------------------------


def results(record: CaseRecord) -> None:
    groups = evidence.outcomes_by_kind(record)
    if not groups:
        return
    st.header(_("Results"), anchor=False)
    typed = any(kind is not None for kind, _items in groups)
    if typed:
        st.caption(
            _(
                "Outputs are what the initiative delivered; outcomes, changes in use or "
                "behaviour among the people reached; impacts, longer-term changes attributed "
                "to it by an evaluation or study. Figures are as the linked source states them."
            )
        )
    for kind, items in groups:
        if typed:
            st.subheader(_(RESULT_HEADINGS[kind]), anchor=False)
        st.markdown("\n".join(f"- {outcome_markdown(record, o)}" for o in items))


def costs(record: CaseRecord) -> None:
    if not record.costs:
        return
    st.header(_("Costs"), anchor=False)
    st.markdown(_(evidence.COSTS_AS_STATED))  # marked with N_() where it is written
    table = cost_table(record)
    st.html(COSTS_CSS)
    with st.container(key="cost_table"):
        st.table(table, hide_index=True, alt=_("The costs the case's sources state, one per row."))
    with st.container(key="cost_cards"):  # the same, one card per cost, on a phone
        for n in range(len(record.costs)):
            with st.container(border=True, key=f"cost_card_{n}"):
                st.markdown("  \n".join(f"**{name}:** {cells[n]}" for name, cells in table.items()))


def sources(record: CaseRecord) -> None:
    st.header(_("Sources"), anchor=False)
    if any(s.is_independent for s in record.sources) or any(s.type for s in record.sources):
        st.caption(
            _(
                "Independent: written by someone who does not run or pay for the initiative "
                "(an evaluation, audit or review, an academic study or a news article)."
            )
        )
    # a Markdown ordered list: numbered as outcomes and costs cite them, wrapped lines indented
    st.markdown("\n".join(f"{n}. {source_markdown(s)}" for n, s in enumerate(record.sources, 1)))
