"""Search (`/`): a query, filters with counts, sorted and paged results, downloads.

The URL is the single source of truth: each run parses it (kb.ui.state), sets every control to
match it, and each control's callback writes the next state back to the URL. So a pasted link,
the browser's back button and a click all reproduce the same view.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable

import streamlit as st

from kb.citation import CATALOGUE, LICENCE, bibtex_list
from kb.records import SearchHit, SearchResult
from kb.service import KnowledgeBase
from kb.ui import routes, shortlist
from kb.ui.resources import knowledge_base
from kb.ui.state import (
    FACETS,
    PAGE_SIZE,
    SORT_LABELS,
    YEAR_RANGE,
    SearchState,
    facet_options,
    filter_sizes,
    narrowest_filter,
    parse_search,
)
from kb.ui.text import badges, case_facts, md, plural, snippet_markdown
from kb.ui.urls import app_base_url

OPEN_BY_DEFAULT = ("theme", "inclusion")


def current_state() -> SearchState:
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    return parse_search(params).state


def go(state: SearchState) -> None:
    """Show `state`: write it to the URL (the rerun that follows renders it)."""
    st.query_params.from_dict(state.to_params())


def _on_widget(change: Callable[[SearchState], SearchState]) -> None:
    go(change(current_state()))


def _set(key: str, value: object) -> None:
    """Make a control show the URL's value (only before the control is drawn in this run)."""
    if key not in st.session_state or st.session_state[key] != value:
        st.session_state[key] = value


def render() -> None:
    kb = knowledge_base()
    params = {key: st.query_params.get_all(key) for key in st.query_params}
    parsed = parse_search(params)
    state = parsed.state
    result = kb.search(**state.search_kwargs())
    pages = max(1, math.ceil(result.total / PAGE_SIZE))
    if state.page > pages:  # a stale link past the last page: show the last one
        state = state.with_page(pages)
        result = kb.search(**state.search_kwargs())

    st.title("Urban digital initiatives", anchor=False)
    _search_box(state)
    if parsed.ignored:
        st.warning(
            "This link had values we do not know, so they were left out: "
            + md(", ".join(parsed.ignored))
        )
    _filters(state, result)
    _active_filters(state)
    _results_heading(state, result)
    if result.total == 0:
        _nothing_found(kb, state, result)
        return
    if result.message:  # e.g. the query was cut short, or its syntax was not understood
        st.info(md(result.message), icon=":material/info:")
    if result.suggestion and result.suggestion != state.q:
        st.info(
            f"Showing results for **{md(result.suggestion)}**: no case has the words as typed.",
            icon=":material/spellcheck:",
        )
    for hit in result.hits:
        _hit_card(hit)
    _pager(state, pages)
    _downloads(kb, state, result.total)


def _search_box(state: SearchState) -> None:
    _set("search_q", state.q)
    st.text_input(
        "Search cases",
        key="search_q",
        placeholder="Words, e.g. bike share, participatory budgeting, digital skills",
        help="Press Enter to search. Several words find cases with all of them; "
        '"quotes" search a phrase.',
        on_change=lambda: _on_widget(lambda s: s.with_query(st.session_state["search_q"])),
    )


