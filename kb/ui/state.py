"""The search page's state, kept whole in the URL so that a search is a link one can send.

`/?q=bike+share&theme=e-mobility&inclusion=gender&page=2` parses to a SearchState; every control
on the page maps the current state to a new one (a pure function here) and writes it back to
the URL. Several values of one filter repeat the parameter (`theme=a&theme=b`); commas work
too. Unknown values are dropped and reported, never an error. No Streamlit in this module.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any
from urllib.parse import urlencode

from kb import taxonomy
from kb.i18n import DEFAULT, N_, _, use
from kb.reference import REGIONS, countries
from kb.search import SORTS
from kb.ui.text import country_label, region_label

if TYPE_CHECKING:
    from kb.service import KnowledgeBase

PAGE_SIZE = 10
MAX_QUERY_CHARS = 500
YEAR_RANGE = (1900, 2100)
MAX_SLUGS = 50
MAX_COMPARE = 4
SORT_LABELS = {  # English, marked for translation: shown through sort_label()
    "relevance": N_("Relevance"),
    "newest": N_("Newest first"),
    "oldest": N_("Oldest first"),
    "title": N_("Title (A to Z)"),
}
_SLUG = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


def sort_label(sort: str) -> str:
    """A sort order's name in the reader's language."""
    return _(SORT_LABELS[sort]) if sort in SORT_LABELS else sort


def _country_name(code: str) -> str:
    return country_label(code)


@dataclass(frozen=True)
class Facet:
    """A filter: its URL parameter, its key in SearchResult.facets and its search() keyword.

    Its values come from a taxonomy vocabulary, or else from `values` (with `names` giving each
    value's label). A new filter is one more row in FACETS and one more SearchState field.
    `title` and `note` are English, marked with N_(): heading() and hint() translate them.
    """

    param: str
    facet: str
    keyword: str
    title: str
    vocabulary: str | None = None  # taxonomy vocabulary holding its codes and labels
    values: Callable[[], Iterable[str]] | None = None
    names: Callable[[str], str] | None = None
    by_count: bool = False  # offer values by count rather than in vocabulary order
    note: str | None = None  # shown above the values, e.g. how several values combine

    def codes(self) -> tuple[str, ...]:
        if self.vocabulary:
            return taxonomy.codes(self.vocabulary)
        return tuple(self.values()) if self.values else ()

    def heading(self) -> str:
        """The filter's name in the reader's language."""
        return _(self.title)

    def hint(self) -> str | None:
        return _(self.note) if self.note else None

    def label(self, value: str) -> str:
        if self.vocabulary:
            return taxonomy.label(self.vocabulary, value)
        return self.names(value) if self.names else value


FACETS = (
    Facet("theme", "themes", "themes", N_("Theme"), "theme"),
    Facet("inclusion", "inclusion", "inclusion", N_("Inclusion dimension"), "inclusion"),
    Facet("safeguard", "safeguards", "safeguards", N_("Safeguard"), "safeguard"),
    Facet("region", "region", "region", N_("Region"), values=lambda: REGIONS, names=region_label),
    Facet(
        "country",
        "country",
        "country",
        N_("Country"),
        values=lambda: countries(),
        names=_country_name,
        by_count=True,
    ),
    Facet("size", "size", "size", N_("City size"), "city_size"),
    Facet("status", "status", "status", N_("Status"), "status"),
    Facet(
        "evidence",
        "evidence",
        "evidence",
        N_("Evidence"),
        "evidence",
        note=N_(
            "A case must have every item ticked. Independent: written by someone who does "
            "not run or pay for the initiative."
        ),
    ),
)
FACET_BY_PARAM = {f.param: f for f in FACETS}
YEARS = "years"  # the pseudo-parameter naming the start-year range in ActiveFilter


@dataclass(frozen=True)
class ActiveFilter:
    """One chosen filter value (or the year range), with a label to show and to remove it."""

    param: str
    value: str
    label: str


@dataclass(frozen=True)
class FacetOption:
    value: str
    label: str
    count: int
    selected: bool


@dataclass(frozen=True)
class SearchState:
    q: str = ""
    theme: tuple[str, ...] = ()
    inclusion: tuple[str, ...] = ()
    safeguard: tuple[str, ...] = ()
    region: tuple[str, ...] = ()
    country: tuple[str, ...] = ()
    size: tuple[str, ...] = ()
    status: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    sort: str = "relevance"
    page: int = 1
    compare: tuple[str, ...] = ()  # slugs ticked for comparison on the search page

    # -- URL -------------------------------------------------------------------------------

    def to_params(self) -> dict[str, str | list[str]]:
        """URL parameters in a fixed order, defaults left out (so equal states, equal URLs)."""
        out: dict[str, str | list[str]] = {}
        if self.q:
            out["q"] = self.q
        for facet in FACETS:
            values = self.selected(facet.param)
            if values:
                out[facet.param] = list(values)
        if self.year_from is not None:
            out["from"] = str(self.year_from)
        if self.year_to is not None:
            out["to"] = str(self.year_to)
        if self.sort != "relevance":
            out["sort"] = self.sort
        if self.page != 1:
            out["page"] = str(self.page)
        if self.compare:
            out["compare"] = slugs_param(self.compare)
        return out

    def query_string(self) -> str:
        return urlencode(self.to_params(), doseq=True)

    def filter_kwargs(self) -> dict[str, Any]:
        """The query and filters as keyword arguments for KnowledgeBase.search / coverage."""
        kwargs: dict[str, Any] = {"query": self.q}
        for facet in FACETS:
            kwargs[facet.keyword] = self.selected(facet.param)
        return kwargs | {"year_from": self.year_from, "year_to": self.year_to}

    def search_kwargs(self, page_size: int = PAGE_SIZE) -> dict[str, Any]:
        """Keyword arguments for KnowledgeBase.search for the page this state shows."""
        return self.filter_kwargs() | {
            "sort": self.sort,
            "limit": page_size,
            "offset": (self.page - 1) * page_size,
        }

    # -- reading ---------------------------------------------------------------------------

    def selected(self, param: str) -> tuple[str, ...]:
        return getattr(self, param)

    @property
    def has_filters(self) -> bool:
        return bool(self.active_filters())

    def active_filters(self) -> tuple[ActiveFilter, ...]:
        """Each chosen value, labelled in the reader's language (`Theme: E-mobility`)."""
        out = [
            ActiveFilter(
                f.param,
                value,
                _("{filter}: {value}").format(filter=f.heading(), value=f.label(value)),
            )
            for f in FACETS
            for value in self.selected(f.param)
        ]
        if self.year_from is not None or self.year_to is not None:
            out.append(ActiveFilter(YEARS, self.years_text(), self.started_text()))
        return tuple(out)

    def name_parts(self) -> list[str]:
        """What was chosen, for a download's file name: words, filter values, years."""
        parts = [self.q] if self.q else []
        parts += [value for f in FACETS for value in self.selected(f.param)]
        if self.year_from is not None and self.year_to is not None:
            parts.append(f"{self.year_from}-{self.year_to}")
        elif self.year_from is not None:
            parts.append(f"from-{self.year_from}")
        elif self.year_to is not None:
            parts.append(f"to-{self.year_to}")
        return parts

    def description(self) -> str:
        """The selection in words, e.g. `Words: bike share; Theme: E-mobility`: written into
        exported files, whose every other word is English, so always in English."""
        with use(DEFAULT):
            parts = [f"Words: {self.q}"] if self.q else []
            parts += [a.label for a in self.active_filters()]
            return "; ".join(parts) or "The whole catalogue"

    def started_text(self) -> str:
        """The start-year range as the reader reads it: `Started 2010–2012`."""
        if self.year_from is not None and self.year_to is not None:
            return _("Started {first}–{last}").format(first=self.year_from, last=self.year_to)
        if self.year_from is not None:
            return _("Started in or after {year}").format(year=self.year_from)
        return _("Started in or before {year}").format(year=self.year_to)

    def years_text(self) -> str:
        """The start-year range in English, as a value (the label is started_text())."""
        if self.year_from is not None and self.year_to is not None:
            return f"{self.year_from}–{self.year_to}"
        if self.year_from is not None:
            return f"in or after {self.year_from}"
        return f"in or before {self.year_to}"

    # -- transitions: every control maps the state to a new one -----------------------------

    def _changed(self, **changes: Any) -> SearchState:
        """A new state; anything but a page change starts again at page 1."""
        return dataclasses.replace(self, **({"page": 1} | changes))

    def with_query(self, q: str) -> SearchState:
        return self._changed(q=_clean_query(q))

    def toggled(self, param: str, value: str) -> SearchState:
        values = self.selected(param)
        new = tuple(v for v in values if v != value) if value in values else (*values, value)
        return self._changed(**{param: new})

    def with_years(self, year_from: int | None, year_to: int | None) -> SearchState:
        year_from, year_to = _clean_year(year_from), _clean_year(year_to)
        if year_from is not None and year_to is not None and year_from > year_to:
            year_from, year_to = year_to, year_from
        return self._changed(year_from=year_from, year_to=year_to)

    def with_sort(self, sort: str) -> SearchState:
        return self._changed(sort=sort if sort in SORTS else "relevance")

    def with_page(self, page: int) -> SearchState:
        return dataclasses.replace(self, page=max(1, int(page)))

    def without(self, active: ActiveFilter) -> SearchState:
        if active.param == YEARS:
            return self._changed(year_from=None, year_to=None)
        values = self.selected(active.param)
        return self._changed(**{active.param: tuple(v for v in values if v != active.value)})

    def without_filters(self) -> SearchState:
        return SearchState(q=self.q, sort=self.sort, compare=self.compare)

    def without_query(self) -> SearchState:
        return self._changed(q="")

    def narrowed(self, **chosen: str | int) -> SearchState:
        """The same query and filters with each named filter set to one value (a table cell:
        `narrowed(theme="e-mobility", inclusion="disability")`; `year=2015` sets both years).
        Comparison ticks are left behind: this is a new view."""
        changes: dict[str, Any] = {"compare": ()}
        for param, value in chosen.items():
            if param == "year":
                changes |= {"year_from": int(value), "year_to": int(value)}
            else:
                changes[param] = (str(value),)
        return self._changed(**changes)

    def compare_toggled(self, slug: str) -> SearchState:
        """Tick or untick a case for comparison; the page stays where it is."""
        chosen = self.compare
        new = tuple(s for s in chosen if s != slug) if slug in chosen else (*chosen, slug)
        return dataclasses.replace(self, compare=new[:MAX_COMPARE])

    def without_compare(self) -> SearchState:
        return dataclasses.replace(self, compare=())


@dataclass(frozen=True)
class ParsedSearch:
    state: SearchState
    ignored: tuple[str, ...] = field(default=())  # "param=value" pairs that were not understood


def parse_search(params: Mapping[str, str | Sequence[str]]) -> ParsedSearch:
    """The state a URL's query parameters describe, plus what was ignored in them."""
    ignored: list[str] = []
    values: dict[str, Any] = {"q": _clean_query(_last(params.get("q")) or "")}
    for facet in FACETS:
        allowed, chosen = set(facet.codes()), []
        for value in _split(params.get(facet.param)):
            if value in allowed and value not in chosen:
                chosen.append(value)
            elif value not in allowed:
                ignored.append(f"{facet.param}={value}")
        values[facet.param] = tuple(chosen)
    for param, name in (("from", "year_from"), ("to", "year_to")):
        raw = _last(params.get(param))
        values[name] = _clean_year(_int(raw))
        if raw and values[name] is None:
            ignored.append(f"{param}={raw}")
    sort = _last(params.get("sort")) or "relevance"
    if sort not in SORTS:
        ignored.append(f"sort={sort}")
        sort = "relevance"
    page = _int(_last(params.get("page")))
    state = SearchState(**values).with_years(values["year_from"], values["year_to"])
    compare = tuple(parse_slugs(params.get("compare"), limit=MAX_COMPARE))
    state = dataclasses.replace(
        state, sort=sort, page=page if page and page > 0 else 1, compare=compare
    )
    return ParsedSearch(state, tuple(ignored))


def facet_options(
    facet: Facet, counts: Mapping[str, int], selected: Iterable[str]
) -> list[FacetOption]:
    """The values to offer for one filter: each value with cases for the current query and
    other filters, plus every selected value (count 0 included, so it can be unticked).
    Vocabularies keep their own order; countries go by count, then name."""
    chosen = set(selected)
    values = [v for v in facet.codes() if counts.get(v, 0) or v in chosen]
    options = [FacetOption(v, facet.label(v), counts.get(v, 0), v in chosen) for v in values]
    if facet.by_count:
        options.sort(key=lambda o: (-o.count, o.label))
    return options


def narrowest_filter(
    active: Sequence[ActiveFilter], sizes: Mapping[ActiveFilter, int]
) -> ActiveFilter | None:
    """The active filter that matches the fewest cases in the whole catalogue: dropping it is
    the likeliest way back to some results. Ties go to the filter shown last."""
    if not active:
        return None
    ranked = sorted(enumerate(active), key=lambda item: (sizes.get(item[1], 0), -item[0]))
    return ranked[0][1]


def filter_sizes(kb: KnowledgeBase, state: SearchState) -> dict[ActiveFilter, int]:
    """How many cases in the whole catalogue each active filter matches on its own."""
    whole = kb.search("", limit=0).facets
    sizes: dict[ActiveFilter, int] = {}
    for active in state.active_filters():
        if active.param == YEARS:
            sizes[active] = kb.search(
                "", year_from=state.year_from, year_to=state.year_to, limit=0
            ).total
        else:
            sizes[active] = whole[FACET_BY_PARAM[active.param].facet].get(active.value, 0)
    return sizes


def parse_below(value: str | Sequence[str] | None, default: int = 3) -> int:
    """The gap threshold from `below=N` (1 to 1000), or the default."""
    n = _int(_last(value))
    return n if n is not None and 1 <= n <= 1000 else default


def parse_slugs(value: str | Sequence[str] | None, limit: int = MAX_SLUGS) -> list[str]:
    """Case slugs from `slugs=a,b,c` (or repeated parameters): well-formed, unique, in order."""
    out: list[str] = []
    for slug in _split(value):
        if _SLUG.match(slug) and slug not in out:
            out.append(slug)
    return out[:limit]


def slugs_param(slugs: Iterable[str]) -> str:
    return ",".join(slugs)


def _split(value: str | Sequence[str] | None) -> list[str]:
    if value is None:
        return []
    items = [value] if isinstance(value, str) else list(value)
    return [part.strip() for item in items for part in str(item).split(",") if part.strip()]


def _last(value: str | Sequence[str] | None) -> str | None:
    if value is None or isinstance(value, str):
        return value
    return value[-1] if value else None


def _int(value: str | None) -> int | None:
    try:
        return int(str(value).strip()) if value is not None else None
    except ValueError:
        return None


def _clean_year(year: int | None) -> int | None:
    if year is None:
        return None
    return year if YEAR_RANGE[0] <= year <= YEAR_RANGE[1] else None


def _clean_query(q: str) -> str:
    return " ".join(q.split())[:MAX_QUERY_CHARS]
