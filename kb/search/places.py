"""Places named in a query ("in African cities", "Latin America", "Kenya", "Nairobi", "small
towns", "Кения", "内罗毕"), as the filters they stand for. Search boosts the cases in them and
offers the filter, instead of only matching the words.

Sources: region and city-size phrases (data/place_words.csv), country names in English
(reference data) and in the other five languages (CLDR through Babel), and the catalogue's own
city names (with the translators' name lists for their forms in other languages).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from kb.config import DATA_DIR
from kb.reference import countries
from kb.search.schema import title_key
from kb.translations import country_names, name_list

PLACE_WORDS = DATA_DIR / "place_words.csv"
LANGUAGES = ("ar", "zh", "fr", "ru", "es")


@dataclass(frozen=True)
class Place:
    """A place the query names: the filter it stands for, and the words that named it."""

    facet: str  # region, country, city or size
    value: str
    phrase: str


@cache
def _lexicon() -> tuple[tuple[str, str, str, bool], ...]:
    """(key, facet, value, case-sensitive) for every known place phrase, longest first."""
    entries: dict[tuple[str, bool], tuple[str, str]] = {}
    with PLACE_WORDS.open(encoding="utf-8", newline="") as f:
        for row in csv.DictReader(f):
            exact = any(c.isupper() for c in row["phrase"])
            key = row["phrase"] if exact else title_key(row["phrase"])
            entries[(key, exact)] = (row["facet"], row["value"])
    for country in countries().values():
        entries.setdefault((title_key(country.name), False), ("country", country.iso2))
    by_name = {c.name: c.iso2 for c in countries().values()}
    for language in LANGUAGES:
        for english, local in country_names(language).items():
            if english in by_name:
                entries.setdefault((title_key(local), False), ("country", by_name[english]))
    ordered = sorted(entries.items(), key=lambda kv: -len(kv[0][0]))
    return tuple((key, facet, value, exact) for (key, exact), (facet, value) in ordered if key)


def city_keys(keys: Iterable[str]) -> dict[str, str]:
    """Lookup key -> city key, for the catalogue's cities (given by their keys) as English
    writes them and in the other languages' forms (the translators' name lists)."""
    known = set(keys)
    out = {key: key for key in known}
    for language in LANGUAGES:
        for english, forms in name_list(language).items():
            if title_key(english) in known:
                for form in forms:
                    out.setdefault(title_key(form), title_key(english))
    return out


def places_in(text: str, cities: dict[str, str]) -> list[Place]:
    """The places a query names, longest phrase first, each stretch of text used once."""
    key = f" {title_key(text)} "
    found: list[Place] = []
    candidates = [(k, f, v, e) for k, f, v, e in _lexicon()]
    candidates += [(k, "city", city, False) for k, city in cities.items() if len(k) > 2]
    candidates.sort(key=lambda c: -len(c[0]))
    for phrase, facet, value, exact in candidates:
        if exact:
            if re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text):
                found.append(Place(facet, value, phrase))
            continue
        if _has_phrase(key, phrase):
            found.append(Place(facet, value, phrase))
            key = key.replace(phrase, " ")
    return list({(p.facet, p.value): p for p in found}.values())


def _has_phrase(padded: str, phrase: str) -> bool:
    if re.search(r"[\u3400-\u9fff]", phrase):
        return phrase in padded  # Chinese has no spaces between words
    return f" {phrase} " in padded
