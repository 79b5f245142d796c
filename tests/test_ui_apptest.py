"""The web app under streamlit's AppTest: each page's logic, the search state in the URL,
not-found and empty results; plus the plain functions behind them (kb.ui.state, kb.ui.text).

One catalogue (the bundled cases plus a case titled <script>alert(1)</script>) is built once per
session and only read; every test starts with empty Streamlit caches, so the app's cached
KnowledgeBase is opened on that catalogue through KB_HOME.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from kb import KnowledgeBase, taxonomy
from kb.config import Settings
from kb.ui import state as ui_state
from kb.ui.state import ActiveFilter, SearchState, narrowest_filter, parse_search, parse_slugs
from kb.ui.text import badges, md, safe_url, snippet_markdown
from tests.conftest import SAMPLE

APP = Path(__file__).resolve().parent.parent / "app.py"
PAGES = {
    "search": "kb/ui/pages/search.py",
    "case": "kb/ui/pages/case.py",
    "compare": "kb/ui/pages/compare.py",
    "explore": "kb/ui/pages/explore.py",
    "brief": "kb/ui/pages/brief.py",
    "about": "kb/ui/pages/about.py",
}
XSS_TITLE = "<script>alert(1)</script>"
XSS_SLUG = "hostile-markup-case"
XSS_SUMMARY = (
    "Xylophonic hostile record: <img src=x onerror=alert(2)> **not bold** "
    "[not a link](javascript:alert(3)) :red[not red] $x^2$ &amp; <b>not bold either</b>."
)
RICH_CASE = "nairobi-digital-matatus-transit-map"  # organizations, outcomes, lessons, challenges


def xss_record() -> dict:
    """The first sample case retitled with markup, with markup in its evidence too: a typed
    outcome, a cost and a typed source."""
    first = json.loads(SAMPLE.read_text(encoding="utf-8").splitlines()[0])
    url = first["sources"][0]["url"]
    return first | {
        "slug": XSS_SLUG,
        "title": XSS_TITLE,
        "summary": XSS_SUMMARY,
        "outcomes": [
            {
                "text": "<img src=x onerror=alert(5)> 3 **tonnes** saved",
                "kind": "impact",
                "figure": 3,
                "unit": "<b>tonnes</b>",
                "year": 2020,
                "source": url,
            }
        ],
        "costs": [
            {
                "amount": 1000,
                "currency": "EUR",
                "covers": "capital",
                "source": url,
                "funder": "<script>alert(6)</script>",
                "note": "[click](javascript:alert(7)) :red[not red]",
            }
        ],
        "sources": [first["sources"][0] | {"type": "news"}],
    }


def build_catalogue(folder: Path) -> Path:
    """The bundled catalogue plus the hostile case in `folder`/kb-home; built once per session
    (the browser tests call this too and reuse the same folder)."""
    home = folder / "kb-home"
    ready = home / "READY"
    if not ready.exists():
        kb = KnowledgeBase(Settings(home=home))
        kb.init()
        kb.import_bundled()
        kb.import_dicts([xss_record()], actor="test")
        kb.close()
        ready.write_text("built by tests/test_ui_apptest.py\n")
    return home


@pytest.fixture(scope="session")
def catalogue_home(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return build_catalogue(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="session")
def kb(catalogue_home: Path):
    """The same catalogue through the service, to compare the pages with."""
    base = KnowledgeBase(Settings(home=catalogue_home))
    yield base
    base.close()


@pytest.fixture(autouse=True)
def app_env(monkeypatch: pytest.MonkeyPatch, catalogue_home: Path):
    monkeypatch.setenv("KB_HOME", str(catalogue_home))
    monkeypatch.delenv("KB_DATABASE_URL", raising=False)
    st.cache_data.clear()
    st.cache_resource.clear()
    yield
    st.cache_data.clear()
    st.cache_resource.clear()  # closes the app's KnowledgeBase (on_release)


def link_query(link) -> str:  # noqa: ANN001
    """A page link's query string without the reader's language, which every link carries."""
    return re.sub(r"(^|&)lang=[a-z]{2}$", "", link.proto.query_string)


def open_app(page: str = "", /, **params: str | list[str]) -> AppTest:
    """The app as a browser opening `/page?params` (`page` is positional: `page=` is the URL's)."""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page:
        at.switch_page(PAGES[page])
        at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def open_filter(at: AppTest, param: str) -> AppTest:
    """Open a closed filter box, as a click on its title does (closed boxes draw nothing)."""
    at.session_state[f"facet_box_{param}"] = True
    return at.run()


def results_heading(at: AppTest) -> str:
    return next(h.value for h in at.header if "case" in h.value)


def result_titles(at: AppTest) -> list[str]:
    """The case titles linked from the results, in order (labels are bold, escaped Markdown)."""
    return [
        link.label.strip("*")
        for link in at.get("page_link")
        if link.proto.page == "case" and link.label.startswith("**")
    ]


def titles(hits) -> list[str]:  # noqa: ANN001
    return [md(h.title) for h in hits]


def query(at: AppTest) -> dict[str, list[str]]:
    """The address's parameters, but the language (tested on its own)."""
    return {key: at.query_params[key] for key in at.query_params if key != "lang"}


def every_markdown(at: AppTest) -> list[str]:
    """The Markdown source of every element that renders Markdown, tables and links too."""
    texts = [e.value for e in (*at.markdown, *at.title, *at.header, *at.subheader, *at.caption)]
    texts += [link.label for link in at.get("page_link")]
    texts += [str(cell) for table in at.table for cell in table.value.to_numpy().ravel()]
    texts += [str(column) for table in at.table for column in table.value.columns]
    return texts


UNESCAPED_TAG = re.compile(r"(?<!\\)<\s*(script|img|b)\b")


# -- kb.ui.state: the search state in the URL ----------------------------------------------


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, SearchState()),
        (
            {"q": "bike share", "theme": "e-mobility", "inclusion": "gender", "page": "2"},
            SearchState(q="bike share", theme=("e-mobility",), inclusion=("gender",), page=2),
        ),
        (
            {"theme": ["e-mobility", "digital-governance"]},
            SearchState(theme=("e-mobility", "digital-governance")),
        ),
        (
            {"theme": "e-mobility,digital-governance,e-mobility"},
            SearchState(theme=("e-mobility", "digital-governance")),
        ),
        ({"from": "2020", "to": "2010"}, SearchState(year_from=2010, year_to=2020)),
        (
            {"region": "Europe", "country": "KE", "status": "pilot"},
            SearchState(region=("Europe",), country=("KE",), status=("pilot",)),
        ),
        ({"sort": "newest", "page": "0"}, SearchState(sort="newest")),
        ({"q": "  many   spaces  "}, SearchState(q="many spaces")),
    ],
)
def test_url_parameters_parse_to_the_search_state(params, expected):
    assert parse_search(params).state == expected


