"""Engines, sessions and schema upgrades: the one path used by init, the tests and the app."""

from __future__ import annotations

import fcntl
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, pool, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DatabaseError

from kb.config import MIGRATIONS_DIR
from kb.errors import DatabaseTooNew, DatabaseUnreadable


def is_sqlite(url: str) -> bool:
    return make_url(url).get_backend_name() == "sqlite"


def make_engine(url: str, *, migrations: bool = False) -> Engine:
    """An engine with foreign keys enforced on SQLite. Migration engines use NullPool so that no
    connection with foreign keys switched off ever returns to the application."""
    kwargs: dict = {"poolclass": pool.NullPool} if migrations else {}
    if is_sqlite(url):
        path = make_url(url).database
        if path and path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        kwargs.setdefault("connect_args", {"timeout": WRITE_LOCK_SECONDS})
    engine = create_engine(url, **kwargs)
    if is_sqlite(url):
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def alembic_config(url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return cfg


def head_revision() -> str | None:
    return ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def current_revision(engine: Engine) -> str | None:
    with engine.connect() as conn:
        return MigrationContext.configure(conn).get_current_revision()


def is_at_head(engine: Engine) -> bool:
    return current_revision(engine) == head_revision()


def check_schema(engine: Engine) -> bool:
    """True when the database is at the newest schema, False when it needs `kb init`.
    Raises DatabaseTooNew for a schema this version does not know (a newer release wrote it)
    and DatabaseUnreadable for a file that is not a database."""
    url = engine.url.render_as_string(hide_password=True)
    try:
        current = current_revision(engine)
    except DatabaseError as exc:
        raise DatabaseUnreadable(url, _reason(exc)) from exc
    head = head_revision()
    if current is None or current == head:
        return current == head
    if current not in known_revisions():
        raise DatabaseTooNew(url, current, head)
    return False


def known_revisions() -> set[str]:
    scripts = ScriptDirectory.from_config(alembic_config("sqlite://"))
    return {script.revision for script in scripts.walk_revisions()}


def _reason(exc: DatabaseError) -> str:
    text = str(exc.orig) if exc.orig is not None else str(exc)
    return text.strip().splitlines()[0]


def upgrade(url: str, target: str = "head") -> None:
    """Run migrations to `target`, idempotently. On SQLite, foreign keys are switched off around
    the migration (batch mode recreates tables, which would fire ON DELETE CASCADE and silently
    delete child rows) and checked afterwards. Concurrent upgrades queue on a lock, so three
    `kb init` at once on a fresh home all succeed."""
    engine = make_engine(url, migrations=True)
    try:
        check_schema(engine)
        with _migration_lock(engine):
            _upgrade(engine, url, target)
    finally:
        engine.dispose()


@contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """One migration at a time per database: a lock file beside a SQLite file, a session-level
    advisory lock on PostgreSQL."""
    if engine.dialect.name == "sqlite":
        path = make_url(str(engine.url)).database
        if not path or path == ":memory:":
            yield
            return
        with open(f"{path}.migrate.lock", "a+b") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)
        return
    with engine.connect() as conn:
        conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": _MIGRATION_KEY})
        conn.commit()
        try:
            yield
        finally:
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": _MIGRATION_KEY})
            conn.commit()


def _upgrade(engine: Engine, url: str, target: str) -> None:
    with engine.connect() as conn:
        sqlite = conn.dialect.name == "sqlite"
        if sqlite:
            conn.execute(text("PRAGMA foreign_keys=OFF"))
            conn.commit()
        cfg = alembic_config(url)
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, target)
        conn.commit()
        if sqlite:
            broken = conn.execute(text("PRAGMA foreign_key_check")).fetchall()
            if broken:
                raise RuntimeError(f"foreign key check failed after migration: {broken[:5]}")
            conn.execute(text("PRAGMA foreign_keys=ON"))


def downgrade(url: str, target: str = "base") -> None:
    engine = make_engine(url, migrations=True)
    try:
        with engine.connect() as conn:
            if conn.dialect.name == "sqlite":
                conn.execute(text("PRAGMA foreign_keys=OFF"))
                conn.commit()
            cfg = alembic_config(url)
            cfg.attributes["connection"] = conn
            command.downgrade(cfg, target)
            conn.commit()
    finally:
        engine.dispose()


WRITE_LOCK_SECONDS = 60
_ADVISORY_KEY = 0x6B62_7772  # "kbwr": one catalogue-wide writer lock
_MIGRATION_KEY = 0x6B62_6D67  # "kbmg": one migration at a time


def lock_for_writing(session, seconds: int = WRITE_LOCK_SECONDS) -> None:  # noqa: ANN001
    """Take the catalogue's writer lock at the start of a write transaction, so that concurrent
    imports queue instead of colliding (two creating the same city, say). SQLite: BEGIN
    IMMEDIATE (readers carry on in WAL mode); PostgreSQL: a transaction-scoped advisory lock."""
    if session.get_bind().dialect.name == "sqlite":
        session.execute(text("BEGIN IMMEDIATE"))
    else:
        session.execute(text(f"SET LOCAL lock_timeout = '{int(seconds)}s'"))
        session.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": _ADVISORY_KEY})
