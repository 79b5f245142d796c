"""Shortlist and brief (`/brief?slugs=a,b,c`): the shortlisted cases as a talking-points brief,
previewed here and downloadable as Markdown, Word and PDF.

The URL carries the shortlist, so the link is the shortlist: opening it fills the session's
shortlist, and changing the shortlist here updates the link. The preview is drawn from the
Brief's fields with every catalogue string escaped, not from `Brief.to_markdown()` (which is
a file format and does not escape Markdown in case text).
"""

from __future__ import annotations

import importlib
from types import ModuleType

import streamlit as st

from kb.errors import KbError
from kb.service import KnowledgeBase
from kb.ui import routes, shortlist
from kb.ui.resources import knowledge_base
from kb.ui.state import parse_slugs
from kb.ui.text import link, md

MIN_CITED, MAX_CITED = 3, 7  # what KnowledgeBase.brief accepts as max_cases
DOWNLOADS = (("Markdown", "md"), ("Word", "docx"), ("PDF", "pdf"))


def brief_renderer(kb: KnowledgeBase) -> ModuleType | None:
    """kb.brief_render, or None while the brief engine is not installed."""
    if not hasattr(kb, "brief"):
        return None
    try:
        return importlib.import_module("kb.brief_render")
    except ImportError:
        return None


def render() -> None:
    kb = knowledge_base()
    st.title("Shortlist and brief", anchor=False)
    if "slugs" in st.query_params:
        shortlist.replace(parse_slugs(st.query_params.get_all("slugs")))
    else:
        shortlist.replace(shortlist.slugs())  # puts the session's shortlist in the link
    chosen = shortlist.slugs()
    unknown = [slug for slug in chosen if shortlist.title(slug) is None]
    if unknown:
        st.warning(
            "No case with these identifiers, so they are left out: " + md(", ".join(unknown))
        )
        shortlist.replace([slug for slug in chosen if slug not in unknown])
        chosen = shortlist.slugs()
    if not chosen:
        st.info("Your shortlist is empty. Add cases from search results or case pages.")
        st.page_link(routes.SEARCH, label="Find cases", icon=":material/search:")
        return
    _shortlist(chosen)
    renderer = brief_renderer(kb)
    if renderer is None:
        st.info("Briefs are not available in this installation yet: the brief engine is missing.")
        return
    try:
        brief = kb.brief(slugs=chosen, max_cases=min(max(len(chosen), MIN_CITED), MAX_CITED))
    except KbError as exc:
        st.error(md(str(exc)))
        return
    if len(chosen) > MAX_CITED:
        st.caption(f"A brief cites at most {MAX_CITED} cases: the most varied ones were chosen.")
    _downloads(renderer, brief)
    _preview(brief)


def _shortlist(chosen: list[str]) -> None:
    st.header(f"Your shortlist ({len(chosen)})", anchor=False)
    for slug in chosen:
        with st.container(horizontal=True, vertical_alignment="center"):
            st.page_link(
                routes.CASE, label=md(shortlist.title(slug) or slug), query_params={"slug": slug}
            )
            st.button(
                "Remove",
                key=f"brief_remove_{slug}",
                icon=":material/close:",
                help="Remove this case from the shortlist",
                on_click=shortlist.toggle,
                args=(slug,),
            )


def _downloads(renderer: ModuleType, brief: object) -> None:
    st.header("Download the brief", anchor=False)
    with st.container(horizontal=True):
        for label, fmt in DOWNLOADS:
            st.download_button(
                label,
                data=lambda fmt=fmt: renderer.render(brief, fmt),
                file_name=f"brief.{fmt}",
                mime=renderer.MEDIA_TYPES.get(fmt, "application/octet-stream"),
                key=f"brief_download_{fmt}",
                icon=":material/download:",
                on_click="ignore",
            )


def _preview(brief) -> None:  # noqa: ANN001 - a kb.brief.Brief
    from kb.brief import POINTS, REFERENCES

    st.header("Preview", anchor=False)
    with st.container(border=True):
        st.subheader(md(brief.title), anchor=False)
        st.markdown(md(brief.overview))
        st.markdown(f"#### {POINTS}")
        st.markdown(
            "\n".join(
                f"{n}. **{md(p.title)}** ({md(p.context)}). {md(p.body)}"
                for n, p in enumerate(brief.points, 1)
            )
        )
        for heading, items in brief.bullet_sections():
            if items:
                st.markdown(f"#### {md(heading)}")
                st.markdown("\n".join(f"- {md(item)}" for item in items))
        st.markdown(f"#### {REFERENCES}")
        st.markdown(
            "  \n".join(
                f"\\[{r.number}\\] {md(r.text())} {link(r.url, r.url)}" for r in brief.references
            )
        )


if __name__ == "__main__":
    render()
