"""Format v1.1: typed sources, typed outcomes, costs and translations, lossless on both backends,
checked with FILE:LINE: FIELD messages, kept in the history; v1 files and databases still work."""

import json

import pytest
from sqlalchemy import text

from kb import InvalidInput, KnowledgeBase, db
from kb.config import Settings
from kb.export import to_csv
from kb.records import CaseRecord
from tests.conftest import FIXTURES, SAMPLE

V11 = FIXTURES / "v11.jsonl"
SLUG = "medellin-encicla-test"


def v11_dict() -> dict:
    return json.loads(V11.read_text(encoding="utf-8"))


def test_v11_record_round_trips_byte_for_byte(kb):
    kb.import_files([V11, SAMPLE])
    exported = kb.export("jsonl")
    fresh = KnowledgeBase(Settings(home=kb.settings.home / "second"))
    fresh.init()
    (kb.settings.home / "export.jsonl").write_text(exported, encoding="utf-8")
    fresh.import_files([kb.settings.home / "export.jsonl"])
    assert fresh.export("jsonl") == exported
    fresh.close()
    line = next(json.loads(x) for x in exported.splitlines() if SLUG in x)
    assert line["outcomes"][0] == v11_dict()["outcomes"][0]  # 14000 stays an integer
    assert line["outcomes"][1] == "A public map of stations"  # a v1 outcome stays text
    assert line["costs"] == v11_dict()["costs"]
    assert line["translations"] == v11_dict()["translations"]


def test_v11_fields_are_read_back_as_typed_values(kb):
    kb.import_files([V11])
    record = kb.get(SLUG).record
    assert [s.type for s in record.sources] == ["academic", "report"]
    assert [s.is_independent for s in record.sources] == [True, False]
    assert [o.kind for o in record.outcomes] == ["outcome", None, "output"]
    assert record.outcomes[0].figure == 14000 and record.outcomes[0].year == 2019
    assert record.costs[0].amount == 2500000.5 and record.costs[0].currency == "COP"
    assert record.translation("es").reviewed is True
    assert record.translation("ar").summary.endswith("2011.")
    assert record.translation("fr") is None


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            lambda d: d["sources"][0].update(type="newspaper"),
            "sources[1].type: unknown code 'newspaper'; valid values are evaluation, academic,",
        ),
        (
            lambda d: d["outcomes"][0].update(source="https://example.org/elsewhere"),
            "outcomes[1].source: 'https://example.org/elsewhere' is not one of this case's sources",
        ),
        (lambda d: d["outcomes"][2].pop("kind"), "outcomes[3].kind: required"),
        (
            lambda d: d["outcomes"][0].update(figure="14,000"),
            "outcomes[1].figure: must be a number",
        ),
        (
            lambda d: d["costs"][0].update(currency="cop"),
            "costs[1].currency: 'cop' is not an ISO 4217 currency code such as 'USD' or 'EUR';"
            " did you mean 'COP'?",
        ),
        (lambda d: d["costs"][0].pop("source"), "costs[1].source: required"),
        (lambda d: d["costs"][0].update(covers="opex"), "costs[1].covers: unknown code 'opex'"),
        (lambda d: d["costs"][0].update(amount=-5), "costs[1].amount: must be between"),
        (
            lambda d: d["translations"].update(en=d["translations"]["es"]),
            "translations: has the record's own language 'en'",
        ),
        (
            lambda d: d["translations"]["es"].update(reviewed="yes"),
            "translations.es.reviewed: must be true or false, got 'yes'",
        ),
        (
            lambda d: d["translations"].update(xx=d["translations"]["es"]),
            "translations.xx: 'xx' is not an ISO 639-1 language code",
        ),
        (
            lambda d: d["translations"]["ar"].pop("summary"),
            "translations.ar.summary: required",
        ),
    ],
)
def test_bad_v11_fields_are_reported_with_line_and_field(kb, tmp_path, change, expected):
    data = v11_dict()
    change(data)
    path = tmp_path / "bad.jsonl"
    path.write_text(json.dumps(data, ensure_ascii=False) + "\n", encoding="utf-8")
    with pytest.raises(InvalidInput) as caught:
        kb.import_files([path])
    messages = [str(p) for p in caught.value.problems]
    assert any(m.startswith(f"{path}:1: {expected}") for m in messages), messages
    assert kb.export() == ""


def test_history_and_restore_cover_translations(kb):
    kb.import_files([V11])
    es = v11_dict()["translations"]
    es["es"]["summary"] = "Un resumen nuevo del sistema EnCicla de Medellín, desde 2011."
    kb.update(SLUG, {"translations": es}, actor="translator")
    assert kb.history(SLUG)[-1].changed_fields == ("translations",)
    kb.restore(SLUG, 1)
    assert kb.get(SLUG).record.translations == CaseRecord.from_dict(v11_dict()).translations


def test_csv_export_leaves_out_costs_and_translations_and_still_imports(kb, tmp_path):
    kb.import_files([V11])
    csv_text = to_csv(kb.records())
    header = csv_text.splitlines()[0].split(",")
    assert "costs" not in header and "translations" not in header
    assert "About 14,000 trips a day in 2019" in csv_text
    path = tmp_path / "cases.csv"
    path.write_text(csv_text, encoding="utf-8")
    records, problems = kb.validate([path])
    assert not problems and records[0].outcome_texts[0] == "About 14,000 trips a day in 2019"


def test_a_v1_database_upgrades_to_v11_keeping_every_case(database_url, tmp_path):
    db.upgrade(database_url, "0001")
    engine = db.make_engine(database_url)
    with engine.begin() as conn:  # a catalogue written by the v1 code, through SQL alone
        conn.execute(text("INSERT INTO country VALUES ('CO', 'Colombia', 'x', 'y', NULL)"))
        conn.execute(text("INSERT INTO city (id, name, country_iso2) VALUES (1, 'Cali', 'CO')"))
        conn.execute(
            text(
                "INSERT INTO cases (id, slug, title, summary, city_id, language, revision,"
                " created_at, updated_at) VALUES (1, 'cali-case', 'Cali case',"
                " 'A case written before format v1.1 existed.', 1, 'en', 1,"
                " CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            )
        )
        conn.execute(
            text(
                "INSERT INTO source (id, case_id, position, url, title)"
                " VALUES (1, 1, 0, 'https://example.org/', 'Example')"
            )
        )
        conn.execute(
            text("INSERT INTO outcome (id, case_id, position, text) VALUES (1, 1, 0, 'Done')")
        )
    engine.dispose()
    kb = KnowledgeBase(Settings(home=tmp_path / "home", database_url=database_url))
    kb.init()
    record = kb.get("cali-case").record
    assert record.outcomes[0].text == "Done" and record.outcomes[0].kind is None
    assert record.sources[0].type is None and record.translations == ()
    kb.close()


def test_v1_files_still_import(kb):
    report = kb.import_files([SAMPLE])
    assert report.added == 4
    assert all(o.kind is None for r in kb.records() for o in r.outcomes)
