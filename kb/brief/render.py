"""A Brief as a file in one of FORMATS. Word and PDF (kb.brief.documents) and slides
(kb.brief.slides) load their libraries only when asked for."""

from __future__ import annotations

from kb.brief.model import Brief
from kb.errors import KbError

FORMATS = ("md", "docx", "pdf", "pptx")
MEDIA_TYPES = {
    "md": "text/markdown; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


def render(brief: Brief, fmt: str) -> bytes:
    """The brief as Markdown (UTF-8), Word, PDF or PowerPoint slides."""
    if fmt == "md":
        return brief.to_markdown().encode("utf-8")
    if fmt in ("docx", "pdf"):
        from kb.brief import documents

        return documents.render_docx(brief) if fmt == "docx" else documents.render_pdf(brief)
    if fmt == "pptx":
        from kb.brief.slides import render_slides

        return render_slides(brief)
    raise KbError(f"Unknown brief format {fmt!r}; choose one of {', '.join(FORMATS)}.")
