"""Search: a Whoosh index and passage vectors kept beside the database, fused into one ranking.

The service layer uses only what is exported here. Inside: `engine` (the only Whoosh import),
`schema` (documents and filters), `query` and `synonyms` (user text -> Whoosh query), `facets`,
`index` (the index generations and searching), `sync` (keeping an index in step with the
database), `similarity` ("similar cases", "cities like this one") and `evaluation` (judged
query sets).
"""

from kb.search.index import SearchIndex
from kb.search.schema import MATCHES, SORTS, Filters, Mark, body_text
from kb.search.similarity import cities_like, rank_similar
from kb.search.sync import check, current_mark, head_revision_id, rebuild, sync

__all__ = [
    "MATCHES",
    "SORTS",
    "Filters",
    "Mark",
    "SearchIndex",
    "body_text",
    "check",
    "cities_like",
    "current_mark",
    "head_revision_id",
    "rank_similar",
    "rebuild",
    "sync",
]
