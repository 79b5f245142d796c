"""Names written in another language, found in a query and turned into the English names the
cases use: '内罗毕' -> 'Nairobi', 'Кения' -> 'Kenya', 'Ciudad de México' -> 'Mexico City'.

Sources: the translators' name lists (data/translations/names.<lang>.tsv, the forms they used
for the catalogue's names) and CLDR's country names (Babel).
"""

from __future__ import annotations

import re
from functools import cache

from kb.translations import country_names, name_list

MIN_FORM = 2  # shorter forms (a single letter or Han character) would match by accident


@cache
def _forms(language: str) -> tuple[tuple[str, str], ...]:
    """(form in the language, casefolded) -> English name, longest forms first."""
    pairs: dict[str, str] = {}
    for english, local in country_names(language).items():
        pairs.setdefault(local.casefold(), english)
    for english, forms in name_list(language).items():
        for form in forms:
            pairs.setdefault(form.casefold(), english)
    ordered = sorted(pairs.items(), key=lambda kv: (-len(kv[0]), kv[0]))
    return tuple((form, english) for form, english in ordered if len(form) >= MIN_FORM)


def names_in(text: str, languages: tuple[str, ...]) -> list[str]:
    """English names of the names the text writes in any of `languages` (longest match first,
    each stretch of text used once)."""
    folded = text.casefold()
    found: list[str] = []
    for language in languages:
        for form, english in _forms(language):
            if form == english.casefold():
                continue  # written as in English already
            if _contains(folded, form, language):
                folded = folded.replace(form, " ")
                if english not in found:
                    found.append(english)
    return found


def _contains(text: str, form: str, language: str) -> bool:
    if language == "zh":
        return form in text  # no spaces between words
    if language == "ru" and len(form) >= 4:
        # Russian declines names (Кения -> Кении): match the stem at a word start
        return re.search(rf"(?<!\w){re.escape(form[:-1])}", text) is not None
    return re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) is not None
