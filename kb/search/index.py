"""The search index of a catalogue: Whoosh documents and passage vectors in one generation
folder (see generations), kept by sync, searched here.

A search ranks in two ways and fuses them (fusion): the words a case shares with the query,
synonyms and spelling corrections included (query), and what its passages mean (embedding,
vectors). Filters, facet counts, sorting and paging then work on the fused set exactly as they
do on a lexical one; a case's best passage is the snippet shown.
"""

from __future__ import annotations

import dataclasses
import html
import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np

from kb.errors import IndexBusy
from kb.records import RankedPassage, SearchHit, SearchResult
from kb.search import generations
from kb.search.embedding import VectorCache, encode_query, model_id
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
from kb.search.facets import FacetCache, ValueSets, count_facets
from kb.search.fusion import DEFAULT_WEIGHTS, Weights, fuse
from kb.search.places import Place, city_keys, places_in
from kb.search.query import BuiltQuery, analyse, analyser, build_query
from kb.search.schema import (
    ALL_REQUIRED,
    FILTER_FACETS,
    SCHEMA_VERSION,
    Entry,
    Filters,
    Mark,
    make_schema,
    title_key,
)
from kb.search.snippets import snippet
from kb.search.topics import rank_passages, topic_words
from kb.search.vectors import CaseVectors, Matrix, VectorStore

LOCK_TIMEOUT = 10.0
MAX_SEGMENTS = 8
PARALLEL_BUILD_ABOVE = 5000
VECTOR_BATCH = 500  # cases encoded and written per vector segment during a rebuild
QUERY_CACHE_SIZE = 64  # recent queries' rankings, per process
NEAREST = 10  # cases shown by meaning alone when no case uses the query's words


@dataclass
class Ranking:
    """A query's matches, best first, cached per index generation: changing filters, sort or
    page reuses it (set operations only)."""

    built: BuiltQuery
    order: list[int]  # matched documents, best first
    scores: dict[int, float]
    vector: np.ndarray | None = None  # the query's embedding
    matched: frozenset[int] = field(default_factory=frozenset)
    places: list[Place] = field(default_factory=list)  # places the query names
    by_meaning: list[int] = field(default_factory=list)  # every case, closest in meaning first

    @property
    def has_words(self) -> bool:
        return self.built.query is not None


