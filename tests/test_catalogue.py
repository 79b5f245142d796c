"""Loading, changing and exporting the catalogue without ever losing data."""

import json

import pytest

from kb import CaseNotFound, KnowledgeBase
from kb.config import Settings
from tests.conftest import SAMPLE


def sample_dicts() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def test_import_counts_added_then_unchanged(kb):
    first = kb.import_files([SAMPLE])
    second = kb.import_files([SAMPLE])
    assert (first.added, first.updated, first.unchanged) == (4, 0, 0)
    assert (second.added, second.updated, second.unchanged) == (0, 0, 4)
    assert [r.revision for r in kb.history("kigali-irembo")] == [1]


def test_import_fills_city_coordinates_from_the_gazetteer(sample_kb):
    case = sample_kb.get("kigali-irembo").record
    assert case.latitude == pytest.approx(-1.95, abs=0.05)
    assert case.longitude == pytest.approx(30.06, abs=0.05)
    assert case.city_population > 500_000


def test_reimport_with_a_change_keeps_the_previous_version(sample_kb):
    changed = sample_dicts()
    changed[3]["summary"] = "A new summary for Autolib' with enough characters to be valid."
    report = sample_kb.import_dicts(changed, actor="editor")
    assert (report.added, report.updated, report.unchanged) == (0, 1, 3)
    history = sample_kb.history("paris-autolib")
    assert [(h.revision, h.action, h.actor) for h in history] == [
        (1, "create", "test"),
        (2, "update", "editor"),
    ]
    assert history[1].changed_fields == ("summary",)
    assert sample_kb.revision("paris-autolib", 1).summary == sample_dicts()[3]["summary"]


def test_restore_brings_back_an_earlier_revision_as_a_new_one(sample_kb):
    original = sample_kb.get("paris-autolib").record
    sample_kb.update("paris-autolib", {"status": "completed"}, actor="editor")
    assert sample_kb.get("paris-autolib").record.status == "completed"
    new_revision = sample_kb.restore("paris-autolib", 1, actor="editor")
    assert new_revision == 3
    assert sample_kb.get("paris-autolib").record == original


def test_deleted_case_stays_in_history_and_can_be_restored(sample_kb):
    record = sample_kb.get("london-fixmystreet").record
    sample_kb.delete("london-fixmystreet", actor="editor")
    with pytest.raises(CaseNotFound):
        sample_kb.get("london-fixmystreet")
    assert [h.action for h in sample_kb.history("london-fixmystreet")] == ["create", "delete"]
    sample_kb.restore("london-fixmystreet", 1)
    assert sample_kb.get("london-fixmystreet").record == record
    assert sample_kb.get("london-fixmystreet").revision == 3


@pytest.mark.parametrize("fmt", ["jsonl", "json"])
def test_export_import_export_is_byte_identical(sample_kb, tmp_path, fmt):
    first = sample_kb.export(fmt)
    path = tmp_path / f"export.{fmt}"
    path.write_text(first, encoding="utf-8")
    other = KnowledgeBase(Settings(home=tmp_path / "other", database_url=None))
    other.init()
    other.import_files([path])
    assert other.export(fmt) == first
    other.close()


def test_csv_export_round_trips_every_field_but_source_titles_and_org_types(sample_kb, tmp_path):
    path = tmp_path / "cases.csv"
    path.write_text(sample_kb.export("csv"), encoding="utf-8")
    other = KnowledgeBase(Settings(home=tmp_path / "other"))
    other.init()
    other.import_files([path])
    for before, after in zip(sample_kb.records(), other.records(), strict=True):
        a, b = before.to_dict(), after.to_dict()
        assert [s["url"] for s in a.pop("sources")] == [s["url"] for s in b.pop("sources")]
        assert [o["name"] for o in a.pop("organizations")] == [
            o["name"] for o in b.pop("organizations")
        ]
        assert a == b
    other.close()


def test_dry_run_counts_but_writes_nothing(kb):
    report = kb.import_files([SAMPLE], dry_run=True)
    assert report.added == 4
    assert kb.records() == []


def test_html_is_stored_verbatim(kb):
    record = sample_dicts()[0] | {"title": "<script>alert(1)</script>", "slug": "xss-title"}
    kb.import_dicts([record])
    assert kb.get("xss-title").record.title == "<script>alert(1)</script>"


def test_stats_count_by_theme_region_status_and_thin_cells(sample_kb):
    stats = sample_kb.stats()
    assert stats.total == 4
    assert stats.by_theme["digital-governance"] == 3
    assert stats.by_region["Europe"] == 3 and stats.by_region["Africa"] == 1
    assert stats.by_status["discontinued"] == 1
    assert stats.matrix["digital-governance"]["connectivity"] == 1
    assert ("e-mobility", "gender", 0) in stats.thin_cells


def test_unicode_city_names_from_real_bike_share_data(kb, tmp_path):
    import csv

    from tests.conftest import shared_data

    with shared_data("gbfs-systems.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    accented = [r for r in rows if not r["Location"].isascii() and r["Country Code"] != "XK"][:40]
    records = [
        {
            "slug": f"gbfs-{n}",
            "title": r["Name"][:200].ljust(3, "."),
            "summary": f"Shared mobility system {r['Name']} in {r['Location']}.".ljust(20, "."),
            "city": r["Location"].split(",")[0].strip(),
            "country": r["Country Code"],
            "themes": ["e-mobility"],
            "sources": [{"url": r["URL"], "title": r["Name"]}],
        }
        for n, r in enumerate(accented)
        if r["URL"].startswith("http")
    ]
    kb.import_dicts(records)
    got = {r.slug: r.city for r in kb.records()}
    assert got == {r["slug"]: r["city"] for r in records}


def test_views_fetches_several_cases_in_the_order_given_and_skips_unknown_slugs(sample_kb):
    views = sample_kb.views(["paris-autolib", "no-such-case", "kigali-irembo"])
    assert [v.record.slug for v in views] == ["paris-autolib", "kigali-irembo"]
    assert views[1] == sample_kb.get("kigali-irembo")


def test_version_changes_whenever_a_case_changes(sample_kb):
    before = sample_kb.version()
    assert sample_kb.version() == before
    sample_kb.update("paris-autolib", {"status": "completed"})
    assert sample_kb.version() > before
