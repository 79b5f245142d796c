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

from kb import taxonomy
from kb.coverage import Coverage, Gap
from kb.export import file_name, table_csv
from kb.service import KnowledgeBase
from kb.ui import charts, routes
from kb.ui.downloads import case_downloads
from kb.ui.filters import chips, filter_panel, parsed, search_box, warn_ignored
from kb.ui.resources import knowledge_base
from kb.ui.state import FACET_BY_PARAM, SearchState, parse_below, parse_search
from kb.ui.text import md, plural
from kb.ui.urls import app_base_url

BELOW_KEY = "gaps_below"


def render() -> None:
    st.set_page_config(layout="wide")
    kb = knowledge_base()
    found = parsed()
    state = found.state
    st.title("Explore the catalogue", anchor=False)
    search_box(state, label="Only cases matching these words")
    warn_ignored(found)
    facets = kb.search(**state.search_kwargs(page_size=0)).facets
    filter_panel(state, facets)
    chips(state, with_query=True)
    coverage = _coverage(kb, state)
    _summary(state, coverage)
    if not coverage.total:
        st.info("No case matches this selection: remove a filter to see more.")
        return
    _evidence(state, coverage.total, facets.get("evidence", {}))
    _matrix(state, coverage)
    _gaps(state, coverage)
    left, right = st.columns(2)
    with left:
        _bars(state, "Cases by region", "Region", "region", coverage.by_region)
    with right:
        _bars(state, "Cases by status", "Status", "status", coverage.by_status)
    _region_matrix(state, coverage)
    _years(state, coverage)
    _map(coverage)
    _downloads(kb, state, coverage.total)


def _coverage(kb: KnowledgeBase, state: SearchState) -> Coverage:
    """Counts for the selection, cached per catalogue version and selection."""
    return _coverage_at(kb.settings.url, kb.version(), state.with_page(1).query_string())


@st.cache_data(show_spinner="Counting the selection…", max_entries=32)
def _coverage_at(database: str, version: int, query_string: str) -> Coverage:  # noqa: ARG001
    state = parse_search(parse_qs(query_string)).state
    return knowledge_base().coverage(**state.filter_kwargs())


def search_params(state: SearchState) -> dict[str, str | list[str]]:
    """The search page's URL parameters for a view (comparison ticks left behind)."""
    return state.with_page(1).without_compare().to_params()


def _link(state: SearchState, label: str) -> None:
    st.page_link(routes.SEARCH, label=label, query_params=search_params(state))


def _summary(state: SearchState, coverage: Coverage) -> None:
    with st.container(horizontal=True):
        st.metric("Cases", f"{coverage.total:,}")
        st.metric("Countries", f"{coverage.countries:,}")
        st.metric("Cities", f"{coverage.cities:,}")
    selection = "this selection" if state.has_filters or state.q else "the catalogue"
    _link(state, f"Open the {plural(coverage.total, 'case')} of {selection} in Search")


EVIDENCE_PANEL = ("independent", "evaluation", "cost", "impact")


def _evidence(state: SearchState, total: int, counts: dict[str, int]) -> None:
    """How many cases of the selection have each kind of evidence, each count a link to the
    search listing them (evidence values are all required, so a link adds one)."""
    st.header("Evidence", anchor=False)
    st.caption(
        "How many cases of this selection have an independent source (an evaluation, an "
        "academic study or a news article), an evaluation, audit or review, a cost stated by a "
        "source, and an impact outcome. Choose one to list those cases."
    )
    for column, code in zip(st.columns(len(EVIDENCE_PANEL)), EVIDENCE_PANEL, strict=True):
        n = counts.get(code, 0)
        with column:
            st.metric(
                _label("evidence", code), f"{n:,}", help=taxonomy.definition("evidence", code)
            )
            st.caption(f"{n / total:.0%} of this selection")
            if n:
                chosen = state if code in state.evidence else state.toggled("evidence", code)
                _link(chosen, f"List the {plural(n, 'case')}")


def _label(param: str, value: str) -> str:
    return FACET_BY_PARAM[param].label(value)


def _matrix(state: SearchState, coverage: Coverage) -> None:
    st.header("Themes by inclusion dimension", anchor=False)
    st.caption(
        "How many cases of this selection address each theme and each inclusion dimension. "
        "A white cell with a dashed border has no case. Choose a cell, or a link below the "
        "chart, to see those cases."
    )
    frame = charts.cells_frame(
        coverage.theme_by_inclusion, ("theme", "inclusion"), ("Theme", "Inclusion"), _label
    )
    event = st.altair_chart(
        charts.heat_map(frame, x="Inclusion", y="Theme", name="cell"),
        key="matrix_chart",
        on_select="rerun",
        selection_mode="cell",
        alt="Heat map of cases by theme and inclusion dimension; "
        "the same numbers are listed below it as links.",
    )
    chosen = (event or {}).get("selection", {}).get("cell") or []
    if chosen:
        cell = chosen[0]
        st.switch_page(
            routes.SEARCH,
            query_params=search_params(
                state.narrowed(theme=cell["theme"], inclusion=cell["inclusion"])
            ),
        )
    with st.expander("The same counts as links", expanded=False):
        for theme, row in coverage.theme_by_inclusion.items():
            st.subheader(_label("theme", theme), anchor=False)
            with st.container(horizontal=True):
                for dim, n in row.items():
                    _link(
                        state.narrowed(theme=theme, inclusion=dim),
                        f"{_label('inclusion', dim)}: {plural(n, 'case')}",
                    )


