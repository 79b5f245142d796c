"""The web app over the catalogue: `streamlit run app.py`.

Only a router: each page is a small `render()` function in kb/ui/pages/, registered here with
its title and URL path (`/`, `/case?slug=…`, `/compare?slugs=…`, …); kb/ui/routes.py names the
same files for links between pages.
"""

import streamlit as st

from kb.errors import KbError
from kb.i18n import _
from kb.ui import language, navigation, routes, shortlist, style
from kb.ui.text import md

chosen = language.choose()  # before anything is drawn: every string below is in it

PAGES = [
    st.Page(
        routes.SEARCH,
        title=_("Search"),
        icon=":material/search:",
        url_path="",
        default=True,
        help=_("Find cases by words and filters; every search is a link you can share."),
    ),
    st.Page(
        routes.EXPLORE,
        title=_("Explore"),
        icon=":material/bar_chart:",
        url_path="explore",
        help=_(
            "What the catalogue, or a filtered part of it, covers: themes by inclusion "
            "dimension, gaps, regions, status, start years and a map of cities."
        ),
    ),
    st.Page(
        routes.COMPARE,
        title=_("Compare"),
        icon=":material/compare_arrows:",
        url_path="compare",
        help=_("Two to four cases side by side, field by field."),
    ),
    st.Page(
        routes.BRIEF,
        title=_("Shortlist and brief"),
        icon=":material/bookmarks:",
        url_path="brief",
        help=_(
            "Your shortlisted cases as a talking-points brief, to download as Markdown, Word "
            "or PDF."
        ),
    ),
    st.Page(
        routes.ABOUT,
        title=_("About"),
        icon=":material/info:",
        url_path="about",
        help=_(
            "What the catalogue is, how cases are chosen, the data licence, corrections and "
            "accessibility."
        ),
    ),
    # reached from links only
    st.Page(
        routes.CASE,
        title=_("Case"),
        icon=":material/article:",
        url_path="case",
        visibility="hidden",
    ),
]

st.set_page_config(
    page_title=_("Urban digital initiatives"),
    # an emoji favicon is drawn in the page; a ":material/...:" one is fetched from Google's
    # font server, and the app must make no request leaving the machine
    page_icon="🏙️",
    layout="centered",
    menu_items={
        "About": _("A knowledge base of real digital urban initiatives (data: CC BY 4.0).")
    },
)
style.apply()
language.mark_document(chosen)
language.switcher(chosen)
page = st.navigation(PAGES, position="top")
navigation.remember_page(page.url_path)
shortlist.follow_url()
try:
    page.run()
except KbError as exc:  # e.g. the index is locked by an import: one sentence, no stack trace
    st.error(md(str(exc)), icon=":material/error:")
shortlist.sidebar()
