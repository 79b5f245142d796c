"""Which page the session is on, and which it came from (for the few places that care)."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

import streamlit as st

from kb.i18n import current
from kb.ui.language import PARAM as LANGUAGE_PARAM

CURRENT, PREVIOUS = "nav_current_page", "nav_previous_page"


def remember_page(url_path: str) -> None:
    """Called by the router before each page run."""
    st.session_state[PREVIOUS] = st.session_state.get(CURRENT)
    st.session_state[CURRENT] = url_path


def current_page() -> str | None:
    return st.session_state.get(CURRENT)


def previous_page() -> str | None:
    return st.session_state.get(PREVIOUS)


def keep_in_address(param: str, value: str) -> None:
    """Make the address show `param=value` after a link to the page the user is already on.

    Such a link (one case to another, one comparison to another) reruns the page with the new
    query but leaves the browser's address as it was. Writing the value back fixes that; it is
    done only then, since writing it on other runs confuses the browser's back button.
    """
    shown = f"nav_shown_{current_page()}_{param}"
    if previous_page() == current_page() and st.session_state.get(shown) != value:
        st.query_params[param] = value
    st.session_state[shown] = value


def with_language(query_params: Mapping[str, Any] | None = None) -> dict[str, Any]:
    """A link's query with the reader's language in it (`lang=`), so the page it opens needs
    no rewrite of the address (each rewrite adds an entry to the browser's history)."""
    return {**(query_params or {}), LANGUAGE_PARAM: current()}


def link(page: str | Path, *, query_params: Mapping[str, Any] | None = None, **kwargs: Any) -> None:
    """`st.page_link` that keeps the reader's language."""
    st.page_link(page, query_params=with_language(query_params), **kwargs)
