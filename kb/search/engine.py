"""The one module that imports Whoosh (the whoosh-reloaded fork). Switching to another
format-compatible fork (e.g. whoosh3) is a change here and in pyproject.toml only."""

import errno
import os

from whoosh import index as whoosh_index
from whoosh.analysis import (
    CharsetFilter,
    LowercaseFilter,
    RegexTokenizer,
    StemFilter,
    StemmingAnalyzer,
    StopFilter,
    Token,
    Tokenizer,
)
from whoosh.codec.base import Segment
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.filedb.compound import CompoundStorage
from whoosh.filedb.filestore import FileStorage
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight
from whoosh.index import LockError
from whoosh.lang import stemmer_for_language, stopwords_for_language
from whoosh.qparser import MultifieldParser, OrGroup
from whoosh.query import (
    And,
    AndNot,
    DisjunctionMax,
    Every,
    Not,
    NullQuery,
    NumericRange,
    Or,
    Phrase,
    Query,
    Term,
)
from whoosh.support.charset import accent_map
from whoosh.util import random_name
from whoosh.util.filelock import FcntlLock, FileLock


class _Storage(FileStorage):
    """Whoosh's FileStorage, minus two reference cycles that kept whole call stacks alive.

    Whoosh's create() (os.makedirs on an existing folder) and its file lock's acquire() (a lock
    another process holds) keep the caught exception in a local (`e = sys.exc_info()[1]`): a
    frame <-> traceback cycle that keeps the caller's stack, locals included, alive until the
    cyclic garbage collector runs. Every index writer hit the first (the writer and its
    per-document writer both create "<index>.tmp"), and every writer waiting for another
    process hit the second. Whatever the callers held was then freed inside an arbitrary later
    collection; for ORM objects during Session.close() on CPython 3.11 that crashed the process
    (see kb/indexing.py sync() and bench/crash_cpython311.py).
    """

    def create(self) -> "_Storage":
        if not os.path.isdir(self.folder):
            os.makedirs(self.folder, exist_ok=True)
        return self

    def temp_storage(self, name: str | None = None) -> "_Storage":
        name = name or f"{random_name()}.tmp"
        return _Storage(os.path.join(self.folder, name)).create()

    def lock(self, name: str):  # noqa: ANN201 - a Whoosh lock
        if FileLock is FcntlLock:
            return _FcntlLock(self._fpath(name))
        return super().lock(name)


class _FcntlLock(FcntlLock):
    """Whoosh's fcntl lock, its failed acquire() keeping no exception (see _Storage)."""

    def acquire(self, blocking: bool = False) -> bool:
        import fcntl

        self.fd = os.open(self.filename, os.O_CREAT | os.O_WRONLY)
        try:
            fcntl.flock(self.fd, fcntl.LOCK_EX if blocking else fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:  # an `as` name is unbound when the block ends: no cycle
            if exc.errno not in (errno.EAGAIN, errno.EACCES):
                raise
            os.close(self.fd)
            self.fd = None
            return False
        self.locked = True
        return True


def _open_compound_file(self: Segment, storage: FileStorage) -> CompoundStorage:
    """Whoosh's Segment.open_compound_file, except that a segment file that cannot be read
    (truncated, damaged) is closed before the error goes up: Whoosh left it open, to be closed
    with a ResourceWarning whenever the garbage collector got to it."""
    dbfile = storage.open_file(self.make_filename(self.COMPOUND_EXT))
    try:
        return CompoundStorage(dbfile, use_mmap=storage.supports_mmap)
    except BaseException:
        dbfile.close()
        raise


Segment.open_compound_file = _open_compound_file  # type: ignore[method-assign]


def open_dir(path: str):  # noqa: ANN201 - a Whoosh FileIndex
    return whoosh_index.FileIndex(_Storage(path))


def create_in(path: str, schema: Schema):  # noqa: ANN201 - a Whoosh FileIndex
    return whoosh_index.FileIndex.create(_Storage(path), schema)


__all__ = [
    "LowercaseFilter",
    "RegexTokenizer",
    "StemFilter",
    "StopFilter",
    "Token",
    "Tokenizer",
    "stemmer_for_language",
    "stopwords_for_language",
    "ID",
    "KEYWORD",
    "NUMERIC",
    "STORED",
    "TEXT",
    "And",
    "AndNot",
    "CharsetFilter",
    "DisjunctionMax",
    "ContextFragmenter",
    "Every",
    "HtmlFormatter",
    "LockError",
    "MultifieldParser",
    "Not",
    "NullQuery",
    "NumericRange",
    "Or",
    "OrGroup",
    "Phrase",
    "Query",
    "Schema",
    "StemmingAnalyzer",
    "Term",
    "accent_map",
    "create_in",
    "highlight",
    "open_dir",
    "whoosh_index",
]
