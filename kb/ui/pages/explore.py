"""Explore (`/explore?q=&theme=&inclusion=&region=…&below=3`): what a selection of the
catalogue covers. It takes the search page's query and filters from its URL, so a view is a
link; every number links to the search that finds those cases, and every chart has its numbers
as a table. Gaps (cells with fewer than `below` cases) are listed and can be downloaded.
"""

from __future__ import annotations

import datetime as dt
from urllib.parse import parse_qs

import pandas as pd
import streamlit as st
from babel.numbers import format_percent

from kb import taxonomy
from kb.coverage import Coverage, Gap
from kb.export import file_name, table_csv
from kb.i18n import DEFAULT, _, current, format_number, ngettext, use
from kb.service import KnowledgeBase
from kb.ui import charts, navigation, routes
from kb.ui.downloads import case_downloads
from kb.ui.filters import chips, filter_panel, parsed, search_box, warn_ignored
from kb.ui.resources import knowledge_base
from kb.ui.state import FACET_BY_PARAM, SearchState, parse_below, parse_search
from kb.ui.text import country_label, md, region_label
from kb.ui.urls import app_base_url

BELOW_KEY = "gaps_below"


def render() -> None:
    st.set_page_config(layout="wide")
    kb = knowledge_base()
    found = parsed()
    state = found.state
    st.title(_("Explore the catalogue"), anchor=False)
    search_box(state, label=_("Only cases matching these words"))
    warn_ignored(found)
    facets = kb.search(**state.search_kwargs(page_size=0)).facets
    filter_panel(state, facets)
    chips(state, with_query=True)
    coverage = _coverage(kb, state)
    _summary(state, coverage)
    if not coverage.total:
        st.info(_("No case matches this selection: remove a filter to see more."))
        return
    _evidence(state, coverage.total, facets.get("evidence", {}))
    _matrix(state, coverage)
    _gaps(state, coverage)
    left, right = st.columns(2)
    with left:
        _bars(
            state,
            _("Cases by region"),
            _("Region"),
            "region",
            coverage.by_region,
            alt=_("Bar chart: cases by region; the table below has the same numbers."),
        )
    with right:
        _bars(
            state,
            _("Cases by status"),
            _("Status"),
            "status",
            coverage.by_status,
            alt=_("Bar chart: cases by status; the table below has the same numbers."),
        )
    _region_matrix(state, coverage)
    _years(state, coverage)
    _map(coverage)
    _downloads(kb, state, coverage.total)


def _coverage(kb: KnowledgeBase, state: SearchState) -> Coverage:
    """Counts for the selection, cached per catalogue version and selection."""
    # the spinner's text is the reader's: a cache decorator's would be fixed at import
    with st.spinner(_("Counting the selection…")):
        return _coverage_at(kb.settings.url, kb.version(), state.with_page(1).query_string())


@st.cache_data(show_spinner=False, max_entries=32)
def _coverage_at(database: str, version: int, query_string: str) -> Coverage:  # noqa: ARG001
    state = parse_search(parse_qs(query_string)).state
    return knowledge_base().coverage(**state.filter_kwargs())


def search_params(state: SearchState) -> dict[str, str | list[str]]:
    """The search page's URL parameters for a view (comparison ticks left behind)."""
    return state.with_page(1).without_compare().to_params()


def _link(state: SearchState, label: str) -> None:
    navigation.link(routes.SEARCH, label=label, query_params=search_params(state))


def _counted(label: str, n: int) -> str:
    """`E-mobility: 3 cases`: a link's label, in the reader's language."""
    return ngettext("{label}: {n} case", "{label}: {n} cases", n).format(
        label=label, n=format_number(n)
    )


def _summary(state: SearchState, coverage: Coverage) -> None:
    with st.container(horizontal=True):
        st.metric(_("Cases"), format_number(coverage.total))
        st.metric(_("Countries"), format_number(coverage.countries))
        st.metric(_("Cities"), format_number(coverage.cities))
    n = coverage.total
    if state.has_filters or state.q:
        label = ngettext(
            "Open the {n} case of this selection in Search",
            "Open the {n} cases of this selection in Search",
            n,
        )
    else:
        label = ngettext(
            "Open the {n} case of the catalogue in Search",
            "Open the {n} cases of the catalogue in Search",
            n,
        )
    _link(state, label.format(n=format_number(n)))


EVIDENCE_PANEL = ("independent", "evaluation", "cost", "impact")


def _evidence(state: SearchState, total: int, counts: dict[str, int]) -> None:
    """How many cases of the selection have each kind of evidence, each count a link to the
    search listing them (evidence values are all required, so a link adds one)."""
    st.header(_("Evidence"), anchor=False)
    st.caption(
        _(
            "How many cases of this selection have an independent source (an evaluation, an "
            "academic study or a news article), an evaluation, audit or review, a cost stated "
            "by a source, and an impact outcome. Choose one to list those cases."
        )
    )
    for column, code in zip(st.columns(len(EVIDENCE_PANEL)), EVIDENCE_PANEL, strict=True):
        n = counts.get(code, 0)
        with column:
            st.metric(
                _label("evidence", code),
                format_number(n),
                help=taxonomy.definition("evidence", code),
            )
            share = format_percent(n / total, locale=current())
            st.caption(_("{percent} of this selection").format(percent=share))
            if n:
                chosen = state if code in state.evidence else state.toggled("evidence", code)
                label = ngettext("List the {n} case", "List the {n} cases", n)
                _link(chosen, label.format(n=format_number(n)))


