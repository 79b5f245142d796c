"""Choose the fusion weights on the TUNING half of the judged queries only (never the held-out
half), by a small grid search; prints nDCG@10 for each setting, best last.

    .venv/bin/python bench/tune.py
"""

from __future__ import annotations

import itertools
import sys
import tempfile
from pathlib import Path

from kb import KnowledgeBase
from kb.config import Settings, default_vector_cache
from kb.search.evaluation import evaluate, load_queries
from kb.search.fusion import Weights

HERE = Path(__file__).parent
GRID = {
    "lexical": (1.0,),
    "meaning": (0.75, 1.0, 1.5),
    "place": (0.5, 1.0),
    "meaning_depth": (30, 60),
}


def main() -> int:
    queries = [q for q in load_queries(*sorted((HERE / "judged").glob("queries-*.jsonl")))]
    tuning = [q for q in queries if not q.held_out]
    with tempfile.TemporaryDirectory() as home:
        kb = KnowledgeBase(Settings(home=Path(home), vector_cache=default_vector_cache()))
        kb.init()
        kb.import_bundled()
        scores = []
        for values in itertools.product(*GRID.values()):
            weights = Weights(**dict(zip(GRID, values, strict=True)))
            kb.index.weights = weights

            def run(q, weights=weights):  # noqa: ANN001, ANN202
                return [h.slug for h in kb.search(q.query, **q.filters, limit=10).hits]

            result = evaluate(tuning, run)
            en = result.get("lang:en", {}).get("ndcg@10", 0)
            other = [
                result[k]["ndcg@10"] for k in result if k.startswith("lang:") and k != "lang:en"
            ]
            line = (result["all"]["ndcg@10"], en, sum(other) / max(1, len(other)), weights)
            scores.append(line)
            print(
                f"all {line[0]:.3f}  en {line[1]:.3f}  others {line[2]:.3f}  {weights}", flush=True
            )
        best = max(scores, key=lambda s: s[0])
        print(f"\nbest on the tuning half: {best[3]} (nDCG@10 all {best[0]:.3f})")
        kb.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
