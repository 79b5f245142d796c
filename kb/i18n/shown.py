"""Places and dates as the reader sees them: as the catalogue writes them in English, and in
any other language from CLDR (countries, regions, dates) or data/translations (cities). One
place for the app, the command line, briefs and similar-case reasons."""

from __future__ import annotations

from functools import cache

from kb.i18n.language import DEFAULT, current
from kb.i18n.names import country_name, format_date, region_name
from kb.i18n.names import sub_region_name as cldr_sub_region_name
from kb.reference import countries
from kb.translations import name_list


def city_label(city: str) -> str:
    """The city as the reader's language writes it (data/translations), else as recorded."""
    if current() == DEFAULT:
        return city
    forms = name_list(current()).get(city)
    return forms[0] if forms else city


def country_label(code: str | None, english: str | None = None) -> str:
    """A country's name for the reader: as the catalogue writes it in English, from CLDR in
    any other language (`code` an ISO 3166 alpha-2 code; without one, looked up by name)."""
    if code is None and english:
        code = _country_codes().get(english)
    if current() == DEFAULT or not code:
        if english:
            return english
        country = countries().get(code or "")
        return country.name if country else code or ""
    return country_name(code)


def region_label(region: str) -> str:
    """An M49 region (`Africa`, `Latin America and the Caribbean`) for the reader."""
    return region if current() == DEFAULT else region_name(region)


def sub_region_label(sub_region: str) -> str:
    """An M49 sub-region (`Eastern Africa`) for the reader."""
    return sub_region if current() == DEFAULT else cldr_sub_region_name(sub_region)


def date_label(iso: str) -> str:
    """An ISO date (`2024-05-01`) as written today in English, in the reader's own long form
    (`1 mai 2024`) in another language; left as it is when it is not a whole date."""
    if current() == DEFAULT:
        return iso
    try:
        return format_date(iso)
    except ValueError:
        return iso


@cache
def _country_codes() -> dict[str, str]:
    return {country.name: code for code, country in countries().items()}