def test_unknown_url_values_are_dropped_and_reported_not_raised():
    parsed = parse_search(
        {"theme": ["e-mobility", "teleportation"], "sort": "random", "from": "soon"}
    )
    assert parsed.state == SearchState(theme=("e-mobility",))
    assert parsed.ignored == ("theme=teleportation", "from=soon", "sort=random")


@pytest.mark.parametrize(
    "state",
    [
        SearchState(),
        SearchState(q="bike share", theme=("e-mobility",), inclusion=("gender",), page=2),
        SearchState(region=("Latin America and the Caribbean",), year_from=2015, sort="oldest"),
        SearchState(safeguard=("privacy", "transparency"), year_to=2020, country=("BR", "KE")),
    ],
)
def test_a_state_survives_the_round_trip_through_its_url(state):
    query_string = state.query_string()
    from urllib.parse import parse_qs

    assert parse_search(parse_qs(query_string)).state == state


def test_the_issue_example_url_is_the_canonical_form():
    state = SearchState(q="bike share", theme=("e-mobility",), inclusion=("gender",), page=2)
    assert state.query_string() == "q=bike+share&theme=e-mobility&inclusion=gender&page=2"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda s: s.with_query("bus"), SearchState(q="bus", theme=("e-mobility",))),
        (lambda s: s.toggled("theme", "e-mobility"), SearchState(q="bike")),
        (
            lambda s: s.toggled("region", "Europe"),
            SearchState(q="bike", theme=("e-mobility",), region=("Europe",)),
        ),
        (
            lambda s: s.with_sort("title"),
            SearchState(q="bike", theme=("e-mobility",), sort="title"),
        ),
        (lambda s: s.with_page(4), SearchState(q="bike", theme=("e-mobility",), page=4)),
        (lambda s: s.without_filters(), SearchState(q="bike")),
    ],
)
def test_every_change_but_paging_returns_to_the_first_page(change, expected):
    assert change(SearchState(q="bike", theme=("e-mobility",), page=3)) == expected


