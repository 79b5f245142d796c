"""Talking-points briefs: on topic, grounded in the catalogue, cited, honest about risks, safe
to render, and the same in every format.

The bundled catalogue is imported once per module into a real SQLite file; a small hand-written
fixture (brief_unicode.jsonl) holds names in Latin with diacritics, Cyrillic, Arabic, Chinese
and Korean for the PDF; content and selection rules are pinned on hand-built cases.
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
from markdown_it import MarkdownIt
from pptx import Presentation

from kb import KnowledgeBase, taxonomy
from kb.brief import FORMATS, render
from kb.brief.content import Candidate, build_brief
from kb.brief.documents import LRM, ZWSP
from kb.brief.markdown import escape, link
from kb.brief.selection import (
    CONTESTED_TAGS,
    Match,
    count_matches,
    is_cautionary,
    select_cases,
)
from kb.brief.topic import can_lead, fits, is_on_topic
from kb.cli import main
from kb.config import Settings
from kb.errors import CaseNotFound, EmptyBrief, KbError
from kb.records import CaseRecord, CaseView, Outcome, RankedPassage, Source
from tests.conftest import FIXTURES, require

UNICODE_FIXTURE = FIXTURES / "brief_unicode.jsonl"
UNICODE_NAMES = ("São Paulo", "Łódź", "Düsseldorf", "Новосибирск", "الدار البيضاء", "深圳", "서울")
TOPICS = [  # (topic, filters): a one-word topic, phrases, a filtered topic
    ("gender", {}),
    ("electric buses", {}),
    ("free public Wi-Fi", {}),
    ("bike share", {"region": "Europe"}),
]
NUMBER = re.compile(r"\d+(?:[.,]\d+)*")
CITATION = re.compile(r"\[\d+(?:(?:–|, )\d+)*\]")


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
        for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):  # in English, whatever the shell's
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("LANG", "C.UTF-8")
        return CliRunner().invoke(main, list(args), catch_exceptions=False)

    return invoke


def numbers_of(text: str) -> set[str]:
    return set(NUMBER.findall(text))


def pdf_text(reader: Any) -> str:
    """The text of every page, without the page-number footers ("1/3")."""
    return "".join(re.sub(r"\d+/\d+\s*$", "", page.extract_text()) for page in reader.pages)


def plain(text: str) -> str:
    """Text with whitespace, direction marks and break opportunities removed."""
    return re.sub(r"\s+", "", text.replace(LRM, "").replace(ZWSP, ""))


def cited_numbers(text: str) -> set[int]:
    out: set[int] = set()
    for found in CITATION.findall(text):
        for part in found.strip("[]").split(", "):
            low, _, high = part.partition("–")
            out |= set(range(int(low), int(high or low) + 1))
    return out


# -- on topic -------------------------------------------------------------------------------


def test_passages_rank_a_cases_own_words_first(kb):
    """The search layer's passage ranking: a case's outcome, asked for in its own words, is
    that case's best passage, with a full share of the topic's words."""
    record = next(r for r in kb.records() if len(r.outcomes) >= 2)
    wanted = record.outcomes[-1].text
    ranked = kb.passages([record.slug, "no-such-case"], wanted)
    assert list(ranked) == [record.slug]
    best = ranked[record.slug][0]
    assert (best.kind, best.text, best.words) == ("outcome", wanted, 1.0)
    assert [p.score for p in ranked[record.slug]] == sorted(
        (p.score for p in ranked[record.slug]), reverse=True
    )
    assert kb.passages([record.slug], "") == {}


@pytest.mark.parametrize(("topic", "filters"), TOPICS)
def test_each_point_leads_with_the_passage_of_its_case_that_best_fits_the_topic(kb, topic, filters):
    brief = kb.brief(topic, **filters)
    ranked = kb.passages(brief.matching, topic)
    assert 3 <= len(brief.points) <= 7
    assert all(is_on_topic(ranked[slug]) for slug in brief.matching)
    for point in brief.points:
        r = kb.get(point.slug).record
        passages = ranked[point.slug]
        lead = next(p for p in passages if fits(p, 0.5) and p.text.endswith(point.lead))
        assert lead.kind == point.lead_kind
        if can_lead(passages):  # a better-fitting passage of the same kind would lead
            assert fits(lead)
        assert point.context.startswith(f"{r.city}, ")
        assert str(r.start_year) in point.context
        if point.figure:
            outcome = next(o for o in r.outcomes if o.text == point.figure)
            assert outcome.figure is not None or re.search(r"\d", outcome.text)


def test_a_case_whose_passages_miss_the_topic_is_not_a_talking_point():
    """A hand-built pair: one case speaks to the topic, the other shares a word at best."""
    on = RankedPassage("outcome", "Women were 48% of drivers", cosine=0.5, words=1.0)
    off = RankedPassage("summary", "An app for parking", cosine=0.1, words=0.2, best_words=1.0)
    on = RankedPassage(on.kind, on.text, on.cosine, on.words, standing=0.99, best_words=1.0)
    matching = [
        Candidate(case("za", "Europe", outcomes=(Outcome("Women were 48% of drivers"),)), (on,)),
        Candidate(case("zb", "Asia"), (off,)),
    ]
    stats = count_matches(Match.of_view(c.view) for c in matching)
    brief = build_brief(query="women drivers", matching=matching, match_stats=stats, max_cases=3)
    assert [p.slug for p in brief.points] == ["za"]
    assert brief.points[0].lead == "Women were 48% of drivers"


# -- grounded -------------------------------------------------------------------------------


@pytest.mark.parametrize(("topic", "filters"), [*TOPICS, ("", {"themes": ["e-mobility"]})])
def test_every_number_is_in_a_cited_record_or_a_recomputed_count(kb, topic, filters):
    brief = kb.brief(topic, **filters)
    views = [kb.get(slug) for slug in brief.matching]
    inclusion = Counter(code for v in views for code in v.record.inclusion)
    counts = [
        len(views),
        len({v.record.country for v in views}),
        len({v.region for v in views}),
        sum(v.record.status == "discontinued" for v in views),
        sum(
            v.record.status != "discontinued" and bool(CONTESTED_TAGS & set(v.record.tags))
            for v in views
        ),
        len(brief.cases),
        len(brief.cautions),
        sum(not c.is_failure for c in brief.cautions),
    ]
    allowed = {str(n) for n in [*counts, *inclusion.values()]}
    allowed |= {str(v) for k, v in filters.items() if k.startswith("year_")}
    for slug in [*brief.cases, *(c.slug for c in brief.cautions)]:
        allowed |= numbers_of(json.dumps(kb.get(slug).record.to_dict(), ensure_ascii=False))
    text = CITATION.sub("", render(brief, "md").decode())
    text = re.sub(r"<https?://\S+>", "", text)  # reference URLs
    text = re.sub(r"^\d+\. ", "", text, flags=re.MULTILINE)  # list numbers
    assert numbers_of(text) - allowed == set()
    assert brief.overview.startswith(f"{counts[0]} initiative")


@pytest.mark.parametrize(("topic", "filters"), TOPICS)
def test_sources_numbers_and_the_one_minute_version_are_cited(kb, topic, filters):
    brief = kb.brief(topic, **filters)
    by_number = {ref.number: ref.url for ref in brief.references}
    assert list(by_number) == list(range(1, len(by_number) + 1))
    for point in brief.points:
        record = kb.get(point.slug).record
        urls = list(dict.fromkeys(s.url for s in record.sources))
        assert [by_number[n] for n in point.refs] == urls
        if point.figure:
            source = next(o.source for o in record.outcomes if o.text == point.figure)
            if source:
                assert [by_number[n] for n in point.figure_refs] == [source]
    assert 1 <= len(brief.minute) <= 3
    for said in brief.minute:
        assert CITATION.search(said[-12:]) and said.endswith("].")
        assert cited_numbers(said) <= set(by_number)
    cited = cited_numbers(" ".join([*(p.text() for p in brief.points), *brief.risks]))
    assert cited == set(by_number)  # every reference is cited, nothing cites a missing one


def test_the_same_input_gives_the_same_brief(kb):
    first = kb.brief("bike share", region="Europe").to_dict()
    assert kb.brief("bike share", region="Europe").to_dict() == first
    assert render(kb.brief("bike share", region="Europe"), "md") == render(
        kb.brief("bike share", region="Europe"), "md"
    )


# -- risks ----------------------------------------------------------------------------------


@pytest.mark.parametrize("topic", ["gender", "facial recognition", "free public Wi-Fi"])
def test_the_risk_section_names_every_failed_or_contested_matching_case(kb, topic):
    brief = kb.brief(topic)
    named = {c.slug: c for c in brief.cautions}
    for slug in brief.matching:
        r = kb.get(slug).record
        if r.status == "discontinued":
            assert named[slug].label.startswith("Discontinued")
        elif CONTESTED_TAGS & set(r.tags):
            assert named[slug].label == "Contested"
        elif slug in named:
            assert named[slug].label == "Recorded challenge"
            assert named[slug].challenge in r.challenges
    for caution in brief.cautions:
        line = next(x for x in brief.risks if x.startswith(f"{caution.label}: {caution.title}"))
        assert caution.challenge is None or caution.challenge.rstrip(".") in line
        assert cited_numbers(line) == set(caution.refs)
    if brief.cautions:
        assert ", none " not in brief.risks[0]


def fixture_case(slug: str, *, status: str = "active", tags=(), challenges=()) -> Candidate:
    view = case(slug, "Europe", status=status, tags=tuple(tags), challenges=tuple(challenges))
    passages = (
        RankedPassage("summary", f"Case {slug}. {view.record.summary}", 0.5, 1.0, 0.99, 1.0),
        *(RankedPassage("challenge", c, 0.05, 0.0, 0.1, 1.0) for c in challenges),
    )
    return Candidate(view, passages)


def risk_brief(matching: list[Candidate]):
    stats = count_matches(Match.of_view(c.view) for c in matching)
    return build_brief(query="topic", matching=matching, match_stats=stats, max_cases=3)


def test_risks_say_none_only_when_no_matching_case_failed_or_records_a_risk():
    calm = [fixture_case(s, challenges=["Slow uptake"]) for s in ("ra", "rb", "rc")]
    brief = risk_brief(calm)
    assert brief.cautions == []
    assert brief.risks[0] == (
        "Among the 3 matching initiatives, none is recorded as discontinued or contested, "
        "and none records a challenge on this topic."
    )
    ended = fixture_case("rd", status="discontinued", challenges=["Funding ran out"])
    sued = fixture_case("re", challenges=["A court ruled the data sharing unlawful"])
    contested = fixture_case("rf", tags=["protests"], challenges=["Street protests"])
    brief = risk_brief([*calm, ended, sued, contested])
    assert [(c.slug, c.label, c.challenge) for c in brief.cautions] == [
        ("rd", "Discontinued", "Funding ran out"),
        ("rf", "Contested", "Street protests"),
        ("re", "Recorded challenge", "A court ruled the data sharing unlawful"),
    ]
    assert brief.risks[0] == (
        "Among the 6 matching initiatives, 1 was discontinued, 1 is contested and 1 other "
        "records a challenge on this topic."
    )
    assert "Discontinued: Case rd (Rd, RD). Funding ran out. [" in brief.risks[1]
    assert not [c for c in brief.cautions if c.slug in ("ra", "rb", "rc")]


@pytest.mark.parametrize("topic", ["gender", "electric buses"])
def test_reach_lists_covered_dimensions_and_the_gap(kb, topic):
    brief = kb.brief(topic)
    records = [kb.get(slug).record for slug in brief.cases]
    covered = {code for r in records for code in r.inclusion}
    assert set(brief.reach.covered) == covered
    assert set(brief.reach.missing) == set(taxonomy.codes("inclusion")) - covered
    matching = Counter(code for s in brief.matching for code in kb.get(s).record.inclusion)
    assert brief.reach.matching == {c: n for c, n in matching.items() if n}


# -- diverse --------------------------------------------------------------------------------


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


@pytest.mark.parametrize(("topic", "filters"), TOPICS)
def test_selection_spreads_regions_and_keeps_a_cautionary_case(kb, topic, filters):
    brief = kb.brief(topic, **filters)
    ranked = kb.passages(brief.matching, topic)
    leaders = [kb.get(s) for s in brief.matching if can_lead(ranked[s])]
    chosen = [kb.get(slug) for slug in brief.cases]
    assert {v.record.slug for v in chosen} <= {v.record.slug for v in leaders}
    if any(is_cautionary(v) for v in leaders):
        assert any(is_cautionary(v) for v in chosen)
    regions = {v.region for v in leaders}
    assert len({v.region for v in chosen}) == min(len(regions), len(chosen)) or len(
        {v.region for v in chosen}
    ) >= min(3, len(regions))


# -- safe output ----------------------------------------------------------------------------

HOSTILE = {
    "slug": "hostile-brief-case",
    "title": "[click](javascript:alert(1)) <script>alert(2)</script> *bold* `code`",
    "summary": "Hostile summary <img src=x onerror=alert(3)> with [a link](javascript:alert(4)).",
    "city": "Lyon",
    "country": "FR",
    "start_year": 2020,
    "status": "active",
    "themes": ["digital-governance"],
    "outcomes": [
        {
            "text": "Reached 1,234 <b>people</b>",
            "kind": "output",
            "figure": 1234,
            "source": "https://example.org/a(b)",
        }
    ],
    "challenges": ["A <script>challenge</script>"],
    "language": "en",
    "sources": [
        {"url": "https://example.org/a(b)", "title": "Parentheses <in> URL"},
        {"url": "https://example.org/p?q=[x]&r=<y>", "title": "Brackets ](javascript:alert(5))"},
        {"url": "https://example.org/" + "long-path-segment/" * 20 + "end", "title": "Long"},
    ],
}


@pytest.fixture(scope="module")
def hostile_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("brief-hostile") / "home"
    with KnowledgeBase(Settings(home=path)) as kb:
        kb.init()
        kb.import_files([FIXTURES / "sample.jsonl"], actor="test")
        kb.import_dicts([HOSTILE], actor="test")
    return path


def test_markdown_never_turns_record_text_into_links_or_tags(hostile_home):
    with KnowledgeBase(Settings(home=hostile_home)) as kb:
        slugs = [r.slug for r in kb.records()][:2] + [HOSTILE["slug"]]
        brief = kb.brief(slugs=slugs)
    markdown = render(brief, "md").decode()
    html = MarkdownIt("commonmark").render(markdown)
    assert "<script" not in html and "<img" not in html and "<b>" not in html
    hrefs = re.findall(r'href="([^"]*)"', html)
    assert len(hrefs) == len(brief.references)
    assert not [h for h in hrefs if not h.startswith(("https://", "http://"))]
    assert "https://example.org/a(b)" in hrefs
    assert "https://example.org/p?q=%5Bx%5D&amp;r=%3Cy%3E" in hrefs
    text = re.sub(r"<[^>]+>", "", html)
    assert "[click](javascript:alert(1)) &lt;script&gt;alert(2)&lt;/script&gt;" in text


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a b", "<https://example.org/a%20b>"),
        ("https://example.org/x>y<z", "<https://example.org/x%3Ey%3Cz>"),
        ("https://example.org/[x]", "<https://example.org/%5Bx%5D>"),
        ("javascript:alert(1)", "javascript:alert(1)"),
    ],
)
def test_urls_are_written_so_nothing_can_end_them_early(url, expected):
    assert link(url) == expected


def test_escape_shows_markdown_literally():
    assert escape("*a* [b](c) <d> `e` _f_ |g| ~h~ &i") == (
        "\\*a\\* \\[b\\](c) \\<d\\> \\`e\\` \\_f\\_ \\|g\\| \\~h\\~ \\&i"
    )


def test_long_urls_wrap_inside_the_pdf_page(hostile_home):
    require(importlib.util.find_spec("pypdf") is not None, "pypdf is not installed")
    import pypdf

    with KnowledgeBase(Settings(home=hostile_home)) as kb:
        brief = kb.brief(slugs=[HOSTILE["slug"], *[r.slug for r in kb.records()][:2]])
    reader = pypdf.PdfReader(io.BytesIO(render(brief, "pdf")))
    long_url = HOSTILE["sources"][2]["url"]
    assert plain(long_url) in plain(pdf_text(reader))
    width = float(reader.pages[0].mediabox.width)
    for page in reader.pages:  # no text drawn past the right margin
        xs: list[float] = []
        page.extract_text(
            visitor_text=lambda t, cm, tm, *_, xs=xs: xs.append(tm[4]) if t.strip() else None
        )
        assert max(xs, default=0) < width - 18 * 72 / 25.4


# -- files ----------------------------------------------------------------------------------


def test_word_and_pdf_carry_the_same_talking_points(kb):
    require(importlib.util.find_spec("pypdf") is not None, "pypdf is not installed")
    import pypdf

    brief = kb.brief("electric buses")
    word = docx.Document(io.BytesIO(render(brief, "docx")))
    paragraphs = [p.text for p in word.paragraphs]
    assert paragraphs[0] == brief.title
    assert " ".join(brief.minute) in paragraphs
    for point in brief.points:
        assert point.text() in paragraphs
    links = [link.url for p in word.paragraphs for link in p.hyperlinks]
    assert links == [ref.url for ref in brief.references]
    text = plain(pdf_text(pypdf.PdfReader(io.BytesIO(render(brief, "pdf")))))
    for point in brief.points:
        assert plain(point.text()) in text
    for ref in brief.references:
        assert plain(ref.url) in text


def test_slides_open_and_hold_every_point_with_its_full_text_in_the_notes(kb):
    brief = kb.brief("free public Wi-Fi")
    deck = Presentation(io.BytesIO(render(brief, "pptx")))
    slides = list(deck.slides)

    def texts(slide) -> str:  # noqa: ANN001
        return "\n".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)

    assert brief.title in texts(slides[0])
    assert all(line in texts(slides[0]) for line in brief.minute)
    for n, point in enumerate(brief.points, 1):
        slide = slides[n]
        assert f"{n}. {point.headline}" in texts(slide)
        assert point.title in texts(slide) and point.citation in texts(slide)
        assert slide.notes_slide.notes_text_frame.text == point.text()
    rest = "\n".join(texts(s) for s in slides[len(brief.points) + 1 :])
    assert all(line in rest for line in brief.risks)
    assert all(ref.url in rest for ref in brief.references)


def test_unknown_formats_are_refused(kb):
    brief = kb.brief("bike share", region="Europe")
    assert render(brief, "md").decode("utf-8") == brief.to_markdown()
    with pytest.raises(KbError, match="choose one of md, docx, pdf, pptx"):
        render(brief, "odt")
    assert FORMATS == ("md", "docx", "pdf", "pptx")


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


def test_cli_from_topic_to_every_format(kb, home, cli, tmp_path):
    brief = kb.brief("electric buses", max_cases=4)
    shown = cli(home, "brief", "electric buses", "--max-cases", "4")
    assert shown.exit_code == 0
    assert shown.output == brief.to_markdown()
    for name, start in (
        ("brief.md", b"# Talking points"),
        ("brief.docx", b"PK"),
        ("brief.pdf", b"%PDF"),
        ("brief.pptx", b"PK"),
    ):
        out = tmp_path / name
        result = cli(home, "brief", "electric buses", "--max-cases", "4", "-o", str(out))
        assert result.exit_code == 0, result.output
        assert out.read_bytes().startswith(start)
    assert (tmp_path / "brief.md").read_text(encoding="utf-8") == brief.to_markdown()
    assert docx.Document(tmp_path / "brief.docx").paragraphs[0].text == brief.title
    assert len(Presentation(tmp_path / "brief.pptx").slides) > len(brief.points)
    assert "wrote" in result.output and "4 talking points" in result.output


def test_cli_filters_and_cases(kb, home, cli):
    filtered = cli(home, "brief", "bike share", "--region", "Europe", "--status", "discontinued")
    assert filtered.exit_code == 0
    assert "(status Discontinued, in Europe)" in filtered.output
    slugs = kb.brief("bike share", region="Europe").cases[:3]
    chosen = cli(home, "brief", "--cases", ",".join(slugs))
    assert chosen.exit_code == 0
    assert "chosen by hand" in chosen.output
    assert kb.brief(slugs=slugs).cases == slugs
    for slug in slugs:
        assert escape(kb.get(slug).record.title) in chosen.output


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

    lines = UNICODE_FIXTURE.read_text(encoding="utf-8").splitlines()
    slugs = ",".join(json.loads(line)["slug"] for line in lines)
    out = tmp_path / "unicode.pdf"
    result = cli(unicode_home, "brief", "--cases", slugs, "--max-cases", "7", "-o", str(out))
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
    markdown = cli(unicode_home, "brief", "--cases", slugs, "--max-cases", "7").output
    assert all(name in markdown for name in UNICODE_NAMES)
    word = tmp_path / "unicode.docx"
    args = ("brief", "--cases", slugs, "--max-cases", "7", "-o", str(word))
    assert cli(unicode_home, *args).exit_code == 0
    paragraphs = "\n".join(p.text for p in docx.Document(word).paragraphs)
    assert all(name in paragraphs for name in UNICODE_NAMES)
