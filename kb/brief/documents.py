"""A Brief as a Word (python-docx) or PDF (fpdf2 with bundled Unicode fonts) document.

Both print the same text as the Markdown: the Brief's own sentences, nothing added but headings,
list numbers and (in the PDF) page numbers. Long URLs wrap at their slashes and punctuation.

Every script prints. Word: the document's language is the brief's (Latin and Cyrillic, East
Asian and complex-script language settings), text in Arabic script goes in right-to-left runs
(w:rtl) and text in Han script has the East Asian font hint; a brief in Arabic has right-to-left
paragraphs (w:bidi). PDF: DejaVu Sans (Latin, Cyrillic, Arabic) with Droid Sans Fallback for
Chinese, Arabic shaped and ordered by HarfBuzz (uharfbuzz); a brief in Arabic is laid out
right to left and aligned right, and Chinese text may wrap between any two characters.
"""

from __future__ import annotations

import importlib.util
import io
import re
from collections.abc import Iterator
from contextlib import contextmanager

from docx import Document
from docx.document import Document as DocxDocument
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from fpdf import FPDF

from kb.brief.model import MINUTE, POINTS, REFERENCES, Brief, heading
from kb.config import DATA_DIR

FONT_DIR = DATA_DIR / "fonts"
# DejaVu Sans covers Latin, Cyrillic, Greek and Arabic; Droid Sans Fallback adds Chinese,
# Japanese and Korean for any character DejaVu lacks (see data/fonts/README.md).
PDF_FONT, PDF_FALLBACK = "DejaVuSans", "DroidSansFallback"
LINK_COLOUR = "0563C1"
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"  # Hebrew, Arabic, Syriac, Thaana, ... letters
_RTL_RUN = re.compile(f"[{_RTL}]+(?:\\s+[{_RTL}]+)*")
_HAN = "\u2e80-\u9fff\uf900-\ufaff\uff00-\uffef"  # CJK radicals, punctuation, ideographs, kana
_HAN_CHAR = re.compile(f"[{_HAN}]")
_HAN_PAIR = re.compile(f"(?<=[{_HAN}])(?=[{_HAN}])")
LRM = "\u200e"
# Word's language tags (w:lang) for the brief's languages.
WORD_LANGUAGES = {
    "en": "en-US",
    "fr": "fr-FR",
    "es": "es-ES",
    "ru": "ru-RU",
    "ar": "ar-SA",
    "zh": "zh-CN",
}


# -- Word ------------------------------------------------------------------------------------


def render_docx(brief: Brief) -> bytes:
    doc = Document()
    rtl = brief.direction == "rtl"
    _document_language(doc, brief.language)
    doc.core_properties.title = brief.title
    _word_heading(doc, brief.title, 0, rtl)
    for note in brief.notes:
        _word_text(_word_paragraph(doc, rtl), note, italic=True)
    if brief.minute:
        _word_heading(doc, heading(MINUTE, brief.language), 1, rtl)
        _word_text(_word_paragraph(doc, rtl), " ".join(brief.minute))
    _word_text(_word_paragraph(doc, rtl), brief.overview)
    _word_heading(doc, heading(POINTS, brief.language), 1, rtl)
    for point in brief.points:
        paragraph = _word_paragraph(doc, rtl, style="List Number")
        _word_text(paragraph, point.headline, bold=True)
        _word_text(paragraph, f" {point.detail}")
    for title, items in brief.bullet_sections():
        _word_heading(doc, title, 1, rtl)
        for item in items:
            _word_text(_word_paragraph(doc, rtl, style="List Bullet"), item)
    _word_heading(doc, heading(REFERENCES, brief.language), 1, rtl)
    for ref in brief.references:
        paragraph = _word_paragraph(doc, rtl)
        _word_text(paragraph, f"[{ref.number}] {ref.text()} ")
        add_hyperlink(paragraph, ref.url)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def _document_language(doc: DocxDocument, language: str) -> None:
    """The language Word checks spelling and picks fonts with: Latin and Cyrillic text in a
    brief in French, Spanish or Russian; East Asian text in Chinese; complex script in Arabic
    (the rest of the text of such a brief, quoted English, stays en-US)."""
    tag = WORD_LANGUAGES.get(language, "en-US")
    lang = doc.styles.element.find(qn("w:docDefaults")).find(qn("w:rPrDefault")).find(qn("w:rPr"))
    element = lang.find(qn("w:lang"))
    if element is None:
        element = OxmlElement("w:lang")
        lang.append(element)
    if language == "zh":
        element.set(qn("w:eastAsia"), tag)
    elif language == "ar":
        element.set(qn("w:bidi"), tag)
    else:
        element.set(qn("w:val"), tag)
    doc.core_properties.language = tag


def _word_paragraph(doc: DocxDocument, rtl: bool, style: str | None = None) -> Paragraph:
    paragraph = doc.add_paragraph(style=style)
    if rtl:
        _set_bidi(paragraph)
    return paragraph