def test_the_narrowest_filter_is_the_one_matching_fewest_cases_in_the_catalogue():
    theme = ActiveFilter("theme", "e-mobility", "Theme: E-mobility")
    region = ActiveFilter("region", "Oceania", "Region: Oceania")
    years = ActiveFilter("years", "2010–2012", "Started 2010–2012")
    assert narrowest_filter([theme, region, years], {theme: 60, region: 12, years: 30}) == region
    assert narrowest_filter([theme, region], {theme: 12, region: 12}) == region  # last wins ties
    assert narrowest_filter([], {}) is None


def test_filter_sizes_count_each_filter_over_the_whole_catalogue(kb):
    state = SearchState(q="zzz", theme=("e-mobility",), region=("Oceania",), year_from=2015)
    sizes = ui_state.filter_sizes(kb, state)
    stats = kb.stats()
    assert {f.param: n for f, n in sizes.items()} == {
        "theme": stats.by_theme["e-mobility"],
        "region": stats.by_region["Oceania"],
        "years": kb.search("", year_from=2015, limit=0).total,
    }


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("a-b,c,a-b", ["a-b", "c"]),
        (["a", "b,c"], ["a", "b", "c"]),
        ("ok,Not-Valid,../etc,x--y,", ["ok"]),
        (None, []),
    ],
)
def test_slug_lists_keep_well_formed_unique_slugs_in_order(value, expected):
    assert parse_slugs(value) == expected


# -- kb.ui.text: catalogue text shown literally --------------------------------------------


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        ("<script>alert(1)</script>", r"\<script\>alert\(1\)\<\/script\>"),
        ("**bold** _it_ `code`", r"\*\*bold\*\* \_it\_ \`code\`"),
        ("[x](javascript:alert(1))", r"\[x\]\(javascript\:alert\(1\)\)"),
        (":red[text] :smile: $x^2$", r"\:red\[text\] \:smile\: \$x\^2\$"),
        ("# not a heading\n\n- not a list", r"\# not a heading \- not a list"),
        ("Zürich & São Paulo", r"Zürich \& São Paulo"),
    ],
)
def test_markdown_escaping_turns_every_markup_character_into_a_literal(text, escaped):
    assert md(text) == escaped


def test_snippet_keeps_matched_words_bold_and_everything_else_literal():
    snippet = (
        'A &lt;b&gt; <mark class="match term0">bike</mark>-<mark class="match term1">share</mark> *'
    )
    assert snippet_markdown(snippet) == r"A \<b\> **bike**\-**share** \*"


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.org/a b(c)", "https://example.org/a%20b%28c%29"),
        ("http://example.org/?q=1&r=2", "http://example.org/?q=1&r=2"),
        ("javascript:alert(1)", None),
        ("data:text/html,<script>", None),
        ("//example.org", None),
    ],
)
def test_only_http_links_are_made_clickable(url, expected):
    assert safe_url(url) == expected


def test_badges_name_each_group_in_words_not_only_by_colour():
    text = badges(("e-mobility",), ("gender", "income"), ("privacy",))
    assert text.split(" · ") == [
        "Theme: :blue-badge[E\\-mobility]",
        "Inclusion: :violet-badge[Gender] :violet-badge[Income]",
        "Safeguard: :green-badge[Privacy]",
    ]


# -- the search page ---------------------------------------------------------------------------


def test_search_page_opens_on_the_whole_catalogue_newest_first(kb):
    at = open_app()
    expected = kb.search("", limit=10)
    assert at.title[0].value == "Urban digital initiatives"
    assert results_heading(at) == f"{expected.total} cases, showing 1–10"
    assert result_titles(at) == titles(expected.hits)
    assert at.text_input(key="search_q").label == "Search cases"


