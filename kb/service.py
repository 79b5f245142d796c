"""KnowledgeBase: every user-level operation, written once for the CLI, the app and the API."""

from __future__ import annotations

import dataclasses
import datetime as dt
import getpass
import json
import logging
import os
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from sqlalchemy import Engine, delete, func, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from kb import db, export, models, repository, search
from kb.config import BUNDLED_CATALOGUE, Settings
from kb.coverage import Coverage, summarise
from kb.errors import (
    CaseNotFound,
    CatalogueBusy,
    DatabaseNotReady,
    IndexDamaged,
    InvalidInput,
    KbError,
    Problem,
    RevisionNotFound,
    UpdateConflict,
)
from kb.readers import read_files
from kb.records import (
    CaseRecord,
    CaseView,
    ImportReport,
    IndexCheck,
    RankedPassage,
    RevisionInfo,
    SearchResult,
    SimilarCase,
    Stats,
)
from kb.search import MATCHES, SORTS, Filters, SearchIndex, body_text, cities_like, rank_similar
from kb.statistics import case_facts, compute_stats
from kb.validation import SLUG_RE, RawRecord, validate_records

if TYPE_CHECKING:
    from kb.brief.model import Brief

Progress = Callable[[int, int], None]  # (done, total)
T = TypeVar("T")
logger = logging.getLogger("kb")
FILTER_YEARS = (1900, 2100)
SURROGATES = re.compile(r"[\ud800-\udfff]")


def default_actor() -> str:
    try:
        return os.environ.get("KB_ACTOR") or getpass.getuser()
    except (KeyError, OSError):  # no user name in some containers
        return "unknown"


