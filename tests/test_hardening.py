"""Hardening (issue 12), item by item: what a user does, and what must then be true.

Each test failed on the code before its fix. The commands are the real `kb` (click's runner,
or a real process where bytes, signals or several processes matter); messages are compared
whole, with the exit status, and with what was (not) written.
"""

from __future__ import annotations

import gc
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import create_engine, text

from kb import KnowledgeBase, db, models
from kb.cli import main
from kb.config import Settings
from kb.errors import CaseNotFound, UpdateConflict
from kb.search import generations
from kb.search.schema import Mark, index_entry
from tests.conftest import SAMPLE

KB = str(Path(sys.executable).with_name("kb"))
SAMPLE_DICTS = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def variants(prefix: str, n: int, **changes: str) -> list[dict]:
    """n valid records made from the first sample, slugs prefix-0..n-1."""
    return [
        SAMPLE_DICTS[0] | {"slug": f"{prefix}-{i}", "title": f"{prefix} case {i}"} | changes
        for i in range(n)
    ]


def write_jsonl(path: Path, records: list[dict]) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), "utf-8")
    return path


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"


@pytest.fixture
def kb_cli(home: Path, database_url: str) -> Callable[..., object]:
    """`kb ARGS...` through click's runner, on this test's catalogue; returns the result."""
    runner = CliRunner()
    env = {"KB_HOME": str(home), "KB_DATABASE_URL": database_url}

    def run(*args: str):  # noqa: ANN202 - click's Result
        return runner.invoke(main, list(args), env=env)

    assert run("init").exit_code == 0
    return run


def kb_process(home: Path, url: str, *args: str | bytes) -> subprocess.CompletedProcess:
    """The installed `kb` in a real process (bytes arguments reach it as a terminal's would)."""
    env = os.environ | {"KB_HOME": str(home), "KB_DATABASE_URL": url}
    return subprocess.run([KB, *args], env=env, capture_output=True, timeout=300)


def opened(home: Path, url: str) -> KnowledgeBase:
    return KnowledgeBase(Settings(home=home, database_url=url))


# -- 1. searching processes died with SIGSEGV on CPython 3.11 -----------------------------------
# The crash needs mapped objects left to the cyclic GC while their session is open (see
# bench/crash_cpython311.py). Every operation must free what it loads by reference counting.


def _garbage_of(action: Callable[[], object]) -> list[object]:
    gc.collect()
    flags = gc.get_debug()
    gc.set_debug(flags | gc.DEBUG_SAVEALL)
    try:
        action()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(flags)
        gc.garbage.clear()


