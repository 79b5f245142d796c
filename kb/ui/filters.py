"""The query, the filters and the chips that remove them: shared by Search and Explore.

The URL is the single source of truth: each run parses it (kb.ui.state), sets every control to
match it, and each control's callback writes the next state back to the URL. So a pasted link,
the browser's back button and a click all reproduce the same view. Everything here is driven
by the FACETS table in kb.ui.state: a new filter needs no change in this module.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import streamlit as st

from kb.i18n import _, format_number
from kb.ui.state import FACETS, YEAR_RANGE, ParsedSearch, SearchState, facet_options, parse_search
from kb.ui.text import md

OPEN_BY_DEFAULT = ("theme", "inclusion")
PAGE_PARAMS = ("below",)  # a page's own URL parameters (Explore's gap threshold), kept by go()


def url_params() -> dict[str, list[str]]:
    return {key: st.query_params.get_all(key) for key in st.query_params}


def parsed() -> ParsedSearch:
    return parse_search(url_params())


def current_state() -> SearchState:
    return parsed().state


def go(state: SearchState) -> None:
    """Show `state`: write it to the URL (the rerun that follows renders it)."""
    kept = {key: st.query_params.get_all(key) for key in PAGE_PARAMS if key in st.query_params}
    st.query_params.from_dict(state.to_params() | kept)


def on_widget(change: Callable[[SearchState], SearchState]) -> None:
    go(change(current_state()))


def set_widget(key: str, value: object) -> None:
    """Make a control show the URL's value (only before the control is drawn in this run).
    Set even when equal: a control of the same key on another page is another widget, and
    keeps its own value only if told again."""
    st.session_state[key] = value


def warn_ignored(found: ParsedSearch) -> None:
    if found.ignored:
        st.warning(
            _("This link had values we do not know, so they were left out: {values}").format(
                values=md(", ".join(found.ignored))
            )
        )


def search_box(state: SearchState, *, label: str | None = None) -> None:
    """The query box (`label` already in the reader's language; "Search cases" if None)."""
    set_widget("search_q", state.q)
    st.text_input(
        label or _("Search cases"),
        key="search_q",
        placeholder=_("Words, e.g. bike share, participatory budgeting, digital skills"),
        help=_(
            "Press Enter to search. Several words find cases with all of them; "
            '"quotes" search a phrase.'
        ),
        on_change=lambda: on_widget(lambda s: s.with_query(st.session_state["search_q"])),
    )


def filter_panel(state: SearchState, facets: Mapping[str, Mapping[str, int]]) -> None:
    """The sidebar's filters, each value with its count (`facets` as in SearchResult)."""
    with st.sidebar:
        st.header(_("Filters"), anchor=False)
        if state.has_filters:
            st.button(
                _("Clear all filters"),
                key="filters_clear",
                on_click=go,
                args=(state.without_filters(),),
            )
        for facet in FACETS:
            options = facet_options(facet, facets.get(facet.facet, {}), state.selected(facet.param))
            if not options:
                continue
            chosen = len(state.selected(facet.param))
            title = (
                _("{filter} ({n} chosen)").format(filter=facet.heading(), n=chosen)
                if chosen
                else facet.heading()
            )
            box = _facet_box(title, facet.param, open_=bool(chosen))
            if not box.open:  # a closed box draws nothing: fewer elements, a faster page
                continue
            with box:
                if hint := facet.hint():
                    st.caption(hint)
                for option in options:
                    key = f"facet_{facet.param}_{option.value}"
                    set_widget(key, option.selected)
                    # not md(): Streamlit also puts a checkbox label verbatim in aria-label,
                    # and these labels are our vocabularies, never catalogue text
                    st.checkbox(
                        _("{value} ({count})").format(
                            value=option.label, count=format_number(option.count)
                        ),
                        key=key,
                        on_change=on_widget,
                        args=(lambda s, p=facet.param, v=option.value: s.toggled(p, v),),
                    )
        _year_filter(state)


def _facet_box(title: str, param: str, *, open_: bool):  # noqa: ANN202 - an expander
    """An expander that reruns when opened or closed, so closed ones can skip their content.
    Theme and inclusion start open; any filter with a chosen value is opened."""
    key = f"facet_box_{param}"
    if open_ and not st.session_state.get(key):
        st.session_state[key] = True
    return st.expander(
        title, expanded=open_ or param in OPEN_BY_DEFAULT, key=key, on_change="rerun"
    )


def _year_filter(state: SearchState) -> None:
    chosen = state.year_from is not None or state.year_to is not None
    title = _("Start year (chosen)") if chosen else _("Start year")
    box = _facet_box(title, "years", open_=chosen)
    if not box.open:
        return
    with box:
        set_widget("year_from", state.year_from)
        set_widget("year_to", state.year_to)

        def change() -> None:
            on_widget(
                lambda s: s.with_years(st.session_state["year_from"], st.session_state["year_to"])
            )

        for key, label in (
            ("year_from", _("Started in or after")),
            ("year_to", _("Started in or before")),
        ):
            st.number_input(
                label,
                key=key,
                min_value=YEAR_RANGE[0],
                max_value=YEAR_RANGE[1],
                value=None,
                step=1,
                placeholder=_("Any year"),
                on_change=change,
            )


def chips(state: SearchState, *, with_query: bool = False) -> None:
    """Each active filter (and, if asked, the query) as a button that removes it."""
    active = state.active_filters()
    if not active and not (with_query and state.q):
        return
    with st.container(horizontal=True, key="active_filters"):
        if with_query and state.q:
            st.button(
                _("Remove words {words}").format(words=md(state.q)),
                key="remove_query",
                icon=":material/close:",
                on_click=go,
                args=(state.without_query(),),
            )
        for n, item in enumerate(active):
            st.button(
                _("Remove filter {filter}").format(filter=md(item.label)),
                key=f"remove_filter_{n}",
                icon=":material/close:",
                on_click=go,
                args=(state.without(item),),
            )
