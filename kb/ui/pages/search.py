"""Search (`/`): a query, filters with counts, sorted and paged results, cases ticked for
comparison, downloads. The whole view is its URL (kb.ui.filters)."""

from __future__ import annotations

import math

import streamlit as st

from kb.i18n import DEFAULT, _, current, format_number, ngettext
from kb.records import SearchHit, SearchResult
from kb.service import KnowledgeBase
from kb.ui import navigation, routes, shortlist
from kb.ui.downloads import case_downloads
from kb.ui.filters import (
    chips,
    filter_panel,
    go,
    on_widget,
    parsed,
    search_box,
    set_widget,
    warn_ignored,
)
from kb.ui.resources import knowledge_base
from kb.ui.state import (
    FACET_BY_PARAM,
    MAX_COMPARE,
    PAGE_SIZE,
    SORT_LABELS,
    SearchState,
    filter_sizes,
    narrowest_filter,
    slugs_param,
    sort_label,
)
from kb.ui.text import badges, case_facts, country_label, md, snippet_markdown


def render() -> None:
    kb = knowledge_base()
    found = parsed()
    state = found.state
    result = kb.search(**state.search_kwargs())
    pages = max(1, math.ceil(result.total / PAGE_SIZE))
    if state.page > pages:  # a stale link past the last page: show the last one
        state = state.with_page(pages)
        result = kb.search(**state.search_kwargs())

    st.title(_("Urban digital initiatives"), anchor=False)
    search_box(state)
    warn_ignored(found)
    filter_panel(state, result.facets)
    chips(state)
    _results_heading(state, result)
    if result.total == 0:
        _nothing_found(kb, state, result)
        return
    if result.message:  # e.g. the query was cut short, or its syntax was not understood
        st.info(md(result.message), icon=":material/info:")
    if result.suggestion and result.suggestion != state.q:
        st.info(
            _("Showing results for {words}: no case has the words as typed.").format(
                words=f"**{md(result.suggestion)}**"
            ),
            icon=":material/spellcheck:",
        )
    _comparison_bar(state)
    _brief_link(state)
    _places(state, result)
    titles = _translated_titles(kb, result.hits)
    if titles:
        st.caption(
            _(
                "Case titles are shown in your language (translated, not yet reviewed); the "
                "passages quoted from the cases are in English."
            )
        )
    for hit in result.hits:
        _hit_card(state, hit, titles.get(hit.slug))
    _pager(state, pages)
    _downloads(kb, state, result.total)


def _results_heading(state: SearchState, result: SearchResult) -> None:
    first = (state.page - 1) * PAGE_SIZE + 1
    n = format_number(result.total)
    if result.total > PAGE_SIZE:
        heading = ngettext(
            "{n} case, showing {first}–{last}", "{n} cases, showing {first}–{last}", result.total
        ).format(n=n, first=first, last=first + len(result.hits) - 1)
    else:
        heading = ngettext("{n} case", "{n} cases", result.total).format(n=n)
    with st.container(horizontal=True, vertical_alignment="bottom"):
        st.header(heading, anchor=False)
        set_widget("sort", state.sort)
        st.selectbox(
            _("Sort by"),
            list(SORT_LABELS),
            key="sort",
            format_func=sort_label,
            on_change=lambda: on_widget(lambda s: s.with_sort(st.session_state["sort"])),
            width=200,
        )


def _nothing_found(kb: KnowledgeBase, state: SearchState, result: SearchResult) -> None:
    st.info(md(result.message or _("No cases match.")), icon=":material/search_off:")
    if result.suggestion and result.suggestion != state.q:
        _suggestion(state, result.suggestion)
    drop = narrowest_filter(state.active_filters(), filter_sizes(kb, state))
    if drop is not None:
        wider = state.without(drop)
        found = kb.search(**wider.search_kwargs(page_size=0)).total
        st.button(
            ngettext(
                "Remove the narrowest filter, {filter} ({n} case)",
                "Remove the narrowest filter, {filter} ({n} cases)",
                found,
            ).format(filter=md(drop.label), n=format_number(found)),
            key="drop_narrowest",
            icon=":material/filter_alt_off:",
            type="primary",
            on_click=go,
            args=(wider,),
        )


def _suggestion(state: SearchState, suggestion: str) -> None:
    st.markdown(_("Did you mean {words}?").format(words=f"**{md(suggestion)}**"))
    st.button(
        _("Search for {words}").format(words=md(suggestion)),
        key="apply_suggestion",
        icon=":material/spellcheck:",
        on_click=go,
        args=(state.with_query(suggestion),),
    )


