"""Search quality on the judged query set (bench/queries.jsonl) over the bundled catalogue.

Prints nDCG@10, recall@10 and MRR per query kind for our search and for plain BM25 (SQLite
FTS5 over the same text). Usage: .venv/bin/python bench/quality.py
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

from kb import KnowledgeBase
from kb.config import Settings
from kb.search.evaluation import Fts5Baseline, evaluate, load_queries

QUERIES = Path(__file__).with_name("queries.jsonl")
KINDS = ("natural", "filtered", "synonym", "typo", "phrase", "all")


def run_ours(kb: KnowledgeBase):
    def run(q):
        return [h.slug for h in kb.search(q.query, **q.filters, limit=10).hits]

    return run


def main() -> int:
    queries = load_queries(QUERIES)
    with tempfile.TemporaryDirectory() as home:
        kb = KnowledgeBase(Settings(home=Path(home)))
        kb.init()
        kb.import_bundled()
        ours = evaluate(queries, run_ours(kb))
        baseline = Fts5Baseline(kb.records())
        bm25 = evaluate(queries, baseline.run)
        baseline.close()
        kb.close()
    print(f"{len(queries)} judged queries over the bundled catalogue\n")
    header = f"{'kind':<10}{'n':>4}  {'nDCG@10':>16}  {'recall@10':>16}  {'MRR':>16}"
    print(header + "\n" + " " * 16 + "   ours   BM25" * 3)
    for kind in KINDS:
        if kind not in ours:
            continue
        o, b = ours[kind], bm25[kind]
        cells = "".join(f"  {o[m]:>7.3f}{b[m]:>7.3f}  " for m in ("ndcg@10", "recall@10", "mrr"))
        print(f"{kind:<10}{o['queries']:>4}{cells}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
