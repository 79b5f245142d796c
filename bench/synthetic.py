"""Synthetic catalogues for benchmarks: realistic words from the bundled catalogue, random
facets, seeded so every run measures the same data. Not real initiatives: never import these
into a real catalogue."""

from __future__ import annotations

import json
import random
from pathlib import Path
from typing import Any

from kb import taxonomy
from kb.config import BUNDLED_CATALOGUE
from kb.reference import countries

CITIES = ["Nairobi", "Lima", "Pune", "Kraków", "Medellín", "Accra", "Cebu", "Tartu", "Oaxaca"]


def _vocabulary() -> list[str]:
    words: list[str] = []
    for path in sorted(BUNDLED_CATALOGUE.glob("*.jsonl")):
        for line in path.read_text(encoding="utf-8").splitlines():
            record = json.loads(line)
            words += (record.get("description") or record["summary"]).split()
    return [w.strip(".,;:()\"'") for w in words if w.strip(".,;:()\"'")]


def synthetic_records(n: int, seed: int = 42) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    vocab = _vocabulary()
    codes = list(countries())
    themes, inclusion = taxonomy.codes("theme"), taxonomy.codes("inclusion")
    statuses = taxonomy.codes("status")
    out = []
    for i in range(n):
        country = rng.choice(codes)
        out.append(
            {
                "slug": f"synthetic-{i:06d}",
                "title": " ".join(rng.choices(vocab, k=rng.randint(4, 9)))[:200],
                "summary": " ".join(rng.choices(vocab, k=rng.randint(20, 40)))[:1000],
                "description": " ".join(rng.choices(vocab, k=rng.randint(80, 200))),
                "city": f"{rng.choice(CITIES)} {i % 500}",
                "country": country,
                "city_population": rng.randint(10_000, 10_000_000),
                "latitude": rng.uniform(-60, 70),
                "longitude": rng.uniform(-180, 180),
                "start_year": rng.randint(1995, 2025),
                "status": rng.choice(statuses),
                "themes": rng.sample(themes, rng.randint(1, 2)),
                "inclusion": rng.sample(inclusion, rng.randint(0, 3)),
                "lessons": [" ".join(rng.choices(vocab, k=15))],
                "tags": [rng.choice(vocab).lower()[:60]],
                "sources": [{"url": f"https://example.org/{i}", "title": "Synthetic source"}],
            }
        )
    return out


def write_jsonl(records: list[dict[str, Any]], path: Path) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records))
    return path
