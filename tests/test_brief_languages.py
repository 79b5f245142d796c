"""Briefs and the `kb` command in the six UN languages.

A brief is written in one language: its fixed words go through gettext when it is made (and its
headings when it is rendered, in the brief's language whatever the reader's is now), each case's
title and summary are the record's translation, and whatever stays in English is marked and
explained. Its Word, PDF and slides print every script: Arabic right to left and shaped,
Chinese in a CJK font. The command reads --lang or the locale of the environment; JSON and
exports are the same in every language.

The bundled catalogue (every case translated into ar, zh, fr, ru, es) is the session's
`bundled_kb`, in a real SQLite file; the catalogues of the interface (kb/locales) may not exist
yet, so where a test needs a translated fixed word it installs a small catalogue of its own.
"""

from __future__ import annotations

import gettext
import importlib.util
import io
import json
import re
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from docx.oxml.ns import qn
from pptx import Presentation

import kb.i18n.catalogues as catalogues
from kb import KnowledgeBase
from kb.brief import make_brief, render
from kb.brief.documents import ZWSP
from kb.brief.markdown import escape
from kb.brief.model import LRM, MINUTE, POINTS, REFERENCES, RISKS, quoted
from kb.cli import environment_language, main
from kb.config import Settings
from kb.i18n import _, country_name, current, language_name, region_name, use
from tests.conftest import FIXTURES, require

UNICODE_FIXTURE = FIXTURES / "brief_unicode.jsonl"
LOCALES = Path(catalogues.__file__).resolve().parent.parent / "locales"
ARABIC_FORMS = re.compile(r"uniF[BE][0-9A-F]{2}")  # Arabic presentation forms: shaped glyphs
TOPIC, FILTERS = "bike share", {"region": "Europe"}


@pytest.fixture
def cli(bundled_kb: KnowledgeBase, monkeypatch: pytest.MonkeyPatch):
    """Run `kb ...` on the bundled catalogue with the given locale environment (default: C)."""
    monkeypatch.setenv("KB_HOME", str(bundled_kb.settings.home))
    monkeypatch.delenv("KB_DATABASE_URL", raising=False)

    def invoke(*args: str, env: dict[str, str] | None = None):
        environment = {"LANGUAGE": "", "LC_ALL": "", "LC_MESSAGES": "", "LANG": "C.UTF-8"}
        return CliRunner().invoke(main, list(args), env=environment | (env or {}))

    return invoke


@pytest.fixture
def french_catalogue(monkeypatch: pytest.MonkeyPatch) -> Iterator[dict[str, str]]:
    """A few French messages in place of kb/locales/fr (whatever it holds, or not yet)."""
    messages: dict[str, str] = {
        POINTS: "Points de discussion",
        MINUTE: "En une minute",
        REFERENCES: "Références",
        RISKS: "Risques et garde-fous",
        "Sources: {refs}.": "Sources : {refs}.",
        "Talking points: {topic}": "Points de discussion : {topic}",
        "Show one case. In another language than English its title and summary are shown in "
        "translation where the case has one; the rest is as recorded.\n\n"
        "Example: kb show barcelona-decidim --json": "Affiche un cas.\n\n"
        "Exemple : kb show barcelona-decidim --json",
        "Print the record as JSON.": "Affiche la fiche en JSON.",
    }

    class French(gettext.NullTranslations):
        def gettext(self, message: str) -> str:
            return messages.get(message, message)

    real = catalogues.translations
    monkeypatch.setattr(
        catalogues,
        "translations",
        lambda language: French() if language == "fr" else real(language),
    )
    yield messages


def brief_in(kb: KnowledgeBase, language: str, topic: str = TOPIC, **filters):
    return make_brief(
        kb, topic, slugs=None, filters=filters or FILTERS, max_cases=4, language=language
    )


# -- the brief's content ---------------------------------------------------------------------