def _region_matrix(state: SearchState, coverage: Coverage) -> None:
    st.header("Regions by theme", anchor=False)
    frame = charts.cells_frame(
        coverage.region_by_theme, ("region", "theme"), ("Region", "Theme"), _label
    )
    st.altair_chart(
        charts.heat_map(frame, x="Region", y="Theme"),
        alt="Heat map of cases by region and theme; the same numbers are listed below it as links.",
    )
    with st.expander("The same counts as links", expanded=False):
        for region, row in coverage.region_by_theme.items():
            st.subheader(region, anchor=False)
            with st.container(horizontal=True):
                for theme, n in row.items():
                    _link(
                        state.narrowed(region=region, theme=theme),
                        f"{_label('theme', theme)}: {plural(n, 'case')}",
                    )


def _gaps(state: SearchState, coverage: Coverage) -> None:
    st.header("Gaps", anchor=False)
    below = parse_below(st.query_params.get_all("below"))
    if st.session_state.get(BELOW_KEY) != below:
        st.session_state[BELOW_KEY] = below
    st.number_input(
        "Show cells with fewer cases than",
        key=BELOW_KEY,
        min_value=1,
        max_value=1000,
        step=1,
        on_change=_write_below,
        help="Theme × inclusion and region × theme cells of this selection with fewer cases "
        "than this number.",
    )
    gaps = coverage.gaps(below)
    if not gaps:
        st.markdown(f"No cell of this selection has fewer than {plural(below, 'case')}.")
        return
    st.markdown(
        f"{plural(len(gaps), 'cell')} with fewer than {plural(below, 'case')}, fewest first:"
    )
    for gap in gaps:
        _link(state.narrowed(**gap.filters), _gap_label(gap))
    today = dt.date.today()
    st.download_button(
        "Gaps as CSV",
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
    return f"{_label(rp, rv)} × {_label(cp, cv)}: {plural(gap.cases, 'case')}"


def _gaps_csv(state: SearchState, gaps: list[Gap]) -> bytes:
    base = app_base_url().rstrip("/")
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


def _bars(state: SearchState, title: str, field: str, param: str, counts: dict) -> None:
    st.header(title, anchor=False)
    labels = [_label(param, value) for value in counts]
    frame = pd.DataFrame({field: labels, "Cases": list(counts.values())})
    if len(frame) > 1:  # one bar (a single region chosen) says nothing the table does not
        st.altair_chart(
            charts.bars(frame, field),
            alt=f"Bar chart: {title.lower()}; the table below has the same numbers.",
        )
    st.table(frame, hide_index=True)
    with st.container(horizontal=True):
        for value, n in counts.items():
            _link(state.narrowed(**{param: value}), f"{_label(param, value)}: {plural(n, 'case')}")


def _years(state: SearchState, coverage: Coverage) -> None:
    st.header("Cases by start year", anchor=False)
    if not coverage.by_year:
        st.caption("No case of this selection has a start year.")
        return
    frame = pd.DataFrame({"Year": list(coverage.by_year), "Cases": list(coverage.by_year.values())})
    first, last = min(coverage.by_year), max(coverage.by_year)
    st.caption("Every year from the first start to the last, including years with no case.")
    st.altair_chart(
        charts.years(frame),
        alt=f"Bar chart of cases by start year, every year from {first} to {last}; "
        "a table follows.",
    )
    with st.expander("Cases by start year as a table, with links"):
        st.table(frame.astype({"Year": str}), hide_index=True)
        with st.container(horizontal=True):
            for year, n in coverage.by_year.items():
                if n:
                    _link(state.narrowed(year=year), f"{year}: {plural(n, 'case')}")


def _map(coverage: Coverage) -> None:
    st.header("Map of cities", anchor=False)
    located = [p for p in coverage.places if p.latitude is not None and p.longitude is not None]
    st.caption(
        f"{plural(len(located), 'city', 'cities')} with known coordinates; the size of a dot "
        "grows with its cases. The basemap is Natural Earth's, shipped with the app: the map "
        "needs no connection."
    )
    frame = pd.DataFrame(
        [
            {
                "City": p.city,
                "Country": p.country_name,
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
        alt=f"World map with a dot for each of {len(located)} cities; a table of the cities "
        "follows.",
    )
    with st.expander("Cities as a table"):
        table = pd.DataFrame(
            [{"City": md(p.city), "Country": md(p.country_name), "Cases": p.cases} for p in
             coverage.places]
        )  # fmt: skip
        st.table(table, hide_index=True)


def _downloads(kb: KnowledgeBase, state: SearchState, total: int) -> None:
    st.header(f"Download the {plural(total, 'case')} of this view", anchor=False)
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
    st.caption("The cases are in the order the search page lists them.")


if __name__ == "__main__":
    render()
