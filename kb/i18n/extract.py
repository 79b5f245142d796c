"""A Babel extractor for data/vocabularies.csv: every code's label and definition become
messages to translate (pybabel extract -F babel.cfg)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from typing import IO, Any


def extract_vocabularies(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, str, list[str]]]:
    text = io.TextIOWrapper(fileobj, encoding="utf-8", newline="")
    for line, row in enumerate(csv.DictReader(text), 2):
        comment = f"{row['vocabulary']}: {row['code']}"
        yield line, "_", row["label"], [f"Label of {comment}"]
        yield line, "_", row["definition"], [f"Definition of {comment}"]