def test_a_french_brief_quotes_the_french_titles_and_summaries_and_marks_the_english(bundled_kb):
    brief = brief_in(bundled_kb, "fr")
    english = brief_in(bundled_kb, "en")
    assert brief.language == "fr" and brief.cases == english.cases  # the same cases chosen
    anglais = f"({language_name('en', 'fr')})"
    markdown = render(brief, "md").decode()
    for point in brief.points:
        record = bundled_kb.get(point.slug).record
        translation = record.translation("fr")
        assert translation is not None and point.title == translation.title != record.title
        assert escape(translation.title) in markdown
        if record.title not in translation.title:  # some keep a name in English
            assert escape(record.title) not in markdown
        if point.lead_kind == "summary":  # the summary in French, not marked
            assert point.lead == translation.summary
            assert "lead" not in point.quoted and anglais not in point.headline
        else:  # a description, outcome, lesson or challenge: quoted in English, and marked
            assert "lead" in point.quoted and anglais in point.headline
        if point.figure:
            assert f"{point.figure.strip().rstrip('.')} {anglais}" in point.detail
    for line in brief.minute:
        assert any(line.startswith(f"{p.title}: ") for p in brief.points)
    note = " ".join(brief.notes)
    assert language_name("en", "fr") in note
    with use("fr"):
        assert _("Case titles and summaries are AI-assisted translations not yet reviewed.") in note
    assert f"> {escape(note)}" in markdown
    assert english.notes == [] and "(English)" not in render(english, "md").decode()


def test_a_brief_in_french_has_french_headings_when_the_catalogue_has_them(bundled_kb):
    """The headings are what gettext gives in French; once kb/locales/fr exists it holds them
    (extracted from the N_ constants) and, where it translates them, the brief shows that."""
    markdown = render(brief_in(bundled_kb, "fr"), "md").decode()
    with use("fr"):
        headings = [_(h) for h in (MINUTE, POINTS, REFERENCES)]
    catalogue = french_messages()
    for heading, english in zip(headings, (MINUTE, POINTS, REFERENCES), strict=True):
        assert f"## {heading}\n" in markdown
        if catalogue is not None:
            assert english in catalogue, f"make messages did not extract {english!r}"
            if catalogue[english].string:
                assert heading == catalogue[english].string != english


def french_messages():  # noqa: ANN201 - a babel Catalog, or None
    path = LOCALES / "fr" / "LC_MESSAGES" / "messages.po"
    if not path.is_file():
        return None
    from babel.messages.pofile import read_po

    with path.open("rb") as f:
        return read_po(f, locale="fr")


def test_fixed_words_are_translated_when_the_brief_is_made_not_when_imported(
    bundled_kb, french_catalogue
):
    """The headings are constants read at import time (in English); the brief's sentences and
    headings take the brief's language, whatever language is current when it is rendered."""
    assert POINTS == "Talking points"
    brief = brief_in(bundled_kb, "fr")
    assert brief.title == f"Points de discussion : {TOPIC}"
    assert all(p.detail.endswith(f"Sources : {p.citation}.") for p in brief.points)
    with use("ar"):  # the reader has moved on to Arabic: the French brief stays French
        markdown = render(brief, "md").decode()
        word = docx.Document(io.BytesIO(render(brief, "docx")))
    for heading in ("## En une minute", "## Points de discussion", "## Risques et garde-fous"):
        assert f"\n{heading}\n" in markdown
    assert "## Références\n" in markdown and "Talking points" not in markdown
    assert "Points de discussion" in [p.text for p in word.paragraphs]
    assert [h for h, _lines in brief.bullet_sections()][0] == "Risques et garde-fous"


def test_the_language_of_the_moment_is_the_default(bundled_kb):
    with use("es"):
        brief = bundled_kb.brief(TOPIC, **FILTERS, max_cases=4)  # the service's entry point
        assert current() == "es"
    assert brief.language == "es" and current() == "en"
    for point in brief.points:
        translation = bundled_kb.get(point.slug).record.translation("es")
        assert translation is not None and point.title == translation.title


