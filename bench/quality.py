"""Search quality on the judged query sets over the bundled catalogue.

Prints nDCG@10, recall@10 and MRR per query kind and per language for four systems: plain BM25
(SQLite FTS5 over the same English text), our lexical side alone, our meaning side alone, and
the fused ranking the product uses. The judged sets (bench/judged/queries-*.jsonl) were written
and graded by reviewers who never saw the search code, before any tuning; half of their queries
(by a hash of the id) are held out and never used to choose a weight: `--set held-out` (the
default) reports those. The first 55-query set (bench/queries.jsonl) is a regression set, judged
over the first 210 cases only, so it is scored on those (condensed lists).

    .venv/bin/python bench/quality.py [--set held-out|tuning|all] [--regression]
"""

from __future__ import annotations

import argparse
import dataclasses
import sys
import tempfile
from pathlib import Path

from kb import KnowledgeBase
from kb.config import Settings, default_vector_cache
from kb.search.evaluation import Fts5Baseline, evaluate, load_queries
from kb.search.fusion import DEFAULT_WEIGHTS, Weights

HERE = Path(__file__).parent
JUDGED = sorted((HERE / "judged").glob("queries-*.jsonl"))
REGRESSION = HERE / "queries.jsonl"
UNIVERSE = HERE / "regression-universe.txt"
DEPTH = 60  # results fetched per query (condensed lists need more than 10)
KINDS = ("natural", "filtered", "synonym", "typo", "phrase", "place")
LANGS = ("en", "ar", "zh", "fr", "ru", "es")


def systems(base: Weights) -> dict[str, Weights]:
    return {
        "lexical": dataclasses.replace(base, meaning=0.0, meaning_floor=2.0, nearest=False),
        "meaning": dataclasses.replace(base, lexical=0.0, meaning_floor=-1.0),
        "fused": base,
    }


def run_with(kb: KnowledgeBase, weights: Weights):  # noqa: ANN201
    def run(q):  # noqa: ANN001, ANN202
        kb.index.weights = weights
        return [h.slug for h in kb.search(q.query, **q.filters, limit=DEPTH).hits]

    return run


def table(title: str, results: dict[str, dict], groups: list[str]) -> None:
    names = list(results)
    print(f"\n{title}")
    head = "".join(f"{n:>9}" for n in names)
    print(f"{'group':<12}{'n':>4}  nDCG@10:{head}  | recall@10 fused  MRR fused")
    for group in groups:
        if group not in results["fused"]:
            continue
        n = results["fused"][group]["queries"]
        cells = "".join(f"{results[s][group]['ndcg@10']:>9.3f}" for s in names)
        fused = results["fused"][group]
        print(
            f"{group:<12}{n:>4}  {'':8}{cells}  | {fused['recall@10']:>15.3f} {fused['mrr']:>10.3f}"
        )


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--set", choices=("held-out", "tuning", "all"), default="held-out")
    ap.add_argument("--regression", action="store_true", help="also score the 55-query set")
    args = ap.parse_args()
    queries = load_queries(*JUDGED)
    if args.set != "all":
        queries = [q for q in queries if q.held_out == (args.set == "held-out")]
    with tempfile.TemporaryDirectory() as home:
        kb = KnowledgeBase(Settings(home=Path(home), vector_cache=default_vector_cache()))
        kb.init()
        kb.import_bundled()
        baseline = Fts5Baseline(kb.records())
        results = {"bm25": evaluate(queries, lambda q: baseline.run(q, DEPTH))}
        for name, weights in systems(DEFAULT_WEIGHTS).items():
            results[name] = evaluate(queries, run_with(kb, weights))
        print(f"{len(queries)} judged queries ({args.set}) over {len(kb.records())} cases")
        table("By kind", results, [*KINDS, "all"])
        table("By language", results, [f"lang:{lang}" for lang in LANGS])
        if args.regression:
            old = load_queries(REGRESSION)
            universe = set(UNIVERSE.read_text().split())
            reg = {"bm25": evaluate(old, lambda q: baseline.run(q, DEPTH), universe)}
            for name, weights in systems(DEFAULT_WEIGHTS).items():
                reg[name] = evaluate(old, run_with(kb, weights), universe)
            table("Regression set (55 queries, first 210 cases)", reg, [*KINDS, "all"])
        baseline.close()
        kb.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
