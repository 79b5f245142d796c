"""Evidence in the app, as a city official meets it: a case page showing results by kind with
their figures and numbered sources, costs as their sources state them, typed sources marked
independent; the evidence and city size filters on Search and Explore (chips, counts, the URL);
Explore's evidence panel; Compare's evidence rows. Expectations come from the catalogue's
records, never from its exact contents."""

from __future__ import annotations

from urllib.parse import parse_qs

import pytest

from kb import KnowledgeBase, evidence, taxonomy
from kb.config import Settings
from kb.records import CaseRecord
from kb.reference import size_band
from kb.ui.evidence import RESULT_HEADINGS
from kb.ui.state import SearchState, parse_search
from kb.ui.text import md
from tests.test_ui_apptest import (
    XSS_SLUG,
    every_markdown,
    open_app,
    open_filter,
    query,
    result_titles,
    results_heading,
    titles,
)
from tests.test_ui_apptest import app_env as app_env  # fixtures, shared with that module
from tests.test_ui_apptest import catalogue_home as catalogue_home

NBSP = "\u00a0"


@pytest.fixture(scope="module")
def kb(catalogue_home):  # noqa: ANN001, F811 - the app's catalogue, to compare the pages with
    base = KnowledgeBase(Settings(home=catalogue_home))
    yield base
    base.close()


@pytest.fixture(scope="module")
def evidenced(kb) -> CaseRecord:  # noqa: ANN001
    """A case with every kind of evidence: costs, outcomes of several kinds with figures and
    sources, independent and other typed sources."""
    for record in kb.records():
        kinds = {o.kind for o in record.outcomes}
        if (
            record.costs
            and len(kinds - {None}) >= 2
            and any(o.figure is not None and o.source for o in record.outcomes)
            and any(s.is_independent for s in record.sources)
            and any(s.type and not s.is_independent for s in record.sources)
        ):
            return record
    pytest.fail("no case in the catalogue has costs, typed outcomes and typed sources")


def numbered(record: CaseRecord, url: str) -> str:
    n = evidence.source_numbers(record)[url]
    return f"[source{NBSP}{n}]({record.sources[n - 1].url})"


# -- the case page -----------------------------------------------------------------------------


def test_case_page_shows_results_by_kind_with_figure_year_and_numbered_source(evidenced):
    at = open_app("case", slug=evidenced.slug)
    assert "Results" in [h.value for h in at.header]
    groups = evidence.outcomes_by_kind(evidenced)
    assert [s.value for s in at.subheader if s.value in RESULT_HEADINGS.values()] == [
        RESULT_HEADINGS[kind] for kind, _ in groups
    ]
    lines = [line for m in at.markdown for line in m.value.splitlines()]
    for outcome in evidenced.outcomes:
        line = next(x for x in lines if x.startswith(f"- {md(outcome.text)}"))
        if outcome.figure is not None:
            assert f"figure **{md(evidence.figure_text(outcome))}**" in line
        if outcome.year is not None:
            assert f"year {outcome.year}" in line
        if outcome.source:
            assert line.endswith(numbered(evidenced, outcome.source))


def test_case_page_lists_costs_in_a_table_as_the_source_states_them(evidenced):
    at = open_app("case", slug=evidenced.slug)
    assert "Costs" in [h.value for h in at.header]
    assert evidence.COSTS_AS_STATED in [m.value for m in at.markdown]
    table = next(t.value for t in at.table if "Amount" in t.value.columns)
    assert list(table.columns) == ["Amount", "Covers", "Year of money", "Funder", "Source", "Note"]
    for row, cost in zip(table.to_dict("records"), evidenced.costs, strict=True):
        assert row["Amount"] == md(evidence.amount_text(cost)).replace(" ", NBSP)
        assert row["Amount"].startswith(cost.currency)
        assert row["Covers"] == taxonomy.label("cost_covers", cost.covers)
        assert row["Year of money"] == (str(cost.year) if cost.year else "–")
        assert row["Funder"] == (md(cost.funder) if cost.funder else "–")
        assert row["Source"] == numbered(evidenced, cost.source)
        assert row["Note"] == (md(cost.note) if cost.note else "–")


def test_case_page_marks_each_source_with_its_type_and_independent_ones_in_words(evidenced):
    at = open_app("case", slug=evidenced.slug)
    listing = next(m.value for m in at.markdown if m.value.startswith("1. "))
    lines = listing.splitlines()
    assert len(lines) == len(evidenced.sources)
    for n, (line, source) in enumerate(zip(lines, evidenced.sources, strict=True), 1):
        assert line.startswith(f"{n}. ")
        kind = md(taxonomy.label("source_type", source.type)) if source.type else None
        if source.is_independent:
            assert f":green-badge[:material/verified: Independent · {kind}]" in line
        elif kind:
            assert f":gray-badge[{kind}]" in line and "Independent" not in line
        assert f"[{md(source.title)}]({source.url})" in line


def test_case_page_sums_up_the_evidence_and_states_the_city_size(kb, evidenced):
    at = open_app("case", slug=evidenced.slug)
    summary = evidence.summarise(evidenced)
    assert f"**Evidence:** {md(summary.text())}" in [m.value for m in at.markdown]
    assert f"{summary.independent} independent" in summary.text()
    facts = at.table[0].value
    facts = dict(zip(facts["Field"], facts["Value"], strict=True))
    band = size_band(evidenced.city_population)
    assert facts["City size"] == md(taxonomy.label("city_size", band))