def _word_heading(doc: DocxDocument, text: str, level: int, rtl: bool) -> None:
    paragraph = doc.add_heading("", level=level)
    if rtl:
        _set_bidi(paragraph)
    _word_text(paragraph, text)


_PPR_AFTER_BIDI = (
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)


def _set_bidi(paragraph: Paragraph) -> None:
    """A right-to-left paragraph (w:bidi): it starts at the right, lists number on the right."""
    ppr = paragraph._p.get_or_add_pPr()
    if ppr.find(qn("w:bidi")) is None:
        ppr.insert_element_before(OxmlElement("w:bidi"), *_PPR_AFTER_BIDI)


def _word_text(
    paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False
) -> None:
    """Text in runs by direction: each stretch in Arabic (or another right-to-left) script a
    right-to-left run (w:rtl, bold also as complex script), the rest left to right; a run with
    Han characters has the East Asian font hint, so Word picks a Chinese font for it."""
    position = 0
    for found in _RTL_RUN.finditer(text):
        _word_run(paragraph, text[position : found.start()], bold, italic, rtl=False)
        _word_run(paragraph, found.group(0), bold, italic, rtl=True)
        position = found.end()
    _word_run(paragraph, text[position:], bold, italic, rtl=False)


def _word_run(paragraph: Paragraph, text: str, bold: bool, italic: bool, *, rtl: bool) -> None:
    if not text:
        return
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.italic = italic or None
    if rtl:
        rpr = run._r.get_or_add_rPr()
        rpr.get_or_add_rtl()
        if bold:
            rpr.get_or_add_bCs()
        if italic:
            rpr.get_or_add_iCs()
    if _HAN_CHAR.search(text):
        run._r.get_or_add_rPr().get_or_add_rFonts().set(qn("w:hint"), "eastAsia")


def add_hyperlink(paragraph: Paragraph, url: str) -> None:
    """Append `url` as a clickable link (python-docx has no public API for this yet)."""
    rel = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    link = OxmlElement("w:hyperlink")
    link.set(qn("r:id"), rel)
    run, props = OxmlElement("w:r"), OxmlElement("w:rPr")
    for tag, value in (("w:color", LINK_COLOUR), ("w:u", "single")):
        element = OxmlElement(tag)
        element.set(qn("w:val"), value)
        props.append(element)
    text = OxmlElement("w:t")
    text.text = url
    run.append(props)
    run.append(text)
    link.append(run)
    paragraph._p.append(link)


# -- PDF -------------------------------------------------------------------------------------


class _BriefPDF(FPDF):
    rtl = False  # a brief in a right-to-left language: laid out from the right
    align = "L"
    shaping = False  # HarfBuzz shapes the text (uharfbuzz is installed)

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(PDF_FONT, "", 8)
        self.set_text_color(90)
        with _direction(self, "ltr"):
            self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


def render_pdf(brief: Brief) -> bytes:
    pdf = _new_pdf(brief.title, brief.language)
    text = _pdf_text(brief)
    pdf.add_page()
    pdf.set_font(PDF_FONT, "B", 17)
    _block(pdf, 8, text(brief.title))
    pdf.ln(2)
    if brief.notes:
        pdf.set_text_color(70)
        pdf.set_font(PDF_FONT, "", 9)
        _block(pdf, 4.6, text(" ".join(brief.notes)))
        pdf.set_text_color(0)
        pdf.ln(2)
    if brief.minute:
        _heading(pdf, text(heading(MINUTE, brief.language)))
        _paragraph(pdf, text(" ".join(brief.minute)))
        pdf.ln(2)
    _paragraph(pdf, text(brief.overview))
    _heading(pdf, text(heading(POINTS, brief.language)))
    for n, point in enumerate(brief.points, 1):
        _item(pdf, f"{n}.", text(point.detail), bold=text(f"{point.headline} "))
    for title, items in brief.bullet_sections():
        _heading(pdf, text(title))
        for item in items:
            _item(pdf, "•", text(item))
    _heading(pdf, text(heading(REFERENCES, brief.language)))
    for ref in brief.references:
        _item(pdf, f"[{ref.number}]", text(f"{ref.text()} "), link=ref.url, reference=True)
    return bytes(pdf.output())


