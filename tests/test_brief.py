"""Talking-points briefs: grounded in the catalogue, diverse, cited, and the same in every format.

The bundled catalogue is imported once per module into a real SQLite file; a small hand-written
fixture (brief_unicode.jsonl) holds names in Latin with diacritics, Cyrillic, Arabic, Chinese
and Korean for the PDF; selection rules are pinned on hand-built cases.
"""

from __future__ import annotations

import importlib.util
import io
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

import docx
import pytest
from click.testing import CliRunner

from kb import KnowledgeBase, taxonomy
from kb.brief import build_brief
from kb.brief_render import LRM, render
from kb.brief_selection import (
    CONTESTED_TAGS,
    POOL_PER_CASE,
    Match,
    count_matches,
    is_cautionary,
    select_cases,
)
from kb.cli import main
from kb.config import Settings
from kb.errors import CaseNotFound, EmptyBrief, KbError
from kb.records import CaseRecord, CaseView, Outcome, Source
from tests.conftest import FIXTURES, require

UNICODE_FIXTURE = FIXTURES / "brief_unicode.jsonl"
UNICODE_NAMES = ("São Paulo", "Łódź", "Düsseldorf", "Новосибирск", "الدار البيضاء", "深圳", "서울")
QUERIES = [  # (query, filters): a topic, a filtered topic, filters alone, a contested topic
    ("older people digital skills", {}),
    ("bike share", {"region": "Europe"}),
    ("", {"themes": ["smart-infrastructure"], "year_from": 2015}),
    ("facial recognition", {}),
]
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")


@pytest.fixture(scope="module")
def home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A SQLite catalogue holding the bundled cases, imported once for the module."""
    path = tmp_path_factory.mktemp("brief") / "home"
    with KnowledgeBase(Settings(home=path)) as kb:
        kb.init()
        kb.import_bundled()
    return path


@pytest.fixture
def kb(home: Path):
    with KnowledgeBase(Settings(home=home)) as base:
        yield base


@pytest.fixture(scope="module")
def unicode_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("brief-unicode") / "home"
    with KnowledgeBase(Settings(home=path)) as kb:
        kb.init()
        kb.import_files([UNICODE_FIXTURE], actor="test")
    return path


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch):
    """Run `kb ...` against a given KB_HOME, as a user would."""

    def invoke(home: Path, *args: str):
        monkeypatch.setenv("KB_HOME", str(home))
        monkeypatch.delenv("KB_DATABASE_URL", raising=False)
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def all_matches(kb: KnowledgeBase, query: str, filters: dict) -> list[CaseView]:
    """Every matching case, read back from the database (not from the index as the brief does).
    A brief's matches are the cases matching every word, or any word when fewer than three do."""
    found = kb.search(query, **filters, limit=10_000, match="all")
    if found.total < 3:
        found = kb.search(query, **filters, limit=10_000)
    assert found.total == len(found.hits)
    return [kb.get(hit.slug) for hit in found.hits]


def recount(views: list[CaseView]) -> dict[str, int]:
    discontinued = sum(v.record.status == "discontinued" for v in views)
    contested = sum(
        v.record.status != "discontinued" and bool(CONTESTED_TAGS & set(v.record.tags))
        for v in views
    )
    return {
        "total": len(views),
        "countries": len({v.record.country for v in views}),
        "regions": len({v.region for v in views}),
        "discontinued": discontinued,
        "contested": contested,
    }


def pdf_text(reader: Any) -> str:
    """The text of every page, without the page-number footers ("1/3")."""
    return "".join(re.sub(r"\d+/\d+\s*$", "", page.extract_text()) for page in reader.pages)


def plain(text: str) -> str:
    """Text with all whitespace and direction marks removed, to compare across line breaks."""
    return re.sub(r"\s+", "", text.replace(LRM, ""))


# -- grounded -------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "filters"), QUERIES)
def test_every_number_is_in_a_cited_record_or_a_recomputed_count(kb, query, filters):
    brief = kb.brief(query, **filters)
    matches = all_matches(kb, query, filters)
    counts = recount(matches)
    inclusion = Counter(code for v in matches for code in v.record.inclusion)
    allowed = {str(n) for n in [*counts.values(), *inclusion.values(), len(brief.cases)]}
    allowed |= {str(v) for k, v in filters.items() if k.startswith("year_")}
    for slug in brief.cases:
        allowed |= set(
            NUMBER.findall(json.dumps(kb.get(slug).record.to_dict(), ensure_ascii=False))
        )
    text = re.sub(r"\[\d+\]", "", brief.to_markdown())  # citations
    text = re.sub(r"^\d+\. ", "", text, flags=re.MULTILINE)  # list numbers
    assert set(NUMBER.findall(text)) - allowed == set()
    head = (
        f"{counts['total']} initiatives in {counts['countries']} countries across "
        f"{counts['regions']} region"
    )
    assert brief.overview.startswith(head)