def test_cities_like_this_one_say_they_share_the_size_band(kb, evidenced):
    at = open_app("case", slug=evidenced.slug)
    cities = kb.cities_like(evidenced.slug, 5)
    band = taxonomy.label("city_size", size_band(evidenced.city_population))
    captions = [c.value for c in at.caption]
    for case in cities:
        assert any(md(case.reason) in c and md(f"city size ({band})") in c for c in captions)


def test_hostile_markup_in_outcomes_costs_and_sources_stays_text():
    at = open_app("case", slug=XSS_SLUG)
    text = "\n".join(every_markdown(at))
    assert md("<img src=x onerror=alert(5)> 3 **tonnes** saved") in text
    assert md("<script>alert(6)</script>") in text
    assert md("[click](javascript:alert(7)) :red[not red]") in text
    assert "](javascript" not in text


# -- the evidence and size filters -------------------------------------------------------------


def test_the_evidence_filter_shows_counts_filters_and_lives_in_the_url(kb):
    at = open_app(evidence="evaluation")
    expected = kb.search("", evidence="evaluation", limit=10)
    assert results_heading(at).startswith(f"{expected.total} case")
    assert result_titles(at) == titles(expected.hits)
    shown = {c.key: c.label for c in at.checkbox if c.key.startswith("facet_evidence_")}
    assert shown == {
        f"facet_evidence_{code}": f"{evidence.label(code)} ({n})"
        for code, n in expected.facets["evidence"].items()
    }
    assert "A case must have every item ticked" in "\n".join(c.value for c in at.sidebar.caption)
    at.checkbox(key="facet_evidence_cost").check().run()
    assert query(at) == {"evidence": ["evaluation", "cost"]}
    both = kb.search("", evidence=["evaluation", "cost"], limit=10)
    assert both.total < expected.total  # every value is required: fewer, never more
    assert results_heading(at).startswith(f"{both.total} case")
    assert result_titles(at) == titles(both.hits)
    chips = sorted(b.label for b in at.button if b.key.startswith("remove_filter_"))
    assert chips == sorted(
        f"Remove filter Evidence\\: {md(evidence.label(code))}" for code in ("evaluation", "cost")
    )


def test_the_city_size_filter_shows_counts_filters_and_lives_in_the_url(kb):
    at = open_filter(open_app(q="bike share"), "size")
    facets = kb.search("bike share", limit=0).facets["size"]
    for code in taxonomy.codes("city_size"):
        boxes = [c for c in at.checkbox if c.key == f"facet_size_{code}"]
        if facets.get(code):
            assert boxes[0].label == f"{taxonomy.label('city_size', code)} ({facets[code]})"
        else:
            assert not boxes
    band = next(iter(facets))
    at.checkbox(key=f"facet_size_{band}").check().run()
    assert query(at) == {"q": "bike share", "size": band}
    expected = kb.search("bike share", size=band, limit=10)
    assert results_heading(at).startswith(f"{expected.total} case")
    assert result_titles(at) == titles(expected.hits)


def test_evidence_and_size_survive_the_round_trip_through_the_url():
    state = SearchState(q="bus", size=("1m-5m", "over-5m"), evidence=("independent", "cost"))
    assert state.query_string() == (
        "q=bus&size=1m-5m&size=over-5m&evidence=independent&evidence=cost"
    )
    assert parse_search(parse_qs(state.query_string())).state == state
    parsed = parse_search({"evidence": "evaluation,peer-review", "size": "huge"})
    assert parsed.state == SearchState(evidence=("evaluation",))
    assert parsed.ignored == ("size=huge", "evidence=peer-review")


# -- explore and compare -----------------------------------------------------------------------


@pytest.mark.parametrize("params", [{}, {"region": "Africa", "evidence": "independent"}])
def test_explore_evidence_panel_counts_the_selection_and_links_to_those_cases(kb, params):
    at = open_app("explore", **params)
    state = parse_search(params).state
    counts = kb.search(**state.filter_kwargs(), limit=0).facets["evidence"]
    metrics = {m.label: m.value for m in at.metric}
    links = {
        link.label: link.proto.query_string
        for link in at.main.get("page_link")
        if link.label.startswith("List the ")
    }
    for code in ("independent", "evaluation", "cost", "impact"):
        n = counts.get(code, 0)
        assert metrics[evidence.label(code)] == f"{n:,}"
        if n:
            link = parse_search(parse_qs(links[f"List the {n:,} case" + "s" * (n != 1)])).state
            assert code in link.evidence
            assert kb.search(**link.filter_kwargs(), limit=0).total == n


def test_compare_has_rows_for_source_types_costs_impacts_and_city_size(kb, evidenced):
    other = next(r for r in kb.records() if not r.costs and r.slug != evidenced.slug)
    at = open_app("compare", slugs=f"{evidenced.slug},{other.slug}")
    table = at.table[0].value
    fields = [f.replace("**", "").removesuffix(" (differs)") for f in table["Field"]]
    rows = {f: list(table.iloc[n, 1:]) for n, f in enumerate(fields)}
    first = evidence.summarise(evidenced)
    assert rows["Source types"][0] == md(first.types_text())
    assert rows["Independent sources"][0] == f"{first.independent} of {first.sources}"
    assert rows["Costs"] == [
        md(" • ".join(evidence.cost_text(c) for c in evidenced.costs)),
        "–",
    ]
    impacts = [o.text for o in evidenced.outcomes if o.kind == "impact"]
    assert rows["Impact outcomes"][0] == (md(" • ".join(impacts)) if impacts else "–")
    band = size_band(evidenced.city_population)
    assert rows["City size"][0] == md(taxonomy.label("city_size", band))
    assert evidence.COSTS_AS_STATED in [c.value for c in at.caption]