class KnowledgeBase:
    """The catalogue: a database (SQLite by default, or PostgreSQL) and its search index."""

    def __init__(self, settings: Settings):
        self.settings = settings
        self.url = settings.url
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._index: SearchIndex | None = None
        self._ready = False
        self.index_error: str | None = None  # set when the last write could not update the index
        self.index_warning: str | None = None  # set when the last read had to rebuild the index

    @classmethod
    def open(cls, home: str | Path | None = None, database_url: str | None = None) -> KnowledgeBase:
        """Open the catalogue at `home` / `database_url` (default: KB_HOME / KB_DATABASE_URL)."""
        env = Settings.from_env()
        return cls(
            Settings(
                home=Path(home) if home is not None else env.home,
                database_url=database_url if database_url is not None else env.database_url,
                vector_cache=env.vector_cache,
            )
        )

    # -- lifecycle -------------------------------------------------------------------------

    @property
    def engine(self) -> Engine:
        if self._engine is None:
            self._engine = db.make_engine(self.url)
            self._sessions = sessionmaker(self._engine, expire_on_commit=False)
        return self._engine

    def session(self) -> Session:
        self.engine  # noqa: B018 - creates the session factory on first use
        assert self._sessions is not None
        return self._sessions()

    def close(self) -> None:
        if self._index is not None:
            self._index.close()
            self._index = None
        if self._engine is not None:
            self._engine.dispose()
            self._engine = None

    @contextmanager
    def _writing(self) -> Iterator[Session]:
        """A session that holds the catalogue's writer lock; committed when the block ends."""
        with self.session() as session:
            try:
                db.lock_for_writing(session)
            except OperationalError as exc:
                session.rollback()
                raise CatalogueBusy(db.WRITE_LOCK_SECONDS) from exc
            try:
                yield session
                session.commit()
            except BaseException:
                session.rollback()
                raise

    def __enter__(self) -> KnowledgeBase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def init(self) -> str:
        """Create or upgrade the database and load reference data; idempotent. Returns where
        the data lives."""
        self.settings.home.mkdir(parents=True, exist_ok=True)
        db.upgrade(self.url)
        with self._writing() as session:  # concurrent inits queue here, as imports do
            repository.sync_reference_data(session)
        self._after_write()  # an index that cannot be built is reported, not fatal
        self.index.sweep()  # folders left by rebuilds that were killed
        return self.describe_location()

    def describe_location(self) -> str:
        shown = self.engine.url.render_as_string(hide_password=True)
        return f"database: {shown}\nsearch index: {self.settings.index_dir.resolve()}"

    def is_ready(self) -> bool:
        return db.check_schema(self.engine)

    def is_empty(self) -> bool:
        with self.session() as session:
            return not session.scalar(select(func.count()).select_from(models.Case))

    def _require_ready(self) -> None:
        if self._ready:
            return  # the schema only moves forward, and only through init()
        self._ready = self.is_ready()
        if not self._ready:
            raise DatabaseNotReady(self.engine.url.render_as_string(hide_password=True))

    # -- import ----------------------------------------------------------------------------

    def validate(self, paths: Iterable[str | Path]) -> tuple[list[CaseRecord], list[Problem]]:
        """Read and check files; never writes."""
        raws, problems = read_files(paths)
        records, found = validate_records(raws)
        return records, problems + found

    def import_files(
        self,
        paths: Iterable[str | Path],
        *,
        dry_run: bool = False,
        actor: str | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """Validate everything first; import nothing unless everything is valid."""
        records, problems = self.validate(paths)
        if problems:
            raise InvalidInput(problems)
        return self.import_records(records, dry_run=dry_run, actor=actor, progress=progress)

    def validate_dicts(
        self, items: Iterable[dict[str, Any]]
    ) -> tuple[list[CaseRecord], list[Problem]]:
        """Check interchange-format dicts (e.g. from Python code); never writes. Problems are
        located as <input>:N (the Nth item)."""
        return validate_records([RawRecord("<input>", n, item) for n, item in enumerate(items, 1)])

    def import_dicts(self, items: Iterable[dict[str, Any]], **kwargs: Any) -> ImportReport:
        """Import records given as interchange-format dicts (e.g. from Python code)."""
        records, problems = self.validate_dicts(items)
        if problems:
            raise InvalidInput(problems)
        return self.import_records(records, **kwargs)

    def import_bundled(self, progress: Progress | None = None) -> ImportReport:
        return self.import_files([BUNDLED_CATALOGUE], actor="bundled-catalogue", progress=progress)

    def import_records(
        self,
        records: list[CaseRecord],
        *,
        dry_run: bool = False,
        actor: str | None = None,
        progress: Progress | None = None,
    ) -> ImportReport:
        """One transaction: new slugs added, changed ones updated (the old version kept as a
        revision), identical ones left alone."""
        self._require_ready()
        actor = actor or default_actor()
        now = dt.datetime.now(dt.UTC)
        counts = {"added": 0, "updated": 0, "unchanged": 0}
        with self._writing() as session:
            lookup = repository.new_lookup(session)
            existing = repository.get_cases(session, [r.slug for r in records])
            places = repository.known_places(session)
            for done, record in enumerate(records, 1):
                record = repository.with_place(record, places)
                case = existing.get(record.slug)
                if case is None:
                    action = "added"
                elif repository.to_record(case) == record:
                    action = "unchanged"
                else:
                    action = "updated"
                counts[action] += 1
                if action != "unchanged":
                    case = repository.apply_record(session, lookup, record, case, now=now)
                    repository.log_revision(
                        session,
                        case,
                        record,
                        "create" if action == "added" else "update",
                        actor,
                        now,
                    )
                if progress:
                    progress(done, len(records))
            if dry_run:
                session.rollback()
            else:
                session.commit()
        index_error = (
            None if dry_run or not (counts["added"] or counts["updated"]) else self._after_write()
        )
        return ImportReport(**counts, dry_run=dry_run, index_error=index_error)

    # -- read ------------------------------------------------------------------------------

    def records(self) -> list[CaseRecord]:
        """Every case, by slug."""
        self._require_ready()
        with self.session() as session:
            cases = session.scalars(repository.case_query().order_by(models.Case.slug))
            return [repository.to_record(c) for c in cases]

    def export(self, fmt: str = "jsonl", slugs: Iterable[str] | None = None) -> str:
        """The catalogue (or the given cases) in an interchange format."""
        records = self.records()
        if slugs is not None:
            wanted = set(slugs)
            records = [r for r in records if r.slug in wanted]
        return export.render(records, fmt)

    def export_cases(
        self,
        slugs: Sequence[str],
        fmt: str,
        *,
        retrieved: dt.date,
        base_url: str | None = None,
        description: str = "",
    ) -> bytes:
        """The given cases, in the order given (the order on screen), as a download in one of
        kb.export.VIEW_FORMATS: csv, xlsx, jsonl, bibtex or csl-json. `base_url` is the
        app's address, for links in citations; `description` names the selection."""
        if fmt not in export.VIEW_FORMATS:
            choices = ", ".join(export.VIEW_FORMATS)
            raise KbError(f"Unknown format {fmt!r}; choose one of {choices}.")
        return export.render_view(
            self.views(slugs),
            fmt,
            retrieved=retrieved,
            base_url=base_url,
            description=description,
        )

    def get(self, slug: str) -> CaseView:
        slug = _checked_slug(slug)
        self._require_ready()
        with self.session() as session:
            case = repository.get_case(session, slug)
            if case is None:
                raise CaseNotFound(slug)
            return repository.to_view(case)

    def views(self, slugs: Iterable[str]) -> list[CaseView]:
        """Several cases in a few queries (unknown slugs are skipped), in the order given."""
        self._require_ready()
        wanted = [s for s in dict.fromkeys(slugs) if isinstance(s, str) and SLUG_RE.match(s)]
        with self.session() as session:
            cases = repository.get_cases(session, wanted)
            return [repository.to_view(cases[s]) for s in wanted if s in cases]

    def version(self) -> int:
        """A number that changes whenever any case changes (the revision log's high-water
        mark): a cheap cache key for anything computed from the whole catalogue."""
        with self.session() as session:
            return search.head_revision_id(session)

    def stats(self) -> Stats:
        self._require_ready()
        with self.session() as session:
            return compute_stats(session)

    def coverage(
        self,
        query: str = "",
        *,
        themes: Iterable[str] = (),
        inclusion: Iterable[str] = (),
        region: str | Iterable[str] | None = None,
        status: str | Iterable[str] | None = None,
        **filters: Any,
    ) -> Coverage:
        """What the cases matching a search (query and filters, as for search()) cover: counts
        by theme x inclusion, region x theme, region, status, start year and city. Tables
        list only the filtered values, so each cell counts what a search for it finds."""
        self._require_ready()
        themes, inclusion = tuple(themes), tuple(inclusion)
        regions, statuses = _values(region), _values(status)
        with self.session() as session:
            facts = case_facts(session)
        if query.strip() or themes or inclusion or regions or statuses or any(filters.values()):
            search = {
                "themes": themes,
                "inclusion": inclusion,
                "region": regions,
                "status": statuses,
                **filters,
            }
            total = self.search(query, **search, limit=0).total
            wanted = {h.slug for h in self.search(query, **search, limit=total).hits}
            facts = [f for f in facts if f.slug in wanted]
        return summarise(
            facts, themes=themes, inclusion=inclusion, regions=regions, statuses=statuses
        )

    # -- history ---------------------------------------------------------------------------

    def history(self, slug: str) -> list[RevisionInfo]:
        """Every revision of a case, oldest first, with the fields each one changed."""
        slug = _checked_slug(slug)
        with self.session() as session:
            rows = session.scalars(
                select(models.CaseRevision)
                .where(models.CaseRevision.slug == slug)
                .order_by(models.CaseRevision.revision)
            ).all()
        if not rows:
            raise CaseNotFound(slug)
        out, previous = [], {}
        for row in rows:
            current = json.loads(row.record)
            changed = sorted(
                k for k in current.keys() | previous.keys() if current.get(k) != previous.get(k)
            )
            out.append(
                RevisionInfo(
                    revision=row.revision,
                    action=row.action,
                    actor=row.actor,
                    created_at=repository.iso(row.created_at),
                    changed_fields=tuple(changed) if row.action not in ("create", "delete") else (),
                    note=row.note,
                )
            )
            previous = current
        return out

    def revision(self, slug: str, revision: int) -> CaseRecord:
        """The full record of a case as it was at `revision`."""
        slug = _checked_slug(slug)
        with self.session() as session:
            row = session.scalars(
                select(models.CaseRevision).where(
                    models.CaseRevision.slug == slug, models.CaseRevision.revision == revision
                )
            ).one_or_none()
        if row is None:
            raise RevisionNotFound(slug, revision)
        return CaseRecord.from_dict(json.loads(row.record))

    def restore(self, slug: str, revision: int, *, actor: str | None = None) -> int:
        """Make revision N current again, as a new revision; returns the new revision number."""
        record = self.revision(slug, revision)
        return self._write(
            slug,
            lambda _current, _revision: record,
            action="restore",
            actor=actor,
            note=f"restored revision {revision}",
        )

    def update(
        self,
        slug: str,
        changes: dict[str, Any],
        *,
        actor: str | None = None,
        base_revision: int | None = None,
    ) -> int:
        """Edit fields of a case (validated like an import); returns the new revision number.

        The change is applied to the case's current revision inside the writer lock, so two
        editors changing different fields both keep their change. Give `base_revision` (the
        revision the editor read) to refuse with UpdateConflict when someone else has changed
        the case since then.
        """
        slug = _checked_slug(slug)
        if changes.get("slug", slug) != slug:
            raise KbError("A case's slug cannot be changed; import it under the new slug instead.")

        def edited(current: CaseRecord | None, revision: int) -> CaseRecord:
            if current is None:
                raise CaseNotFound(slug)
            if base_revision is not None and base_revision != revision:
                raise UpdateConflict(slug, base_revision, revision)
            data = {**current.to_dict(), **changes}
            data = {k: v for k, v in data.items() if v is not None}
            records, problems = validate_records([RawRecord("<update>", 1, data)])
            if problems:
                raise InvalidInput(problems)
            return records[0]

        return self._write(slug, edited, action="update", actor=actor)

    def delete(self, slug: str, *, actor: str | None = None) -> None:
        """Remove a case; its last version stays in the history and can be restored."""
        slug = _checked_slug(slug)
        self._require_ready()
        now = dt.datetime.now(dt.UTC)
        with self._writing() as session:
            case = repository.get_case(session, slug)
            if case is None:
                raise CaseNotFound(slug)
            record = repository.to_record(case)
            case.revision += 1
            repository.log_revision(session, case, record, "delete", actor or default_actor(), now)
            session.execute(delete(models.Case).where(models.Case.id == case.id))
        self._after_write()

    def _write(
        self,
        slug: str,
        make_record: Callable[[CaseRecord | None, int], CaseRecord],
        *,
        action: str,
        actor: str | None,
        note: str | None = None,
    ) -> int:
        """Write the record `make_record` derives from the case as it is now (None and 0 when
        deleted), all inside the writer lock: nobody can change the case in between."""
        self._require_ready()
        now = dt.datetime.now(dt.UTC)
        with self._writing() as session:
            case = repository.get_case(session, slug)
            current = repository.to_record(case) if case is not None else None
            record = make_record(current, case.revision if case is not None else 0)
            lookup = repository.new_lookup(session)
            if case is None:  # restoring a deleted case: continue its revision numbers
                last = session.scalar(
                    select(func.max(models.CaseRevision.revision)).where(
                        models.CaseRevision.slug == slug
                    )
                )
                case = repository.apply_record(session, lookup, record, None, now=now)
                case.revision = (last or 0) + 1
            else:
                case = repository.apply_record(session, lookup, record, case, now=now)
            repository.log_revision(
                session, case, record, action, actor or default_actor(), now, note
            )
            revision = case.revision
        self._after_write()
        return revision

    # -- search ----------------------------------------------------------------------------

    @property
    def index(self) -> SearchIndex:
        if self._index is None:
            self._index = SearchIndex(
                self.settings.index_dir, vector_cache=self.settings.vector_cache
            )
        return self._index

    def sync_index(self) -> int:
        """Apply catalogue changes the index has not seen (from any process); -1 = rebuilt."""
        with self.session() as session:
            return search.sync(session, self.index)

    def _after_write(self) -> str | None:
        """Update the index after a committed write. A failure keeps the database change and is
        reported; `kb index check` shows the drift and `kb index rebuild` repairs it."""
        try:
            self.sync_index()
            self.index_error = None
        except Exception as exc:  # noqa: BLE001 - any index failure must not undo the write
            self.index_error = (
                f"the change is saved, but the search index could not be updated ({exc}). "
                "Run `kb index rebuild`."
            )
        return self.index_error

    def _ensure_index_current(self) -> None:
        """Cheap check before serving a search: has the database moved on since our last sync?"""
        with self.session() as session:
            mark = search.current_mark(session)
        if not self.index.exists() or self.index.synced_mark() != mark:
            self.sync_index()

    def _from_index(self, read: Callable[[], T]) -> T:
        """Bring the index up to date, then read from it. The index is a cache of the database:
        if it is damaged (a truncated file, a folder replaced), reopen it once (a writer may have
        cleaned up under us), then rebuild it from the database with a warning and read again."""
        self.index_warning = None
        try:
            self._ensure_index_current()
            return read()
        except (KbError, ImportError):  # not the index's fault: rebuilding would not help
            raise
        except Exception:  # noqa: BLE001 - any failure to read the cache is retried once
            self.index.close()
        try:
            self._ensure_index_current()
            return read()
        except (KbError, ImportError):
            raise
        except Exception as exc:  # noqa: BLE001 - the cache is damaged: rebuild it
            self.index_warning = (
                f"The search index was damaged ({type(exc).__name__}: {exc}); it was rebuilt "
                "from the database."
            )
            logger.warning(self.index_warning)
        self.index.close()
        self.rebuild_index()
        return read()

    def rebuild_index(self, progress: Progress | None = None) -> int:
        """Rebuild the whole index from the database into a new folder, swapped in atomically."""
        self._require_ready()
        with self.session() as session:
            return search.rebuild(session, self.index, progress)

    def check_index(self) -> IndexCheck:
        """Cases missing from the index, stale in it, or in it but deleted from the database.
        Reports, never repairs; raises IndexDamaged when the index cannot be read at all."""
        self._require_ready()
        try:
            with self.session() as session:
                report = search.check(session, self.index)
        except (KbError, ImportError, OperationalError):
            raise
        except Exception as exc:  # noqa: BLE001 - whatever a damaged file raises
            self.index.close()
            raise IndexDamaged(f"{type(exc).__name__}: {exc}") from None
        self.index.sweep()
        return report

    def search(
        self,
        query: str = "",
        *,
        themes: Iterable[str] = (),
        inclusion: Iterable[str] = (),
        safeguards: Iterable[str] = (),
        region: str | Iterable[str] | None = None,
        country: str | Iterable[str] | None = None,
        status: str | Iterable[str] | None = None,
        income_group: str | Iterable[str] | None = None,
        size: str | Iterable[str] | None = None,
        evidence: str | Iterable[str] | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        sort: str = "relevance",
        limit: int = 10,
        offset: int = 0,
        match: str = "any",
    ) -> SearchResult:
        """Ranked, faceted search. An empty query with filters lists the filtered cases.

        Several values of one filter are alternatives (OR), except `evidence`, whose values
        are all required (a case with an evaluation and a recorded cost: kb.evidence);
        different filters combine (AND). `size` takes city size bands (vocabulary city_size).
        Facet counts reflect the query and every other active filter (evidence counts reflect
        the chosen evidence too: what one more requirement would leave). match="any" (default)
        finds cases matching any of the words or their synonyms, those matching more ranked
        higher; match="all" counts only cases matching every one (for counting a topic).
        """
        if sort not in SORTS:
            raise KbError(f"Unknown sort {sort!r}; choose one of {', '.join(SORTS)}.")
        if match not in MATCHES:
            raise KbError(f"Unknown match {match!r}; choose one of {', '.join(MATCHES)}.")
        query = _clean_text(query or "")
        year_from = _checked_year("year_from", year_from)
        year_to = _checked_year("year_to", year_to)
        self._require_ready()
        self._ensure_index_current()
        filters = Filters(
            themes=tuple(themes),
            inclusion=tuple(inclusion),
            safeguards=tuple(safeguards),
            region=_values(region),
            country=_values(country),
            status=_values(status),
            income_group=_values(income_group),
            size=_values(size),
            evidence=_values(evidence),
            year_from=year_from,
            year_to=year_to,
        )
        result = self._from_index(
            lambda: self.index.search(
                query, filters, sort=sort, limit=max(0, limit), offset=max(0, offset), match=match
            )
        )
        if self.index_warning:
            result = dataclasses.replace(result, warning=self.index_warning)
        return result

    def passages(self, slugs: Iterable[str], topic: str) -> dict[str, list[RankedPassage]]:
        """Each named case's passages, the one that best fits `topic` first (its cosine with
        the topic's meaning and the share of the topic's words it uses). Unknown slugs and an
        empty topic give nothing."""
        wanted = list(dict.fromkeys(slugs))
        topic = _clean_text(topic or "")
        self._require_ready()
        return self._from_index(lambda: self.index.passages(wanted, topic))

    def similar(self, slug: str, n: int = 5) -> list[SimilarCase]:
        """The most similar other cases, each with the reason it is similar."""
        record = self.get(slug).record

        def read() -> list[SimilarCase]:
            base = self.index.stored([slug]).get(slug)
            if base is None:
                return []
            text_matches = self.index.more_like(slug, body_text(record), top=n * 5)
            same_facets = self.index.search(
                "",
                Filters(themes=record.themes, inclusion=record.inclusion),
                sort="newest",
                limit=n * 5,
            )
            candidates = {s for s, _ in text_matches} | {h.slug for h in same_facets.hits}
            return rank_similar(base, text_matches, self.index.stored(candidates), n)

        return self._from_index(read)

    def cities_like(self, slug: str, n: int = 5) -> list[SimilarCase]:
        """Cases from cities like this one: the same region, income group and city size band
        (kb.reference.size_band), closest in population first. None when the city's
        population is unknown."""
        self.get(slug)

        def read() -> list[SimilarCase]:
            base = self.index.stored([slug]).get(slug)
            if base is None or not base.get("region") or not base.get("size"):
                return []
            filters = Filters(
                region=(base["region"],),
                income_group=_values(base.get("income_group")),
                size=(base["size"],),
            )
            pool = self.index.search("", filters, sort="newest", limit=2000)
            stored = self.index.stored(h.slug for h in pool.hits)
            return cities_like(base, list(stored.values()), n)

        return self._from_index(read)

    # -- briefs ----------------------------------------------------------------------------

    def brief(
        self,
        query: str | None = None,
        *,
        slugs: Sequence[str] | None = None,
        themes: Iterable[str] = (),
        inclusion: Iterable[str] = (),
        safeguards: Iterable[str] = (),
        region: str | Iterable[str] | None = None,
        country: str | Iterable[str] | None = None,
        status: str | Iterable[str] | None = None,
        size: str | Iterable[str] | None = None,
        evidence: str | Iterable[str] | None = None,
        year_from: int | None = None,
        year_to: int | None = None,
        max_cases: int = 6,
    ) -> Brief:
        """A cited talking-points brief on a topic (query and filters), or on the named cases.

        The matching cases are those the search finds with a passage that fits the topic
        (kb.brief.topic); counts and risks cover all of them, and up to `max_cases` (3 to 7)
        relevant and diverse ones are cited, each led by its passage that best fits the topic.
        Raises EmptyBrief when nothing matches and CaseNotFound for an unknown slug.
        """
        from kb.brief import make_brief  # the brief engine is loaded on first use

        return make_brief(
            self,
            query,
            slugs=slugs,
            filters={
                "themes": tuple(themes),
                "inclusion": tuple(inclusion),
                "safeguards": tuple(safeguards),
                "region": region,
                "country": country,
                "status": status,
                "size": size,
                "evidence": evidence,
                "year_from": year_from,
                "year_to": year_to,
            },
            max_cases=max_cases,
        )


def _checked_slug(slug: str) -> str:
    """A slug as given, or CaseNotFound for text that cannot be one (a typo, undecodable
    bytes from a terminal), before it reaches the database."""
    if not isinstance(slug, str) or not SLUG_RE.match(slug):
        raise CaseNotFound(str(slug))
    return slug


def _checked_year(name: str, year: int | None) -> int | None:
    low, high = FILTER_YEARS
    if year is not None and not low <= year <= high:
        raise KbError(f"{name} must be a year from {low} to {high}; got {year}.")
    return year


def _clean_text(text: str) -> str:
    """User text with lone surrogates (undecodable bytes) replaced, so it is valid Unicode."""
    return text.encode("utf-8", "replace").decode("utf-8") if SURROGATES.search(text) else text


def _values(value: str | Iterable[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    return (value,) if isinstance(value, str) else tuple(value)
