"""The search index: schema, documents, lifecycle (apply, rebuild, check) and searching.

The index is a cache of the database. It lives in KB_HOME/index, a symlink to a generation
folder: a rebuild writes a new folder and swaps the link atomically, so readers never see a
half-built index. The revision high-water mark it has applied is kept beside it (sync.json).
"""

from __future__ import annotations

import dataclasses
import html
import json
import os
import shutil
import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

from kb.errors import IndexBusy
from kb.records import SearchHit, SearchResult
from kb.search.engine import (
    ContextFragmenter,
    Every,
    HtmlFormatter,
    LockError,
    NumericRange,
    create_in,
    highlight,
    open_dir,
)
from kb.search.facets import FacetCache, count_facets
from kb.search.query import analyser, build_query
from kb.search.schema import FILTER_FACETS, Filters, Mark, make_schema

LOCK_TIMEOUT = 10.0
MAX_SEGMENTS = 8
PARALLEL_BUILD_ABOVE = 5000
SYNC_FILE = "sync.json"  # what the generation mirrors; written last, so it marks a finished build
QUERY_CACHE_SIZE = 64  # recent queries' ranked matches, per process


class SearchIndex:
    """A Whoosh index in `path` (a symlink to the current generation folder)."""

    def __init__(self, path: Path):
        self.path = Path(path).absolute()
        self._ix = None
        self._ix_target: Path | None = None
        self._facets = FacetCache()
        self._cache_lock = threading.Lock()
        self._search_lock = threading.Lock()  # a Whoosh searcher is not shared across threads
        self._searcher = None
        self._searcher_generation: object = None
        self._query_cache: OrderedDict[tuple[object, str], Any] = OrderedDict()

    # -- lifecycle -------------------------------------------------------------------------

    def exists(self) -> bool:
        """A finished generation is in place (sync.json is written last, after the build)."""
        return self.path.is_dir() and (self.path / SYNC_FILE).is_file()

    def _current_target(self) -> Path:
        return self.path.resolve()

    @property
    def ix(self):  # noqa: ANN201 - a Whoosh index
        target = self._current_target()
        if self._ix is None or target != self._ix_target:
            self._ix = open_dir(str(target))
            self._ix_target = target
        return self._ix

    def synced_mark(self) -> Mark | None:
        """What this index mirrors, or None if it records nothing readable."""
        try:
            data = json.loads((self._current_target() / SYNC_FILE).read_text())
            return Mark(str(data["database"]), int(data["revision_id"]), str(data["head"]))
        except (OSError, ValueError, KeyError, TypeError):
            return None

    def _write_sync(self, folder: Path, mark: Mark) -> None:
        tmp = folder / f"{SYNC_FILE}.{os.getpid()}.tmp"  # one per process: several may sync
        tmp.write_text(json.dumps(mark.to_dict()))
        os.replace(tmp, folder / SYNC_FILE)

    def rebuild(
        self,
        documents: Iterable[dict[str, Any]],
        mark: Mark,
        progress: Callable[[int], None] | None = None,
        expected: int = 0,
    ) -> int:
        """Build a fresh index in a new folder, then swap it in atomically."""
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self.sweep()
        folder = self.path.parent / f"{self.path.name}-{time.time_ns()}-{os.getpid()}"
        folder.mkdir()
        ix = create_in(str(folder), make_schema())
        # large builds use both cores (one segment per process, not merged: merging costs more
        # than two segments save)
        large = expected >= PARALLEL_BUILD_ABOVE
        writer = (
            ix.writer(limitmb=256, procs=2, multisegment=True) if large else ix.writer(limitmb=256)
        )
        count = 0
        try:
            for doc in documents:
                writer.add_document(**doc)
                count += 1
                if progress:
                    progress(count)
            writer.commit(optimize=not large)
        except BaseException:
            writer.cancel()
            shutil.rmtree(folder, ignore_errors=True)
            raise
        ix.close()
        self._write_sync(folder, mark)
        self._swap_to(folder)
        return count

    def _swap_to(self, folder: Path) -> None:
        link = self.path.parent / f".{self.path.name}.link-{time.time_ns()}"
        os.symlink(folder.name, link)
        if self.path.is_dir() and not self.path.is_symlink():
            shutil.rmtree(self.path)  # an old real folder: the index is only a cache
        elif self.path.is_file():
            self.path.unlink()  # something replaced the index with a file
        os.replace(link, self.path)
        self._ix = None
        self.sweep()

    def sweep(self) -> None:
        """Delete generation folders nobody needs: older than the current one (except the one
        before it, whose files readers may still hold), or left half-built by a process that
        died. A newer folder may be about to be swapped in by another process: it stays."""
        current = self.path.resolve() if self.path.is_symlink() else None
        now = _built_at(current) if current else None
        generations = sorted(
            (g.resolve() for g in self.path.parent.glob(f"{self.path.name}-*")), key=_built_at
        )
        older = [g for g in generations if now is not None and _built_at(g) < now]
        previous = next((g for g in reversed(older) if (g / SYNC_FILE).is_file()), None)
        for folder in generations:
            if folder in (current, previous) or _is_being_built(folder):
                continue
            if folder in older or not (folder / SYNC_FILE).is_file():
                shutil.rmtree(folder, ignore_errors=True)
        for stale in self.path.parent.glob(f".{self.path.name}.link-*"):
            if time.time() - stale.lstat().st_mtime > 60:
                stale.unlink(missing_ok=True)  # a swap killed between symlink and rename

    def apply(self, upserts: list[dict[str, Any]], deletions: list[str], mark: Mark) -> None:
        """Update some documents and delete others in one commit."""
        try:
            writer = self.ix.writer(timeout=LOCK_TIMEOUT)
        except LockError as exc:
            raise IndexBusy(LOCK_TIMEOUT) from exc
        try:
            for slug in deletions:
                writer.delete_by_term("slug", slug)
            for doc in upserts:
                writer.update_document(**doc)
            # interactive edits skip merging (seconds at scale) until segments pile up
            writer.commit(merge=len(self.ix._segments()) > MAX_SEGMENTS)
        except BaseException:
            writer.cancel()
            raise
        self._write_sync(self._current_target(), mark)

    def stored_revisions(self) -> dict[str, int]:
        with self.ix.searcher() as searcher:
            return {f["slug"]: f["revision"] for f in searcher.all_stored_fields()}

    def indexed_revisions(self, slugs: Iterable[str]) -> dict[str, int]:
        """The indexed revision of each of these cases that is in the index."""
        with self.ix.searcher() as searcher:
            out = {}
            for slug in slugs:
                found = searcher.document(slug=slug)
                if found:
                    out[slug] = found["revision"]
            return out

    def doc_count(self) -> int:
        return self.ix.doc_count()

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None

    # -- searching -------------------------------------------------------------------------

    def search(
        self,
        text: str,
        filters: Filters,
        *,
        sort: str = "relevance",
        limit: int = 10,
        offset: int = 0,
        match: str = "any",
    ) -> SearchResult:
        with self._search_lock:
            searcher, generation = self._current_searcher()
            sets = self._facets.get(searcher, generation)
            built, ranked, matched = self._matches(searcher, generation, text, match)
            matched = matched if built.query is not None else sets.live
            filter_sets = self._filter_sets(searcher, sets, filters)
            final = self._intersect(matched, filter_sets)
            facets = count_facets(sets, matched, filter_sets)
            if sort == "relevance" and built.query is not None:
                page = [(s, d) for s, d in ranked if d in final][offset : offset + limit]
                hits = [self._make_hit(searcher.stored_fields(d), built.terms, s) for s, d in page]
            else:
                hits = self._page(searcher, built.query, final, built.terms, sort, limit, offset)
        message = built.message
        if not final and not message:
            message = "No cases match." + (" Try fewer filters." if filter_sets else "")
        return SearchResult(
            query=text,
            total=len(final),
            hits=hits,
            facets=facets,
            suggestion=built.suggestion,
            message=message,
            offset=offset,
            limit=limit,
        )

    def _current_searcher(self):  # noqa: ANN202
        """One open searcher per index generation, reused across searches (opening one costs
        a few ms per segment). Never Searcher.refresh(): it returns stale duplicates."""
        ix = self.ix
        generation = (self._ix_target, ix.latest_generation())
        if self._searcher is None or self._searcher_generation != generation:
            if self._searcher is not None:
                self._searcher.close()
            self._searcher, self._searcher_generation = ix.searcher(), generation
        return self._searcher, generation

    def _matches(self, searcher, generation: object, text: str, match: str):  # noqa: ANN001, ANN202
        """The built query, its ranked matches [(score, docnum)] and their set, cached per
        index generation: changing filters, sort or page reuses them (set operations only)."""
        key = (generation, text, match)
        with self._cache_lock:
            if key in self._query_cache:
                self._query_cache.move_to_end(key)
                return self._query_cache[key]
        built = build_query(text, searcher)
        if match == "all" and built.strict is not None:
            built = dataclasses.replace(built, query=built.strict)
        ranked: list[tuple[float, int]] = []
        if built.query is not None:
            ranked = list(searcher.search(built.query, limit=None).top_n)
        found = (built, ranked, frozenset(d for _, d in ranked))
        with self._cache_lock:
            self._query_cache[key] = found
            if len(self._query_cache) > QUERY_CACHE_SIZE:
                self._query_cache.popitem(last=False)
        return found

    @staticmethod
    def _intersect(matched: Iterable[int], filter_sets: dict[str, set[int]]) -> set[int]:
        out = set(matched)
        for docs in filter_sets.values():
            out &= docs
        return out

    @staticmethod
    def _filter_sets(searcher, sets, filters: Filters) -> dict[str, set[int]]:  # noqa: ANN001
        out: dict[str, set[int]] = {}
        for name, facet in FILTER_FACETS.items():
            values = getattr(filters, name)
            if values:
                chosen: set[int] = set()
                for value in values:
                    chosen |= sets.by_facet[facet].get(value, frozenset())
                out[facet] = chosen
        if filters.year_from is not None or filters.year_to is not None:
            years = NumericRange("start_year", filters.year_from, filters.year_to)
            out["start_year"] = set(searcher.docs_for_query(years))
        return out

    def _page(self, searcher, query, final, terms, sort, limit, offset) -> list[SearchHit]:  # noqa: ANN001
        """A page in date or title order (relevance pages come from the cached ranking)."""
        if not final or limit <= 0:
            return []
        key = "title_sort" if sort == "title" else "start_year"
        results = searcher.search(
            query or Every(),
            filter=final,
            limit=offset + limit,
            sortedby=key,
            reverse=sort in ("newest", "relevance"),
            scored=False,
        )
        # unscored: hit.score would be the sort key, not a relevance score
        return [self._make_hit(hit.fields(), terms, 0.0) for hit in results[offset:]]

    @staticmethod
    def _make_hit(fields: dict[str, Any], terms: set[str], score: float) -> SearchHit:
        return SearchHit(
            slug=fields["slug"],
            title=fields["title"],
            score=round(score, 4),
            snippet=make_snippet(fields["summary"], terms),
            summary=fields["summary"],
            city=fields.get("city") or "",
            country=fields.get("country") or "",
            country_name=fields.get("country_name") or "",
            start_year=fields.get("start_year"),
            status=fields.get("status"),
            themes=tuple(filter(None, fields.get("themes", "").split(","))),
            inclusion=tuple(filter(None, fields.get("inclusion", "").split(","))),
        )

    def stored(self, slugs: Iterable[str]) -> dict[str, dict[str, Any]]:
        """Stored fields of some cases, by slug (for 'similar' and 'cities like this')."""
        with self.ix.searcher() as searcher:
            out = {}
            for slug in slugs:
                found = searcher.document(slug=slug)
                if found:
                    out[slug] = found
            return out

    def more_like(self, slug: str, text: str, top: int) -> list[tuple[str, float]]:
        """Cases whose text is most like `text` (Whoosh more-like-this), best first."""
        with self.ix.searcher() as searcher:
            docnum = searcher.document_number(slug=slug)
            if docnum is None:
                return []
            results = searcher.more_like(docnum, "body", text=text, top=top, numterms=15)
            return [(hit["slug"], float(hit.score)) for hit in results]


def _built_at(folder: Path) -> int:
    """The build time in a generation folder's name (index-<time_ns>[-<pid>])."""
    parts = folder.name.rsplit("-", 2)
    digits = [p for p in parts[1:] if p.isdigit()]
    return int(digits[0]) if digits else 0


def _is_being_built(folder: Path) -> bool:
    """Unfinished, and the process building it (named in the folder) is alive."""
    if (folder / SYNC_FILE).is_file():
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


def make_snippet(text: str, terms: set[str], length: int = 240) -> str:
    """The summary, HTML-escaped, with the matched words wrapped in <mark>."""
    if terms:
        marked = highlight(
            text,
            frozenset(terms),
            analyser(),
            ContextFragmenter(maxchars=length, surround=80),
            HtmlFormatter(tagname="mark", classname="match", between=" … "),
            top=2,
        )
        if marked:
            return marked
    short = text if len(text) <= length else text[: length - 1].rsplit(" ", 1)[0] + "…"
    return html.escape(short, quote=False)
