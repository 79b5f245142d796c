"""The shortlist: cases a user collects from search results and case pages for a brief or a
comparison. It lives in the URL of every page (`?slugs=a,b,c`), so reload, back and a copied
link keep it; the session holds a copy so that links between pages, which name only their own
parameters, do not drop it (the router writes it back on every run)."""

from __future__ import annotations

import streamlit as st

from kb.errors import CaseNotFound
from kb.i18n import _
from kb.ui import navigation, routes
from kb.ui.resources import knowledge_base
from kb.ui.state import MAX_SLUGS, parse_slugs, slugs_param
from kb.ui.text import md

KEY = "shortlist"
PARAM = "slugs"
TITLES = "shortlist_titles"
COMPARE_MAX = 4


def slugs() -> list[str]:
    return list(st.session_state.get(KEY, []))


def replace(new: list[str]) -> None:
    """Set the shortlist; the page's address follows."""
    st.session_state[KEY] = list(dict.fromkeys(new))[:MAX_SLUGS]
    wanted = slugs_param(st.session_state[KEY])
    if wanted and st.query_params.get(PARAM) != wanted:
        st.query_params[PARAM] = wanted
    elif not wanted and PARAM in st.query_params:
        del st.query_params[PARAM]


def follow_url() -> None:
    """Called by the router on every run: the address decides (a pasted link, reload, back);
    a link between pages that left it out gets the session's shortlist back."""
    if PARAM in st.query_params:
        st.session_state[KEY] = parse_slugs(st.query_params.get_all(PARAM))
    replace(slugs())


def toggle(slug: str) -> None:
    current = slugs()
    replace([s for s in current if s != slug] if slug in current else [*current, slug])


def clear() -> None:
    replace([])


def title(slug: str) -> str | None:
    """The case's title (cached for the session), or None when there is no such case."""
    titles = st.session_state.setdefault(TITLES, {})
    if slug not in titles:
        try:
            titles[slug] = knowledge_base().get(slug).record.title
        except CaseNotFound:
            titles[slug] = None
    return titles[slug]


def button(slug: str, *, key: str) -> None:
    """Add to / remove from the shortlist; the label says which it will do."""
    listed = slug in slugs()
    st.button(
        _("Remove from shortlist") if listed else _("Add to shortlist"),
        key=key,
        icon=":material/bookmark_remove:" if listed else ":material/bookmark_add:",
        on_click=toggle,
        args=(slug,),
    )


def sidebar() -> None:
    """The shortlist panel shown on every page."""
    chosen = slugs()
    with st.sidebar:
        st.header(_("Shortlist ({n})").format(n=len(chosen)), anchor=False)
        if not chosen:
            st.caption(_("Add cases from search results or case pages to build a brief."))
            return
        for slug in chosen:
            navigation.link(routes.CASE, label=md(title(slug) or slug), query_params={"slug": slug})
        param = slugs_param(chosen)
        navigation.link(
            routes.BRIEF,
            label=_("Brief from this shortlist"),
            icon=":material/description:",
            query_params={"slugs": param},
        )
        if len(chosen) >= 2:
            navigation.link(
                routes.COMPARE,
                label=_("Compare these cases")
                if len(chosen) <= COMPARE_MAX
                else _("Compare the first four"),
                icon=":material/compare_arrows:",
                query_params={"compare": slugs_param(chosen[:COMPARE_MAX])},
            )
        st.button(_("Clear the shortlist"), key="shortlist_clear", on_click=clear)