def test_a_link_with_query_filters_and_page_reproduces_the_view(kb):
    at = open_app(q="bike share", theme="e-mobility", page="2")
    expected = kb.search("bike share", themes=["e-mobility"], limit=10, offset=10)
    assert at.text_input(key="search_q").value == "bike share"
    assert at.checkbox(key="facet_theme_e-mobility").value is True
    last = min(20, expected.total)
    assert results_heading(at) == f"{expected.total} cases, showing 11–{last}"
    assert result_titles(at) == titles(expected.hits)


def test_each_filter_value_shows_its_count_for_the_current_query(kb):
    at = open_filter(open_app(q="bike share"), "region")
    facets = kb.search("bike share", limit=0).facets
    shown = {c.key: c.label for c in at.checkbox}
    for value, count in facets["region"].items():
        assert shown[f"facet_region_{value}"] == f"{value} ({count})"
    for code, count in facets["themes"].items():
        assert shown[f"facet_theme_{code}"] == f"{taxonomy.label('theme', code)} ({count})"


def test_ticking_a_filter_puts_it_in_the_url_and_returns_to_page_one(kb):
    at = open_filter(open_app(q="bike share", page="2"), "region")
    at.checkbox(key="facet_region_Europe").check().run()
    assert query(at) == {"q": "bike share", "region": "Europe"}
    expected = kb.search("bike share", region="Europe", limit=10)
    assert results_heading(at).startswith(f"{expected.total} case")
    assert result_titles(at) == titles(expected.hits)


def test_unticking_a_filter_removes_it_from_the_url():
    at = open_app(q="bike share", theme="e-mobility", region="Europe")
    at.checkbox(key="facet_theme_e-mobility").uncheck().run()
    assert query(at) == {"q": "bike share", "region": "Europe"}


def test_typing_a_query_and_pressing_enter_updates_the_url_and_results(kb):
    at = open_app(theme="digital-governance")
    at.text_input(key="search_q").input("open data").run()
    assert query(at) == {"q": "open data", "theme": "digital-governance"}
    expected = kb.search("open data", themes=["digital-governance"], limit=10)
    assert result_titles(at) == titles(expected.hits)


def test_closed_filter_boxes_draw_no_checkboxes_until_opened():
    at = open_app(q="bike share")
    assert not [c for c in at.checkbox if c.key.startswith("facet_region_")]
    open_filter(at, "region")
    assert [c for c in at.checkbox if c.key.startswith("facet_region_")]


def test_a_filter_chosen_in_the_link_has_its_box_open():
    at = open_app(q="bike share", region="Europe")
    assert at.checkbox(key="facet_region_Europe").value is True


def test_year_range_filter_is_written_as_from_and_to(kb):
    at = open_filter(open_app(), "years")
    at.number_input(key="year_from").set_value(2015).run()
    at.number_input(key="year_to").set_value(2018).run()
    assert query(at) == {"from": "2015", "to": "2018"}
    expected = kb.search("", year_from=2015, year_to=2018, limit=0).total
    assert results_heading(at).startswith(f"{expected} cases")


def test_sorting_is_part_of_the_url_and_orders_the_results(kb):
    at = open_app(q="bike share")
    at.selectbox(key="sort").select("title").run()
    assert query(at) == {"q": "bike share", "sort": "title"}
    assert result_titles(at) == titles(kb.search("bike share", sort="title", limit=10).hits)


def test_next_and_previous_page_buttons_move_through_the_results(kb):
    at = open_app(q="bike share")
    assert at.button(key="page_previous").disabled
    at.button(key="page_next").click().run()
    assert query(at) == {"q": "bike share", "page": "2"}
    second = kb.search("bike share", limit=10, offset=10)
    assert result_titles(at) == titles(second.hits)
    assert at.button(key="page_next").disabled == (second.total <= 20)
    at.button(key="page_previous").click().run()
    assert query(at) == {"q": "bike share"}


def test_a_page_past_the_end_shows_the_last_page(kb):
    at = open_app(q="bike share", page="99")
    total = kb.search("bike share", limit=0).total
    first = (total - 1) // 10 * 10 + 1
    assert results_heading(at) == f"{total} cases, showing {first}–{total}"


