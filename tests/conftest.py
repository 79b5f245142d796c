"""Shared fixtures: real SQLite files and a real PostgreSQL server, never mocks."""

from __future__ import annotations

import gc
import os
import uuid
import warnings
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kb import KnowledgeBase
from kb.config import Settings

FIXTURES = Path(__file__).parent / "fixtures"
# Passage vectors are kept across test fixtures (and local runs): each text is encoded once.
os.environ.setdefault(
    "KB_VECTOR_CACHE", str(Path(__file__).parent.parent / ".pytest_cache" / "kb-vectors.sqlite3")
)

SAMPLE = FIXTURES / "sample.jsonl"
IN_CI = os.environ.get("CI", "").lower() == "true"


def require(condition: bool, reason: str) -> None:
    """Skip locally when a dependency is missing; fail in CI, where it must be there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this dependency must be installed)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def postgres_server_url() -> str:
    url = os.environ.get("KB_TEST_POSTGRES_URL")
    require(bool(url), "KB_TEST_POSTGRES_URL is not set: no PostgreSQL server to test against")
    return url  # type: ignore[return-value]


@pytest.fixture
def postgres_url(postgres_server_url: str) -> Iterator[str]:
    """A fresh, empty database on the test server, dropped afterwards."""
    name = f"kb_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(postgres_server_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(postgres_server_url).set(database=name).render_as_string(hide_password=False)
    try:
        yield url
    finally:
        # A connection a test left to the garbage collector would warn later, inside an
        # unrelated test; collect it here, where dropping the database ends it anyway.
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", ResourceWarning)
            gc.collect()
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'kb.sqlite3'}"
    return request.getfixturevalue("postgres_url")


@pytest.fixture
def kb(database_url: str, tmp_path: Path) -> Iterator[KnowledgeBase]:
    """An initialised, empty catalogue on each backend."""
    base = KnowledgeBase(Settings(home=tmp_path / "home", database_url=database_url))
    base.init()
    yield base
    base.close()


@pytest.fixture
def sample_kb(kb: KnowledgeBase) -> KnowledgeBase:
    kb.import_files([SAMPLE], actor="test")
    return kb


def shared_data(name: str) -> Path:
    """Real public data for import, Unicode and scale tests, kept in tests/fixtures (see its
    README for sources and licences)."""
    path = Path(__file__).resolve().parent / "fixtures" / name
    require(path.exists(), f"{path} is missing")
    return path


@pytest.fixture(scope="session")
def bundled_kb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[KnowledgeBase]:
    """The bundled catalogue, imported once per test session (read-only: do not write to it)."""
    home = tmp_path_factory.mktemp("bundled")
    base = KnowledgeBase(Settings(home=home))
    base.init()
    base.import_bundled()
    yield base
    base.close()


# the browser tests' fixtures (one server, one Chromium per session) for every module; imported
# last, since tests.browser imports this module's require() when a fixture runs
from tests.browser import app_home, browser, chromium, dialogs, page, server  # noqa: E402, F401
