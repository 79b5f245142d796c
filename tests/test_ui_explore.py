"""Explore and Compare under AppTest: the view comes from the URL, every count links to a search
that finds exactly that many cases, the gaps follow their threshold, and the search page's
Compare ticks live in the URL. (The browser tests check the same links in Chromium.)"""

from __future__ import annotations

import json
import re
from urllib.parse import parse_qs

import pytest

from kb import KnowledgeBase, taxonomy
from kb.config import Settings
from kb.ui.state import parse_search
from kb.ui.text import md
from tests.test_ui_apptest import RICH_CASE, link_query, open_app, query
from tests.test_ui_apptest import app_env as app_env  # fixtures, shared with that module
from tests.test_ui_apptest import catalogue_home as catalogue_home


@pytest.fixture(scope="session")
def kb(catalogue_home):  # noqa: ANN001, F811 - the app's catalogue, to compare the pages with
    base = KnowledgeBase(Settings(home=catalogue_home))
    yield base
    base.close()


AFRICA = {"inclusion": "disability", "region": "Africa", "from": "2015"}
COUNT = re.compile(r"(\d[\d,]*) cases?\b")


def search_links(at) -> list[tuple[str, str]]:  # noqa: ANN001
    """(label, query string) of every link to the search page in the main area."""
    return [(link.label, link_query(link)) for link in at.main.get("page_link")
            if link.proto.page == ""]  # fmt: skip


def found_by(kb, query_string: str) -> int:  # noqa: ANN001
    state = parse_search(parse_qs(query_string)).state
    return kb.search(**state.filter_kwargs(), limit=0).total


@pytest.mark.parametrize("params", [{}, AFRICA, {"q": "bike share", "status": "active"}])
def test_every_count_on_explore_links_to_a_search_finding_exactly_that_many(kb, params):
    at = open_app("explore", **params)
    links = search_links(at)
    assert len(links) > 20
    for label, query_string in links:
        n = int(COUNT.search(label).group(1).replace(",", ""))
        assert found_by(kb, query_string) == n, (label, query_string)
        if not re.match(r"\d{4}: ", label):  # a year's link sets the years; others keep all
            assert all(f"{k}={v}" in query_string for k, v in params.items() if k != "q")


def test_explore_reads_filters_and_query_from_the_url_and_shows_them_as_chips(kb):
    at = open_app("explore", **AFRICA)
    expected = kb.search("", inclusion=["disability"], region="Africa", year_from=2015, limit=0)
    assert [m.value for m in at.metric][0] == f"{expected.total:,}"
    assert sorted(b.label for b in at.button if b.key.startswith("remove_filter_")) == [
        "Remove filter Inclusion dimension\\: Disability",
        "Remove filter Region\\: Africa",
        "Remove filter Started in or after 2015",
    ]
    assert at.checkbox(key="facet_inclusion_disability").value is True
    status = at.table[1].value
    assert dict(zip(status["Status"], status["Cases"], strict=True)) == {
        taxonomy.label("status", code): n for code, n in expected.facets["status"].items()
    } | {taxonomy.label("status", c): 0 for c in taxonomy.codes("status")
         if c not in expected.facets["status"]}  # fmt: skip


def test_removing_a_chip_or_the_words_changes_the_url_and_keeps_the_gap_threshold():
    at = open_app("explore", q="bike share", below="5", **AFRICA)
    key = next(b.key for b in at.button if "Region" in b.label)
    at.button(key=key).click().run()
    assert query(at) == {"q": "bike share", "inclusion": "disability", "from": "2015", "below": "5"}
    at.button(key="remove_query").click().run()
    assert query(at) == {"inclusion": "disability", "from": "2015", "below": "5"}


def test_ticking_a_filter_on_explore_narrows_every_figure(kb):
    at = open_app("explore")
    at.checkbox(key="facet_theme_e-mobility").check().run()
    assert query(at) == {"theme": "e-mobility"}
    assert [m.value for m in at.metric][0] == str(
        kb.search("", themes=["e-mobility"], limit=0).total
    )


def test_gaps_list_the_cells_below_the_threshold_chosen_and_keep_it_in_the_url(kb):
    at = open_app("explore")
    coverage = kb.coverage()
    assert at.number_input(key="gaps_below").value == 3
    gap_labels = [label for label, _ in search_links(at) if " × " in label]
    assert len(gap_labels) == len(coverage.gaps(3))
    at.number_input(key="gaps_below").set_value(9).run()
    assert query(at) == {"below": "9"}
    labels = [label.replace("\\", "") for label, _ in search_links(at) if " × " in label]
    assert len(labels) == len(coverage.gaps(9)) > 0
    assert any(label.startswith("E-mobility × Race and ethnicity: ") for label in labels)


def test_gaps_link_from_a_pasted_url(kb):
    at = open_app("explore", below="10", region="Oceania")
    gaps = kb.coverage(region=["Oceania"]).gaps(10)
    assert [label for label, _ in search_links(at) if " × " in label][: len(gaps)] == [
        label for label, _ in search_links(at) if " × " in label
    ]
    assert len([1 for label, _ in search_links(at) if " × " in label]) == len(gaps)
    assert all(g.row == ("region", "Oceania") or g.table == "theme x inclusion" for g in gaps)