def test_removing_an_active_filter_with_its_button():
    at = open_app(q="bike share", theme="e-mobility", region="Europe")
    labels = {b.key: b.label for b in at.button if b.key.startswith("remove_filter_")}
    assert sorted(labels.values()) == [
        "Remove filter Region\\: Europe",
        "Remove filter Theme\\: E\\-mobility",
    ]
    key = next(k for k, label in labels.items() if "Region" in label)
    at.button(key=key).click().run()
    assert query(at) == {"q": "bike share", "theme": "e-mobility"}


def test_when_nothing_matches_the_suggestion_and_the_narrowest_filter_can_be_dropped(kb):
    at = open_app(q="bicycel", theme="digital-governance", region="Oceania")
    assert results_heading(at) == "0 cases"
    assert "No cases match" in at.info[0].value
    assert any("Did you mean **bicycle**" in m.value for m in at.markdown)
    stats = kb.stats()
    assert stats.by_region["Oceania"] < stats.by_theme["digital-governance"]  # region: narrower
    drop = at.button(key="drop_narrowest")
    wider = kb.search("bicycel", themes=["digital-governance"], limit=0).total
    noun = "case" if wider == 1 else "cases"
    assert drop.label == f"Remove the narrowest filter, Region\\: Oceania ({wider} {noun})"
    drop.click().run()
    assert query(at) == {"q": "bicycel", "theme": "digital-governance"}
    assert results_heading(at).startswith(f"{wider} {noun}")


def test_the_suggestion_button_searches_for_the_corrected_words():
    at = open_app(q="bicycel", theme="digital-governance", region="Oceania")
    at.button(key="apply_suggestion").click().run()
    assert query(at) == {"q": "bicycle", "theme": "digital-governance", "region": "Oceania"}


def test_a_misspelt_query_that_finds_cases_says_which_words_were_searched():
    at = open_app(q="bicycel")
    assert any("Showing results for **bicycle**" in i.value for i in at.info)


def test_unknown_values_in_a_link_are_named_in_a_warning_and_ignored(kb):
    at = open_app(theme="teleportation", sort="random")
    assert md("theme=teleportation") in at.warning[0].value
    assert results_heading(at).startswith(f"{kb.search('', limit=0).total} cases")


def test_adding_a_result_to_the_shortlist_lists_it_in_the_sidebar(kb):
    at = open_app(q="matatu")
    slug = kb.search("matatu", limit=1).hits[0].slug
    at.button(key=f"shortlist_{slug}").click().run()
    assert at.session_state["shortlist"] == [slug]
    assert at.button(key=f"shortlist_{slug}").label == "Remove from shortlist"
    sidebar_links = [link for link in at.sidebar.get("page_link")]
    assert [link_query(link) for link in sidebar_links][:2] == [
        f"slug={slug}",
        f"slugs={slug}",
    ]


# -- the case page -------------------------------------------------------------------------


def test_case_page_shows_every_field_of_the_record(kb):
    view = kb.get(RICH_CASE)
    record = view.record
    at = open_app("case", slug=RICH_CASE)
    assert at.title[0].value == md(record.title)
    text = "\n".join(m.value for m in at.markdown)
    assert md(record.summary) in text
    assert md(record.description) in text
    for item in (*record.outcome_texts, *record.lessons, *record.challenges):
        assert md(item) in text
    for org in record.organizations:
        assert f"**{md(org.name)}** — {taxonomy.label('organization_role', org.role)}" in text
    for source in record.sources:
        assert f"[{md(source.title)}]({source.url})" in text
    facts = at.table[0].value
    assert dict(zip(facts["Field"], facts["Value"], strict=True))["City"] == record.city
    assert f"Last reviewed: {record.last_reviewed}" in text.replace("\\", "")
    assert [h.value for h in at.header][:3] == ["Description", "Key facts", "Organizations"]


def test_case_page_lists_similar_cases_and_cities_like_it_with_reasons(kb):
    at = open_app("case", slug=RICH_CASE)
    similar = kb.similar(RICH_CASE, 5)
    linked = [link_query(link) for link in at.main.get("page_link")]
    for case in similar:
        assert f"slug={case.slug}" in linked
    captions = "\n".join(c.value for c in at.caption)
    assert md(similar[0].reason) in captions