def _brief_link(state: SearchState) -> None:
    """A cited talking-points brief on what this search finds, in one click."""
    if state.q or state.has_filters:
        navigation.link(
            routes.BRIEF,
            label=_("Brief on this search"),
            icon=":material/description:",
            query_params=state.with_page(1).without_compare().to_params(),
        )


def _places(state: SearchState, result: SearchResult) -> None:
    """A place the query names, offered as a filter ("in African cities" -> Region: Africa)."""
    for place in result.places:
        facet = FACET_BY_PARAM.get(place["facet"])
        if facet is None or place["value"] in state.selected(facet.param):
            continue
        st.button(
            _("Only cases in {filter}: {value}").format(
                filter=facet.heading().lower(), value=md(facet.label(place["value"]))
            ),
            key=f"place_{place['facet']}_{place['value']}",
            icon=":material/place:",
            on_click=go,
            args=(state.toggled(facet.param, place["value"]),),
        )


def _comparison_bar(state: SearchState) -> None:
    """The cases ticked for comparison (kept in the URL) and the link that compares them."""
    chosen = state.compare
    if not chosen:
        return
    with st.container(horizontal=True, vertical_alignment="center", key="compare_bar"):
        if len(chosen) >= 2:
            navigation.link(
                routes.COMPARE,
                label=ngettext(
                    "Compare the {n} ticked case", "Compare the {n} ticked cases", len(chosen)
                ).format(n=len(chosen)),
                icon=":material/compare_arrows:",
                query_params={"compare": slugs_param(chosen)},
            )
        else:
            st.markdown(_("1 case ticked for comparison: tick one more to compare."))
        st.button(
            _("Untick all"),
            key="compare_clear",
            on_click=go,
            args=(state.without_compare(),),
        )


def _translated_titles(kb: KnowledgeBase, hits: list[SearchHit]) -> dict[str, str]:
    """The hits' titles in the reader's language, where a case has a translation (none in
    English)."""
    language = current()
    if language == DEFAULT or not hits:
        return {}
    out = {}
    for view in kb.views(hit.slug for hit in hits):
        translation = view.record.translation(language)
        if translation:
            out[view.record.slug] = translation.title
    return out


def _hit_card(state: SearchState, hit: SearchHit, title: str | None = None) -> None:
    with st.container(border=True):
        label = f"**{md(title or hit.title)}**"
        navigation.link(routes.CASE, label=label, query_params={"slug": hit.slug})
        facts = case_facts(
            city=hit.city,
            country_name=country_label(hit.country, hit.country_name),
            start_year=hit.start_year,
            status=hit.status,
        )
        lines = [facts, badges(hit.themes, hit.inclusion), snippet_markdown(hit.snippet)]
        st.markdown("  \n".join(line for line in lines if line))
        with st.container(horizontal=True, vertical_alignment="center"):
            shortlist.button(hit.slug, key=f"shortlist_{hit.slug}")
            ticked = hit.slug in state.compare
            key = f"compare_{hit.slug}"
            set_widget(key, ticked)
            st.checkbox(
                _("Compare"),
                key=key,
                help=ngettext(
                    "Tick up to {n} case, then choose Compare above the results.",
                    "Tick up to {n} cases, then choose Compare above the results.",
                    MAX_COMPARE,
                ).format(n=MAX_COMPARE),
                disabled=not ticked and len(state.compare) >= MAX_COMPARE,
                on_change=on_widget,
                args=(lambda s, slug=hit.slug: s.compare_toggled(slug),),
            )


def _pager(state: SearchState, pages: int) -> None:
    """Previous / next buttons: plain buttons, so the keyboard and screen readers know them."""
    if pages <= 1:
        return
    with st.container(horizontal=True, vertical_alignment="center", key="pager"):
        st.button(
            _("Previous page"),
            key="page_previous",
            icon=":material/chevron_left:",
            disabled=state.page <= 1,
            on_click=go,
            args=(state.with_page(state.page - 1),),
        )
        st.markdown(_("Page {page} of {pages}").format(page=state.page, pages=pages))
        st.button(
            _("Next page"),
            key="page_next",
            icon=":material/chevron_right:",
            icon_position="right",
            disabled=state.page >= pages,
            on_click=go,
            args=(state.with_page(state.page + 1),),
        )


def _downloads(kb: KnowledgeBase, state: SearchState, total: int) -> None:
    st.subheader(
        ngettext("Download this case", "Download these {n} cases", total).format(
            n=format_number(total)
        ),
        anchor=False,
    )

    def matching_slugs() -> list[str]:
        return [h.slug for h in kb.search(**state.with_page(1).search_kwargs(page_size=total)).hits]

    case_downloads(
        kb,
        matching_slugs,
        name_parts=state.name_parts(),
        description=state.description(),
    )


if __name__ == "__main__":
    render()