class SearchIndex:
    """The index in `path` (a symlink to the current generation folder)."""

    def __init__(
        self, path: Path, vector_cache: Path | None = None, weights: Weights | None = None
    ):
        self.path = Path(path).absolute()
        self.weights = weights or DEFAULT_WEIGHTS
        self._cache = VectorCache(vector_cache)
        self._ix = None
        self._ix_target: Path | None = None
        self._vectors: VectorStore | None = None
        self._facets = FacetCache()
        self._cache_lock = threading.Lock()
        self._search_lock = threading.Lock()  # a Whoosh searcher is not shared across threads
        self._searcher = None
        self._searcher_generation: object = None
        self._rankings: OrderedDict[tuple[object, ...], Ranking] = OrderedDict()
        self._matrix_docs: tuple[object, np.ndarray] | None = None

    # -- lifecycle -------------------------------------------------------------------------

    def exists(self) -> bool:
        """A finished generation is in place."""
        return generations.is_finished(self.path)

    def has_current_model(self) -> bool:
        """Its vectors were made by the model this version uses (a model change rebuilds)."""
        return self.vectors.model() == f"{model_id()}|schema-{SCHEMA_VERSION}"

    def _current_target(self) -> Path:
        return self.path.resolve()

    @property
    def ix(self):  # noqa: ANN201 - a Whoosh index
        target = self._current_target()
        if self._ix is None or target != self._ix_target:
            self._ix = open_dir(str(target))
            self._ix_target = target
        return self._ix

    @property
    def vectors(self) -> VectorStore:
        target = self._current_target()
        if self._vectors is None or self._vectors.folder.parent != target:
            self._vectors = VectorStore(target)
        return self._vectors

    def synced_mark(self) -> Mark | None:
        return generations.read_mark(self._current_target())

    def _write_sync(self, folder: Path, mark: Mark) -> None:
        generations.write_mark(folder, mark)

    def rebuild(
        self,
        entries: Iterable[Entry],
        mark: Mark,
        progress: Callable[[int], None] | None = None,
        expected: int = 0,
    ) -> int:
        """Build a fresh generation (Whoosh and vectors), then swap it in atomically."""
        folder = generations.new_folder(self.path)
        ix = create_in(str(folder), make_schema())
        # large builds use both cores (one segment per process, not merged: merging costs more
        # than two segments save)
        large = expected >= PARALLEL_BUILD_ABOVE
        writer = (
            ix.writer(limitmb=256, procs=2, multisegment=True) if large else ix.writer(limitmb=256)
        )
        store = VectorStore(folder)
        count = 0
        try:
            for batch in _batches(entries, VECTOR_BATCH):
                store.write(self._encode(batch))
                for entry in batch:
                    writer.add_document(**entry.document)
                    count += 1
                    if progress:
                        progress(count)
            if not count:
                store.write([])
            writer.commit(optimize=not large)
        except BaseException:
            writer.cancel()
            generations.sweep(self.path)
            raise
        ix.close()
        generations.write_mark(folder, mark)
        generations.swap_to(self.path, folder)
        self._ix = None
        return count

    def sweep(self) -> None:
        generations.sweep(self.path)

    def generation(self) -> Path:
        """The generation folder the index path points at now."""
        return self._current_target()

    def apply(
        self,
        upserts: list[Entry],
        deletions: dict[str, int],
        mark: Mark,
        *,
        generation: Path | None = None,
    ) -> int:
        """Update some cases and delete others (slug -> the revision that deleted it); returns
        how many changed. Vectors, one Whoosh commit, then the mark, all under the generation's
        sync lock.

        Several processes sync one index; each read the database at its own moment. Under the
        lock nothing older than what is indexed is written (revisions only grow), and the mark
        never moves back: a slower process cannot put back an older version of a case under a
        newer mark. If `generation` (the folder the caller read its mark from) is no longer the
        current one, a rebuild has replaced it and nothing is written: the next sync starts
        from the new generation's mark.
        """
        vectors = self._encode(upserts)  # before taking the lock: encoding takes a while
        folder = generation or self._current_target()
        with generations.sync_lock(folder, LOCK_TIMEOUT) as locked:
            if not locked:
                raise IndexBusy(LOCK_TIMEOUT)
            if self._current_target() != folder or not generations.is_finished(folder):
                return 0
            try:
                writer = self.ix.writer(timeout=LOCK_TIMEOUT)
            except LockError as exc:
                raise IndexBusy(LOCK_TIMEOUT) from exc
            try:
                indexed = _revisions(writer.searcher(), [*(e.slug for e in upserts), *deletions])
                fresh = [i for i, e in enumerate(upserts) if _is_newer(e.revision, indexed, e.slug)]
                gone = [s for s, r in deletions.items() if s in indexed and indexed[s] < r]
                if fresh or gone:
                    VectorStore(folder).write([vectors[i] for i in fresh], gone)
                    for slug in gone:
                        writer.delete_by_term("slug", slug)
                    for i in fresh:
                        writer.update_document(**upserts[i].document)
                    # interactive edits skip merging (seconds at scale) until segments pile up
                    writer.commit(merge=len(self.ix._segments()) > MAX_SEGMENTS)
                else:
                    writer.cancel()
            except BaseException:
                if not writer.is_closed:
                    writer.cancel()
                raise
            if not generations.is_behind(folder, mark):
                generations.write_mark(folder, mark)
        return len(fresh) + len(gone)

    def _encode(self, entries: list[Entry]) -> list[CaseVectors]:
        texts = [p.text for e in entries for p in e.passages]
        codes, scales = self._cache.vectors(texts)
        out, row = [], 0
        for entry in entries:
            end = row + len(entry.passages)
            out.append(CaseVectors(entry.slug, entry.passages, codes[row:end], scales[row:end]))
            row = end
        return out

    def stored_versions(self) -> dict[str, tuple[int, str]]:
        """Every indexed case's (revision, change time), by slug."""
        with self.ix.searcher() as searcher:
            return {
                f["slug"]: (f["revision"], f.get("updated", ""))
                for f in searcher.all_stored_fields()
            }

    def vector_slugs(self) -> set[str]:
        return set(self.vectors.matrix().slugs)

    def indexed_revisions(self, slugs: Iterable[str]) -> dict[str, int]:
        """The indexed revision of each of these cases that is in the index."""
        with self.ix.searcher() as searcher:
            return _revisions(searcher, slugs)

    def doc_count(self) -> int:
        return self.ix.doc_count()

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None
        if self._ix is not None:
            self._ix.close()
            self._ix = None
        self._vectors = None

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
            ranking = self._ranking(searcher, sets, generation, text, match)
            matched = ranking.matched if ranking.has_words else sets.live
            filter_sets = self._filter_sets(searcher, sets, filters)
            final = self._intersect(matched, filter_sets)
            nearest: list[int] = []
            if (
                not (final or filter_sets)
                and ranking.by_meaning
                and match == "any"
                and self.weights.nearest
            ):
                # never a dead end: no case uses these words, so show the closest in meaning
                # (with filters, the way on is removing one: the app offers it)
                allowed = self._intersect(sets.live, filter_sets)
                nearest = [d for d in ranking.by_meaning if d in allowed][:NEAREST]
                matched = final = set(nearest)
            facets = count_facets(sets, matched, filter_sets, ALL_REQUIRED)
            if sort == "relevance" and ranking.has_words:
                shown = (d for d in (nearest or ranking.order) if d in final)
                page = list(islice(shown, offset, offset + limit))
                hits = [
                    self._hit(searcher.stored_fields(d), ranking, ranking.scores.get(d, 0.0))
                    for d in page
                ]
            else:
                hits = self._page(searcher, ranking, final, sort, limit, offset)
        built = ranking.built
        message = built.message
        named = [p for p in ranking.places if p.facet != "city"]
        if nearest:
            message = "No case uses these words, so the cases closest to them in meaning are shown."
        elif not final and not message:
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
            places=[{"facet": p.facet, "value": p.value, "phrase": p.phrase} for p in named],
            nearest=bool(nearest),
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

    def _ranking(self, searcher, sets: ValueSets, generation: object, text: str, match: str):  # noqa: ANN001, ANN202
        key = (generation, self.vectors.matrix_key(), text, match, self.weights)
        with self._cache_lock:
            if key in self._rankings:
                self._rankings.move_to_end(key)
                return self._rankings[key]
        ranking = self._rank(searcher, sets, text, match)
        with self._cache_lock:
            self._rankings[key] = ranking
            if len(self._rankings) > QUERY_CACHE_SIZE:
                self._rankings.popitem(last=False)
        return ranking

    def _rank(self, searcher, sets: ValueSets, text: str, match: str) -> Ranking:  # noqa: ANN001
        built = build_query(text, searcher)
        if built.query is None:
            return Ranking(built, [], {})
        if match == "all" and built.strict is not None:
            built = dataclasses.replace(built, query=built.strict)
        lexical = [d for _, d in searcher.search(built.query, limit=None).top_n]
        if built.minimum > 1 and match == "any":
            lexical = _with_enough(searcher, built, lexical)
        vector, meaning, close = self._meaning(sets, built)
        included = set(lexical)
        if built.open_ended and match == "any":
            included |= close  # a plain question also finds cases by meaning alone
        places = places_in(text, self._city_keys(sets))
        weights = self.weights
        if not built.open_ended:  # "quoted" or field:value: the user asked for these words
            weights = dataclasses.replace(weights, meaning=weights.meaning * weights.exact_meaning)
        scores = fuse(lexical, meaning, in_place=_docs_in(sets, places), weights=weights)
        for doc in self._exact_titles(searcher, text):
            scores[doc] = scores.get(doc, 0.0) + 1.0  # the case named exactly comes first
            included.add(doc)
        order = sorted(included, key=lambda d: (-scores.get(d, 0.0), d))
        scores = {d: scores.get(d, 0.0) for d in order}
        return Ranking(built, order, scores, vector, frozenset(included), places, meaning)

    def _meaning(self, sets: ValueSets, built: BuiltQuery) -> tuple[Any, list[int], set[int]]:
        """The query's vector, every case ranked by its best passage's cosine, and the cases
        close enough to join the results on meaning alone."""
        words = built.text
        matrix = self.vectors.matrix()
        if not words or not matrix.slugs:
            return None, [], set()
        vector = encode_query(words)
        sims = matrix.case_scores(vector)
        docs = self._docnums(sets, matrix)
        order = np.argsort(-sims, kind="stable")
        ranked = [int(docs[i]) for i in order if docs[i] >= 0]
        depth, floor = self.weights.meaning_depth, self.weights.meaning_floor
        close = {
            int(docs[i])
            for rank, i in enumerate(order)
            if docs[i] >= 0 and sims[i] >= floor and rank < depth
        }
        return vector, ranked, close

    def _city_keys(self, sets: ValueSets) -> dict[str, str]:
        """The catalogue's cities as a query may write them, per index generation."""
        if getattr(self, "_cities_for", None) is not sets:
            self._cities_for, self._cities = sets, city_keys(sets.cities)
        return self._cities

    def _docnums(self, sets: ValueSets, matrix: Matrix) -> np.ndarray:
        """Whoosh document number of each case of the vector matrix (-1: not in Whoosh)."""
        key = (id(sets), id(matrix))
        if self._matrix_docs is None or self._matrix_docs[0] != key:
            docs = np.array([sets.docnum.get(s, -1) for s in matrix.slugs], dtype=np.int64)
            self._matrix_docs = (key, docs)
        return self._matrix_docs[1]

    @staticmethod
    def _exact_titles(searcher, text: str) -> list[int]:  # noqa: ANN001
        key = title_key(text)
        if not key:
            return []
        reader = searcher.reader()
        if not reader.doc_frequency("title_key", key):
            return []
        return list(reader.postings("title_key", key).all_ids())

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
                docs = [sets.by_facet[facet].get(value, frozenset()) for value in values]
                if facet in ALL_REQUIRED:
                    out[facet] = set(docs[0]).intersection(*docs[1:])
                else:
                    out[facet] = set().union(*docs)
        if filters.year_from is not None or filters.year_to is not None:
            years = NumericRange("start_year", filters.year_from, filters.year_to)
            out["start_year"] = set(searcher.docs_for_query(years))
        return out

    def _page(self, searcher, ranking: Ranking, final, sort, limit, offset) -> list[SearchHit]:  # noqa: ANN001
        """A page in date or title order (relevance pages come from the cached ranking)."""
        if not final or limit <= 0:
            return []
        key = "title_sort" if sort == "title" else "start_year"
        results = searcher.search(
            Every(),
            filter=final,
            limit=offset + limit,
            sortedby=key,
            reverse=sort in ("newest", "relevance"),
            scored=False,
        )
        # unscored: hit.score would be the sort key, not a relevance score
        return [
            self._hit(hit.fields(), ranking, ranking.scores.get(hit.docnum, 0.0))
            for hit in results[offset:]
        ]

    def _hit(self, fields: dict[str, Any], ranking: Ranking, score: float) -> SearchHit:
        kind, passage = self._best_passage(fields["slug"], ranking)
        terms = ranking.built.terms
        if passage:
            shown = snippet(passage, terms, analyse)
        else:
            shown = make_snippet(fields["summary"], terms)
        return SearchHit(
            slug=fields["slug"],
            title=fields["title"],
            score=round(score, 4),
            snippet=shown,
            summary=fields["summary"],
            city=fields.get("city") or "",
            country=fields.get("country") or "",
            country_name=fields.get("country_name") or "",
            start_year=fields.get("start_year"),
            status=fields.get("status"),
            themes=tuple(filter(None, fields.get("themes", "").split(","))),
            inclusion=tuple(filter(None, fields.get("inclusion", "").split(","))),
            passage=passage,
            passage_kind=kind,
        )

    def _best_passage(self, slug: str, ranking: Ranking) -> tuple[str | None, str | None]:
        """The case's passage closest in meaning to the query (None when browsing)."""
        if ranking.vector is None:
            return None, None
        matrix = self.vectors.matrix()
        try:
            case = matrix.slugs.index(slug)
        except ValueError:
            return None, None
        end = matrix.starts[case + 1] if case + 1 < len(matrix.starts) else len(matrix.scales)
        rows = slice(int(matrix.starts[case]), int(end))
        sims = (matrix.codes[rows].astype(np.float32) @ ranking.vector) * matrix.scales[rows]
        best = int(matrix.starts[case]) + int(np.argmax(sims))
        return matrix.kinds[best], matrix.texts[best]

    def passages(self, slugs: Iterable[str], text: str) -> dict[str, list[RankedPassage]]:
        """Each case's passages ranked by how well they fit `text` (kb.search.topics): the
        cosine with its embedding and the share of its words (synonyms included) they use."""
        text = " ".join((text or "").split())
        matrix = self.vectors.matrix()
        if not text or not matrix.slugs:
            return {}
        with self.ix.searcher() as searcher:
            reader = searcher.reader()
            words = topic_words(
                text, lambda token: reader.doc_frequency("body", token), reader.doc_count()
            )
        return rank_passages(matrix, slugs, encode_query(text), words)

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