def test_case_page_citations_name_revision_retrieval_date_and_licence(kb):
    import datetime as dt

    at = open_app("case", slug=RICH_CASE)
    revision = kb.get(RICH_CASE).revision
    cited = [c.value for c in at.code]
    assert len(cited) == 3
    for text in cited:
        assert f"revision {revision}" in text.lower()
        assert f"retrieved {dt.date.today().isoformat()}" in text.lower()
        assert "CC BY 4.0" in text
    assert cited[1].startswith(f"@misc{{kb-{RICH_CASE}-r{revision},")
    assert json.loads(cited[2])[0]["id"] == f"kb-{RICH_CASE}-r{revision}"


@pytest.mark.parametrize("slug", ["no-such-case", "../../etc/passwd", ""])
def test_an_unknown_slug_shows_not_found_and_a_way_back_to_search(slug):
    at = open_app("case", slug=slug)
    assert at.title[0].value == "Case not found"
    assert at.error
    back = [link for link in at.main.get("page_link") if link.label == "Back to search"]
    assert back and back[0].proto.page == ""


def test_the_shortlist_button_on_a_case_page_adds_it():
    at = open_app("case", slug=RICH_CASE)
    at.button(key="shortlist_case").click().run()
    assert at.session_state["shortlist"] == [RICH_CASE]


# -- catalogue text is never HTML ------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "params"),
    [
        ("", {"q": "xylophonic"}),
        ("case", {"slug": XSS_SLUG}),
        ("compare", {"slugs": f"{XSS_SLUG},{RICH_CASE}"}),
        ("brief", {"slugs": f"{XSS_SLUG},{RICH_CASE}"}),
        ("explore", {}),
        ("about", {}),
    ],
)
def test_no_page_renders_markdown_as_html_and_the_hostile_title_stays_escaped(page, params):
    at = open_app(page, **params)
    rendered = every_markdown(at)
    assert not [m.value for m in at.markdown if m.proto.allow_html]
    assert not [text for text in rendered if UNESCAPED_TAG.search(text)]
    if params:  # the hostile case is on the page, escaped
        assert any(md(XSS_TITLE) in text for text in rendered)


# -- compare, explore, about -------------------------------------------------------------


def test_compare_shows_two_to_four_cases_side_by_side_field_by_field(kb):
    slugs = [h.slug for h in kb.search("bike share", limit=3).hits]
    at = open_app("compare", slugs=",".join(slugs))
    table = at.table[0].value
    assert list(table.columns) == ["Field", *(md(kb.get(s).record.title) for s in slugs)]
    fields = [f.replace("**", "").removesuffix(" (differs)") for f in table["Field"]]
    row = dict(zip(fields, table.iloc[:, 1], strict=True))
    assert row["City"] == md(kb.get(slugs[0]).record.city)
    assert {"Summary", "Organizations", "Lessons", "Revision"} <= set(fields)


def test_compare_needs_at_least_two_cases_and_says_how_to_choose_them():
    at = open_app("compare", slugs=RICH_CASE)
    assert not at.table
    assert "Choose two to four cases" in at.info[0].value


def test_compare_shows_at_most_four_cases_and_names_unknown_ones(kb):
    slugs = [h.slug for h in kb.search("", limit=5).hits]
    at = open_app("compare", slugs=",".join([*slugs, "no-such-case"]))
    assert len(at.table[0].value.columns) == 1 + 4
    assert "no\\-such\\-case" in at.warning[0].value


def test_about_page_states_the_licence_corrections_and_accessibility_standard():
    at = open_app("about")
    assert [h.value for h in at.header] == [
        "How cases are chosen",
        "Licence",
        "Propose a correction",
        "Accessibility statement",
        "Shortlist (0)",
    ]
    text = "\n".join(m.value for m in at.markdown)
    assert "CC BY 4.0" in text and "WCAG) 2.2 at level AA" in text


# -- shortlist and brief -----------------------------------------------------------------


def test_the_brief_link_fills_the_shortlist_and_previews_a_brief(kb):
    slugs = [h.slug for h in kb.search("bike share", limit=3).hits]
    at = open_app("brief", slugs=",".join(slugs))
    assert at.session_state["shortlist"] == slugs
    brief = kb.brief(slugs=slugs, max_cases=3)
    assert at.subheader[0].value == md(brief.title)
    assert [b.label for b in at.get("download_button")] == ["Markdown", "Word", "PDF", "Slides"]


