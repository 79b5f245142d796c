"""Brief (`/brief?q=TOPIC&theme=…` or `/brief?slugs=a,b,c`): a talking-points brief on a topic
(with the search's filters) or on the shortlisted cases, previewed here and downloadable as
Markdown, Word, PDF and slides.

The URL carries the topic and filters, or the shortlist, so the link is the brief. The preview is
drawn from the Brief's fields with every catalogue string escaped, not from
`Brief.to_markdown()` (a file format).
"""

from __future__ import annotations

import datetime as dt
import re

import streamlit as st

from kb.brief import MAX_CASES, MEDIA_TYPES, MIN_CASES, Brief
from kb.brief import render as render_brief
from kb.brief.model import MINUTE, POINTS, REFERENCES
from kb.errors import KbError
from kb.i18n import N_, _, ngettext
from kb.ui import navigation, routes, shortlist
from kb.ui.resources import knowledge_base
from kb.ui.state import SearchState, parse_search
from kb.ui.text import link, md

# button labels (format names), translated where shown
DOWNLOADS = (
    (N_("Markdown"), "md"),
    (N_("Word"), "docx"),
    (N_("PDF"), "pdf"),
    (N_("Slides"), "pptx"),
)


def render() -> None:
    state = parse_search(st.query_params.to_dict() | _lists()).state
    if state.q or state.has_filters:
        st.title(_("Brief on a topic"), anchor=False)
        _topic(state)
        return
    st.title(_("Shortlist and brief"), anchor=False)
    _from_shortlist()


def _lists() -> dict[str, list[str]]:
    """Repeated parameters (theme=a&theme=b) as lists."""
    return {key: st.query_params.get_all(key) for key in st.query_params}


def _topic(state: SearchState) -> None:
    filters = state.filter_kwargs()
    query = filters.pop("query")
    st.caption(
        _("A brief on the cases matching this search, the best and most varied of them cited.")
    )
    navigation.link(
        routes.SEARCH,
        label=_("Back to this search"),
        icon=":material/search:",
        query_params=state.with_page(1).to_params(),
    )
    try:
        brief = knowledge_base().brief(query or None, **filters)
    except KbError as exc:
        st.info(md(str(exc)))
        return
    parts = [re.sub(r"[^\w-]+", "-", p).strip("-").lower() for p in state.name_parts()]
    _downloads(brief, "_".join(["brief", *filter(None, parts)])[:80])
    _preview(brief)


def _from_shortlist() -> None:
    chosen = shortlist.slugs()
    unknown = [slug for slug in chosen if shortlist.title(slug) is None]
    if unknown:
        st.warning(
            _("No case with these identifiers, so they are left out: {slugs}").format(
                slugs=md(", ".join(unknown))
            )
        )
        shortlist.replace([slug for slug in chosen if slug not in unknown])
        chosen = shortlist.slugs()
    if not chosen:
        st.info(
            _(
                "Your shortlist is empty. Add cases from search results or case pages, or make "
                "a brief straight from a search with its \u201cBrief on this search\u201d button."
            )
        )
        navigation.link(routes.SEARCH, label=_("Find cases"), icon=":material/search:")
        return
    _shortlist(chosen)
    cited = min(max(len(chosen), MIN_CASES), MAX_CASES)
    try:
        brief = knowledge_base().brief(slugs=chosen, max_cases=cited)
    except KbError as exc:
        st.error(md(str(exc)))
        return
    if len(chosen) > MAX_CASES:
        st.caption(
            _("A brief cites at most {n} cases: the most varied ones were chosen.").format(
                n=MAX_CASES
            )
        )
    _downloads(brief, "brief-shortlist")
    _preview(brief)


def _shortlist(chosen: list[str]) -> None:
    heading = ngettext("Your shortlist ({n} case)", "Your shortlist ({n} cases)", len(chosen))
    st.header(heading.format(n=len(chosen)), anchor=False)
    for slug in chosen:
        with st.container(horizontal=True, vertical_alignment="center"):
            navigation.link(
                routes.CASE, label=md(shortlist.title(slug) or slug), query_params={"slug": slug}
            )
            st.button(
                _("Remove"),
                key=f"brief_remove_{slug}",
                icon=":material/close:",
                help=_("Remove this case from the shortlist"),
                on_click=shortlist.toggle,
                args=(slug,),
            )


def _downloads(brief: Brief, stem: str) -> None:
    st.header(_("Download the brief"), anchor=False)
    dated = f"{stem}_{dt.date.today().isoformat()}"
    with st.container(horizontal=True):
        for label, fmt in DOWNLOADS:
            st.download_button(
                _(label),
                data=lambda fmt=fmt: render_brief(brief, fmt),
                file_name=f"{dated}.{fmt}",
                mime=MEDIA_TYPES.get(fmt, "application/octet-stream"),
                key=f"brief_download_{fmt}",
                icon=":material/download:",
                on_click="ignore",
            )


def _preview(brief: Brief) -> None:
    st.header(_("Preview"), anchor=False)
    with st.container(border=True):
        st.subheader(md(brief.title), anchor=False)
        if brief.minute:
            st.markdown(f"#### {_(MINUTE)}")
            st.markdown(" ".join(md(sentence) for sentence in brief.minute))
        st.markdown(md(brief.overview))
        st.markdown(f"#### {_(POINTS)}")
        st.markdown(
            "\n".join(
                f"{n}. **{md(p.headline)}** {md(p.detail)}" for n, p in enumerate(brief.points, 1)
            )
        )
        for heading, items in brief.bullet_sections():
            if items:
                st.markdown(f"#### {md(_(heading))}")
                st.markdown("\n".join(f"- {md(item)}" for item in items))
        st.markdown(f"#### {_(REFERENCES)}")
        st.markdown(
            "  \n".join(
                f"\\[{r.number}\\] {md(r.text())} {link(r.url, r.url)}" for r in brief.references
            )
        )


if __name__ == "__main__":
    render()
