"""Urban Digital Initiatives Knowledge Base: a catalogue of real digital urban initiatives."""

import logging
import sys

if sys.version_info < (3, 11):  # noqa: UP036 - refuse now, not fail later in some corner
    raise ImportError(
        f"The knowledge base needs Python 3.11 or newer; this is Python {sys.version.split()[0]}."
    )

from kb.errors import CaseNotFound, DatabaseNotReady, InvalidInput, KbError, Problem
from kb.records import CaseRecord, CaseView, ImportReport, Organization, RevisionInfo, Source, Stats
from kb.service import KnowledgeBase

# a library logs, the application decides where to: no "last resort" echo on stderr (the CLI
# and the app show index warnings themselves)
logging.getLogger("kb").addHandler(logging.NullHandler())

__all__ = [
    "CaseNotFound",
    "CaseRecord",
    "CaseView",
    "DatabaseNotReady",
    "ImportReport",
    "InvalidInput",
    "KbError",
    "KnowledgeBase",
    "Organization",
    "Problem",
    "RevisionInfo",
    "Source",
    "Stats",
]
