"""Search speed on synthetic catalogues of 1,000, 10,000 and 100,000 cases, and the first
start on the bundled catalogue.

Prints: database import rate; index build rate with no vector kept (cold: every passage
encoded) and from kept vectors (a rebuild); p50/p95 latency of kb.search with a query, two
filters, facet counts and snippets, for a query not seen before (lexical and meaning search,
fused) and for the same words with other filters (the ranking is cached per index generation);
the same for browse (empty query, two filters); query embedding alone; the time from a
single-case update to its being searchable; the vectors' memory; and the same query workload
on SQLite FTS5, in the same run.

Usage: .venv/bin/python bench/speed.py [--sizes 1000,10000,100000] [--first-start]
Each run builds in a fresh temporary folder with an empty vector cache.
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from synthetic import synthetic_records  # noqa: E402

from kb import KnowledgeBase, taxonomy  # noqa: E402
from kb.config import Settings  # noqa: E402
from kb.records import CaseRecord  # noqa: E402
from kb.reference import REGIONS, countries  # noqa: E402
from kb.search.evaluation import fts5_expression  # noqa: E402
from kb.search.schema import body_text  # noqa: E402
from kb.validation import RawRecord, validate_records  # noqa: E402

QUERY_WORDS = [
    "digital skills for older people",
    "bike share",
    "electric buses",
    "open data portal",
    "participatory budgeting",
    "public wifi",
    "surveillance cameras",
    "citizen reporting app",
    "smart meters",
    "women safety",
    "refugees",
    "broadband access",
]


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return statistics.median(ordered) * 1000, p95 * 1000


def workload(seed: int = 7) -> list[dict]:
    """Each query text once with two filters (a cold query), then with four other pairs of
    filters (what a user does next: the same words, other filters)."""
    rng = random.Random(seed)
    themes, inclusion = taxonomy.codes("theme"), taxonomy.codes("inclusion")
    out = []
    for text in QUERY_WORDS:
        for _ in range(5):
            filters = (
                {"themes": [rng.choice(themes)], "region": rng.choice(REGIONS)}
                if rng.random() < 0.5
                else {
                    "inclusion": [rng.choice(inclusion)],
                    "status": rng.choice(taxonomy.codes("status")),
                }
            )
            out.append({"query": text, **filters})
    return out


def build(n: int, home: Path) -> tuple[KnowledgeBase, dict[str, float]]:
    kb = KnowledgeBase(Settings(home=home, vector_cache=home / "vectors.sqlite3"))
    rates: dict[str, float] = {}
    kb.init()
    records, problems = validate_records(
        RawRecord("synthetic", i, r) for i, r in enumerate(synthetic_records(n))
    )
    assert not problems, problems[:3]
    kb._after_write = lambda: None  # measure the database alone, then the index alone
    start = time.perf_counter()
    kb.import_records(records, actor="bench")
    rates["db import (cases/s)"] = n / (time.perf_counter() - start)
    del kb._after_write
    start = time.perf_counter()
    kb.rebuild_index()
    rates["cold index build (cases/s)"] = n / (time.perf_counter() - start)
    start = time.perf_counter()
    kb.rebuild_index()
    rates["rebuild from kept vectors (cases/s)"] = n / (time.perf_counter() - start)
    return kb, rates


def embedding_times(n: int = 60) -> tuple[float, float]:
    """Encoding a query never seen before (the model warm, as in a running app)."""
    from kb.search.embedding import encode_query

    encode_query("warm up the model")
    return time_calls(
        [partial(encode_query, f"{w} in city number {i}") for i, w in enumerate(QUERY_WORDS * 5)]
    )


def first_start() -> float:
    """What the app does on its first start: create the database, import the bundled
    catalogue, build the index (every passage encoded: an empty vector cache), search."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        kb = KnowledgeBase(Settings(home=Path(tmp), vector_cache=Path(tmp) / "vectors.sqlite3"))
        kb.init()
        kb.import_bundled()
        kb.search("digital skills for older people")
        kb.close()
        return time.perf_counter() - start


def _search_call(kb: KnowledgeBase, w: dict):  # noqa: ANN202
    filters = {k: v for k, v in w.items() if k != "query"}
    return partial(kb.search, w["query"], **filters)


def time_calls(calls) -> tuple[float, float]:  # noqa: ANN001
    samples = []
    for call in calls:
        start = time.perf_counter()
        call()
        samples.append(time.perf_counter() - start)
    return percentiles(samples)


