"""The index survives crashes and concurrent writers; the database is always the truth."""

import contextlib
import gc
import json
import os
import subprocess
import sys
import textwrap
import weakref
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import event

import kb.search.engine
import kb.search.index
from kb import KnowledgeBase, models
from kb.config import Settings
from tests.conftest import SAMPLE


def sample_with_slugs(prefix: str, n: int) -> str:
    base = json.loads(SAMPLE.read_text(encoding="utf-8").splitlines()[0])
    return "".join(
        json.dumps(base | {"slug": f"{prefix}-{i}", "title": f"{prefix} case {i}"}) + "\n"
        for i in range(n)
    )


def test_a_process_killed_mid_rebuild_leaves_the_previous_index_usable(kb, tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text(sample_with_slugs("bulk", 60), encoding="utf-8")
    kb.import_files([path])
    before = kb.index.path.resolve()
    script = textwrap.dedent(
        f"""
        import os, signal
        from pathlib import Path
        from kb import KnowledgeBase
        from kb.config import Settings
        kb = KnowledgeBase(Settings(home=Path({str(kb.settings.home)!r}),
                                    database_url={kb.url!r}))
        def progress(done, total):
            if done == 30:
                os.kill(os.getpid(), signal.SIGKILL)
        kb.rebuild_index(progress)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], timeout=120)
    assert result.returncode == -9
    assert kb.index.path.resolve() == before
    assert kb.search("bulk", limit=100).total == 60
    assert kb.check_index().ok
    kb.rebuild_index()  # the next rebuild also clears the half-built folder
    leftovers = [p for p in kb.index.path.parent.glob("index-*") if p.resolve() != before]
    assert len(leftovers) == 1  # the new index; `before` is kept for readers still using it


def test_two_imports_at_once_both_succeed(tmp_path, database_url):
    home = tmp_path / "home"
    env = os.environ | {"KB_HOME": str(home), "KB_DATABASE_URL": database_url}
    kb_command = str(Path(sys.executable).with_name("kb"))
    subprocess.run([kb_command, "init"], env=env, check=True, capture_output=True)
    files = []
    for name in ("first", "second"):
        path = tmp_path / f"{name}.jsonl"
        path.write_text(sample_with_slugs(name, 80), encoding="utf-8")
        files.append(path)
    running = [
        subprocess.Popen([kb_command, "import", str(f)], env=env, stdout=subprocess.PIPE, text=True)
        for f in files
    ]
    outputs = [p.communicate(timeout=300)[0] for p in running]
    assert [p.returncode for p in running] == [0, 0]
    assert all("added 80" in out for out in outputs)
    base = KnowledgeBase(Settings(home=home, database_url=database_url))
    assert base.stats().total == 160
    assert base.check_index().ok
    assert base.search("second case", limit=200).total >= 80
    base.close()


def test_an_index_locked_too_long_gives_a_clear_message_and_keeps_the_change(
    sample_kb, monkeypatch
):
    monkeypatch.setattr(kb.search.index, "LOCK_TIMEOUT", 0.5)
    holder = sample_kb.index.ix.writer()  # another process's writer, in effect
    try:
        sample_kb.update("kigali-irembo", {"status": "active"})
        assert "locked by another process" in sample_kb.index_error
        assert sample_kb.get("kigali-irembo").record.status == "active"
    finally:
        holder.cancel()
    assert sample_kb.check_index().stale == ["kigali-irembo"]
    assert sample_kb.search("Irembo").total == 1  # the next search catches up by itself
    assert sample_kb.check_index().ok


def cyclic_garbage(action: Callable[[], object]) -> list[object]:
    """What `action` leaves for the cyclic garbage collector (kept aside, not freed)."""
    flags = gc.get_debug()
    gc.collect()
    gc.garbage.clear()
    gc.set_debug(flags | gc.DEBUG_SAVEALL)
    try:
        action()
        gc.collect()
        return list(gc.garbage)
    finally:
        gc.set_debug(flags)
        gc.garbage.clear()


def stale_reader(writer: KnowledgeBase) -> KnowledgeBase:
    """A second process's view whose index lags the catalogue: its next search syncs."""
    reader = KnowledgeBase(writer.settings)
    reader.search("Irembo")
    before = reader.index.synced_mark()
    writer.update("kigali-irembo", {"status": "active"})
    reader.index._write_sync(reader.index._current_target(), before)
    return reader


def test_a_sync_frees_its_orm_objects_without_the_cyclic_gc(sample_kb):
    # On CPython 3.11, ORM objects freed by a cyclic collection that runs inside
    # Session.close() crashed the process (bench/crash_cpython311.py). Whoosh's writer used to
    # keep the syncing frame, and the ORM objects it held, in a frame <-> exception cycle.
    reader = stale_reader(sample_kb)
    loaded: weakref.WeakSet[object] = weakref.WeakSet()

    def on_load(target: object, context: object) -> None:
        loaded.add(target)

    event.listen(models.Base, "load", on_load, propagate=True)
    gc.collect()
    gc.disable()
    try:
        reader.search("Irembo")
        alive = sorted(type(o).__name__ for o in loaded)
    finally:
        gc.enable()
        event.remove(models.Base, "load", on_load)
    try:
        assert reader.check_index().ok
    finally:
        reader.close()  # after the check: checking a closed KnowledgeBase would reopen it
    assert not alive  # every loaded object went by reference counting, none waits for the GC


def test_a_sync_leaves_no_frame_to_the_cyclic_gc(sample_kb):
    reader = stale_reader(sample_kb)
    try:
        garbage = cyclic_garbage(lambda: reader.search("Irembo"))
    finally:
        reader.close()
    assert not [o for o in garbage if type(o).__name__ == "frame"]


def test_a_writer_kept_waiting_leaves_no_frame_to_the_cyclic_gc(sample_kb):
    def wait() -> None:
        with contextlib.suppress(kb.search.engine.LockError):
            sample_kb.index.ix.writer(timeout=0.3)

    holder = sample_kb.index.ix.writer()  # another process's writer, in effect
    try:
        garbage = cyclic_garbage(wait)
    finally:
        holder.cancel()
    assert not [o for o in garbage if type(o).__name__ == "frame"]
