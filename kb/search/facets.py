"""Facet counts by set intersection, with one cached docnum set per facet value per index
generation (Whoosh's own overlapping facets rebuild values on every search: O(N))."""

from __future__ import annotations

from dataclasses import dataclass
from functools import reduce

FACETS = (
    "themes",
    "inclusion",
    "safeguards",
    "status",
    "region",
    "country",
    "income_group",
    "size",
    "evidence",
)


@dataclass(frozen=True)
class ValueSets:
    live: frozenset[int]
    by_facet: dict[str, dict[str, frozenset[int]]]
    docnum: dict[str, int]  # slug -> live document number
    cities: dict[str, frozenset[int]]  # city key (schema.title_key) -> live documents


class FacetCache:
    """Value sets for the newest index generation; rebuilt only when the index changes."""

    def __init__(self) -> None:
        self._key: object = None
        self._sets: ValueSets | None = None

    def get(self, searcher, key: object) -> ValueSets:  # noqa: ANN001 - a Whoosh searcher
        if self._sets is None or key != self._key:
            self._sets, self._key = build_value_sets(searcher), key
        return self._sets


def build_value_sets(searcher) -> ValueSets:  # noqa: ANN001
    reader = searcher.reader()
    live = frozenset(reader.all_doc_ids())
    by_facet: dict[str, dict[str, frozenset[int]]] = {}
    for facet in FACETS:
        values: dict[str, frozenset[int]] = {}
        for raw in reader.lexicon(facet):
            value = raw.decode("utf-8") if isinstance(raw, bytes) else raw
            docs = frozenset(reader.postings(facet, value).all_ids()) & live
            if docs:
                values[value] = docs
        by_facet[facet] = values
    docnum = {}
    for raw in reader.lexicon("slug"):
        slug = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        for doc in reader.postings("slug", slug).all_ids():
            if doc in live:
                docnum[slug] = doc
    cities = {}
    for raw in reader.lexicon("city_key"):
        key = raw.decode("utf-8") if isinstance(raw, bytes) else raw
        cities[key] = frozenset(reader.postings("city_key", key).all_ids()) & live
    return ValueSets(live, by_facet, docnum, cities)


def count_facets(
    sets: ValueSets,
    matched: frozenset[int] | set[int],
    filters: dict[str, set[int]],
    all_required: frozenset[str] = frozenset(),
) -> dict[str, dict[str, int]]:
    """Counts per facet value over the matched docs and every *other* active filter, so that
    choosing a value in one facet shows what the others would add (disjunctive faceting).
    A facet in `all_required` (its values all required) counts over its own filter too: what
    choosing one more value would narrow the results to."""
    out: dict[str, dict[str, int]] = {}
    for facet in FACETS:
        others = [docs for name, docs in filters.items() if name != facet or name in all_required]
        base = reduce(lambda acc, docs: acc & docs, others, set(matched))
        counts = {v: len(base & docs) for v, docs in sets.by_facet[facet].items()}
        out[facet] = dict(
            sorted(((v, n) for v, n in counts.items() if n), key=lambda x: (-x[1], x[0]))
        )
    return out
