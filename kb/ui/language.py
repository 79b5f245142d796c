"""The reader's language in the app.

Chosen, in this order (found by experiment, see PITFALLS): `?lang=` in the URL, this session's
choice, the `kb_lang` cookie, the browser's language (`st.context.locale`), English. Written back
into the URL on every run, so it survives navigation and travels in shared links; a switcher on
every page, each language in its own name. Streamlit hard-codes `<html lang="en">`: a small
script sets the page's real language for assistive technology and remembers the choice in the
cookie. Arabic is laid out right to left by CSS on the main area and the sidebar (not on
`<html>`, which breaks the collapsed sidebar and sliders); each paragraph takes its direction
from its own text (`unicode-bidi: plaintext`, like `dir="auto"`), so an English description
keeps its full stop at its end.
"""

from __future__ import annotations

import json

import streamlit as st

from kb.i18n import LANGUAGES, _, direction, native_name, negotiate
from kb.i18n.language import set_current

PARAM = "lang"
COOKIE = "kb_lang"
KEY = "ui_language"

RTL_CSS = """<style>
[data-testid="stMain"], [data-testid="stSidebarContent"] { direction: rtl; }
[data-testid="stHeading"], [data-testid="stMarkdownContainer"], [data-testid="stCaptionContainer"]
  { text-align: start; }
[data-testid="stSlider"], [data-testid="stVegaLiteChart"], [data-testid="stDataFrame"]
  { direction: ltr; }
[data-testid="stMarkdownContainer"] p, [data-testid="stMarkdownContainer"] li,
[data-testid="stHeading"] h1, [data-testid="stCaptionContainer"] p
  { unicode-bidi: plaintext; }
</style>"""


def choose() -> str:
    """The language for this run (and, through kb.i18n, for every string it shows)."""
    language = negotiate(
        [
            st.query_params.get(PARAM),
            st.session_state.get(KEY),
            st.context.cookies.get(COOKIE),
            st.context.locale,
        ]
    )
    st.session_state[KEY] = language
    set_current(language)
    if st.query_params.get(PARAM) != language:
        st.query_params[PARAM] = language
    return language


def _switch() -> None:
    chosen = st.session_state["language_switcher"]
    st.session_state[KEY] = chosen
    st.query_params[PARAM] = chosen


def switcher(language: str) -> None:
    """A visible language choice, each language written in itself."""
    st.session_state["language_switcher"] = language
    st.sidebar.selectbox(
        _("Language"),
        LANGUAGES,
        format_func=native_name,
        key="language_switcher",
        on_change=_switch,
    )


def mark_document(language: str) -> None:
    """Tell the browser and assistive technology the page's language; remember the choice."""
    cookie = f"{COOKIE}={language}; path=/; max-age=31536000; SameSite=Lax"
    script = (
        f"document.documentElement.lang = {json.dumps(language)};"
        f"document.cookie = {json.dumps(cookie)};"
    )
    st.html(f"<script>{script}</script>", unsafe_allow_javascript=True)
    if direction(language) == "rtl":
        st.html(RTL_CSS)
