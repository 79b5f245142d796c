"""The web app over the catalogue: `streamlit run app.py`.

Only a router: the pages live in kb/ui/pages/, each a small `render()` function, and
kb/ui/routes.py lists them with their URL paths (`/`, `/case?slug=…`, `/compare?slugs=…`, …).
"""

import streamlit as st

from kb.errors import KbError
from kb.ui import navigation, routes, shortlist
from kb.ui.text import md

st.set_page_config(
    page_title="Urban digital initiatives",
    page_icon=":material/location_city:",
    layout="centered",
    menu_items={"About": "A knowledge base of real digital urban initiatives (data: CC BY 4.0)."},
)
page = st.navigation(routes.pages(), position="top")
navigation.remember_page(page.url_path)
try:
    page.run()
except KbError as exc:  # e.g. the index is locked by an import: one sentence, no stack trace
    st.error(md(str(exc)), icon=":material/error:")
shortlist.sidebar()