def _label(param: str, value: str) -> str:
    """A filter value as the reader reads it (regions in the reader's language)."""
    if param == "region":
        return region_label(value)
    return FACET_BY_PARAM[param].label(value)


def _matrix(state: SearchState, coverage: Coverage) -> None:
    st.header(_("Themes by inclusion dimension"), anchor=False)
    st.caption(
        _(
            "How many cases of this selection address each theme and each inclusion dimension. "
            "A white cell with a dashed border has no case. Choose a cell, or a link below the "
            "chart, to see those cases."
        )
    )
    frame = charts.cells_frame(
        coverage.theme_by_inclusion, ("theme", "inclusion"), ("Theme", "Inclusion"), _label
    )
    chart = charts.heat_map(
        frame,
        x="Inclusion",
        y="Theme",
        x_title=_("Inclusion"),
        y_title=_("Theme"),
        name="cell",
    )
    event = st.altair_chart(
        chart,
        key="matrix_chart",
        on_select="rerun",
        selection_mode="cell",
        alt=_(
            "Heat map of cases by theme and inclusion dimension; "
            "the same numbers are listed below it as links."
        ),
    )
    chosen = (event or {}).get("selection", {}).get("cell") or []
    if chosen:
        cell = chosen[0]
        st.switch_page(
            routes.SEARCH,
            query_params=navigation.with_language(
                search_params(state.narrowed(theme=cell["theme"], inclusion=cell["inclusion"]))
            ),
        )
    with st.expander(_("The same counts as links"), expanded=False, key="matrix_links"):
        for theme, row in coverage.theme_by_inclusion.items():
            st.subheader(_label("theme", theme), anchor=False)
            with st.container(horizontal=True):
                for dim, n in row.items():
                    _link(
                        state.narrowed(theme=theme, inclusion=dim),
                        _counted(_label("inclusion", dim), n),
                    )


def _region_matrix(state: SearchState, coverage: Coverage) -> None:
    st.header(_("Regions by theme"), anchor=False)
    frame = charts.cells_frame(
        coverage.region_by_theme, ("region", "theme"), ("Region", "Theme"), _label
    )
    st.altair_chart(
        charts.heat_map(frame, x="Region", y="Theme", x_title=_("Region"), y_title=_("Theme")),
        alt=_(
            "Heat map of cases by region and theme; the same numbers are listed below it as links."
        ),
    )
    with st.expander(_("The same counts as links"), expanded=False, key="region_matrix_links"):
        for region, row in coverage.region_by_theme.items():
            st.subheader(_label("region", region), anchor=False)
            with st.container(horizontal=True):
                for theme, n in row.items():
                    _link(
                        state.narrowed(region=region, theme=theme),
                        _counted(_label("theme", theme), n),
                    )


def _gaps(state: SearchState, coverage: Coverage) -> None:
    st.header(_("Gaps"), anchor=False)
    below = parse_below(st.query_params.get_all("below"))
    if st.session_state.get(BELOW_KEY) != below:
        st.session_state[BELOW_KEY] = below
    st.number_input(
        _("Show cells with fewer cases than"),
        key=BELOW_KEY,
        min_value=1,
        max_value=1000,
        step=1,
        on_change=_write_below,
        help=_(
            "Theme × inclusion and region × theme cells of this selection with fewer cases "
            "than this number."
        ),
    )
    gaps = coverage.gaps(below)
    if not gaps:
        none = ngettext(
            "No cell of this selection has fewer than {n} case.",
            "No cell of this selection has fewer than {n} cases.",
            below,
        )
        st.markdown(none.format(n=format_number(below)))
        return
    # one plural per sentence: the threshold is a bare number, as in the box above
    listed = ngettext(
        "{n} cell with fewer cases than {below}, fewest first:",
        "{n} cells with fewer cases than {below}, fewest first:",
        len(gaps),
    )
    st.markdown(listed.format(n=format_number(len(gaps)), below=format_number(below)))
    for gap in gaps:
        _link(state.narrowed(**gap.filters), _gap_label(gap))
    today = dt.date.today()
    st.download_button(
        _("Gaps as CSV"),
        data=lambda: _gaps_csv(state, gaps),
        file_name=file_name([*state.name_parts(), f"below-{below}"], "csv", day=today, stem="gaps"),
        mime="text/csv",
        key="download_gaps",
        icon=":material/download:",
        on_click="ignore",
    )


def _write_below() -> None:
    st.query_params["below"] = str(st.session_state[BELOW_KEY])


