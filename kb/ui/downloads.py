"""Download buttons for the cases of a view (search results, an Explore selection, a
comparison): CSV, Excel, JSON Lines, BibTeX and CSL-JSON, in the order on screen, each file
named after the selection and the day (kb.export.file_name)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence

import streamlit as st

from kb.citation import CATALOGUE, LICENCE
from kb.export import VIEW_FORMATS, file_name
from kb.i18n import _
from kb.service import KnowledgeBase
from kb.ui.urls import app_base_url


def case_downloads(
    kb: KnowledgeBase,
    slugs: Callable[[], Sequence[str]],
    *,
    name_parts: Sequence[str],
    description: str,
    stem: str = "cases",
    key: str = "download",
) -> None:
    """One button per format; `slugs` is called only when a file is asked for."""
    today = dt.date.today()
    base = app_base_url()

    def data(fmt: str) -> Callable[[], bytes]:
        return lambda: kb.export_cases(
            list(slugs()), fmt, retrieved=today, base_url=base, description=description
        )

    with st.container(horizontal=True):
        for fmt, (label, ext, mime) in VIEW_FORMATS.items():
            st.download_button(
                label,
                data=data(fmt),
                file_name=file_name(name_parts, ext, day=today, stem=stem),
                mime=mime,
                key=f"{key}_{fmt}",
                icon=":material/download:",
                on_click="ignore",
            )
    st.caption(
        _("Case data is licensed {licence}: please credit the {catalogue}.").format(
            licence=LICENCE, catalogue=CATALOGUE
        )
    )