def test_places_are_named_in_the_briefs_language(bundled_kb):
    brief = brief_in(bundled_kb, "ru")
    for point in brief.points:
        country = bundled_kb.get(point.slug).record.country
        assert f", {country_name(country, 'ru')}" in point.context, point.context
    assert region_name("Europe", "ru") in brief.overview  # the filter, described


def test_an_untranslated_case_keeps_its_english_title_marked(tmp_path):
    """The Unicode fixture's cases have no translations: in a Spanish brief their titles and
    summaries stay in English, each marked, and no note claims a translation."""
    with KnowledgeBase(Settings(home=tmp_path / "home")) as kb:
        kb.init()
        kb.import_files([UNICODE_FIXTURE], actor="test")
        slugs = [json.loads(line)["slug"] for line in UNICODE_FIXTURE.read_text().splitlines()]
        brief = make_brief(kb, None, slugs=slugs[:3], filters={}, max_cases=3, language="es")
        records = {slug: kb.get(slug).record for slug in slugs[:3]}
    ingles = f"({language_name('en', 'es')})"
    for point in brief.points:
        assert point.title == records[point.slug].title
        assert {"title", "lead"} <= set(point.quoted)
        assert point.place_line().startswith(f"{point.title} {ingles} (")
        assert point.headline.startswith(point.lead.rstrip(".")) and ingles in point.headline
    assert len(brief.notes) == 1 and "AI-assisted" not in brief.notes[0]


def test_english_passages_in_an_arabic_brief_keep_their_punctuation():
    """An English sentence inside Arabic text ends with a left-to-right mark, so its full stop
    stays at its end; then the name of its language in Arabic."""
    marked = quoted("Funding ran out.", "en", "ar")
    assert marked.startswith("Funding ran out." + LRM)
    assert marked.endswith(f"({language_name('en', 'ar')})")
    assert quoted("Funding ran out.", "en", "en") == "Funding ran out."


# -- documents -------------------------------------------------------------------------------


def pdf_fonts(reader) -> dict[str, list[str]]:  # noqa: ANN001
    """Embedded font name -> the glyph names of its subset."""
    from fontTools.ttLib import TTFont

    out: dict[str, list[str]] = {}
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            name = font["/BaseFont"].split("+")[-1]
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"].get_object()
            data = descriptor["/FontFile2"].get_data()
            out[name] = TTFont(io.BytesIO(data)).getGlyphOrder()
    return out


def marker_positions(reader) -> list[float]:  # noqa: ANN001
    """The x of the talking points' list numbers: the x at which three or more one-digit
    numbers ("2.", ".2" or "2" with its full stop drawn apart, as text extraction gives a
    right-to-left line) are drawn, on every page."""
    xs: list[float] = []

    def visit(text, cm, tm, *_args) -> None:  # noqa: ANN001
        if re.fullmatch(r"\.?[1-7]\.?", text.strip()):
            xs.append(round(tm[4]))

    for page in reader.pages:
        page.extract_text(visitor_text=visit)
    return [float(x) for x, n in Counter(xs).items() if n >= 3]


def test_an_arabic_pdf_is_shaped_and_laid_out_from_the_right(bundled_kb):
    require(importlib.util.find_spec("pypdf") is not None, "pypdf is not installed")
    require(importlib.util.find_spec("uharfbuzz") is not None, "uharfbuzz (Arabic shaping) missing")
    import pypdf

    arabic, english = brief_in(bundled_kb, "ar", "gender"), brief_in(bundled_kb, "en", "gender")
    reader = pypdf.PdfReader(io.BytesIO(render(arabic, "pdf")))
    assert reader.trailer["/Root"]["/Lang"] == "ar-SA"
    glyphs = pdf_fonts(reader)
    # HarfBuzz chose initial, medial and final forms: the letters are joined
    shaped = {g for names in glyphs.values() for g in names if ARABIC_FORMS.fullmatch(g)}
    assert len(shaped) > 20, sorted(shaped)
    width = float(reader.pages[0].mediabox.width)
    right = marker_positions(reader)
    assert right and max(right) > width * 0.8  # point numbers in the right margin
    left = marker_positions(pypdf.PdfReader(io.BytesIO(render(english, "pdf"))))
    assert left and max(left) < width * 0.2
    text = reader.pages[0].extract_text()
    assert arabic.points[0].title.split()[-1].strip("«»") in text


