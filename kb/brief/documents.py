"""A Brief as a Word (python-docx) or PDF (fpdf2 with bundled Unicode fonts) document.

Both print the same text as the Markdown: the Brief's own sentences, nothing added but headings,
list numbers and (in the PDF) page numbers. Long URLs wrap at their slashes and punctuation.
"""

from __future__ import annotations

import importlib.util
import io
import re

from docx import Document
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from fpdf import FPDF

from kb.brief.model import MINUTE, POINTS, REFERENCES, Brief
from kb.config import DATA_DIR

FONT_DIR = DATA_DIR / "fonts"
# DejaVu Sans covers Latin, Cyrillic, Greek and Arabic; Droid Sans Fallback adds Chinese,
# Japanese and Korean for any character DejaVu lacks (see data/fonts/README.md).
PDF_FONT, PDF_FALLBACK = "DejaVuSans", "DroidSansFallback"
LINK_COLOUR = "0563C1"
_RTL = "\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff"  # Hebrew, Arabic, Syriac, Thaana, ... letters
_RTL_RUN = re.compile(f"[{_RTL}]+(?:\\s+[{_RTL}]+)*")
LRM = "\u200e"


# -- Word ------------------------------------------------------------------------------------


def render_docx(brief: Brief) -> bytes:
    doc = Document()
    doc.core_properties.title = brief.title
    doc.add_heading(brief.title, level=0)
    if brief.minute:
        doc.add_heading(MINUTE, level=1)
        doc.add_paragraph(" ".join(brief.minute))
    doc.add_paragraph(brief.overview)
    doc.add_heading(POINTS, level=1)
    for point in brief.points:
        paragraph = doc.add_paragraph(style="List Number")
        paragraph.add_run(point.headline).bold = True
        paragraph.add_run(f" {point.detail}")
    for heading, items in brief.bullet_sections():
        doc.add_heading(heading, level=1)
        for item in items:
            doc.add_paragraph(item, style="List Bullet")
    doc.add_heading(REFERENCES, level=1)
    for ref in brief.references:
        paragraph = doc.add_paragraph(f"[{ref.number}] {ref.text()} ")
        add_hyperlink(paragraph, ref.url)
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


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
    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(PDF_FONT, "", 8)
        self.set_text_color(90)
        self.cell(0, 5, f"{self.page_no()}/{{nb}}", align="C")
        self.set_text_color(0)


def render_pdf(brief: Brief) -> bytes:
    pdf = _new_pdf(brief.title)
    pdf.add_page()
    pdf.set_font(PDF_FONT, "B", 17)
    pdf.multi_cell(0, 8, ltr_safe(brief.title), align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(2)
    if brief.minute:
        _heading(pdf, MINUTE)
        _paragraph(pdf, " ".join(brief.minute))
        pdf.ln(2)
    _paragraph(pdf, brief.overview)
    _heading(pdf, POINTS)
    for n, point in enumerate(brief.points, 1):
        _item(pdf, f"{n}.", point.detail, bold=f"{point.headline} ")
    for heading, items in brief.bullet_sections():
        _heading(pdf, heading)
        for item in items:
            _item(pdf, "•", item)
    _heading(pdf, REFERENCES)
    for ref in brief.references:
        _item(pdf, f"[{ref.number}]", f"{ref.text()} ", link=ref.url)
    return bytes(pdf.output())


def _new_pdf(title: str) -> FPDF:
    pdf = _BriefPDF(format="A4")
    pdf.set_margins(18, 16, 18)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font(PDF_FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(PDF_FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.add_font(PDF_FALLBACK, "", FONT_DIR / "DroidSansFallback.ttf")
    pdf.set_fallback_fonts([PDF_FALLBACK], exact_match=False)
    if importlib.util.find_spec("uharfbuzz"):  # joins Arabic letters and orders them right to left
        pdf.set_text_shaping(True, direction="ltr")  # an English text, whatever script comes first
    pdf.set_title(title)
    pdf.set_lang("en")
    pdf.set_creator("urban-digital-kb: kb brief")
    return pdf


def ltr_safe(text: str) -> str:
    """Put a left-to-right mark after each right-to-left run, so that what follows a name in
    Arabic script (", Morocco", "[5]") stays after it instead of being pulled into its run."""
    return _RTL_RUN.sub(lambda m: m.group(0) + LRM, text)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    pdf.set_font(PDF_FONT, "B", 13)
    pdf.multi_cell(0, 7, text, align="L", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(1)


def _paragraph(pdf: FPDF, text: str) -> None:
    pdf.set_font(PDF_FONT, "", 10.5)
    pdf.multi_cell(0, 5.5, ltr_safe(text), align="L", new_x="LMARGIN", new_y="NEXT")


def _item(pdf: FPDF, marker: str, text: str, *, bold: str = "", link: str = "") -> None:
    """A list item: the marker in the margin, then text that wraps under itself."""
    left, indent, line = pdf.l_margin, 9, 5.5
    pdf.set_x(left)
    pdf.set_font(PDF_FONT, "", 10.5)
    pdf.cell(indent, line, marker)
    pdf.set_left_margin(left + indent)
    if bold:
        pdf.set_font(PDF_FONT, "B", 10.5)
        pdf.write(line, ltr_safe(bold))
        pdf.set_font(PDF_FONT, "", 10.5)
    pdf.write(line, ltr_safe(text))
    if link:
        pdf.set_text_color(5, 99, 193)
        pdf.write(line, breakable(link), link=link)
        pdf.set_text_color(0)
    pdf.ln(line + 1.5)
    pdf.set_left_margin(left)


_BREAK_AFTER = re.compile(r"([/?&=#_.-])")
ZWSP = "\u200b"


def breakable(url: str) -> str:
    """The URL with zero-width spaces after its slashes and punctuation, so a long one wraps
    there instead of running off the page or breaking mid-word (a URL has no spaces)."""
    return _BREAK_AFTER.sub(lambda m: m.group(1) + ZWSP, url)
