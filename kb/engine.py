"""The one module that imports Whoosh (the whoosh-reloaded fork). Switching to another
format-compatible fork (e.g. whoosh3) is a change here and in pyproject.toml only."""

from whoosh import index as whoosh_index
from whoosh.analysis import CharsetFilter, StemmingAnalyzer
from whoosh.fields import ID, KEYWORD, NUMERIC, STORED, TEXT, Schema
from whoosh.highlight import ContextFragmenter, HtmlFormatter, highlight
from whoosh.index import LockError
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

__all__ = [
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
    "highlight",
    "whoosh_index",
]