def _new_pdf(title: str, language: str = "en") -> _BriefPDF:
    pdf = _BriefPDF(format="A4")
    pdf.rtl = language == "ar"
    pdf.align = "R" if pdf.rtl else "L"
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font(PDF_FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(PDF_FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.add_font(PDF_FALLBACK, "", FONT_DIR / "DroidSansFallback.ttf")
    pdf.set_fallback_fonts([PDF_FALLBACK], exact_match=False)
    pdf.shaping = importlib.util.find_spec("uharfbuzz") is not None
    if pdf.shaping:  # joins Arabic letters and orders them right to left
        # The brief's direction for every paragraph, whatever script comes first in it (an
        # English brief may start a sentence with a name in Arabic, an Arabic one with an
        # English title).
        pdf.set_text_shaping(True, direction="rtl" if pdf.rtl else "ltr")
    pdf.set_title(title)
    pdf.set_lang(WORD_LANGUAGES.get(language, language))
    pdf.set_creator("urban-digital-kb: kb brief")
    return pdf


@contextmanager
def _direction(pdf: FPDF, direction: str) -> Iterator[None]:
    """Lay out some text in another direction (a URL, a page number in an Arabic brief)."""
    shaping = getattr(pdf, "shaping", False)
    if not shaping or not getattr(pdf, "rtl", False):
        yield
        return
    pdf.set_text_shaping(True, direction=direction)
    try:
        yield
    finally:
        pdf.set_text_shaping(True, direction="rtl")


def _pdf_text(brief: Brief):  # noqa: ANN202 - str -> str
    """How the brief's text is prepared for the PDF: in a left-to-right brief a mark after
    each right-to-left run; in Chinese a break opportunity between two Han characters (there
    are no spaces to wrap at)."""
    if brief.direction == "rtl":
        return lambda text: text
    if brief.language == "zh":
        return lambda text: ltr_safe(han_breakable(text))
    return ltr_safe


def ltr_safe(text: str) -> str:
    """Put a left-to-right mark after each right-to-left run, so that what follows a name in
    Arabic script (", Morocco", "[5]") stays after it instead of being pulled into its run."""
    return _RTL_RUN.sub(lambda m: m.group(0) + LRM, text)


def han_breakable(text: str) -> str:
    """A zero-width space between two Han characters (or full-width punctuation), where
    Chinese text may wrap."""
    return _HAN_PAIR.sub(ZWSP, text)


def _block(pdf: _BriefPDF, line: float, text: str, width: float = 0, link: str = "") -> None:
    """A paragraph across the page (or `width`), aligned to the brief's side. In a
    right-to-left brief a paragraph with no right-to-left letter at all (an English
    reference, a sentence not yet translated) is still laid out left to right."""
    with _direction(pdf, "rtl" if _RTL_RUN.search(text) else "ltr"):
        pdf.multi_cell(
            width, line, text, align=pdf.align, link=link or None, new_x="LMARGIN", new_y="NEXT"
        )


def _heading(pdf: _BriefPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(PDF_FONT, "B", 13)
    _block(pdf, 7, text)
    pdf.ln(1)


def _paragraph(pdf: _BriefPDF, text: str) -> None:
    pdf.set_font(PDF_FONT, "", 10.5)
    _block(pdf, 5.5, text)


def _item(
    pdf: _BriefPDF,
    marker: str,
    text: str,
    *,
    bold: str = "",
    link: str = "",
    reference: bool = False,
) -> None:
    """A list item: the marker in the margin, then text that wraps under itself."""
    if pdf.rtl:
        _item_rtl(pdf, marker, text, bold=bold, link=link, reference=reference)
        return
    left, indent, line = pdf.l_margin, 9, 5.5
    pdf.set_x(left)
    pdf.set_font(PDF_FONT, "", 10.5)
    pdf.cell(indent, line, marker)
    pdf.set_left_margin(left + indent)
    if bold:
        pdf.set_font(PDF_FONT, "B", 10.5)
        pdf.write(line, bold)
        pdf.set_font(PDF_FONT, "", 10.5)
    pdf.write(line, text)
    if link:
        pdf.set_text_color(5, 99, 193)
        pdf.write(line, breakable(link), link=link)
        pdf.set_text_color(0)
    pdf.ln(line + 1.5)
    pdf.set_left_margin(left)


def _item_rtl(
    pdf: _BriefPDF, marker: str, text: str, *, bold: str, link: str, reference: bool
) -> None:
    """A list item in a right-to-left brief: the marker in the right margin, the bold lead and
    the text aligned right under each other (fpdf2 lays out a right-to-left paragraph in one
    style only). A reference (its title as recorded, its URL) is laid out left to right."""
    right, indent, line = pdf.r_margin, 9, 5.5
    width = pdf.w - pdf.l_margin - right - indent
    top = pdf.get_y()
    pdf.set_font(PDF_FONT, "", 10.5)
    with _direction(pdf, "ltr" if reference else "rtl"):
        pdf.set_xy(pdf.w - right - indent, top)
        pdf.cell(indent, line, marker, align="R")
    pdf.set_xy(pdf.l_margin, top)
    if bold:
        pdf.set_font(PDF_FONT, "B", 10.5)
        _block(pdf, line, bold.strip(), width)
        pdf.set_font(PDF_FONT, "", 10.5)
    _block(pdf, line, text.strip(), width)
    if link:
        pdf.set_text_color(5, 99, 193)
        _block(pdf, line, breakable(link), width, link=link)
        pdf.set_text_color(0)
    pdf.ln(1.5)


_BREAK_AFTER = re.compile(r"([/?&=#_.-])")
ZWSP = "\u200b"


def breakable(url: str) -> str:
    """The URL with zero-width spaces after its slashes and punctuation, so a long one wraps
    there instead of running off the page or breaking mid-word (a URL has no spaces)."""
    return _BREAK_AFTER.sub(lambda m: m.group(1) + ZWSP, url)