def update_to_searchable(kb: KnowledgeBase) -> float:
    slug = kb.search("", limit=1, sort="title").hits[0].slug
    marker = f"zyxmarker{time.time_ns() % 10**9}"
    start = time.perf_counter()
    kb.update(slug, {"title": f"Benchmark update {marker}"}, actor="bench")
    found = kb.search(marker).hits
    elapsed = time.perf_counter() - start
    assert found and found[0].slug == slug
    return elapsed * 1000


class Fts5:
    """The same data and workload on SQLite FTS5: match, two filters, three facet counts."""

    def __init__(self, records: list[CaseRecord]):
        self.db = sqlite3.connect(":memory:")
        self.db.execute(
            "CREATE TABLE docs (id INTEGER PRIMARY KEY, slug, themes, inclusion, region, status)"
        )
        self.db.execute("CREATE VIRTUAL TABLE fts USING fts5(title, body)")
        regions = {c.iso2: c.region for c in countries().values()}
        for i, r in enumerate(records, 1):
            self.db.execute(
                "INSERT INTO docs VALUES (?, ?, ?, ?, ?, ?)",
                (
                    i,
                    r.slug,
                    ",".join(r.themes),
                    ",".join(r.inclusion),
                    regions.get(r.country),
                    r.status,
                ),
            )
            self.db.execute(
                "INSERT INTO fts(rowid, title, body) VALUES (?, ?, ?)", (i, r.title, body_text(r))
            )
        self.db.commit()

    def search(self, w: dict) -> None:
        where, args = ["fts MATCH ?"], [fts5_expression(w["query"])]
        for key in ("themes", "inclusion"):
            if key in w:
                where.append(f"(',' || d.{key} || ',') LIKE ?")
                args.append(f"%,{w[key][0]},%")
        for key in ("region", "status"):
            if key in w:
                where.append(f"d.{key} = ?")
                args.append(w[key])
        cond = " AND ".join(where)
        base = f"FROM fts JOIN docs d ON d.id = fts.rowid WHERE {cond}"
        self.db.execute(
            f"SELECT d.slug, snippet(fts, 1, '<mark>', '</mark>', '…', 16) {base} "
            "ORDER BY bm25(fts) LIMIT 10",
            args,
        ).fetchall()
        for facet in ("status", "region", "themes"):
            self.db.execute(
                f"SELECT d.{facet}, count(*) {base} GROUP BY d.{facet}", args
            ).fetchall()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--first-start", action="store_true", help="also time a first start")
    args = parser.parse_args()
    if args.first_start:
        print(f"first start on the bundled catalogue: {first_start():.1f} s")
    print("query embedding alone: p50 {:.1f} ms, p95 {:.1f} ms".format(*embedding_times()))
    for n in map(int, args.sizes.split(",")):
        with tempfile.TemporaryDirectory() as tmp:
            kb, rates = build(n, Path(tmp))
            load = workload()
            kb.search("warm up")  # open the index and build the facet value sets once
            cold = time_calls([_search_call(kb, w) for w in load[::5]])
            warm = time_calls([_search_call(kb, w) for i, w in enumerate(load) if i % 5])
            browse = time_calls([_search_call(kb, w | {"query": ""}) for w in load])
            update = statistics.median(update_to_searchable(kb) for _ in range(5))
            memory = kb.index.vectors.matrix().nbytes / 2**20
            fts = Fts5(kb.records())
            fts_search = time_calls([partial(fts.search, w) for w in load])
            cold_fts = time_calls([partial(fts.search, w) for w in load[::5]])
            kb.close()
        print_row(n, rates, cold, warm, browse, update, fts_search, cold_fts, memory)
    return 0


def print_row(n, rates, cold, warm, browse, update, fts_search, cold_fts, memory) -> None:  # noqa: ANN001
    rate_text = ", ".join(f"{k} {v:,.0f}" for k, v in rates.items()) or "cached build"
    print(f"\n{n:,} cases ({rate_text})")
    line = "  {:<52} p50 {:7.1f} ms  p95 {:7.1f} ms"
    print(line.format("kb.search, new query + 2 filters + facets + snippets:", *cold))
    print(line.format("kb.search, same words, other 2 filters:", *warm))
    print(line.format("browse, empty query + 2 filters + facets:", *browse))
    print(f"  {'single-case update until searchable (median of 5):':<52} {update:7.1f} ms")
    print(line.format("SQLite FTS5, same queries, filters and 3 facets:", *fts_search))
    print(line.format("SQLite FTS5, the new queries only:", *cold_fts))
    print(f"  {'passage vectors in memory:':<52} {memory:7.1f} MB")
    sys.stdout.flush()


if __name__ == "__main__":
    sys.exit(main())
