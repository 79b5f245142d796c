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
        pattern, english = _matcher(language)
        if pattern is None:
            continue
        for match in pattern.finditer(folded):
            name = english[match.group(0)]
            if name not in found:
                found.append(name)
    return found


@cache
def _matcher(language: str) -> tuple[re.Pattern[str] | None, dict[str, str]]:
    """One compiled alternation of every form (longest first) and form -> English name.
    Russian forms match by their stem (names decline: Кения -> Кении)."""
    english: dict[str, str] = {}
    for form, name in _forms(language):
        if form != name.casefold():
            key = form[:-1] if language == "ru" and len(form) >= 4 else form
            english.setdefault(key, name)
    if not english:
        return None, {}
    alternation = "|".join(re.escape(f) for f in sorted(english, key=lambda f: (-len(f), f)))
    if language == "zh":
        return re.compile(alternation), english  # no spaces between words
    if language == "ru":
        return re.compile(rf"(?<!\w)(?:{alternation})"), english
    return re.compile(rf"(?<!\w)(?:{alternation})(?!\w)"), english
