"""The app's own address, for citations and exports that link back to a case page."""

from __future__ import annotations

from urllib.parse import urlsplit

import streamlit as st

FALLBACK = "http://localhost:8501/"


def app_base_url() -> str:
    """`scheme://host[:port]/[baseUrlPath/]` as the browser sees the app (a fallback when the
    address is unknown, e.g. under AppTest)."""
    url = st.context.url
    if not url:
        return FALLBACK
    parts = urlsplit(url)
    base_path = (st.get_option("server.baseUrlPath") or "").strip("/")
    return f"{parts.scheme}://{parts.netloc}/" + (f"{base_path}/" if base_path else "")
