"""Where the catalogue lives. Read from the environment only at the edges (CLI, app)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
BUNDLED_CATALOGUE = DATA_DIR / "catalogue"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


def default_vector_cache(environ: dict[str, str] | None = None) -> Path:
    """Where passage vectors already computed are kept for reuse by every catalogue on this
    machine: KB_VECTOR_CACHE, else the user's cache folder."""
    env = os.environ if environ is None else environ
    if env.get("KB_VECTOR_CACHE"):
        return Path(env["KB_VECTOR_CACHE"])
    base = Path(env.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "urban-digital-kb" / "vectors.sqlite3"


@dataclass(frozen=True)
class Settings:
    """KB_HOME holds the default SQLite database and the search index; KB_DATABASE_URL overrides
    the database (any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db); KB_VECTOR_CACHE
    the file of passage vectors kept for reuse."""

    home: Path
    database_url: str | None = None
    vector_cache: Path = field(default_factory=default_vector_cache)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        home = Path(env.get("KB_HOME") or "var")
        return cls(
            home=home,
            database_url=env.get("KB_DATABASE_URL") or None,
            vector_cache=default_vector_cache(env),
        )

    @property
    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'kb.sqlite3').resolve()}"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"
