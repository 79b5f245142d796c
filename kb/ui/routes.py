"""The app's pages: where each one's script lives and the URL path it answers on.

Paths are relative to app.py (Streamlit resolves page files and `st.page_link` targets from the
main script's folder). A new page is a module in kb/ui/pages/ with a `render()` function and a
line here.
"""

from __future__ import annotations

import streamlit as st

SEARCH = "kb/ui/pages/search.py"
CASE = "kb/ui/pages/case.py"
COMPARE = "kb/ui/pages/compare.py"
EXPLORE = "kb/ui/pages/explore.py"
BRIEF = "kb/ui/pages/brief.py"
ABOUT = "kb/ui/pages/about.py"


def pages() -> list[st.Page]:
    """Every page, in navigation order; the case page is reached from links only."""
    return [
        st.Page(
            SEARCH,
            title="Search",
            icon=":material/search:",
            url_path="",
            default=True,
            help="Find cases by words and filters; every search is a link you can share.",
        ),
        st.Page(
            EXPLORE,
            title="Explore",
            icon=":material/bar_chart:",
            url_path="explore",
            help="Coverage of the catalogue: themes by inclusion dimension, regions, years, "
            "status and a map of cities.",
        ),
        st.Page(
            COMPARE,
            title="Compare",
            icon=":material/compare_arrows:",
            url_path="compare",
            help="Two to four cases side by side, field by field.",
        ),
        st.Page(
            BRIEF,
            title="Shortlist and brief",
            icon=":material/bookmarks:",
            url_path="brief",
            help="Your shortlisted cases as a talking-points brief, to download as Markdown, "
            "Word or PDF.",
        ),
        st.Page(
            ABOUT,
            title="About",
            icon=":material/info:",
            url_path="about",
            help="What the catalogue is, how cases are chosen, the data licence, corrections "
            "and accessibility.",
        ),
        st.Page(
            CASE, title="Case", icon=":material/article:", url_path="case", visibility="hidden"
        ),
    ]
