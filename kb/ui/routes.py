"""Where each page's script lives, for links between pages (`st.page_link(routes.CASE, ...)`).

Paths are relative to app.py, since Streamlit resolves page files and link targets from the
main script's folder. app.py registers the same files with their titles and URL paths.
"""

SEARCH = "kb/ui/pages/search.py"
CASE = "kb/ui/pages/case.py"
COMPARE = "kb/ui/pages/compare.py"
EXPLORE = "kb/ui/pages/explore.py"
BRIEF = "kb/ui/pages/brief.py"
ABOUT = "kb/ui/pages/about.py"
