"""Index generations: the folders an index lives in, and the atomic swap between them.

KB_HOME/index is a symlink to a generation folder (index-<time_ns>-<pid>) holding the Whoosh
files, the passage vectors and sync.json (what the generation mirrors, written last, so that a
folder with sync.json is a finished build). A rebuild writes a new folder and swaps the link with
one rename, so readers never see a half-built index; the previous generation is kept a while for
readers still holding its files.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

from kb.search.schema import Mark

SYNC_FILE = "sync.json"


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
        if time.time() - stale.lstat().st_mtime > 60:
            stale.unlink(missing_ok=True)  # a swap killed between symlink and rename


def built_at(folder: Path) -> int:
    """The build time in a generation folder's name (index-<time_ns>[-<pid>])."""
    parts = folder.name.rsplit("-", 2)
    digits = [p for p in parts[1:] if p.isdigit()]
    return int(digits[0]) if digits else 0


def is_being_built(folder: Path) -> bool:
    """Unfinished, and the process building it (named in the folder) is alive."""
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
        return True
    return True