@pytest.mark.parametrize(("query", "filters"), QUERIES)
def test_each_talking_point_quotes_its_case(kb, query, filters):
    brief = kb.brief(query, **filters)
    assert 3 <= len(brief.points) <= 7
    assert [p.slug for p in brief.points] == brief.cases
    for point in brief.points:
        r = kb.get(point.slug).record
        assert (point.title, point.what) == (r.title, r.summary)
        assert point.context.startswith(f"{r.city}, ")
        assert str(r.start_year) in point.context
        assert point.result in r.outcome_texts and point.lesson == r.lessons[0]
        if any(re.search(r"\d", o) for o in r.outcome_texts):
            assert re.search(r"\d", point.result)


@pytest.mark.parametrize(("query", "filters"), QUERIES)
def test_every_cited_case_has_all_its_sources_in_the_references(kb, query, filters):
    brief = kb.brief(query, **filters)
    by_number = {ref.number: ref.url for ref in brief.references}
    assert list(by_number) == list(range(1, len(by_number) + 1))
    cited = set()
    for point in brief.points:
        urls = [s.url for s in kb.get(point.slug).record.sources]
        assert [by_number[n] for n in point.refs] == list(dict.fromkeys(urls))
        assert point.citation in point.body
        cited |= set(urls)
    assert cited == set(by_number.values())


def test_risks_quote_the_challenges_of_cautionary_cases_and_count_them(kb):
    brief = kb.brief("facial recognition")
    counts = recount(all_matches(kb, "facial recognition", {}))
    first = brief.risks[0]
    assert first.startswith(f"Among the {counts['total']} matching initiatives, ")
    expected = [counts["total"]] + [counts[k] for k in ("discontinued", "contested") if counts[k]]
    assert NUMBER.findall(first) == [str(n) for n in expected]
    for slug in brief.cases:
        r = kb.get(slug).record
        if r.status == "discontinued":
            assert any(r.title in line and r.challenges[0] in line for line in brief.risks)
    assert brief.risks[-1].startswith("No case in this brief records these safeguards")


@pytest.mark.parametrize("query", ["older people digital skills", "digital identity"])
def test_reach_lists_covered_dimensions_and_the_gap(kb, query):
    brief = kb.brief(query)
    records = [kb.get(slug).record for slug in brief.cases]
    covered = {code for r in records for code in r.inclusion}
    assert set(brief.reach.covered) == covered
    assert set(brief.reach.missing) == set(taxonomy.codes("inclusion")) - covered
    for code, slugs in brief.reach.covered.items():
        assert slugs == [r.slug for r in records if code in r.inclusion]
    matches = all_matches(kb, query, {})
    matching = Counter(code for v in matches for code in v.record.inclusion)
    assert brief.reach.matching == {c: n for c, n in matching.items() if n}
    for code in brief.reach.missing:
        label = taxonomy.label("inclusion", code)
        if matching[code]:
            assert any(line.startswith(f"Missing, {label}: ") for line in brief.reach.lines)
            assert f"{matching[code]} of the matching" in "".join(brief.reach.lines)
        else:
            assert brief.reach.lines[-1].startswith(f"Missing from all {len(matches)} matching")
            assert label in brief.reach.lines[-1]


def test_the_same_input_gives_the_same_brief(kb):
    first = kb.brief("bike share", region="Europe").to_dict()
    assert kb.brief("bike share", region="Europe").to_dict() == first
    assert render(kb.brief("bike share", region="Europe"), "md") == render(
        kb.brief("bike share", region="Europe"), "md"
    )


# -- diverse --------------------------------------------------------------------------------


@pytest.mark.parametrize(("query", "filters"), QUERIES)
def test_selection_leads_with_the_best_and_spreads_regions_with_a_cautionary_case(
    kb, query, filters
):
    matches = all_matches(kb, query, filters)
    brief = kb.brief(query, **filters)
    chosen = [kb.get(slug) for slug in brief.cases]
    size = POOL_PER_CASE * 6
    pool = matches[:size]
    if not any(is_cautionary(v) for v in pool):  # the rule reaches further for a cautionary case
        pool += [v for v in matches[size:] if is_cautionary(v)][:1]
    assert chosen[0].record.slug == matches[0].record.slug
    assert any(is_cautionary(v) for v in chosen) == any(is_cautionary(v) for v in matches)
    regions = Counter(v.region for v in chosen)
    if {v.region for v in pool} - set(regions):  # a region was left out: none may repeat ...
        repeated = [region for region, n in regions.items() if n > 1]
        # ... except the best case's, when the only cautionary cases shared it
        assert repeated in ([], [chosen[0].region])
        if repeated:
            assert {v.region for v in pool if is_cautionary(v)} == {chosen[0].region}


