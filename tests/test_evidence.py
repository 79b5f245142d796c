"""Evidence a city official can rely on: what a case's record shows (kb.evidence), the evidence
and city size filters of search with counts that equal the cases having those values (computed
from the records), and "cities like this one" by size band."""

from __future__ import annotations

import pytest

from kb import evidence, taxonomy
from kb.evidence import amount_text, evidence_codes, figure_text, number_text
from kb.records import CaseRecord, Cost, Outcome, Source
from kb.reference import countries, size_band
from tests.conftest import FIXTURES

V11_SLUG = "medellin-encicla-test"


def has(record: CaseRecord, code: str) -> bool:
    """Does the record have this evidence? Written from the format's definitions, apart from
    kb.evidence, so the index is checked against the data, not against itself."""
    if code == "independent":
        return any(s.type in ("evaluation", "academic", "news") for s in record.sources)
    if code == "cost":
        return bool(record.costs)
    if code == "impact":
        return any(o.kind == "impact" for o in record.outcomes)
    return any(s.type == code for s in record.sources)


# -- what a record shows ------------------------------------------------------------------


def test_the_evidence_vocabulary_is_every_source_type_plus_independent_cost_and_impact():
    assert set(evidence.codes()) == {
        *taxonomy.codes("source_type"),
        "independent",
        "cost",
        "impact",
    }
    for code in evidence.codes():
        assert taxonomy.definition("evidence", code), code


def test_a_v11_record_has_the_evidence_its_sources_costs_and_outcomes_show(kb):
    kb.import_files([FIXTURES / "v11.jsonl"])
    record = kb.get(V11_SLUG).record
    assert evidence_codes(record) == ("independent", "academic", "cost", "report")
    summary = evidence.summarise(record)
    assert summary.text() == "2 sources, 1 independent; 1 recorded cost; no impact outcome"
    assert summary.types_text() == "Academic study, Government or operator report"
    assert [kind for kind, _ in evidence.outcomes_by_kind(record)] == ["output", "outcome", None]
    assert evidence.source_numbers(record) == {s.url: n for n, s in enumerate(record.sources, 1)}


def sourced(*types: str | None) -> CaseRecord:
    sources = tuple(
        Source(f"https://example.org/{n}", "A source", type=t) for n, t in enumerate(types)
    )
    return CaseRecord(
        "a-case", "A case", "A summary of twenty chars", "X", "KE", ("e-mobility",), sources
    )


@pytest.mark.parametrize(
    ("types", "text"),
    [
        ((None,), "1 source, type not recorded"),
        (("news", None, None), "3 sources, 1 independent, 2 of unknown type"),
        (("website", "report"), "2 sources, none independent"),
        (("evaluation", "news"), "2 sources, 2 independent (including an evaluation)"),
    ],
)
def test_sources_of_unknown_type_are_never_counted_as_independent_or_not(types, text):
    assert (
        evidence.summarise(sourced(*types)).text() == f"{text}; no recorded cost; no impact outcome"
    )


@pytest.mark.parametrize(
    ("value", "money", "text"),
    [
        (14000, False, "14,000"),
        (12.5, False, "12.5"),
        (2500000.5, True, "2,500,000.50"),
        (1200000.0, True, "1,200,000"),
        (0.125, True, "0.125"),  # nothing rounded away
    ],
)
def test_numbers_are_grouped_and_never_rounded_away(value, money, text):
    assert number_text(value, money=money) == text


@pytest.mark.parametrize(
    ("outcome", "text"),
    [
        (Outcome("x", "outcome", 14000, "trips a day"), "14,000 trips a day"),
        (Outcome("x", "impact", 35, "%"), "35%"),
        (Outcome("x", "output", 40), "40"),
        (Outcome("x", "output"), None),
    ],
)
def test_an_outcome_figure_reads_with_its_unit(outcome, text):
    assert figure_text(outcome) == text


