"""Search as city officials and researchers use it: their words, not the catalogue's."""

import csv
import json

import pytest

from kb import KnowledgeBase
from kb.config import Settings
from kb.search.schema import title_key
from tests.conftest import SAMPLE, shared_data


def slugs(result) -> list[str]:
    return [h.slug for h in result.hits]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("EV charging", "oslo-electric-vehicle-charging-programme"),
        ("seniors digital skills", "singapore-seniors-go-digital"),
        ("CCTV", "mexico-city-ciudad-segura-c5-camera-network"),
        ("e-government portal", "tirana-e-albania-government-portal"),
    ],
)
def test_synonyms_find_cases_written_with_other_words(bundled_kb, query, expected):
    result = bundled_kb.search(query, limit=10)
    assert expected in slugs(result)


def test_a_word_no_case_uses_finds_the_cases_in_other_words(bundled_kb):
    result = bundled_kb.search("bikeshare", limit=10)  # every case says "bike share" or similar
    assert len(result.hits) == 10
    for hit in result.hits:
        record = bundled_kb.get(hit.slug).record
        text = f"{record.title} {record.summary} {record.description}".lower()
        assert "bikeshare" not in text
        assert any(w in text for w in ("bike", "bicycle", "cycle")), hit.slug


def test_a_misspelt_query_is_corrected_and_says_did_you_mean(bundled_kb):
    result = bundled_kb.search("partcipatory budgetting")
    assert result.suggestion == "participatory budgeting"
    assert "madrid-decide-madrid-consul" in slugs(result)


def test_every_case_is_found_first_by_its_exact_title(bundled_kb):
    missed = []
    for record in bundled_kb.records():
        found = slugs(bundled_kb.search(record.title, limit=1))
        if found != [record.slug]:
            missed.append((record.title, found))
    assert missed == []


def test_real_bike_share_system_names_are_found_first_by_their_exact_name(tmp_path):
    """The 1,520 systems publishing GBFS feeds (../shared/data): names from 60+ countries,
    Unicode, near-duplicates ("Citi Bike" and city bikes, "C-Vélo")."""
    with shared_data("gbfs-systems.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    records = [
        {
            "slug": f"gbfs-{n}",
            "title": row["Name"],
            "summary": f"A shared bike or scooter system in the GBFS catalogue: {row['Name']}.",
            "city": row["Location"] or "Unknown",
            "country": row["Country Code"],
            "themes": ["e-mobility"],
            "sources": [{"url": "https://github.com/MobilityData/gbfs", "title": "GBFS systems"}],
        }
        for n, row in enumerate(rows)
        if len(row["Name"].strip()) >= 3
    ]
    kb = KnowledgeBase(Settings(home=tmp_path))
    kb.init()
    records, problems = kb.validate_dicts(records)
    kb.import_records(records)
    first = sum(
        bool(hits) and title_key(hits[0].title) == title_key(record.title)
        for record in records
        for hits in [kb.search(record.title, limit=1).hits]
    )
    kb.close()
    assert len(records) >= 1500, problems[:3]
    assert first / len(records) >= 0.997, (first, len(records))


def test_quoted_phrase_matches_the_phrase_only(bundled_kb):
    phrase = bundled_kb.search('"contact tracing"', limit=50)
    assert phrase.total >= 3
    for hit in phrase.hits:
        text = bundled_kb.get(hit.slug).record
        parts = [text.title, text.summary, text.description or "", *text.outcome_texts]
        tags = [t.replace("-", " ") for t in text.tags]
        blob = " ".join([*parts, *text.lessons, *text.challenges, *tags]).lower()
        assert "contact tracing" in blob or "contact-tracing" in blob


def test_not_excludes_and_field_value_filters(bundled_kb):
    with_china = bundled_kb.search("surveillance", limit=100)
    without = bundled_kb.search("surveillance NOT china", limit=100)
    assert 0 < without.total < with_china.total
    kenya = bundled_kb.search("country:KE", limit=100)
    assert kenya.total == sum(1 for r in bundled_kb.records() if r.country == "KE")


@pytest.mark.parametrize(
    "query",
    ['"unbalanced quote', "((bike share", "AND", "OR OR", "NOT", "the of and", "x" * 10_000, ":::"],
)
def test_malformed_queries_never_raise(bundled_kb, query):
    result = bundled_kb.search(query)
    assert result.total == 0 or result.hits
    if result.total == 0:
        assert result.message


def test_empty_query_with_filters_browses_and_counts(bundled_kb):
    records = bundled_kb.records()
    expected = [r for r in records if "e-mobility" in r.themes and "gender" in r.inclusion]
    result = bundled_kb.search("", themes=["e-mobility"], inclusion=["gender"], limit=100)
    assert sorted(slugs(result)) == sorted(r.slug for r in expected)
    assert result.total == len(expected)


