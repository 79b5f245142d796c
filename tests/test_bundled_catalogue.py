"""The bundled catalogue: valid, balanced and honest enough to trust. It cannot silently shrink."""

from collections import Counter

import pytest

from kb import KnowledgeBase
from kb.config import BUNDLED_CATALOGUE, Settings
from kb.reference import countries
from kb.search.embedding import passage_key as vector_key
from kb.search.embedding import seed_vectors
from kb.search.passages import passages

REGION_FLOORS = {
    "Africa": 30,
    "Asia": 40,
    "Europe": 40,
    "Latin America and the Caribbean": 30,
    "Northern America": 15,
    "Oceania": 8,
}


@pytest.fixture(scope="module")
def records(tmp_path_factory):
    kb = KnowledgeBase(Settings(home=tmp_path_factory.mktemp("validate")))
    found, problems = kb.validate([BUNDLED_CATALOGUE])  # the same checks as `kb import`
    kb.close()
    assert [str(p) for p in problems] == []
    return found


def test_the_catalogue_has_at_least_200_cases_and_meets_every_regional_floor(records):
    assert len(records) >= 200
    regions = Counter(countries()[r.country].region for r in records)
    for region, floor in REGION_FLOORS.items():
        assert regions[region] >= floor, (region, regions[region])


def test_every_theme_inclusion_dimension_and_status_is_covered(records):
    themes = Counter(t for r in records for t in r.themes)
    inclusion = Counter(i for r in records for i in r.inclusion)
    statuses = Counter(r.status for r in records)
    assert min(themes.values()) >= 40 and len(themes) == 4, themes
    assert min(inclusion.values()) >= 15 and len(inclusion) == 8, inclusion
    assert set(statuses) == {"pilot", "active", "scaled", "completed", "discontinued"}
    assert statuses["discontinued"] >= 10


def test_cities_of_every_income_group_and_not_only_capitals(records):
    incomes = Counter(countries()[r.country].income_group for r in records)
    assert all(incomes[g] >= 5 for g in ("low", "lower-middle", "upper-middle", "high")), incomes
    assert len({(r.city, r.country) for r in records}) >= 100


def test_every_record_is_complete_enough_to_cite(records):
    incomplete = []
    for r in records:
        words = len((r.description or "").split())
        checks = {
            "description of 80-250 words": 80 <= words <= 250,
            "start year": r.start_year is not None,
            "status": r.status is not None,
            "engagement": r.engagement is not None,
            "lead organization": any(o.role == "lead" for o in r.organizations),
            "a lesson": bool(r.lessons),
            "a source with publisher": any(s.publisher for s in r.sources),
            "last reviewed": r.last_reviewed is not None,
            "challenges when discontinued": r.status != "discontinued" or bool(r.challenges),
        }
        incomplete += [(r.slug, what) for what, ok in checks.items() if not ok]
    assert incomplete == []


def test_slugs_are_unique_across_region_files(records):
    slugs = [r.slug for r in records]
    assert len(slugs) == len(set(slugs))


def test_the_repository_ships_the_vectors_of_every_bundled_passage(records):
    """So the app's first start encodes nothing: after editing data/catalogue, `make vectors`."""
    seed = seed_vectors()
    missing = [
        (r.slug, p.kind) for r in records for p in passages(r) if vector_key(p.text) not in seed
    ]
    assert missing == [], "run `make vectors` to ship the vectors of the changed passages"