def _revisions(searcher, slugs: Iterable[str]) -> dict[str, int]:  # noqa: ANN001
    out = {}
    for slug in slugs:
        found = searcher.document(slug=slug)
        if found:
            out[slug] = found["revision"]
    return out


def _is_newer(revision: int, indexed: dict[str, int], slug: str) -> bool:
    return slug not in indexed or indexed[slug] < revision


def _with_enough(searcher, built: BuiltQuery, ranked: list[int]) -> list[int]:  # noqa: ANN001
    """The ranked documents that match at least `built.minimum` of its required concepts."""
    counts: dict[int, int] = {}
    for concept in built.required:
        for doc in searcher.docs_for_query(concept):
            counts[doc] = counts.get(doc, 0) + 1
    return [d for d in ranked if counts.get(d, 0) >= built.minimum]


def _docs_in(sets: ValueSets, places: list[Place]) -> set[int]:
    """The documents in any of the places."""
    out: set[int] = set()
    for place in places:
        if place.facet == "city":
            out |= sets.cities.get(place.value, frozenset())
        else:
            out |= sets.by_facet.get(place.facet, {}).get(place.value, frozenset())
    return out


def _batches(entries: Iterable[Entry], size: int) -> Iterator[list[Entry]]:
    batch: list[Entry] = []
    for entry in entries:
        batch.append(entry)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


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