def test_start_years_are_continuous_and_every_chart_has_a_text_alternative(kb):
    at = open_app("explore")
    charts = at.get("vega_lite_chart")
    assert len(charts) == 6 and all(c.proto.alt for c in charts)
    years = next(t.value for t in at.table if list(t.value.columns) == ["Year", "Cases"])
    numbers = [int(y) for y in years["Year"]]
    assert numbers == list(range(numbers[0], numbers[-1] + 1))
    counted = kb.coverage().by_year
    assert 0 in counted.values()  # the bundled catalogue has a year with no case
    assert list(years["Cases"]) == list(counted.values())


def test_heat_map_draws_zero_apart_from_small_counts(kb):
    at = open_app("explore")
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    cells = spec["layer"][0]["encoding"]
    assert cells["color"]["condition"] == {"test": "(datum.Cases === 0)", "value": "#ffffff"}
    assert cells["color"]["scale"]["domain"] == [1, max(
        n for row in kb.stats().matrix.values() for n in row.values())]  # fmt: skip
    empty = spec["layer"][1]
    assert empty["transform"] == [{"filter": "(datum.Cases === 0)"}]
    assert empty["mark"]["strokeDash"] == [4, 3] and empty["mark"]["filled"] is False


def test_the_map_draws_the_bundled_basemap_and_loads_nothing_by_url():
    at = open_app("explore")
    spec = json.loads(at.get("vega_lite_chart")[5].proto.spec)
    layers = spec["layer"]
    assert layers[0]["mark"]["type"] == "geoshape"
    assert layers[0]["data"]["format"] == {"feature": "countries", "type": "topojson"}
    world = spec["datasets"][layers[0]["data"]["name"]]  # inline, in the spec itself
    assert len(world["objects"]["countries"]["geometries"]) == 177
    del spec["$schema"]  # names the spec's version; Vega never fetches it
    text = json.dumps(spec)
    assert '"url"' not in text and "http" not in text


def test_an_empty_selection_says_so():
    at = open_app("explore", q="xylophonic", theme="e-mobility")
    assert "No case matches this selection" in at.info[0].value
    assert not at.get("vega_lite_chart")


# -- compare -----------------------------------------------------------------------------------


def test_ticking_compare_on_results_keeps_the_choice_in_the_url_and_links_to_compare(kb):
    hits = kb.search("bike share", limit=10).hits
    at = open_app(q="bike share")
    at.checkbox(key=f"compare_{hits[0].slug}").check().run()
    assert query(at) == {"q": "bike share", "compare": hits[0].slug}
    at.checkbox(key=f"compare_{hits[2].slug}").check().run()
    assert query(at) == {"q": "bike share", "compare": f"{hits[0].slug},{hits[2].slug}"}
    link = next(lk for lk in at.get("page_link") if lk.proto.page == "compare")
    assert link.label == "Compare the 2 ticked cases"
    assert link_query(link) == f"compare={hits[0].slug}%2C{hits[2].slug}"
    at.button(key="page_next").click().run()  # the ticks survive paging and filtering
    assert query(at)["compare"] == f"{hits[0].slug},{hits[2].slug}"


def test_a_fifth_compare_tick_is_disabled():
    slugs = ",".join(h for h in ["a-a", "b-b", "c-c", "d-d"])
    at = open_app(q="bike share", compare=slugs)
    boxes = [c for c in at.checkbox if c.key.startswith("compare_")]
    assert boxes and all(c.disabled for c in boxes)


def test_compare_links_sources_marks_differences_and_offers_downloads(kb):
    slugs = [h.slug for h in kb.search("bike share", limit=2).hits]
    at = open_app("compare", slugs=",".join(slugs))
    table = at.table[0].value
    fields = list(table["Field"])
    differing = [f for f in fields if f.endswith("(differs)")]
    first, second = (kb.get(s).record for s in slugs)
    assert first.city != second.city and "**City** (differs)" in differing
    assert "Language" in fields  # both in English: the same, so not marked
    sources = table.iloc[fields.index(next(f for f in fields if "Sources" in f)), 1]
    assert sources.startswith(f"[{md(first.sources[0].title)}]({first.sources[0].url})")
    assert sources.count("](") == len(first.sources)
    assert {b.key for b in at.get("download_button")} >= {
        "compare_download_csv", "compare_download_xlsx", "compare_download_jsonl",
        "compare_download_bibtex", "compare_download_csl-json",
    }  # fmt: skip


def test_compare_can_show_only_the_differences(kb):
    slugs = [h.slug for h in kb.search("bike share", limit=3).hits]
    at = open_app("compare", slugs=",".join(slugs))
    every = len(at.table[0].value)
    at.toggle(key="compare_only_differences").set_value(True).run()
    fields = list(at.table[0].value["Field"])
    assert 0 < len(fields) < every
    assert all(f.endswith("(differs)") for f in fields)


def test_compare_keeps_catalogue_text_escaped(kb):
    at = open_app("compare", slugs=f"{RICH_CASE},hostile-markup-case")
    assert md("<script>alert(1)</script>") in list(at.table[0].value.columns)