def test_a_chinese_pdf_draws_han_characters_from_the_cjk_font_and_wraps_them(bundled_kb):
    require(importlib.util.find_spec("pypdf") is not None, "pypdf is not installed")
    import pypdf

    brief = brief_in(bundled_kb, "zh")
    reader = pypdf.PdfReader(io.BytesIO(render(brief, "pdf")))
    assert reader.trailer["/Root"]["/Lang"] == "zh-CN"
    assert "DroidSansFallback" in pdf_fonts(reader)
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages).replace(ZWSP, ""))
    for point in brief.points:
        assert re.search(r"[\u4e00-\u9fff]", point.title)
        assert re.sub(r"\s+", "", point.title) in text


def test_word_marks_arabic_paragraphs_right_to_left_and_chinese_runs_east_asian(bundled_kb):
    arabic = brief_in(bundled_kb, "ar", "gender")
    document = docx.Document(io.BytesIO(render(arabic, "docx")))
    paragraphs = [p for p in document.paragraphs if p.text.strip()]
    assert all(p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None for p in paragraphs)
    texts = [p.text for p in paragraphs]
    assert texts[0] == arabic.title
    for point in arabic.points:
        assert point.text() in texts
    runs = [r for p in paragraphs for r in p.runs]
    arabic_runs = [r for r in runs if re.search(r"[\u0600-\u06ff]", r.text)]
    assert arabic_runs and all(r._r.rPr.find(qn("w:rtl")) is not None for r in arabic_runs)
    assert all(
        r._r.rPr is None or r._r.rPr.find(qn("w:rtl")) is None
        for r in runs
        if not re.search(r"[\u0590-\u08ff]", r.text)
    )
    bold = [r for r in arabic_runs if r.bold]
    assert bold and all(r._r.rPr.find(qn("w:bCs")) is not None for r in bold)
    defaults = document.styles.element.find(qn("w:docDefaults"))
    assert defaults.find(f".//{qn('w:lang')}").get(qn("w:bidi")) == "ar-SA"

    chinese = docx.Document(io.BytesIO(render(brief_in(bundled_kb, "zh"), "docx")))
    han = [r for p in chinese.paragraphs for r in p.runs if re.search(r"[\u4e00-\u9fff]", r.text)]
    assert han and all(r._r.rPr.rFonts.get(qn("w:hint")) == "eastAsia" for r in han)
    lang = chinese.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:lang')}")
    assert lang.get(qn("w:eastAsia")) == "zh-CN"
    assert not any(
        p._p.pPr is not None and p._p.pPr.find(qn("w:bidi")) is not None for p in chinese.paragraphs
    )


def test_slides_in_arabic_and_russian_open_with_every_point(bundled_kb):
    for language in ("ar", "ru"):
        brief = brief_in(bundled_kb, language)
        deck = Presentation(io.BytesIO(render(brief, "pptx")))
        slides = list(deck.slides)
        for n, point in enumerate(brief.points, 1):
            frames = [s.text_frame for s in slides[n].shapes if s.has_text_frame]
            assert f"{n}. {point.headline}" in "\n".join(f.text for f in frames)
            assert slides[n].notes_slide.notes_text_frame.text == point.text()
            paragraph = frames[0].paragraphs[0]._p
            assert (paragraph.pPr is not None and paragraph.pPr.get("rtl") == "1") == (
                language == "ar"
            )


