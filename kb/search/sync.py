"""Keeps a SearchIndex in step with the database, by the revision log's id high-water mark.

Every write (import, update, restore, delete) adds revision rows, so `max(case_revision.id)`
is a cheap "has the catalogue moved on?" check for every process sharing the database. An
index also records which database it mirrors (its random identity) and which revision row was
newest when it last synced: a database swapped for another, restored from an older backup or
re-created (its counter gone backwards, or its history rewritten) is noticed, and the index is
rebuilt rather than trusted.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from kb import models, repository
from kb.records import IndexCheck
from kb.search.index import SearchIndex
from kb.search.schema import Entry, Mark, index_entry, stamp

# Revision ids from concurrent PostgreSQL transactions can become visible out of order, so each
# sync looks this many ids back and re-applies any slug whose indexed revision is not current.
LOOKBACK = 50
REBUILD_ABOVE = 1000  # changed cases above which a sync rebuilds instead of updating


def head_revision_id(session: Session) -> int:
    return session.scalar(select(func.max(models.CaseRevision.id))) or 0


def current_mark(session: Session) -> Mark:
    """Which database this is and its newest revision row: two one-row queries."""
    uid = session.scalar(select(models.CatalogueIdentity.uid)) or ""
    row = session.execute(
        select(
            models.CaseRevision.id,
            models.CaseRevision.slug,
            models.CaseRevision.revision,
            models.CaseRevision.created_at,
        )
        .order_by(models.CaseRevision.id.desc())
        .limit(1)
    ).first()
    if row is None:
        return Mark(uid, 0, "")
    return Mark(uid, row.id, _label(row))


def _label(row: Row[Any]) -> str:
    """'slug@revision@time' of a revision row. The time tells this row from one that got the
    same id and slug@revision in a database restored from a backup and then written again
    (say, a corrected file imported after restoring the copy taken before the draft)."""
    return f"{row.slug}@{row.revision}@{stamp(row.created_at)}"


def _row_at(session: Session, revision_id: int) -> str:
    """The label of the revision row with this id, '' when there is none."""
    row = session.execute(
        select(
            models.CaseRevision.slug, models.CaseRevision.revision, models.CaseRevision.created_at
        ).where(models.CaseRevision.id == revision_id)
    ).first()
    return _label(row) if row else ""


def diverged(session: Session, seen: Mark | None, now: Mark) -> str | None:
    """Why the index cannot be brought up to date by applying changes, or None if it can."""
    if seen is None:
        return "the index records no sync"
    if seen.database != now.database:
        return "the index mirrors another database"
    if seen.revision_id > now.revision_id:
        return "the database is older than the index (restored from a backup?)"
    if _row_at(session, seen.revision_id) != seen.head:
        return "the database's history differs from what the index saw"
    return None


def sync(session: Session, index: SearchIndex) -> int:
    """Apply the changes made since the index's last sync; returns how many cases changed,
    or -1 when the index had to be rebuilt.

    The database is read first, in _changed_documents(): the ORM objects it loads are released
    (by reference counting) when it returns, before Whoosh writes anything and before the
    session closes. Loaded objects must never be left to the cyclic garbage collector while
    their session is open: on CPython 3.11 a collection can run inside Session.close()'s
    attribute stores, and SQLAlchemy's weakref callback then corrupts the heap (see
    bench/crash_cpython311.py).
    """
    generation = index.generation()
    mark = current_mark(session)
    if not index.exists() or not index.has_current_model():
        rebuild(session, index)  # no index yet, or vectors of another model: never mix them
        return -1
    seen = index.synced_mark()
    if seen == mark:
        return 0
    if diverged(session, seen, mark):
        rebuild(session, index)
        return -1
    assert seen is not None
    latest: dict[str, int] = {}  # each changed case's newest revision (a deletion's, if gone)
    for slug, revision in session.execute(
        select(models.CaseRevision.slug, models.CaseRevision.revision).where(
            models.CaseRevision.id > seen.revision_id - LOOKBACK
        )
    ):
        latest[slug] = max(revision, latest.get(slug, 0))
    if len(latest) > max(REBUILD_ABOVE, index.doc_count() // 2):
        rebuild(session, index)  # a bulk change: one fresh build beats many updates
        return -1
    indexed = index.indexed_revisions(latest)
    upserts, present = _changed_documents(session, sorted(latest), indexed)
    deletions = {s: r for s, r in sorted(latest.items()) if s not in present and s in indexed}
    return index.apply(upserts, deletions, mark, generation=generation)


def _changed_documents(
    session: Session, slugs: list[str], indexed: dict[str, int]
) -> tuple[list[Entry], set[str]]:
    """Index entries of the cases whose indexed revision is not current, and the slugs
    still in the database: plain data only, no ORM object outlives this call."""
    cases = repository.get_cases(session, slugs)
    upserts = [
        index_entry(repository.to_record(case), case.revision, stamp(case.updated_at))
        for slug, case in sorted(cases.items())
        if indexed.get(slug) != case.revision
    ]
    return upserts, set(cases)


def documents(session: Session) -> Iterator[Entry]:
    query = repository.case_query().order_by(models.Case.id).execution_options(yield_per=500)
    for case in session.scalars(query):
        yield index_entry(repository.to_record(case), case.revision, stamp(case.updated_at))


def rebuild(
    session: Session, index: SearchIndex, progress: Callable[[int, int], None] | None = None
) -> int:
    mark = current_mark(session)
    total = session.scalar(select(func.count()).select_from(models.Case)) or 0
    report = (lambda done: progress(done, total)) if progress else None
    docs = documents(session)
    try:
        return index.rebuild(docs, mark, report, expected=total)
    finally:
        docs.close()  # its ORM objects go now, while the session is open, not in a later GC


def check(session: Session, index: SearchIndex) -> IndexCheck:
    """Cases missing from the index, stale in it (another revision, or the same revision
    number written at another time, as in a database restored from a backup), or there but
    deleted. Raises IndexDamaged when the index cannot be read at all."""
    in_db = {
        slug: (revision, stamp(updated))
        for slug, revision, updated in session.execute(
            select(models.Case.slug, models.Case.revision, models.Case.updated_at)
        )
    }
    in_index = index.stored_versions() if index.exists() else {}
    return IndexCheck(
        missing=sorted(set(in_db) - set(in_index)),
        stale=sorted(s for s, v in in_index.items() if s in in_db and in_db[s] != v),
        extra=sorted(set(in_index) - set(in_db)),
        indexed=len(in_index),
        in_database=len(in_db),
    )
