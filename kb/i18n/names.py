"""Country, region and language names, numbers and dates in the reader's language, from CLDR
(Babel): never hand-written tables."""

from __future__ import annotations

import datetime as dt
import re
from functools import cache

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.lists import format_list
from babel.numbers import format_decimal

from kb.i18n.language import current
from kb.reference import countries

# The UN M49 regions of the catalogue, as CLDR territory codes. CLDR has no single territory
# for "Latin America and the Caribbean": it is written from Latin America (419) and the
# Caribbean (029).
REGION_CODES = {
    "Africa": ("002",),
    "Asia": ("142",),
    "Europe": ("150",),
    "Latin America and the Caribbean": ("419", "029"),
    "Northern America": ("021",),
    "Oceania": ("009",),
}


def _locale(language: str | None) -> Locale:
    return Locale.parse(language or current())


def country_name(iso2: str, language: str | None = None) -> str:
    name = _locale(language).territories.get(iso2)
    if name:
        return name
    country = countries().get(iso2)
    return country.name if country else iso2


def region_name(region: str, language: str | None = None) -> str:
    codes = REGION_CODES.get(region)
    if not codes:
        return region
    names = [_locale(language).territories.get(c, c) for c in codes]
    if len(names) == 1:
        return names[0]
    return format_list(names, locale=_locale(language))  # CLDR's "A and B" in that language


def sub_region_name(sub_region: str, language: str | None = None) -> str:
    code = _sub_region_codes().get(_key(sub_region))
    return _locale(language).territories.get(code, sub_region) if code else sub_region


def language_name(code: str, language: str | None = None) -> str:
    return _locale(language).languages.get(code, code)


def format_number(value: float, language: str | None = None) -> str:
    return format_decimal(value, locale=_locale(language))


def format_date(value: dt.date | str, language: str | None = None) -> str:
    if isinstance(value, str):
        value = dt.date.fromisoformat(value[:10])
    return babel_format_date(value, format="long", locale=_locale(language))


# M49 sub-regions CLDR names otherwise in English ("Australasia", "Micronesian Region").
SUB_REGION_ALIASES = {"australiaandnewzealand": "053", "micronesia": "057"}


@cache
def _sub_region_codes() -> dict[str, str]:
    """M49 sub-region name (as the reference data writes it) -> CLDR territory code."""
    codes = {_key(name): code for code, name in Locale("en").territories.items() if code.isdigit()}
    return codes | SUB_REGION_ALIASES


def _key(name: str) -> str:
    return re.sub(r"[^a-z]", "", name.lower().replace("south-eastern", "southeast"))
