"""Schema lives in Alembic migrations; `kb init` runs them, idempotently, on both backends."""

from alembic import command
from sqlalchemy import inspect, text

from kb import db
from kb.config import Settings
from kb.service import KnowledgeBase
from tests.conftest import SAMPLE

EXPECTED_TABLES = {
    "cases",
    "city",
    "country",
    "theme",
    "inclusion_dimension",
    "safeguard",
    "organization",
    "case_organization",
    "source",
    "outcome",
    "lesson",
    "challenge",
    "tag",
    "case_tag",
    "case_theme",
    "case_inclusion",
    "case_safeguard",
    "case_revision",
    "cost",
    "case_translation",
    "catalogue_identity",
}


def test_upgrade_from_empty_creates_every_table(database_url):
    db.upgrade(database_url)
    engine = db.make_engine(database_url)
    try:
        assert set(inspect(engine).get_table_names()) >= EXPECTED_TABLES
        assert db.is_at_head(engine)
    finally:
        engine.dispose()


def test_downgrade_to_base_and_up_again(database_url):
    db.upgrade(database_url)
    db.downgrade(database_url, "base")
    engine = db.make_engine(database_url)
    try:
        assert not EXPECTED_TABLES & set(inspect(engine).get_table_names())
        db.upgrade(database_url)
        assert db.is_at_head(engine)
    finally:
        engine.dispose()


def test_models_and_migrations_agree(database_url):
    db.upgrade(database_url)
    engine = db.make_engine(database_url)
    try:
        with engine.connect() as conn:
            cfg = db.alembic_config(database_url)
            cfg.attributes["connection"] = conn
            command.check(cfg)  # raises if autogenerate would find anything to do
    finally:
        engine.dispose()


def test_init_twice_keeps_the_data(database_url, tmp_path):
    kb = KnowledgeBase(Settings(home=tmp_path, database_url=database_url))
    kb.init()
    kb.import_files([SAMPLE])
    before = kb.export()
    kb.init()
    assert kb.export() == before
    kb.close()


def test_sqlite_enforces_foreign_keys(tmp_path):
    url = f"sqlite:///{tmp_path / 'fk.sqlite3'}"
    db.upgrade(url)
    engine = db.make_engine(url)
    try:
        with engine.connect() as conn:
            assert conn.execute(text("PRAGMA foreign_keys")).scalar() == 1
    finally:
        engine.dispose()
