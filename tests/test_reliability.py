"""Reliability under the conditions of real use: many processes at once, kill -9, restored
backups, damaged indexes and hostile files. Bounded: about two minutes in all.

The concurrent workload is bench/soak.py, run briefly here (the README gives its 10-minute
numbers). PostgreSQL parts skip locally without KB_TEST_POSTGRES_URL and fail in CI.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from kb import KnowledgeBase
from kb.config import Settings
from tests.conftest import SAMPLE, require

ROOT = Path(__file__).resolve().parent.parent
KB = str(Path(sys.executable).with_name("kb"))
SAMPLE_DICTS = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def many(prefix: str, n: int) -> str:
    return "".join(
        json.dumps(SAMPLE_DICTS[0] | {"slug": f"{prefix}-{i}", "title": f"{prefix} case {i}"})
        + "\n"
        for i in range(n)
    )


def in_process(home: Path, url: str, body: str) -> subprocess.CompletedProcess:
    """Python code run in a real process with `kb` opened on this catalogue."""
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from kb import KnowledgeBase
        from kb.config import Settings
        kb = KnowledgeBase(Settings(home=Path({str(home)!r}), database_url={url!r}))
        """
    ) + textwrap.dedent(body)
    return subprocess.run([sys.executable, "-c", script], capture_output=True, timeout=300)


# -- many writers and searchers at once ----------------------------------------------------------