def test_an_amount_keeps_its_currency_code_never_a_symbol_or_a_conversion():
    cost = Cost(1670000, "USD", "capital", "https://example.org", year=2016, funder="State")
    assert amount_text(cost) == "USD 1,670,000"
    assert evidence.cost_text(cost) == "USD 1,670,000, capital, 2016 money, paid by State"


# -- the evidence and size filters of search, on the bundled catalogue --------------------------


@pytest.fixture(scope="module")
def records(bundled_kb) -> list[CaseRecord]:
    return bundled_kb.records()


def test_evidence_facet_counts_equal_the_cases_having_each_value(bundled_kb, records):
    counts = bundled_kb.search("", limit=0).facets["evidence"]
    expected = {c: sum(has(r, c) for r in records) for c in evidence.codes()}
    assert counts == {c: n for c, n in expected.items() if n}
    assert counts["evaluation"] > 0 and counts["cost"] > 0  # the catalogue has both


def test_size_facet_counts_equal_the_cases_in_each_band(bundled_kb, records):
    counts = bundled_kb.search("", limit=0).facets["size"]
    bands = [size_band(r.city_population) for r in records]
    assert counts == {b: bands.count(b) for b in set(bands) if b}


def test_several_evidence_values_are_all_required(bundled_kb, records):
    wanted = ["evaluation", "cost"]
    result = bundled_kb.search("", evidence=wanted, limit=1000)
    expected = {r.slug for r in records if all(has(r, c) for c in wanted)}
    assert {h.slug for h in result.hits} == expected and result.total == len(expected)
    # each evidence count is what one more requirement would leave
    for code, n in result.facets["evidence"].items():
        assert n == sum(r.slug in expected and has(r, code) for r in records), code


def test_evidence_combines_with_other_filters_and_words(bundled_kb, records):
    result = bundled_kb.search("", evidence="independent", size=["1m-5m", "over-5m"], limit=1000)
    expected = {
        r.slug
        for r in records
        if has(r, "independent") and size_band(r.city_population) in ("1m-5m", "over-5m")
    }
    assert {h.slug for h in result.hits} == expected
    assert bundled_kb.search("evidence:impact", limit=0).total == sum(
        has(r, "impact") for r in records
    )


def test_an_index_of_an_older_schema_is_rebuilt_with_the_evidence_field(kb, monkeypatch):
    kb.import_files([FIXTURES / "v11.jsonl"])
    monkeypatch.setattr("kb.search.index.SCHEMA_VERSION", 2)
    monkeypatch.setattr("kb.search.vectors.SCHEMA_VERSION", 2)
    kb.rebuild_index()  # as the previous version wrote it
    monkeypatch.undo()
    assert kb.sync_index() == -1  # rebuilt, not trusted
    assert kb.search("", evidence="academic", limit=0).total == 1


# -- cities like this one ---------------------------------------------------------------------


def test_cities_like_this_one_share_region_income_group_and_size_band_and_say_so(
    bundled_kb, records
):
    by_slug = {r.slug: r for r in records}
    shown = 0
    for record in records[::7]:
        band = size_band(record.city_population)
        country = countries()[record.country]
        for case in bundled_kb.cities_like(record.slug, 5):
            other = by_slug[case.slug]
            assert size_band(other.city_population) == band
            assert countries()[other.country].region == country.region
            assert countries()[other.country].income_group == country.income_group
            assert (other.city, other.country) != (record.city, record.country)
            assert f"city size ({taxonomy.label('city_size', band)})" in case.reason
            shown += 1
    assert shown > 0


def test_a_city_of_unknown_size_has_no_cities_like_it(kb):
    kb.import_files([FIXTURES / "v11.jsonl"])
    kb.update(V11_SLUG, {"city": "Nowhere Town", "city_population": None})
    assert kb.get(V11_SLUG).record.city_population is None
    assert kb.cities_like(V11_SLUG) == []