def _expecting(error: type[Exception], action: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        with pytest.raises(error):
            action()

    return run


OPERATIONS: dict[str, Callable[[KnowledgeBase, KnowledgeBase, Path], Callable[[], object]]] = {
    "import": lambda kb, _, tmp: lambda: kb.import_dicts(variants("gc", 2)),
    "update": lambda kb, _, tmp: lambda: kb.update("kigali-irembo", {"status": "active"}),
    "refused update": lambda kb, _, tmp: _expecting(
        UpdateConflict, lambda: kb.update("kigali-irembo", {"status": "active"}, base_revision=0)
    ),
    "delete": lambda kb, _, tmp: lambda: kb.delete("paris-autolib"),
    "restore": lambda kb, _, tmp: lambda: kb.restore("kigali-irembo", 1),
    "unknown slug": lambda kb, _, tmp: _expecting(CaseNotFound, lambda: kb.get("no-such")),
    "search that syncs": lambda kb, other, tmp: lambda: other.search("Irembo"),
    "similar": lambda kb, other, tmp: lambda: other.similar("kigali-irembo"),
    "index check": lambda kb, _, tmp: kb.check_index,
    "index rebuild": lambda kb, _, tmp: kb.rebuild_index,
}


@pytest.mark.parametrize("name", list(OPERATIONS))
def test_no_operation_leaves_database_objects_or_frames_to_the_cyclic_gc(sample_kb, tmp_path, name):
    other = KnowledgeBase(sample_kb.settings)  # another process's view, its index behind
    other.search("Irembo")
    sample_kb.update("kigali-irembo", {"tags": ["e-government", "gc-test"]})
    try:
        garbage = _garbage_of(OPERATIONS[name](sample_kb, other, tmp_path))
    finally:
        other.close()
    kinds = sorted({type(o).__name__ for o in garbage})
    assert not [o for o in garbage if isinstance(o, models.Base)], kinds
    assert "frame" not in kinds and "InstanceState" not in kinds, kinds


# -- 2. concurrent edits are not lost ----------------------------------------------------------

EDITOR = textwrap.dedent(
    """
    import sys
    from pathlib import Path
    from kb import KnowledgeBase
    from kb.config import Settings
    home, url, field, rounds = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
    kb = KnowledgeBase(Settings(home=Path(home), database_url=url))
    for n in range(rounds):
        kb.update("kigali-irembo", {field: [f"{field} {n}"]}, actor=field)
    kb.close()
    """
)


def test_two_editors_changing_different_fields_at_once_both_keep_every_change(sample_kb):
    rounds = 15
    editors = [
        subprocess.Popen(
            [sys.executable, "-c", EDITOR, str(sample_kb.settings.home), sample_kb.url, f, "15"]
        )
        for f in ("lessons", "challenges")
    ]
    assert [e.wait(timeout=600) for e in editors] == [0, 0]
    history = sample_kb.history("kigali-irembo")
    assert len(history) == 1 + 2 * rounds
    seen = {"lessons": -1, "challenges": -1}
    for info in history[1:]:
        record = sample_kb.revision("kigali-irembo", info.revision)
        for field in seen:  # each field only moves forward: no edit overwrote another's
            values = getattr(record, field)
            number = int(values[0].split()[-1]) if values and values[0].startswith(field) else -1
            assert number >= seen[field], f"revision {info.revision} undid {field}"
            seen[field] = number
    assert seen == {"lessons": rounds - 1, "challenges": rounds - 1}


def test_an_edit_based_on_an_old_revision_is_refused_and_nothing_is_saved(kb_cli):
    kb_cli("import", str(SAMPLE))
    assert kb_cli("edit", "paris-autolib", "--set", "status=completed").exit_code == 0
    result = kb_cli("edit", "paris-autolib", "--set", "engagement=consult", "--base-revision", "1")
    assert result.exit_code == 1
    assert result.stderr == (
        "error: Case 'paris-autolib' has changed since you read it (you edited revision 1; it is "
        "now at revision 2). Nothing was saved. Reload it (`kb show paris-autolib`), then apply "
        "your change to the current version.\n"
    )
    shown = json.loads(kb_cli("show", "paris-autolib", "--json").stdout)
    engagement = next(d for d in SAMPLE_DICTS if d["slug"] == "paris-autolib").get("engagement")
    assert engagement != "consult"
    assert (shown["revision"], shown["status"], shown.get("engagement")) == (
        2,
        "completed",
        engagement,
    )
    saved = kb_cli("edit", "paris-autolib", "--set", "engagement=consult", "--base-revision", "2")
    assert saved.stdout == "saved paris-autolib: engagement changed; it is now revision 3\n"


# -- 3. the index follows the database it mirrors -----------------------------------------------


def sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a live SQLite database (what `sqlite3 kb.sqlite3 .backup` does)."""
    with sqlite3.connect(source) as src, sqlite3.connect(target) as dst:
        src.backup(dst)
    src.close()
    dst.close()


def put_back(backup: Path, live: Path) -> None:
    for extra in (Path(f"{live}-wal"), Path(f"{live}-shm")):
        extra.unlink(missing_ok=True)
    shutil.copyfile(backup, live)


def test_a_backup_restored_then_written_again_is_what_search_shows(tmp_path):
    home = tmp_path / "home"
    kb = KnowledgeBase(Settings(home=home))
    kb.init()
    kb.import_files([SAMPLE])
    live = home / "kb.sqlite3"
    sqlite_copy(live, tmp_path / "backup.sqlite3")
    kb.import_dicts(variants("later", 3, summary="A draft summary that mentions zebracorns."))
    assert {h.slug for h in kb.search("zebracorns", match="all").hits} == {
        "later-0",
        "later-1",
        "later-2",
    }
    kb.close()
    put_back(tmp_path / "backup.sqlite3", live)  # the cases imported later are gone ...
    restored = KnowledgeBase(Settings(home=home))
    # ... and the same slugs come back, corrected: same ids, slugs and revision numbers as the
    # draft's revision rows, other content
    restored.import_dicts(variants("later", 3, summary="The corrected summary about unicorns."))
    browse = {h.slug: h.summary for h in restored.search("", limit=100).hits}
    assert {browse[f"later-{i}"] for i in range(3)} == {"The corrected summary about unicorns."}
    assert restored.search("zebracorns", match="all").total == 0
    assert restored.check_index().ok
    restored.close()


def test_an_index_check_notices_a_revision_rewritten_after_a_restore(tmp_path, monkeypatch):
    home = tmp_path / "home"
    kb = KnowledgeBase(Settings(home=home))
    kb.init()
    kb.import_files([SAMPLE])
    sqlite_copy(home / "kb.sqlite3", tmp_path / "backup.sqlite3")
    kb.update("paris-autolib", {"status": "completed"})  # revision 2, indexed
    kb.close()
    put_back(tmp_path / "backup.sqlite3", home / "kb.sqlite3")
    writer = KnowledgeBase(Settings(home=home))
    # another revision 2, written by a process killed before it could update the index
    monkeypatch.setattr(writer, "_after_write", lambda: None)
    writer.update("paris-autolib", {"status": "scaled"})
    writer.close()
    checker = KnowledgeBase(Settings(home=home))
    assert checker.check_index().stale == ["paris-autolib"]
    assert checker.search("Autolib").hits[0].status == "scaled"  # a search repairs it
    assert checker.check_index().ok
    checker.close()


def test_a_recreated_or_downgraded_database_gets_a_fresh_index(kb_cli, home, database_url):
    kb_cli("import", str(SAMPLE))
    assert "1-4 of 4 cases" in kb_cli("search", "", "--limit", "10").stdout
    db.downgrade(database_url, "base")
    assert kb_cli("search", "").stderr.startswith("error: The database at ")
    assert kb_cli("init").exit_code == 0  # a new database: empty, with a new identity
    assert kb_cli("search", "").stdout == "No cases match.\n0 cases\n"
    db.downgrade(database_url, "0002")  # the identity table goes, and comes back new
    kb_cli("init")
    kb_cli("import", str(SAMPLE))
    kb_cli("import", str(write_jsonl(home.parent / "one.jsonl", variants("fresh", 1))))
    assert "1-5 of 5 cases" in kb_cli("search", "").stdout
    check = kb_cli("index", "check")
    assert check.stdout.endswith("the index is in step with the database\n")


# -- 4. JSON Lines break records only at "\n" ---------------------------------------------------

LINE_BREAKS = "line\u2028separator, next\u0085line, paragraph\u2029separator"


@pytest.mark.parametrize("fmt", ["jsonl", "json", "csv"])
def test_an_export_with_unicode_line_breaks_imports_back_unchanged(kb_cli, tmp_path, fmt):
    record = SAMPLE_DICTS[0] | {
        "summary": f"A summary with {LINE_BREAKS}.",
        "lessons": [f"one {LINE_BREAKS}"],
    }
    kb_cli("import", str(write_jsonl(tmp_path / "in.jsonl", [record])))
    exported = tmp_path / f"out.{fmt}"
    assert kb_cli("export", "--format", fmt, "-o", str(exported)).exit_code == 0
    fresh = CliRunner().invoke(
        main, ["init"], env={"KB_HOME": str(tmp_path / "fresh"), "KB_DATABASE_URL": ""}
    )
    assert fresh.exit_code == 0
    env = {"KB_HOME": str(tmp_path / "fresh"), "KB_DATABASE_URL": ""}
    result = CliRunner().invoke(main, ["import", str(exported)], env=env)
    assert (result.exit_code, result.stdout) == (0, "added 1, updated 0, unchanged 0\n")
    again = CliRunner().invoke(main, ["export", "--format", fmt], env=env).stdout
    assert again == exported.read_text(encoding="utf-8")
    shown = json.loads(CliRunner().invoke(main, ["show", record["slug"], "--json"], env=env).stdout)
    assert shown["summary"] == record["summary"]


# -- 5. spreadsheet formulas are neutralised (more in tests/test_exports.py) ------------------


def test_a_formula_title_survives_kb_export_csv_and_kb_import(kb_cli, tmp_path):
    title = '=HYPERLINK("http://evil.example/","Click me")'
    kb_cli("import", str(write_jsonl(tmp_path / "f.jsonl", [SAMPLE_DICTS[0] | {"title": title}])))
    out = tmp_path / "cases.csv"
    kb_cli("export", "--format", "csv", "-o", str(out))
    assert "'=HYPERLINK(" in out.read_text(encoding="utf-8")
    env = {"KB_HOME": str(tmp_path / "again"), "KB_DATABASE_URL": ""}
    CliRunner().invoke(main, ["init"], env=env)
    assert CliRunner().invoke(main, ["import", str(out)], env=env).exit_code == 0
    shown = CliRunner().invoke(main, ["show", SAMPLE_DICTS[0]["slug"], "--json"], env=env)
    assert json.loads(shown.stdout)["title"] == title


# -- 6. plain messages, never a traceback ------------------------------------------------------

HOSTILE_FILES = [
    # (file name, content, the whole message)
    ("deep.jsonl", "[" * 100_000 + "]" * 100_000 + "\n", "1: nested too deeply: a record is a "
     "flat object of fields"),
    ("digits.jsonl", '{"slug": "x", "start_year": ' + "9" * 5000 + "}\n",
     "1: a number has more than 4,300 digits; no field is that long"),
    ("cell.csv", "slug,title,summary,city,country,themes,sources\n" + "x" * 140_000 + "\n",
     "2: not valid CSV: a cell is longer than 131,072 characters"),
    ("surrogate.jsonl", json.dumps(SAMPLE_DICTS[0] | {"title": "half \ud800 a pair"}) + "\n",
     "1: title: contains a lone surrogate (such as \\ud800), which is not valid text"),
    ("space.jsonl", json.dumps(SAMPLE_DICTS[0] | {"sources": [
        {"url": "https://example.org/a page", "title": "A page"}]}) + "\n",
     "1: sources[1].url: 'https://example.org/a page' contains a space; write it as %20"),
]  # fmt: skip


@pytest.mark.parametrize(("name", "content", "message"), HOSTILE_FILES)
def test_a_hostile_file_gets_one_plain_line_exit_2_and_nothing_written(
    kb_cli, tmp_path, name, content, message
):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8", errors="surrogatepass")
    result = kb_cli("import", str(path))
    assert result.exit_code == 2
    assert result.stderr == f"{path}:{message}\nerror: 1 problem found; nothing was written.\n"
    assert kb_cli("stats", "--json").stdout.count('"total": 0') == 1


@pytest.mark.parametrize(
    "args",
    [
        [b"show", b"\xff"],
        [b"similar", b"\xff"],
        [b"history", b"\xff"],
        [b"edit", b"\xff", b"--set", b"status=active"],
        [b"delete", b"\xff"],
        [b"restore", b"\xff", b"--revision", b"1"],
    ],
)
def test_undecodable_bytes_as_a_slug_are_an_unknown_case(tmp_path, args):
    home = tmp_path / "home"
    url = f"sqlite:///{home / 'kb.sqlite3'}"
    kb_process(home, url, "init")
    result = kb_process(home, url, *args)
    assert (result.returncode, result.stdout) == (1, b"")
    assert result.stderr == b"error: No case with slug '\\udcff'. Try `kb search` to find it.\n"


def test_undecodable_bytes_as_a_query_are_no_words(tmp_path):
    home = tmp_path / "home"
    url = f"sqlite:///{home / 'kb.sqlite3'}"
    kb_process(home, url, "init")
    result = kb_process(home, url, "search", b"\xff")
    assert (result.returncode, result.stderr) == (0, b"")
    assert result.stdout == b"Your query has no words to search for.\n0 cases\n"


def test_a_year_out_of_range_is_a_plain_error(kb_cli):
    result = kb_cli("search", "bus", "--year-from", "99999")
    assert (result.exit_code, result.stderr) == (
        1,
        "error: year_from must be a year from 1900 to 2100; got 99999.\n",
    )


def test_a_database_from_a_newer_version_is_refused_and_left_alone(kb_cli, database_url):
    engine = create_engine(database_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0099'"))
    engine.dispose()
    shown = db.make_engine(database_url).url.render_as_string(hide_password=True)
    for command in (["stats"], ["init"]):
        result = kb_cli(*command)
        assert (result.exit_code, result.stderr) == (
            1,
            f"error: The database at {shown} was written by a newer version of this software "
            "(schema revision '0099'; this version knows up to '0003'). Upgrade the software, "
            "or point KB_DATABASE_URL or KB_HOME at another database.\n",
        )
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT version_num FROM alembic_version")).scalar() == "0099"
    engine.dispose()


def test_a_file_that_is_not_a_database_is_refused_and_left_alone(tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    (home / "kb.sqlite3").write_text("my shopping list\n")
    env = {"KB_HOME": str(home), "KB_DATABASE_URL": ""}
    for command in (["stats"], ["init"]):
        result = CliRunner().invoke(main, command, env=env)
        assert (result.exit_code, result.stderr) == (
            1,
            f"error: Cannot read the database at sqlite:///{(home / 'kb.sqlite3').resolve()}: "
            "file is not a database. If it is damaged, restore it from a backup (see README, "
            "'Backup and restore'), or move it aside and run `kb init`.\n",
        )
    assert (home / "kb.sqlite3").read_text() == "my shopping list\n"


# -- 7. several `kb init` at once on a fresh home -----------------------------------------------


def test_three_inits_at_once_on_a_fresh_home_all_succeed_once(tmp_path, database_url):
    home = tmp_path / "home"
    env = os.environ | {"KB_HOME": str(home), "KB_DATABASE_URL": database_url}
    inits = [subprocess.Popen([KB, "init"], env=env, stderr=subprocess.PIPE) for _ in range(3)]
    assert [(p.wait(timeout=300), p.stderr.read()) for p in inits] == [(0, b"")] * 3
    for p in inits:
        p.stderr.close()
    engine = create_engine(database_url)
    with engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM catalogue_identity")).scalar() == 1
        countries = conn.execute(text("SELECT count(*) FROM country")).scalar()
        assert countries == conn.execute(text("SELECT count(DISTINCT iso2) FROM country")).scalar()
        assert countries > 200
    engine.dispose()
    with opened(home, database_url) as kb:
        assert kb.is_ready()


# -- 8. a damaged index repairs itself ---------------------------------------------------------


def truncate_segments(home: Path) -> None:
    for segment in (home / "index").resolve().glob("*.seg"):
        with open(segment, "r+b") as f:
            f.truncate(1000)


def test_a_truncated_index_is_rebuilt_by_the_next_search_with_one_warning(kb_cli, home):
    kb_cli("import", str(SAMPLE))
    truncate_segments(home)
    result = kb_cli("search", "Autolib")
    assert result.exit_code == 0
    assert result.stderr.count("damaged") == 1  # the CLI's warning, not a log line as well
    assert result.stderr.startswith("warning: The search index was damaged (")
    assert result.stderr.endswith("); it was rebuilt from the database.\n")
    assert "[paris-autolib]" in result.stdout
    assert kb_cli("index", "check").exit_code == 0


def test_index_check_on_a_damaged_index_says_so_plainly(kb_cli, home):
    kb_cli("import", str(SAMPLE))
    truncate_segments(home)
    result = kb_cli("index", "check")
    assert result.exit_code == 1 and result.stdout == ""
    assert result.stderr.startswith("error: The search index cannot be read (")
    assert result.stderr.endswith(
        "). Run `kb index rebuild` to rebuild it from the database (a search also rebuilds it "
        "by itself).\n"
    )
    similar = kb_cli("similar", "paris-autolib", "-n", "1")
    assert similar.exit_code == 0 and similar.stderr.startswith("warning: The search index was")
    assert kb_cli("index", "check").exit_code == 0


def test_an_index_path_replaced_by_a_file_is_rebuilt(kb_cli, home):
    kb_cli("import", str(SAMPLE))
    (home / "index").unlink()
    (home / "index").write_text("not an index")
    assert "[paris-autolib]" in kb_cli("search", "Autolib").stdout
    assert (home / "index").is_symlink()
    assert kb_cli("index", "check").exit_code == 0


def test_folders_of_killed_rebuilds_are_swept_and_never_served(kb_cli, home):
    kb_cli("import", str(SAMPLE))
    serving = (home / "index").resolve()
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    reused = subprocess.Popen(["sleep", "60"])  # alive, but started after the folder was made
    an_hour_ago = time.time_ns() - 3600 * 10**9
    half_built = [
        home / f"index-{time.time_ns()}-{dead.pid}",
        home / f"index-{an_hour_ago}-{reused.pid}",
    ]
    for folder in half_built:
        folder.mkdir()
        (folder / "_MAIN_1.toc").write_bytes(b"half")
    try:
        assert "[paris-autolib]" in kb_cli("search", "Autolib").stdout
        assert (home / "index").resolve() == serving
        assert kb_cli("index", "check").exit_code == 0
    finally:
        reused.kill()
        reused.wait()
    assert not [f for f in half_built if f.exists()]


# -- the index's writers: a slower process never puts back an older version -----------------


def test_a_sync_that_read_the_database_earlier_cannot_overwrite_a_newer_one(sample_kb):
    index = sample_kb.index
    view = sample_kb.get("paris-autolib")
    old = index_entry(view.record, view.revision)
    sample_kb.update("paris-autolib", {"status": "completed"})  # synced: revision 2, mark M2
    newer = index.synced_mark()
    assert newer is not None
    earlier = Mark(newer.database, newer.revision_id - 1, "what the slow process saw")
    index.apply([old], {}, earlier)  # the slow process arrives with revision 1
    assert index.indexed_revisions(["paris-autolib"]) == {"paris-autolib": 2}
    assert index.synced_mark() == newer
    assert sample_kb.check_index().ok
    assert sample_kb.search("Autolib").hits[0].status == "completed"


def test_a_sync_for_a_generation_that_was_replaced_writes_nothing(sample_kb):
    index = sample_kb.index
    before = index.generation()
    view = sample_kb.get("paris-autolib")
    sample_kb.rebuild_index()
    assert generations.is_finished(before) and index.generation() != before
    stale = index_entry(view.record, view.revision + 5)
    assert index.apply([stale], {}, index.synced_mark(), generation=before) == 0
    assert index.indexed_revisions(["paris-autolib"]) == {"paris-autolib": view.revision}