# -- the command -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({"LANG": "ru_RU.UTF-8"}, "ru"),
        ({"LANG": "fr_CA.UTF-8", "LC_MESSAGES": "zh_CN.UTF-8"}, "zh"),
        ({"LANG": "fr_FR.UTF-8", "LC_ALL": "C"}, "en"),  # C wins over LANG, and over LANGUAGE
        ({"LANG": "de_DE.UTF-8", "LANGUAGE": "de:es"}, "es"),
        ({"LANG": "de_DE.UTF-8"}, "en"),
        ({"LC_ALL": "ar_EG.UTF-8", "LANG": "ru_RU.UTF-8"}, "ar"),
        ({}, "en"),
    ],
)
def test_the_environment_names_the_language_as_gettext_reads_it(environ, expected):
    assert environment_language(environ) == expected


def test_kb_lang_and_lang_environment_choose_the_language_of_the_output(cli):
    english = cli("stats")
    assert english.exit_code == 0 and "\n  Europe " in english.output
    russian = cli("--lang", "ru", "stats")
    assert russian.exit_code == 0, russian.output
    assert f"  {region_name('Europe', 'ru')} " in russian.output
    assert cli("stats", env={"LANG": "ru_RU.UTF-8"}).output == russian.output
    assert cli("stats", "--lang", "ru").output == russian.output  # after the command too
    assert cli("--lang", "RU", "stats").output == russian.output
    assert current() == "en"  # the command's language ended with it
    assert cli("--lang", "xx", "stats").exit_code == 2


def test_json_and_exports_are_the_same_in_every_language(cli):
    for args in (
        ["stats", "--json"],
        ["search", "gender", "--json", "--limit", "3"],
        ["show", "nairobi-digital-matatus-transit-map", "--json"],
        ["export", "--format", "csv"],
        ["index", "check", "--json"],
    ):
        english = cli(*args)
        assert english.exit_code == 0, english.output
        for language in ("ar", "zh", "ru"):
            assert cli("--lang", language, *args).output == english.output, (language, args)
        assert cli(*args, env={"LANG": "fr_FR.UTF-8"}).output == english.output


def test_kb_show_in_chinese_gives_the_translated_title_and_summary(cli, bundled_kb):
    slug = "nairobi-digital-matatus-transit-map"
    record = bundled_kb.get(slug).record
    translation = record.translation("zh")
    shown = cli("show", slug, env={"LANG": "zh_CN.UTF-8"})
    assert shown.exit_code == 0
    lines = shown.output.splitlines()
    assert lines[0] == translation.title
    assert translation.summary in lines and translation.translator in shown.output
    assert record.description in lines  # the rest as recorded
    assert cli("show", slug).output.splitlines()[0] == record.title


def test_kb_brief_lang_writes_the_brief_in_that_language(cli, bundled_kb, tmp_path):
    expected = brief_in(bundled_kb, "fr")
    shown = cli("brief", TOPIC, "--region", "Europe", "--max-cases", "4", "--lang", "fr")
    assert shown.exit_code == 0, shown.output
    assert shown.output == render(expected, "md").decode()
    out = tmp_path / "brief.docx"
    written = cli(
        "--lang", "fr", "brief", TOPIC, "--region", "Europe", "--max-cases", "4", "-o", str(out)
    )
    assert written.exit_code == 0, written.output
    paragraphs = [p.text for p in docx.Document(out).paragraphs]
    assert paragraphs[0] == expected.title and expected.notes[0] in paragraphs
    assert all(p.text() in paragraphs for p in expected.points)


def test_help_texts_are_translated_when_shown(cli, french_catalogue):
    french = cli("--lang", "fr", "show", "--help")
    assert french.exit_code == 0
    assert "Affiche un cas." in french.output and "Affiche la fiche en JSON." in french.output
    assert "Exemple : kb show barcelona-decidim --json" in french.output
    english = cli("show", "--help").output
    assert "Show one case." in english and "Affiche" not in english
    assert "Affiche un cas." in cli("show", "--help", env={"LANG": "fr_FR.UTF-8"}).output