def _gap_label(gap: Gap) -> str:
    (rp, rv), (cp, cv) = gap.row, gap.column
    return ngettext("{row} × {column}: {n} case", "{row} × {column}: {n} cases", gap.cases).format(
        row=_label(rp, rv), column=_label(cp, cv), n=format_number(gap.cases)
    )


def _gaps_csv(state: SearchState, gaps: list[Gap]) -> bytes:
    """The gaps as a file: its columns and labels in English whatever the reader's language
    (a file's contents are data, read by programs as much as by people)."""
    base = app_base_url().rstrip("/")
    with use(DEFAULT):
        rows = [
            [
                gap.table,
                _label(*gap.row),
                _label(*gap.column),
                gap.cases,
                f"{base}/?{state.narrowed(**gap.filters).query_string()}",
            ]
            for gap in gaps
        ]
    return table_csv(("table", "row", "column", "cases", "search"), rows)


def _bars(
    state: SearchState, title: str, field: str, param: str, counts: dict, *, alt: str
) -> None:
    """A bar chart of `counts` (`title`, `field` and `alt` in the reader's language), the same
    numbers as a table, and a link per bar."""
    st.header(title, anchor=False)
    labels = [_label(param, value) for value in counts]
    frame = pd.DataFrame({"label": labels, "Cases": list(counts.values())})
    if len(frame) > 1:  # one bar (a single region chosen) says nothing the table does not
        st.altair_chart(charts.bars(frame, "label", field), alt=alt)
    st.table(frame.rename(columns={"label": field, "Cases": _("Cases")}), hide_index=True)
    with st.container(horizontal=True):
        for value, n in counts.items():
            _link(state.narrowed(**{param: value}), _counted(_label(param, value), n))


def _years(state: SearchState, coverage: Coverage) -> None:
    st.header(_("Cases by start year"), anchor=False)
    if not coverage.by_year:
        st.caption(_("No case of this selection has a start year."))
        return
    frame = pd.DataFrame({"Year": list(coverage.by_year), "Cases": list(coverage.by_year.values())})
    first, last = min(coverage.by_year), max(coverage.by_year)
    st.caption(_("Every year from the first start to the last, including years with no case."))
    st.altair_chart(
        charts.years(frame),
        alt=_(
            "Bar chart of cases by start year, every year from {first} to {last}; a table follows."
        ).format(first=first, last=last),
    )
    with st.expander(_("Cases by start year as a table, with links"), key="years_table"):
        table = frame.astype({"Year": str}).rename(columns={"Year": _("Year"), "Cases": _("Cases")})
        st.table(table, hide_index=True)
        with st.container(horizontal=True):
            for year, n in coverage.by_year.items():
                if n:
                    _link(state.narrowed(year=year), _counted(str(year), n))


def _map(coverage: Coverage) -> None:
    st.header(_("Map of cities"), anchor=False)
    located = [p for p in coverage.places if p.latitude is not None and p.longitude is not None]
    st.caption(
        ngettext(
            "{n} city with known coordinates; the size of a dot grows with its cases. The "
            "basemap is Natural Earth's, shipped with the app: the map needs no connection.",
            "{n} cities with known coordinates; the size of a dot grows with its cases. The "
            "basemap is Natural Earth's, shipped with the app: the map needs no connection.",
            len(located),
        ).format(n=format_number(len(located)))
    )
    frame = pd.DataFrame(
        [
            {
                "City": p.city,
                "Country": country_label(p.country, p.country_name),
                "latitude": p.latitude,
                "longitude": p.longitude,
                "Cases": p.cases,
            }
            for p in located
        ],
        columns=["City", "Country", "latitude", "longitude", "Cases"],
    )
    st.altair_chart(
        charts.world_map(frame),
        alt=ngettext(
            "World map with a dot for each of {n} city; a table of the cities follows.",
            "World map with a dot for each of {n} cities; a table of the cities follows.",
            len(located),
        ).format(n=format_number(len(located))),
    )
    with st.expander(_("Cities as a table"), key="cities_table"):
        table = pd.DataFrame(
            [
                {
                    _("City"): md(p.city),
                    _("Country"): md(country_label(p.country, p.country_name)),
                    _("Cases"): p.cases,
                }
                for p in coverage.places
            ]
        )
        st.table(table, hide_index=True)


def _downloads(kb: KnowledgeBase, state: SearchState, total: int) -> None:
    heading = ngettext(
        "Download the {n} case of this view", "Download the {n} cases of this view", total
    )
    st.header(heading.format(n=format_number(total)), anchor=False)
    listing = state.with_page(1).without_compare()

    def slugs() -> list[str]:
        return [h.slug for h in kb.search(**listing.search_kwargs(page_size=total)).hits]

    case_downloads(
        kb,
        slugs,
        name_parts=state.name_parts(),
        description=state.description(),
        key="explore_download",
    )
    st.caption(_("The cases are in the order the search page lists them."))


if __name__ == "__main__":
    render()
