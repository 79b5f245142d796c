"""A Brief as PowerPoint slides (python-pptx), for a panelist on stage.

A title slide (the topic, the one-minute version), one slide per talking point (the fact large,
the case, its context, the number and the references small; the speaker notes carry the whole
point), the risks and the references (continued over as many slides as they need). Every text
is the Brief's own; nothing is added but headings and slide numbers.

The headings are in the brief's language; each text run carries that language (lang) and, in a
brief in Arabic, every paragraph is right to left and aligned right.
"""

from __future__ import annotations

import io
from collections.abc import Sequence

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import PP_ALIGN
from pptx.util import Emu, Inches, Pt

from kb.brief.documents import WORD_LANGUAGES
from kb.brief.model import MINUTE, REFERENCES, RISKS, Brief, TalkingPoint, heading
from kb.i18n import is_rtl

WIDE = (Inches(13.333), Inches(7.5))  # 16:9
MARGIN = Inches(0.6)
INK, MUTED, LINK = RGBColor(0x1A, 0x1A, 0x1A), RGBColor(0x4D, 0x4D, 0x4D), RGBColor(5, 99, 193)
FONT = "DejaVu Sans"
RISK_LINES, REFERENCE_LINES = 8, 12  # lines on one slide before the list continues
LONG_FACT = 220  # characters: a longer lead is set smaller so it fits


def render_slides(brief: Brief) -> bytes:
    deck = Presentation()
    deck.slide_width, deck.slide_height = WIDE
    deck.core_properties.title = brief.title
    deck.core_properties.language = WORD_LANGUAGES.get(brief.language, brief.language)
    _title_slide(deck, brief)
    for n, point in enumerate(brief.points, 1):
        _point_slide(deck, n, point)
    risks = heading(RISKS, brief.language)
    _list_slides(deck, brief.language, risks, brief.risks, RISK_LINES)
    references = [f"[{r.number}] {r.text()} {r.url}" for r in brief.references]
    title = heading(REFERENCES, brief.language)
    _list_slides(deck, brief.language, title, references, REFERENCE_LINES, size=10)
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def _blank(deck: Presentation):  # noqa: ANN202 - a slide
    return deck.slides.add_slide(deck.slide_layouts[6])  # the blank layout


def _box(
    slide,  # noqa: ANN001
    top: Emu,
    height: Emu,
    texts: Sequence[tuple[str, int, bool, RGBColor]],
    language: str = "en",
) -> None:
    """A text box across the slide: one paragraph per (text, size, bold, colour)."""
    width = WIDE[0] - 2 * MARGIN
    frame = slide.shapes.add_textbox(MARGIN, top, width, height).text_frame
    frame.word_wrap = True
    rtl = is_rtl(language)
    for n, (text, size, bold, colour) in enumerate(texts):
        paragraph = frame.paragraphs[0] if n == 0 else frame.add_paragraph()
        paragraph.space_after = Pt(size * 0.5)
        if rtl:
            paragraph.alignment = PP_ALIGN.RIGHT
            paragraph._p.get_or_add_pPr().set("rtl", "1")
        run = paragraph.add_run()
        run.text = text
        run.font.size, run.font.bold, run.font.name = Pt(size), bold, FONT
        run.font.color.rgb = colour
        run._r.get_or_add_rPr().set("lang", WORD_LANGUAGES.get(language, "en-US"))


def _title_slide(deck: Presentation, brief: Brief) -> None:
    slide = _blank(deck)
    _box(slide, Inches(0.5), Inches(1.4), [(brief.title, 36, True, INK)], brief.language)
    body = [(heading(MINUTE, brief.language), 18, True, MUTED)] if brief.minute else []
    body += [(line, 16, False, INK) for line in brief.minute]
    body.append((brief.overview, 12, False, MUTED))
    body += [(note, 10, False, MUTED) for note in brief.notes]
    _box(slide, Inches(2.0), Inches(5.2), body, brief.language)
    notes = [*brief.notes, *brief.minute, brief.overview]
    slide.notes_slide.notes_text_frame.text = "\n\n".join(notes)


def _point_slide(deck: Presentation, n: int, point: TalkingPoint) -> None:
    slide = _blank(deck)
    size = 28 if len(point.headline) <= LONG_FACT else 22
    language = point.language
    _box(slide, Inches(0.5), Inches(4.0), [(f"{n}. {point.headline}", size, True, INK)], language)
    small = [(point.place_line(end=False), 14, False, MUTED)]
    if figure := point.figure_line():
        small.append((figure, 14, False, MUTED))
    small.append((point.sources_line(end=False), 12, False, MUTED))
    _box(slide, Inches(4.6), Inches(2.6), small, language)
    slide.notes_slide.notes_text_frame.text = point.text()


def _list_slides(
    deck: Presentation,
    language: str,
    heading: str,
    lines: Sequence[str],
    per_slide: int,
    size: int = 12,
) -> None:
    pages = [lines[i : i + per_slide] for i in range(0, len(lines), per_slide)]
    for page, chunk in enumerate(pages or [[]], 1):
        slide = _blank(deck)
        title = heading if len(pages) <= 1 else f"{heading} ({page}/{len(pages)})"
        _box(slide, Inches(0.4), Inches(0.9), [(title, 28, True, INK)], language)
        body = [(line, size, False, INK) for line in chunk]
        _box(slide, Inches(1.3), Inches(5.9), body, language)
        slide.notes_slide.notes_text_frame.text = "\n".join(chunk)