@pytest.mark.parametrize(
    "backend", ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def test_writers_and_searchers_at_once_lose_nothing(request, tmp_path, backend):
    command = [sys.executable, str(ROOT / "bench" / "soak.py"), "--minutes", "0.4"]
    command += ["--writers", "4", "--readers", "2", "--cases", "24", "--json"]
    command += ["--home", str(tmp_path / "soak"), "--database", backend]
    if backend == "postgresql":
        command += ["--url", request.getfixturevalue("postgres_server_url")]
    done = subprocess.run(command, capture_output=True, text=True, timeout=600)
    assert done.stdout, done.stderr
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    failures = {
        k: summary[k]
        for k in ("crashed", "errors", "messages", "lost_updates", "half_written_imports")
        + ("index_drift", "index_check", "not_found_by_title")
    }
    assert failures == {
        "crashed": [],
        "errors": 0,
        "messages": [],
        "lost_updates": 0,
        "half_written_imports": 0,
        "index_drift": 0,
        "index_check": {"missing": [], "stale": [], "extra": []},
        "not_found_by_title": [],
    }
    # every kind of writer and the readers really worked
    assert all(summary[k] > 0 for k in ("imports", "updates", "deletes", "restores", "searches"))
    assert done.returncode == 0


# -- kill -9 ----------------------------------------------------------------------------------


def test_kill_9_during_an_import_writes_none_of_it(sample_kb, tmp_path):
    big = tmp_path / "big.jsonl"
    big.write_text(many("killed", 300), encoding="utf-8")
    before = sample_kb.export()
    done = in_process(
        sample_kb.settings.home,
        sample_kb.url,
        f"""
        def progress(done, total):
            if done == 150:
                os.kill(os.getpid(), signal.SIGKILL)
        kb.import_files([{str(big)!r}], progress=progress)
        """,
    )
    assert done.returncode == -signal.SIGKILL
    assert sample_kb.export() == before
    assert sample_kb.search("killed case", match="all").total == 0
    assert sample_kb.check_index().ok


def test_kill_9_after_an_import_commits_leaves_it_whole_and_searchable(sample_kb, tmp_path):
    big = tmp_path / "big.jsonl"
    big.write_text(many("committed", 120), encoding="utf-8")
    done = in_process(  # killed when the index update begins: the database has committed
        sample_kb.settings.home,
        sample_kb.url,
        f"""
        from kb.search.index import SearchIndex
        SearchIndex.apply = lambda *a, **k: os.kill(os.getpid(), signal.SIGKILL)
        kb.import_files([{str(big)!r}])
        """,
    )
    assert done.returncode == -signal.SIGKILL
    assert sample_kb.stats().total == 4 + 120
    assert len(sample_kb.check_index().missing) == 120  # the index is behind, and says so
    assert sample_kb.search("committed case", match="all", limit=0).total == 120
    assert sample_kb.check_index().ok


def test_kill_9_during_kb_index_rebuild_keeps_the_old_index_serving(tmp_path):
    home = tmp_path / "home"
    env = os.environ | {"KB_HOME": str(home), "KB_DATABASE_URL": ""}
    subprocess.run([KB, "init"], env=env, check=True, capture_output=True)
    (tmp_path / "many.jsonl").write_text(many("rebuilt", 150), encoding="utf-8")
    subprocess.run([KB, "import", str(tmp_path / "many.jsonl")], env=env, check=True)
    serving = (home / "index").resolve()
    rebuild = subprocess.Popen([KB, "index", "rebuild"], env=env, stdout=subprocess.DEVNULL)
    deadline = time.time() + 120
    while time.time() < deadline and not [
        f for f in home.glob("index-*") if f.resolve() != serving and any(f.iterdir())
    ]:
        time.sleep(0.05)  # until the new generation has files in it
    rebuild.send_signal(signal.SIGKILL)
    assert rebuild.wait() == -signal.SIGKILL
    assert (home / "index").resolve() == serving
    search = subprocess.run(
        [KB, "search", "rebuilt case", "--match", "all", "--limit", "0"],
        env=env,
        capture_output=True,
        text=True,
    )
    assert (search.stdout, search.stderr) == ("150 cases\n", "")
    check = subprocess.run([KB, "index", "check"], env=env, capture_output=True, text=True)
    assert check.returncode == 0
    assert sorted(home.glob("index-*")) == [serving]  # the half-built folder is swept


# -- restored backups ------------------------------------------------------------------------


def test_a_sqlite_backup_restored_over_a_newer_database_is_searched_as_restored(tmp_path):
    require(bool(shutil.which("sqlite3")), "the sqlite3 command is not installed")
    home = tmp_path / "home"
    env = os.environ | {"KB_HOME": str(home), "KB_DATABASE_URL": ""}
    subprocess.run([KB, "init"], env=env, check=True, capture_output=True)
    subprocess.run([KB, "import", str(SAMPLE)], env=env, check=True, capture_output=True)
    backup = tmp_path / "backup.sqlite3"
    subprocess.run(["sqlite3", str(home / "kb.sqlite3"), f".backup {backup}"], check=True)
    (tmp_path / "later.jsonl").write_text(many("later", 5), encoding="utf-8")
    subprocess.run([KB, "import", str(tmp_path / "later.jsonl")], env=env, check=True)
    for extra in ("kb.sqlite3-wal", "kb.sqlite3-shm"):  # restore: the copy, nothing else
        (home / extra).unlink(missing_ok=True)
    shutil.copyfile(backup, home / "kb.sqlite3")
    listed = subprocess.run([KB, "search", ""], env=env, capture_output=True, text=True).stdout
    assert listed.startswith("1-4 of 4 cases") and "later" not in listed
    check = subprocess.run([KB, "index", "check"], env=env, capture_output=True, text=True)
    assert check.stdout == (
        "4 cases in the database, 4 in the index\nthe index is in step with the database\n"
    )


@pytest.mark.postgres
def test_a_postgresql_dump_restored_is_searched_as_restored(postgres_url, tmp_path):
    require(bool(shutil.which("pg_dump")), "pg_dump is not installed")
    home = tmp_path / "home"
    kb = KnowledgeBase(Settings(home=home, database_url=postgres_url))
    kb.init()
    kb.import_files([SAMPLE])
    dump = tmp_path / "kb.dump"
    plain = make_url(postgres_url).set(drivername="postgresql")
    libpq = plain.render_as_string(hide_password=False)
    subprocess.run(["pg_dump", "--format=custom", f"--file={dump}", libpq], check=True)
    kb.import_dicts([json.loads(line) for line in many("later", 5).splitlines()])
    assert kb.search("later case", match="all").total == 5
    kb.close()
    admin = create_engine(plain.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:  # restore: drop, create, pg_restore
        conn.execute(text(f'DROP DATABASE "{plain.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{plain.database}"'))
    admin.dispose()
    subprocess.run(["pg_restore", f"--dbname={libpq}", str(dump)], check=True)
    restored = KnowledgeBase(Settings(home=home, database_url=postgres_url))
    assert restored.search("later case", match="all").total == 0
    assert restored.search("").total == 4
    assert restored.check_index().ok
    restored.close()


# -- an index deleted under load ----------------------------------------------------------------


def test_searchers_survive_their_index_being_deleted_under_them(sample_kb):
    """The index folder removed and its path replaced by a file while two processes search.
    (Whoosh memory-maps segment files: a file truncated in place under a running process would
    kill it with SIGBUS, like any mapped file. Nothing of ours truncates a file in place.)"""
    home, url = sample_kb.settings.home, sample_kb.url
    script = textwrap.dedent(
        f"""
        import time
        from pathlib import Path
        from kb import KnowledgeBase
        from kb.config import Settings
        kb = KnowledgeBase(Settings(home=Path({str(home)!r}), database_url={url!r}))
        end, n = time.time() + 12, 0
        while time.time() < end:
            assert kb.search("Autolib").hits[0].slug == "paris-autolib"
            n += 1
        print(n)
        """
    )
    searchers = [
        subprocess.Popen([sys.executable, "-c", script], stdout=subprocess.PIPE, text=True)
        for _ in range(2)
    ]
    time.sleep(6)
    shutil.rmtree((home / "index").resolve())
    (home / "index").unlink()
    (home / "index").write_text("not an index")
    outputs = [s.communicate(timeout=120)[0] for s in searchers]
    assert [s.returncode for s in searchers] == [0, 0]
    assert all(int(out) > 0 for out in outputs)
    assert sample_kb.check_index().ok


# -- hostile files -----------------------------------------------------------------------------

HOSTILE = {
    "random.jsonl": os.urandom(4096),
    "nul.csv": b"slug,title\x00,summary\n",
    "bom-only.jsonl": b"\xef\xbb\xbf",
    "number.json": b"42",
    "deep.json": b"[" * 200_000 + b"]" * 200_000,
    "huge-string.jsonl": b'{"slug": "' + b"a" * 5_000_000 + b'"}\n',
    "nested.jsonl": b'{"slug": {"a": [1, {"b": null}]}, "title": [[[]]]}\n',
    "control.jsonl": json.dumps(SAMPLE_DICTS[0] | {"title": "bell \x07 ring"}).encode() + b"\n",
    "crlf.csv": b"slug,title\r\n\r\n\r\n",
    "quote.csv": b'slug,title,summary\n"unterminated,x,y\n',
}


def test_a_folder_of_hostile_files_is_reported_file_by_file_and_nothing_written(kb, tmp_path):
    folder = tmp_path / "hostile"
    folder.mkdir()
    for name, content in HOSTILE.items():
        (folder / name).write_bytes(content)
    env = os.environ | {"KB_HOME": str(kb.settings.home), "KB_DATABASE_URL": kb.url}
    done = subprocess.run([KB, "import", str(folder)], env=env, capture_output=True, timeout=300)
    err = done.stderr.decode("utf-8")
    assert done.returncode == 2, err
    assert "Traceback" not in err and done.stdout == b""
    assert err.endswith("nothing was written.\n")
    named = {Path(line.split(":", 1)[0]).name for line in err.splitlines()[:-1]}
    assert named == set(HOSTILE)
    assert kb.stats().total == 0
