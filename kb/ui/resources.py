"""The one KnowledgeBase per process, opened from KB_HOME / KB_DATABASE_URL (read here, at the
edge), and prepared on first use: a fresh KB_HOME is initialised and given the bundled catalogue.

Only the KnowledgeBase is cached (st.cache_resource): it holds the thread-safe Engine and the
Whoosh Index. Sessions and searchers are opened per call inside the service, and every
KnowledgeBase.search first syncs the index with the database, so changes made by `kb import`
in another process show up on the next page run without a restart.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path

import streamlit as st

from kb.config import Settings
from kb.i18n import _, format_number, ngettext
from kb.service import KnowledgeBase


@dataclass
class _Readiness:
    done: bool = False
    lock: threading.Lock = field(default_factory=threading.Lock)


def _close(kb: KnowledgeBase) -> None:
    kb.close()


# on_release: clearing the cache (tests do, between catalogues) disposes of the engine
@st.cache_resource(show_spinner=False, on_release=_close)
def _open(home: str, database_url: str | None) -> KnowledgeBase:
    return KnowledgeBase(Settings(home=Path(home), database_url=database_url))


@st.cache_resource(show_spinner=False)
def _readiness(home: str, database_url: str | None) -> _Readiness:
    return _Readiness()


def knowledge_base() -> KnowledgeBase:
    """The shared catalogue, initialised and filled with the bundled catalogue if empty."""
    settings = Settings.from_env()
    key = (str(settings.home), settings.database_url)
    kb = _open(*key)
    readiness = _readiness(*key)
    if not readiness.done:
        with readiness.lock:  # two first visitors must not both import the catalogue
            if not readiness.done:
                _prepare(kb)
                readiness.done = True
    return kb


def _prepare(kb: KnowledgeBase) -> None:
    """Once per process: create or upgrade the database (idempotent, quick when nothing is
    to do), then import the bundled catalogue into an empty one, with a progress bar."""
    with st.spinner(_("Opening the catalogue…")):
        kb.init()
    if kb.is_empty():
        bar = st.progress(0.0, text=_("Importing the bundled catalogue…"))

        def progress(done: int, total: int) -> None:
            text = ngettext(
                "Importing the bundled catalogue: {done} of {total} case",
                "Importing the bundled catalogue: {done} of {total} cases",
                total,
            ).format(done=format_number(done), total=format_number(total))
            bar.progress(done / max(total, 1), text=text)

        report = kb.import_bundled(progress=progress)
        bar.empty()
        st.toast(
            ngettext(
                "Imported {n} case from the bundled catalogue.",
                "Imported {n} cases from the bundled catalogue.",
                report.added,
            ).format(n=format_number(report.added))
        )
