"""Search quality against a judged query set: nDCG@k, recall@k and MRR, per query kind, for our
search and for a plain BM25 baseline (SQLite FTS5 over the same text)."""

from __future__ import annotations

import json
import math
import re
import sqlite3
import zlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kb.records import CaseRecord
from kb.reference import countries
from kb.search.schema import body_text

K = 10


@dataclass(frozen=True)
class JudgedQuery:
    id: str
    kind: str
    query: str
    filters: dict[str, Any]
    relevant: dict[str, int]
    lang: str = "en"

    @property
    def held_out(self) -> bool:
        """Half of the queries (by a hash of the id) are never used to choose a weight: the
        numbers reported for them are honest."""
        return zlib.crc32(self.id.encode()) % 2 == 1


def load_queries(*paths: Path) -> list[JudgedQuery]:
    out = []
    for path in paths:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                d = json.loads(line)
                out.append(
                    JudgedQuery(
                        d["id"],
                        d["kind"],
                        d["query"],
                        d.get("filters", {}),
                        d["relevant"],
                        d.get("lang", "en"),
                    )
                )
    return out


def ndcg(ranked: Sequence[str], relevant: dict[str, int], k: int = K) -> float:
    dcg = sum((2 ** relevant.get(s, 0) - 1) / math.log2(i + 2) for i, s in enumerate(ranked[:k]))
    ideal = sorted(relevant.values(), reverse=True)[:k]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    return dcg / idcg if idcg else 0.0


def recall(ranked: Sequence[str], relevant: dict[str, int], k: int = K) -> float:
    return len(set(ranked[:k]) & set(relevant)) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: Sequence[str], relevant: dict[str, int]) -> float:
    return next((1 / (i + 1) for i, s in enumerate(ranked) if relevant.get(s, 0) > 0), 0.0)


def evaluate(
    queries: Sequence[JudgedQuery],
    run: Callable[[JudgedQuery], list[str]],
    universe: set[str] | None = None,
) -> dict[str, dict[str, float]]:
    """Mean metrics per kind, per language ('lang:xx') and overall ('all'). With a `universe`
    (the cases a set was judged over), cases outside it are dropped from each ranking before
    scoring (condensed lists), so cases added later, never judged, count neither way."""
    rows: dict[str, list[tuple[float, float, float]]] = {}
    for q in queries:
        ranked = run(q)
        if universe is not None:
            ranked = [s for s in ranked if s in universe]
        scores = (
            ndcg(ranked, q.relevant),
            recall(ranked, q.relevant),
            reciprocal_rank(ranked, q.relevant),
        )
        for group in (q.kind, f"lang:{q.lang}", "all"):
            rows.setdefault(group, []).append(scores)
    return {
        kind: {
            "queries": len(v),
            "ndcg@10": sum(s[0] for s in v) / len(v),
            "recall@10": sum(s[1] for s in v) / len(v),
            "mrr": sum(s[2] for s in v) / len(v),
        }
        for kind, v in rows.items()
    }


def matches_filters(record: CaseRecord, filters: dict[str, Any]) -> bool:
    country = countries().get(record.country)
    checks = {
        "themes": lambda v: bool(set(v) & set(record.themes)),
        "inclusion": lambda v: bool(set(v) & set(record.inclusion)),
        "safeguards": lambda v: bool(set(v) & set(record.safeguards)),
        "region": lambda v: country is not None and country.region == v,
        "country": lambda v: record.country == v,
        "status": lambda v: record.status == v,
        "income_group": lambda v: country is not None and country.income_group == v,
        "year_from": lambda v: record.start_year is not None and record.start_year >= v,
        "year_to": lambda v: record.start_year is not None and record.start_year <= v,
    }
    return all(checks[key](value) for key, value in filters.items())


class Fts5Baseline:
    """Plain BM25: SQLite FTS5 over the same text, query words OR-ed, phrases kept."""

    def __init__(self, records: Sequence[CaseRecord]):
        self.records = {r.slug: r for r in records}
        self.db = sqlite3.connect(":memory:")
        self.db.execute("CREATE VIRTUAL TABLE fts USING fts5(slug UNINDEXED, title, body)")
        self.db.executemany(
            "INSERT INTO fts VALUES (?, ?, ?)", [(r.slug, r.title, body_text(r)) for r in records]
        )

    def run(self, q: JudgedQuery, limit: int = K) -> list[str]:
        expression = fts5_expression(q.query)
        if not expression:
            return []
        rows = self.db.execute(
            "SELECT slug FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT 1000", (expression,)
        ).fetchall()
        ranked = [slug for (slug,) in rows if matches_filters(self.records[slug], q.filters)]
        return ranked[:limit]

    def close(self) -> None:
        self.db.close()


def fts5_expression(text: str) -> str:
    phrases = re.findall(r'"([^"]+)"', text)
    rest = re.sub(r'"[^"]*"', " ", text)
    words = re.findall(r"\w+", rest)
    parts = [f'"{p.replace(chr(34), "")}"' for p in phrases] + [f'"{w}"' for w in words]
    return " OR ".join(parts)