def case(slug: str, region: str, **fields) -> CaseView:
    """A hand-built case: only what selection looks at varies."""
    record = CaseRecord(
        slug=slug,
        title=f"Case {slug}",
        summary="A hand-built case for selection tests.",
        city=fields.pop("city", slug.title()),
        country=fields.pop("country", slug.upper()[:2]),
        themes=("digital-governance",),
        sources=(Source(f"https://example.org/{slug}", slug),),
        **{"status": "active", "city_population": 2_000_000, **fields},
    )
    return CaseView(record, 1, record.country, region, "", None, "2026-01-01T00:00:00+00:00")


SELECTIONS = [
    (  # the best leads; the only cautionary case comes next even in a region already covered
        [
            case("aa", "Europe"),
            case("ab", "Europe"),
            case("ac", "Africa"),
            case("ad", "Asia"),
            case("ae", "Europe", status="discontinued"),
        ],
        3,
        ["aa", "ac", "ae"],
    ),
    (  # a new region first; among new regions, most variety (size, status, ...); then relevance
        [
            case("ba", "Europe"),
            case("bb", "Africa", country="BA"),
            case("bc", "Africa", country="BC", city_population=90_000, status="scaled"),
            case("bd", "Asia", tags=("court-ruling",)),
        ],
        3,
        ["ba", "bc", "bd"],
    ),
    (  # fewer candidates than places: all of them, best first
        [case("ca", "Oceania"), case("cb", "Oceania")],
        6,
        ["ca", "cb"],
    ),
    (  # only the best 3 x max_cases are considered, plus a cautionary case from further down
        [case(f"d{n}", "Europe", country=f"D{n}") for n in range(9)]
        + [case("dx", "Africa"), case("dy", "Asia", status="discontinued")],
        3,
        ["d0", "d1", "dy"],
    ),
]


@pytest.mark.parametrize(("candidates", "max_cases", "expected"), SELECTIONS)
def test_select_cases_rule(candidates, max_cases, expected):
    chosen = select_cases(candidates, max_cases=max_cases)
    assert [c.record.slug for c in chosen] == expected


def test_build_brief_is_a_pure_function_of_its_input():
    views = [
        case("ea", "Europe", outcomes=(Outcome("Reached 1,200 people in 2020."),)),
        case("eb", "Asia"),
    ]
    stats = count_matches(Match.of_view(v) for v in views)
    made = [
        build_brief(query="topic", candidates=views, match_stats=stats, max_cases=3).to_dict()
        for _ in range(2)
    ]
    assert made[0] == made[1]
    assert made[0]["points"][0]["result"] == "Reached 1,200 people in 2020."
    assert made[0]["overview"].startswith("2 initiatives in 2 countries across 2 regions")


# -- files ----------------------------------------------------------------------------------


def test_word_and_pdf_carry_the_same_talking_points(kb):
    require(importlib.util.find_spec("pypdf") is not None, "pypdf is not installed")
    import pypdf

    brief = kb.brief("older people digital skills")
    word = docx.Document(io.BytesIO(render(brief, "docx")))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == brief.title
    for point in brief.points:
        assert point.text() in paragraphs
    links = [link.url for p in word.paragraphs for link in p.hyperlinks]
    assert links == [ref.url for ref in brief.references]
    pdf = pypdf.PdfReader(io.BytesIO(render(brief, "pdf")))
    text = plain(pdf_text(pdf))
    for point in brief.points:
        assert plain(point.text()) in text
    for ref in brief.references:
        assert plain(ref.url) in text


def test_markdown_is_the_brief_in_utf8(kb):
    brief = kb.brief("bike share", region="Europe")
    assert render(brief, "md").decode("utf-8") == brief.to_markdown()
    with pytest.raises(KbError, match="choose one of md, docx, pdf"):
        render(brief, "odt")


# -- messages -------------------------------------------------------------------------------


