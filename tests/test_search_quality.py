"""Guards search quality against regressions, on the judged query set in bench/queries.jsonl.

The floors sit just below what `python bench/quality.py` measured when they were recorded
(overall nDCG@10 0.866, synonyms 0.813, typos 0.827, filtered 0.927): raise them when
quality improves.
"""

from pathlib import Path

from kb.search.evaluation import Fts5Baseline, evaluate, load_queries

QUERIES = Path(__file__).resolve().parent.parent / "bench" / "queries.jsonl"
FLOORS = {"all": 0.85, "synonym": 0.79, "typo": 0.80, "filtered": 0.90}


def test_ndcg_stays_above_the_recorded_floors_and_beats_plain_bm25(bundled_kb):
    queries = load_queries(QUERIES)
    ours = evaluate(
        queries, lambda q: [h.slug for h in bundled_kb.search(q.query, **q.filters).hits]
    )
    baseline = Fts5Baseline(bundled_kb.records())
    bm25 = evaluate(queries, baseline.run)
    baseline.close()
    for kind, floor in FLOORS.items():
        assert ours[kind]["ndcg@10"] >= floor, (kind, ours[kind])
    assert ours["all"]["ndcg@10"] > bm25["all"]["ndcg@10"]