def test_the_shortlist_survives_a_page_change_and_becomes_the_brief_link():
    at = open_app("case", slug=RICH_CASE)
    at.button(key="shortlist_case").click().run()
    at.switch_page(PAGES["brief"]).run()
    assert not at.exception
    assert query(at)["slugs"] == RICH_CASE
    assert at.subheader[0].value.startswith("Talking points")


def test_removing_a_case_on_the_brief_page_updates_the_link(kb):
    slugs = [h.slug for h in kb.search("bike share", limit=3).hits]
    at = open_app("brief", slugs=",".join(slugs))
    at.button(key=f"brief_remove_{slugs[0]}").click().run()
    assert query(at)["slugs"] == ",".join(slugs[1:])
    assert at.session_state["shortlist"] == slugs[1:]


def test_an_empty_shortlist_points_to_search():
    at = open_app("brief")
    assert "shortlist is empty" in at.info[0].value
    assert not at.get("download_button")


# -- first start ----------------------------------------------------------------------------


def test_a_fresh_home_is_initialised_and_filled_with_the_bundled_catalogue(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setattr("kb.service.BUNDLED_CATALOGUE", SAMPLE)  # 4 cases: a quick import
    monkeypatch.setenv("KB_HOME", str(tmp_path / "fresh"))
    at = open_app()
    assert results_heading(at) == "4 cases"
    with KnowledgeBase(Settings(home=tmp_path / "fresh")) as fresh:
        assert [r.slug for r in fresh.records()] == sorted(
            json.loads(line)["slug"] for line in SAMPLE.read_text(encoding="utf-8").splitlines()
        )


def test_a_change_made_by_another_process_shows_on_the_next_run(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    home = tmp_path / "shared"
    with KnowledgeBase(Settings(home=home)) as first:
        first.init()
        first.import_files([SAMPLE], actor="test")
    monkeypatch.setenv("KB_HOME", str(home))
    at = open_app()
    assert results_heading(at) == "4 cases"
    with KnowledgeBase(Settings(home=home)) as other:  # e.g. `kb import` in a terminal
        other.import_dicts([xss_record()], actor="test")
    at.run()
    assert results_heading(at) == "5 cases"


def test_a_brief_is_made_straight_from_a_topic_and_the_search_filters_in_the_link(kb):
    at = open_app("brief", q="digital identity", region="Africa")
    assert not at.exception
    brief = kb.brief("digital identity", region=["Africa"])
    assert at.subheader[0].value == md(brief.title)
    labels = [b.label for b in at.get("download_button")]
    assert labels == ["Markdown", "Word", "PDF", "Slides"]
    assert at.session_state["shortlist"] == []  # a topic brief leaves the shortlist alone


def test_the_search_page_offers_a_brief_on_the_search_it_shows():
    at = open_app(q="digital identity", region="Africa")
    links = [e for e in at.get("page_link") if e.proto.label == "Brief on this search"]
    assert links and "q=digital+identity" in links[0].proto.query_string
    assert "region=Africa" in links[0].proto.query_string


def test_the_shortlist_stays_in_the_address_of_every_page():
    at = open_app("case", slug=RICH_CASE)
    at.button(key="shortlist_case").click().run()
    assert query(at)["slugs"] == RICH_CASE
    for page in ("search", "explore", "about"):
        at.switch_page(PAGES[page]).run()
        assert not at.exception
        assert query(at).get("slugs") == RICH_CASE, page


def test_a_pasted_link_with_a_shortlist_restores_it_on_any_page():
    at = open_app("about", slugs=RICH_CASE)
    assert at.session_state["shortlist"] == [RICH_CASE]


def test_a_catalogue_error_is_shown_as_one_sentence_not_a_stack_trace(
    monkeypatch: pytest.MonkeyPatch,
):
    from kb.errors import IndexBusy

    def busy(*args: object, **kwargs: object) -> None:
        raise IndexBusy(10)

    monkeypatch.setattr(KnowledgeBase, "search", busy)
    at = AppTest.from_file(str(APP), default_timeout=60).run()
    assert not at.exception
    assert at.error[0].value == md(str(IndexBusy(10)))
    assert at.sidebar.header[0].value == "Shortlist (0)"  # the rest of the app still works