def test_no_match_is_a_clear_message_not_an_empty_brief(kb, home, cli, tmp_path):
    with pytest.raises(EmptyBrief, match="No case in the catalogue matches 'qqzzxxyy'"):
        kb.brief("qqzzxxyy")
    out = tmp_path / "brief.pdf"
    result = cli(home, "brief", "qqzzxxyy", "-o", str(out))
    assert result.exit_code == 1
    assert "no brief was made" in result.output and "Try fewer or broader words" in result.output
    assert not out.exists()


@pytest.mark.parametrize(
    ("kwargs", "error", "message"),
    [
        ({"slugs": ["no-such-case"]}, CaseNotFound, "No case with slug 'no-such-case'"),
        ({"max_cases": 9}, KbError, "A brief cites 3 to 7 cases; 9 were asked for"),
        (
            {"slugs": ["kigali-irembo-e-government-portal"], "region": "Africa"},
            KbError,
            "either cases or filters",
        ),
    ],
)
def test_bad_requests_are_refused_plainly(kb, kwargs, error, message):
    with pytest.raises(error, match=message):
        kb.brief("topic", **kwargs)


# -- the command ----------------------------------------------------------------------------


def test_cli_from_topic_to_markdown_word_and_pdf(kb, home, cli, tmp_path):
    brief = kb.brief("older people digital skills", max_cases=4)
    shown = cli(home, "brief", "older people digital skills", "--max-cases", "4")
    assert shown.exit_code == 0
    assert shown.output == brief.to_markdown()
    for name, start in (
        ("brief.md", b"# Talking points"),
        ("brief.docx", b"PK"),
        ("brief.pdf", b"%PDF"),
    ):
        out = tmp_path / name
        result = cli(
            home, "brief", "older people digital skills", "--max-cases", "4", "-o", str(out)
        )
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(start)
    assert (tmp_path / "brief.md").read_text(encoding="utf-8") == brief.to_markdown()
    assert docx.Document(tmp_path / "brief.docx").paragraphs[0].text == brief.title
    assert "wrote" in result.output and "4 talking points" in result.output


def test_cli_filters_and_cases(kb, home, cli):
    filtered = cli(home, "brief", "bike share", "--region", "Europe", "--status", "discontinued")
    assert filtered.exit_code == 0
    assert "(status Discontinued, in Europe)" in filtered.output.splitlines()[2]
    slugs = kb.brief("bike share", region="Europe").cases[:3]
    chosen = cli(home, "brief", "--cases", ",".join(slugs))
    assert chosen.exit_code == 0
    assert "chosen by hand" in chosen.output
    assert kb.brief(slugs=slugs).cases == slugs
    for slug in slugs:
        assert f"**{kb.get(slug).record.title}**" in chosen.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "pdf"], "A pdf brief needs a file: add -o brief.pdf"),
        (["-o", "brief.txt"], "Cannot tell the format from brief.txt"),
        (["--max-cases", "2"], "2 is not in the range 3<=x<=7"),
        (["--cases", "no-such-case"], "No case with slug 'no-such-case'"),
    ],
)
def test_cli_usage_errors_are_plain(home, cli, args, message):
    result = cli(home, "brief", "bike share", *args)
    assert result.exit_code != 0
    assert message in result.output
    assert "Traceback" not in result.output


def test_unicode_names_render_in_every_script_in_the_pdf(unicode_home, cli, tmp_path):
    require(importlib.util.find_spec("pypdf") is not None, "pypdf is not installed")
    require(importlib.util.find_spec("uharfbuzz") is not None, "uharfbuzz (Arabic shaping) missing")
    import pypdf

    out = tmp_path / "unicode.pdf"
    result = cli(unicode_home, "brief", "fixture", "--max-cases", "7", "-o", str(out))
    assert result.exit_code == 0, result.output  # -W error: a missing glyph warning would fail
    reader = pypdf.PdfReader(out)
    text = pdf_text(reader).replace(LRM, "")
    for name in UNICODE_NAMES:
        assert name in text, name
    fonts = {
        f["/BaseFont"].split("+")[-1]
        for p in reader.pages
        for f in p["/Resources"]["/Font"].values()
    }
    assert fonts == {"DejaVuSansBook", "DejaVuSansBold", "DroidSansFallback"}
    markdown = cli(unicode_home, "brief", "fixture", "--max-cases", "7").output
    assert all(name in markdown for name in UNICODE_NAMES)
    word = tmp_path / "unicode.docx"
    assert cli(unicode_home, "brief", "fixture", "--max-cases", "7", "-o", str(word)).exit_code == 0
    paragraphs = "\n".join(p.text for p in docx.Document(word).paragraphs)
    assert all(name in paragraphs for name in UNICODE_NAMES)
