"""Coverage counts and gaps (kb.coverage, KnowledgeBase.coverage, `kb stats --gaps`): every
count equals what a search for the same values finds, so a count can be a link."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from kb import taxonomy
from kb.cli import main
from kb.coverage import CaseFacts, Gap, continuous_years, find_gaps, summarise

SELECTIONS = [
    {},
    {"inclusion": ["disability"], "region": ["Africa"], "year_from": 2015},
    {"query": "bike share", "themes": ["e-mobility", "smart-infrastructure"]},
    {"region": ["Europe", "Asia"], "status": ["discontinued"]},
]


def facts(slug: str, **changes) -> CaseFacts:  # noqa: ANN003
    base = CaseFacts(
        slug, "Nairobi", "KE", "Kenya", "Africa", -1.29, 36.82, 2015, "active",
        ("e-mobility",), ("gender",),
    )  # fmt: skip
    return CaseFacts(**(base.__dict__ | changes))


def test_start_years_are_continuous_with_zeros_for_years_without_a_case():
    assert continuous_years({2022: 3, 2024: 1, 2019: 2}) == {
        2019: 2, 2020: 0, 2021: 0, 2022: 3, 2023: 0, 2024: 1,
    }  # fmt: skip
    assert continuous_years({}) == {}


def test_a_summary_counts_cells_cities_and_years_and_lists_only_filtered_values():
    cases = [
        facts("a"),
        facts("b", inclusion=("gender", "age"), start_year=2018),
        facts("c", city="Lima", country="PE", country_name="Peru",
              region="Latin America and the Caribbean", themes=("digital-governance",)),
    ]  # fmt: skip
    coverage = summarise(cases, themes=["e-mobility"])
    assert coverage.total == 3 and coverage.countries == 2 and coverage.cities == 2
    assert coverage.theme_by_inclusion == {
        "e-mobility": {c: {"gender": 2, "age": 1}.get(c, 0) for c in taxonomy.codes("inclusion")}
    }
    assert coverage.region_by_theme["Africa"] == {"e-mobility": 2}
    assert coverage.by_year == {2015: 2, 2016: 0, 2017: 0, 2018: 1}
    assert [(p.city, p.cases) for p in coverage.places] == [("Nairobi", 2), ("Lima", 1)]


def test_gaps_are_cells_below_the_threshold_fewest_first():
    gaps = find_gaps(
        {"e-mobility": {"gender": 0, "age": 5}, "digital-literacy": {"gender": 2, "age": 9}},
        {"Africa": {"e-mobility": 1}},
        below=3,
    )
    assert gaps == [
        Gap("theme x inclusion", ("theme", "e-mobility"), ("inclusion", "gender"), 0),
        Gap("region x theme", ("region", "Africa"), ("theme", "e-mobility"), 1),
        Gap("theme x inclusion", ("theme", "digital-literacy"), ("inclusion", "gender"), 2),
    ]
    assert gaps[1].filters == {"region": "Africa", "theme": "e-mobility"}


@pytest.mark.parametrize("selection", SELECTIONS, ids=["all", "africa", "query", "status"])
def test_every_cell_of_a_selection_equals_the_search_for_it(bundled_kb, selection):
    query = selection.get("query", "")
    filters = {k: v for k, v in selection.items() if k != "query"}
    coverage = bundled_kb.coverage(query, **filters)
    assert coverage.total == bundled_kb.search(query, **filters, limit=0).total

    def found(**cell) -> int:  # noqa: ANN003
        return bundled_kb.search(query, **(filters | cell), limit=0).total

    for theme, row in coverage.theme_by_inclusion.items():
        for dim, n in row.items():
            assert n == found(themes=[theme], inclusion=[dim]), (theme, dim)
    for region, row in coverage.region_by_theme.items():
        for theme, n in row.items():
            assert n == found(region=[region], themes=[theme]), (region, theme)
    for status, n in coverage.by_status.items():
        assert n == found(status=[status])
    for year, n in coverage.by_year.items():
        assert n == found(year_from=year, year_to=year)


def test_kb_stats_lists_the_gaps_below_the_chosen_threshold_in_json_and_text(
    bundled_kb, monkeypatch
):
    monkeypatch.setenv("KB_HOME", str(bundled_kb.settings.home))
    monkeypatch.delenv("KB_DATABASE_URL", raising=False)
    stats = bundled_kb.stats()
    result = CliRunner().invoke(main, ["stats", "--gaps", "5", "--json"])
    assert result.exit_code == 0, result.output
    gaps = json.loads(result.output)["gaps"]
    assert gaps["below"] == 5
    expected = [
        {"table": "theme x inclusion", "theme": t, "inclusion": i, "cases": n}
        for t, row in stats.matrix.items()
        for i, n in row.items()
        if n < 5
    ] + [
        {"table": "region x theme", "region": r, "theme": t, "cases": n}
        for r, row in stats.region_by_theme.items()
        for t, n in row.items()
        if n < 5
    ]
    key = json.dumps
    assert sorted(gaps["cells"], key=key) == sorted(expected, key=key)
    for gap in gaps["cells"]:
        if gap["table"] == "region x theme":
            n = bundled_kb.search("", region=gap["region"], themes=[gap["theme"]], limit=0).total
            assert n == gap["cases"]
    text = CliRunner().invoke(main, ["stats", "--gaps", "8"]).output
    thin = [(t, i, n) for t, row in stats.matrix.items() for i, n in row.items() if n < 8]
    assert thin, "the bundled catalogue has theme x inclusion cells under 8 cases"
    for theme, inclusion, n in thin:
        assert f"theme x inclusion: {theme} x {inclusion}: {n}" in text


def test_kb_stats_refuses_a_threshold_below_one(bundled_kb, monkeypatch):
    monkeypatch.setenv("KB_HOME", str(bundled_kb.settings.home))
    result = CliRunner().invoke(main, ["stats", "--gaps", "0"])
    assert result.exit_code == 2
    assert "Invalid value for '--gaps'" in result.output
