"""Urban Digital Initiatives Knowledge Base: a catalogue of real digital urban initiatives."""

from kb.errors import CaseNotFound, DatabaseNotReady, InvalidInput, KbError, Problem
from kb.records import CaseRecord, CaseView, ImportReport, Organization, RevisionInfo, Source, Stats
from kb.service import KnowledgeBase

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
