"""Where the catalogue lives. Read from the environment only at the edges (CLI, app)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = PROJECT_ROOT / "data"
BUNDLED_CATALOGUE = DATA_DIR / "catalogue"
MIGRATIONS_DIR = PROJECT_ROOT / "migrations"


@dataclass(frozen=True)
class Settings:
    """KB_HOME holds the default SQLite database and the search index; KB_DATABASE_URL overrides
    the database (any SQLAlchemy URL, e.g. postgresql+psycopg://user@host/db)."""

    home: Path
    database_url: str | None = None

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ
        home = Path(env.get("KB_HOME") or "var")
        return cls(home=home, database_url=env.get("KB_DATABASE_URL") or None)

    @property
    def url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'kb.sqlite3').resolve()}"

    @property
    def index_dir(self) -> Path:
        return self.home / "index"