def _filters(state: SearchState, result: SearchResult) -> None:
    with st.sidebar:
        st.header("Filters", anchor=False)
        if state.has_filters:
            st.button(
                "Clear all filters",
                key="filters_clear",
                on_click=go,
                args=(state.without_filters(),),
            )
        for facet in FACETS:
            options = facet_options(
                facet, result.facets.get(facet.facet, {}), state.selected(facet.param)
            )
            if not options:
                continue
            chosen = len(state.selected(facet.param))
            title = f"{facet.title} ({chosen} chosen)" if chosen else facet.title
            box = _facet_box(title, facet.param, open_=bool(chosen))
            if not box.open:  # a closed box draws nothing: fewer elements, a faster page
                continue
            with box:
                for option in options:
                    key = f"facet_{facet.param}_{option.value}"
                    _set(key, option.selected)
                    # not md(): Streamlit also puts a checkbox label verbatim in aria-label,
                    # and these labels are our vocabularies, never catalogue text
                    st.checkbox(
                        f"{option.label} ({option.count})",
                        key=key,
                        on_change=_on_widget,
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
    box = _facet_box("Start year (chosen)" if chosen else "Start year", "years", open_=chosen)
    if not box.open:
        return
    with box:
        _set("year_from", state.year_from)
        _set("year_to", state.year_to)

        def change() -> None:
            _on_widget(
                lambda s: s.with_years(st.session_state["year_from"], st.session_state["year_to"])
            )

        for key, label in (
            ("year_from", "Started in or after"),
            ("year_to", "Started in or before"),
        ):
            st.number_input(
                label,
                key=key,
                min_value=YEAR_RANGE[0],
                max_value=YEAR_RANGE[1],
                value=None,
                step=1,
                placeholder="Any year",
                on_change=change,
            )


def _active_filters(state: SearchState) -> None:
    active = state.active_filters()
    if not active:
        return
    with st.container(horizontal=True, key="active_filters"):
        for n, item in enumerate(active):
            st.button(
                f"Remove filter {md(item.label)}",
                key=f"remove_filter_{n}",
                icon=":material/close:",
                on_click=go,
                args=(state.without(item),),
            )


def _results_heading(state: SearchState, result: SearchResult) -> None:
    noun = "case" if result.total == 1 else "cases"
    first = (state.page - 1) * PAGE_SIZE + 1
    shown = f", showing {first}–{first + len(result.hits) - 1}" if result.total > PAGE_SIZE else ""
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.header(f"{result.total} {noun}{shown}", anchor=False)
        _set("sort", state.sort)
        st.selectbox(
            "Sort by",
            list(SORT_LABELS),
            key="sort",
            format_func=SORT_LABELS.get,
            on_change=lambda: _on_widget(lambda s: s.with_sort(st.session_state["sort"])),
            width=200,
        )


def _nothing_found(kb: KnowledgeBase, state: SearchState, result: SearchResult) -> None:
    st.info(md(result.message or "No cases match."), icon=":material/search_off:")
    if result.suggestion and result.suggestion != state.q:
        _suggestion(state, result.suggestion)
    drop = narrowest_filter(state.active_filters(), filter_sizes(kb, state))
    if drop is not None:
        wider = state.without(drop)
        found = kb.search(**wider.search_kwargs(page_size=0)).total
        st.button(
            f"Remove the narrowest filter, {md(drop.label)} ({plural(found, 'case')})",
            key="drop_narrowest",
            icon=":material/filter_alt_off:",
            type="primary",
            on_click=go,
            args=(wider,),
        )


def _suggestion(state: SearchState, suggestion: str) -> None:
    st.markdown(f"Did you mean **{md(suggestion)}**?")
    st.button(
        f"Search for {md(suggestion)}",
        key="apply_suggestion",
        icon=":material/spellcheck:",
        on_click=go,
        args=(state.with_query(suggestion),),
    )


def _hit_card(hit: SearchHit) -> None:
    with st.container(border=True):
        st.page_link(routes.CASE, label=f"**{md(hit.title)}**", query_params={"slug": hit.slug})
        facts = case_facts(
            city=hit.city,
            country_name=hit.country_name,
            start_year=hit.start_year,
            status=hit.status,
        )
        lines = [facts, badges(hit.themes, hit.inclusion), snippet_markdown(hit.snippet)]
        st.markdown("  \n".join(line for line in lines if line))
        shortlist.button(hit.slug, key=f"shortlist_{hit.slug}")


def _pager(state: SearchState, pages: int) -> None:
    """Previous / next buttons: plain buttons, so the keyboard and screen readers know them."""
    if pages <= 1:
        return
    with st.container(horizontal=True, vertical_alignment="center", key="pager"):
        st.button(
            "Previous page",
            key="page_previous",
            icon=":material/chevron_left:",
            disabled=state.page <= 1,
            on_click=go,
            args=(state.with_page(state.page - 1),),
        )
        st.markdown(f"Page {state.page} of {pages}")
        st.button(
            "Next page",
            key="page_next",
            icon=":material/chevron_right:",
            icon_position="right",
            disabled=state.page >= pages,
            on_click=go,
            args=(state.with_page(state.page + 1),),
        )


def _downloads(kb: KnowledgeBase, state: SearchState, total: int) -> None:
    st.subheader(
        "Download this case" if total == 1 else f"Download these {total:,} cases", anchor=False
    )
    base = app_base_url()

    def matching_slugs() -> list[str]:
        return [h.slug for h in kb.search(**state.with_page(1).search_kwargs(page_size=total)).hits]

    def bibtex() -> str:
        views = kb.views(sorted(matching_slugs()))
        return bibtex_list(views, retrieved=dt.date.today(), base_url=base)

    files = (
        ("CSV", "csv", "text/csv", lambda: kb.export("csv", slugs=matching_slugs())),
        (
            "JSON Lines",
            "jsonl",
            "application/jsonl",
            lambda: kb.export("jsonl", slugs=matching_slugs()),
        ),
        ("BibTeX", "bib", "application/x-bibtex", bibtex),
    )
    with st.container(horizontal=True):
        for label, ext, mime, data in files:
            st.download_button(
                label,
                data=data,
                file_name=f"cases.{ext}",
                mime=mime,
                key=f"download_{ext}",
                icon=":material/download:",
                on_click="ignore",
            )
    st.caption(f"Case data is licensed {LICENCE}: please credit the {CATALOGUE}.")


if __name__ == "__main__":
    render()