def test_facet_counts_reflect_the_query_and_the_other_filters(bundled_kb):
    result = bundled_kb.search("", region="Africa", themes=["e-mobility"])
    africa = [r for r in bundled_kb.records() if bundled_kb.get(r.slug).region == "Africa"]
    by_theme = {}
    for r in africa:
        for t in r.themes:
            by_theme[t] = by_theme.get(t, 0) + 1
    # the theme facet ignores its own filter (so other themes can be added) but keeps region
    assert result.facets["themes"] == {t: n for t, n in by_theme.items()} | result.facets["themes"]
    assert result.facets["themes"]["digital-governance"] == by_theme["digital-governance"]
    assert result.facets["region"]["Africa"] == result.total


def test_year_range_and_sort_by_newest(bundled_kb):
    result = bundled_kb.search("", year_from=2018, year_to=2020, sort="newest", limit=100)
    years = [h.start_year for h in result.hits]
    assert years == sorted(years, reverse=True)
    assert all(2018 <= y <= 2020 for y in years)


def test_snippets_highlight_matched_words_and_escape_html(bundled_kb):
    hit = bundled_kb.search("bike share", limit=1).hits[0]
    assert "<mark" in hit.snippet


def test_similar_cases_come_with_a_reason(bundled_kb):
    similar = bundled_kb.similar("cairo-harassmap", 3)
    assert len(similar) == 3
    assert all(s.slug != "cairo-harassmap" and s.reason for s in similar)


def test_search_cli_prints_the_documented_json(bundled_kb, monkeypatch):
    from click.testing import CliRunner

    from kb.cli import main

    monkeypatch.setenv("KB_HOME", str(bundled_kb.settings.home))
    monkeypatch.delenv("KB_DATABASE_URL", raising=False)
    out = CliRunner().invoke(main, ["search", "bike share", "--theme", "e-mobility", "--json"])
    data = json.loads(out.output)
    assert set(data) >= {"query", "total", "hits", "facets", "suggestion"}
    assert set(data["hits"][0]) == {"slug", "title", "score", "snippet", "passage"}
    assert set(data["hits"][0]["passage"]) == {"kind", "text"}


# -- the index follows every write ---------------------------------------------------------------


def test_every_write_updates_the_index(kb):
    kb.import_files([SAMPLE])
    assert slugs(kb.search("Autolib")) == ["paris-autolib"]
    kb.update("paris-autolib", {"title": "Autolib electric car club"})
    assert kb.search("car club").hits[0].title == "Autolib electric car club"
    kb.delete("paris-autolib")
    gone = kb.search("Autolib")
    assert "paris-autolib" not in slugs(gone)
    assert gone.nearest  # no case has the word any more: only the nearest by meaning are offered
    kb.restore("paris-autolib", 1)
    assert slugs(kb.search("Autolib")) == ["paris-autolib"]
    assert kb.check_index().ok


def test_a_failed_index_update_keeps_the_database_change_and_check_shows_it(kb, monkeypatch):
    kb.import_files([SAMPLE])

    def broken(*args, **kwargs):
        raise OSError("disk full")

    monkeypatch.setattr(kb.index, "apply", broken)
    kb.update("kigali-irembo", {"status": "active"})
    assert "disk full" in kb.index_error and "kb index rebuild" in kb.index_error
    assert kb.get("kigali-irembo").record.status == "active"
    report = kb.check_index()
    assert report.stale == ["kigali-irembo"]
    monkeypatch.undo()
    kb.rebuild_index()
    assert kb.check_index().ok


def test_rebuild_swaps_in_a_new_index_and_keeps_the_old_one_readable(kb):
    kb.import_files([SAMPLE])
    old = kb.index.path.resolve()
    kb.rebuild_index()
    assert kb.index.path.resolve() != old
    assert old.exists()
    assert kb.search("Decidim").total == 1


def test_two_processes_sharing_one_database_stay_in_step(database_url, tmp_path):
    """Two KnowledgeBase instances, two index folders, one database (e.g. two app servers)."""
    first = KnowledgeBase(Settings(home=tmp_path / "a", database_url=database_url))
    second = KnowledgeBase(Settings(home=tmp_path / "b", database_url=database_url))
    first.init()
    second.init()
    first.import_files([SAMPLE])
    assert second.search("Decidim").total == 1
    first.update("barcelona-decidim", {"title": "Decidim Barcelona participation platform"})
    assert second.search("Decidim").hits[0].title == "Decidim Barcelona participation platform"
    first.delete("london-fixmystreet")
    gone = second.search("FixMyStreet")
    assert "london-fixmystreet" not in slugs(gone) and gone.nearest
    assert second.check_index().ok
    first.close()
    second.close()
