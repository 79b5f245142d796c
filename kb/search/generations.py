"""Index generations: the folders an index lives in, and the atomic swap between them.

KB_HOME/index is a symlink to a generation folder (index-<time_ns>-<pid>) holding the Whoosh
files, the passage vectors and sync.json (what the generation mirrors, written last, so that a
folder with sync.json is a finished build). A rebuild writes a new folder and swaps the link with
one rename, so readers never see a half-built index; the previous generation is kept a while for
readers still holding its files.
"""

from __future__ import annotations

import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from kb.search.schema import Mark

SYNC_FILE = "sync.json"
SYNC_LOCK = "SYNC_LOCK"
CLOCK_SLACK = 30.0  # seconds


def new_folder(link: Path) -> Path:
    link.parent.mkdir(parents=True, exist_ok=True)
    sweep(link)
    folder = link.parent / f"{link.name}-{time.time_ns()}-{os.getpid()}"
    folder.mkdir()
    return folder


def is_finished(folder: Path) -> bool:
    return folder.is_dir() and (folder / SYNC_FILE).is_file()


def read_mark(folder: Path) -> Mark | None:
    """What a generation mirrors, or None if it records nothing readable."""
    try:
        data = json.loads((folder / SYNC_FILE).read_text())
        return Mark(str(data["database"]), int(data["revision_id"]), str(data["head"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_mark(folder: Path, mark: Mark) -> None:
    tmp = folder / f"{SYNC_FILE}.{os.getpid()}.tmp"  # one per process: several may sync
    tmp.write_text(json.dumps(mark.to_dict()))
    os.replace(tmp, folder / SYNC_FILE)


def is_behind(folder: Path, mark: Mark) -> bool:
    """The folder already mirrors a later state of the same database than `mark`."""
    there = read_mark(folder)
    return (
        there is not None
        and there.database == mark.database
        and there.revision_id > mark.revision_id
    )


@contextmanager
def sync_lock(folder: Path, timeout: float) -> Iterator[bool]:
    """One sync at a time per generation, across processes (an fcntl lock, released by the
    kernel if the process dies); yields False when it is not free within `timeout` s."""
    fd = os.open(folder / SYNC_LOCK, os.O_CREAT | os.O_WRONLY, 0o644)
    try:
        deadline = time.monotonic() + timeout
        while not _try_lock(fd):
            if time.monotonic() > deadline:
                yield False
                return
            time.sleep(0.02)
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)


def _try_lock(fd: int) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:  # no `as`: a kept exception would tie this frame into a cycle
        return False
    return True


def swap_to(link: Path, folder: Path) -> None:
    """Point the link at a finished folder, in one rename."""
    staged = link.parent / f".{link.name}.link-{time.time_ns()}"
    os.symlink(folder.name, staged)
    if link.is_dir() and not link.is_symlink():
        shutil.rmtree(link)  # an old real folder: the index is only a cache
    elif link.is_file():
        link.unlink()  # something replaced the index with a file
    os.replace(staged, link)
    sweep(link)


def sweep(link: Path) -> None:
    """Delete generation folders nobody needs: older than the current one (except the one
    before it, whose files readers may still hold), or left half-built by a process that died.
    A newer folder may be about to be swapped in by another process: it stays."""
    current = link.resolve() if link.is_symlink() else None
    now = built_at(current) if current else None
    generations = sorted((g.resolve() for g in link.parent.glob(f"{link.name}-*")), key=built_at)
    older = [g for g in generations if now is not None and built_at(g) < now]
    previous = next((g for g in reversed(older) if is_finished(g)), None)
    for folder in generations:
        if folder in (current, previous) or is_being_built(folder):
            continue
        if folder in older or not is_finished(folder):
            shutil.rmtree(folder, ignore_errors=True)
    for stale in link.parent.glob(f".{link.name}.link-*"):
        try:
            age = time.time() - stale.lstat().st_mtime
        except FileNotFoundError:
            continue  # another process's swap renamed it between the listing and now
        if age > 60:
            stale.unlink(missing_ok=True)  # a swap killed between symlink and rename


def built_at(folder: Path) -> int:
    """The build time in a generation folder's name (index-<time_ns>[-<pid>])."""
    parts = folder.name.rsplit("-", 2)
    digits = [p for p in parts[1:] if p.isdigit()]
    return int(digits[0]) if digits else 0


def is_being_built(folder: Path) -> bool:
    """Unfinished, and the process building it (named in the folder) is alive and is the one
    that made it: a process id reused by a later process does not keep a dead build."""
    if is_finished(folder):
        return False
    pid = folder.name.rsplit("-", 1)[-1]
    if not pid.isdigit() or folder.name.count("-") < 2:
        return False
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        pass
    started = _process_start(int(pid))
    # /proc's boot time drifts from the wall clock by seconds: allow for it
    return started is None or started <= built_at(folder) / 1e9 + CLOCK_SLACK


def _process_start(pid: int) -> float | None:
    """When a process started (Unix time), from /proc; None where there is no /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(
            float(line.split()[1])
            for line in Path("/proc/stat").read_text().splitlines()
            if line.startswith("btime ")
        )
    except (OSError, StopIteration, ValueError, IndexError):
        return None
    ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, starttime, in clock ticks
    return boot + ticks / os.sysconf("SC_CLK_TCK")
