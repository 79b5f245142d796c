"""Write data/vectors/bundled.npz: the vectors of every passage of the bundled catalogue, so
that the app's first start encodes nothing (run after changing the bundled catalogue: `make
vectors`; tests/test_bundled_catalogue.py fails when a passage is missing)."""

from __future__ import annotations

import sys

from kb.config import BUNDLED_CATALOGUE, default_vector_cache
from kb.readers import read_files
from kb.search.embedding import VectorCache, write_seed
from kb.search.passages import passages
from kb.validation import validate_records


def main() -> int:
    raws, problems = read_files([BUNDLED_CATALOGUE])
    records, found = validate_records(raws)
    if problems or found:
        print(*(problems + found), sep="\n")
        return 2
    texts = [p.text for r in records for p in passages(r)]
    n = write_seed(texts, VectorCache(default_vector_cache()))
    print(f"wrote the vectors of {n} passages of {len(records)} cases")
    return 0


if __name__ == "__main__":
    sys.exit(main())
