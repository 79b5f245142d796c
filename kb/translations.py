"""Checks that a translation of a case's title and summary adds, drops and changes nothing.

A translation keeps every number (as a value: "1.7 million" is "170万" in Chinese and "1,7 millones"
in Spanish) and every proper name of the English text, either written as in English or in the form
the language's name list gives it (data/translations/names.<lang>.tsv, e.g. Nairobi -> 内罗毕) or,
for countries, the form CLDR gives (Babel: Kenya -> Кения). No database and no network here.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache

from kb.config import DATA_DIR

NAMES_DIR = DATA_DIR / "translations"
LANGUAGES = ("ar", "zh", "fr", "ru", "es")

# Words that multiply the number before them, per language (lower case; prefixes match inflections).
MAGNITUDES: dict[str, tuple[tuple[str, float], ...]] = {
    "en": (
        ("thousand", 1e3),
        ("million", 1e6),
        ("billion", 1e9),
        ("trillion", 1e12),
        ("crore", 1e7),
        ("lakh", 1e5),
    ),
    "fr": (("mille", 1e3), ("million", 1e6), ("milliard", 1e9), ("billion", 1e12)),
    "es": (
        ("mil millones", 1e9),
        ("millón", 1e6),
        ("millones", 1e6),
        ("millardo", 1e9),
        ("billón", 1e12),
        ("billones", 1e12),
        ("mil", 1e3),
    ),
    "ru": (
        ("тыс", 1e3),
        ("млн", 1e6),
        ("миллион", 1e6),
        ("млрд", 1e9),
        ("миллиард", 1e9),
        ("трлн", 1e12),
        ("триллион", 1e12),
    ),
    "zh": (("万亿", 1e12), ("亿", 1e8), ("百万", 1e6), ("万", 1e4), ("千", 1e3)),
    "ar": (
        ("ألف", 1e3),
        ("آلاف", 1e3),
        ("مليون", 1e6),
        ("ملايين", 1e6),
        ("مليار", 1e9),
        ("مليارات", 1e9),
        ("تريليون", 1e12),
    ),
}
WHOLE_WORDS = frozenset({"mil", "mille"})  # not "millas" or "milles"
# How each language writes 1234567.5: thousands separators and the decimal mark.
GROUP = {
    "en": ",",
    "zh": ",",
    "ar": ",٬",
    "fr": " \u00a0\u202f.",
    "ru": " \u00a0\u202f",
    "es": ".\u00a0 ",
}
DECIMAL = {"en": ".", "zh": ".", "ar": ".٫", "fr": ",", "ru": ",", "es": ","}
EASTERN_DIGITS = str.maketrans("٠١٢٣٤٥٦٧٨٩۰۱۲۳۴۵۶۷۸۹", "01234567890123456789")
# A capitalised word, with the capitalised words, connectors and acronyms that continue it.
WORD = r"[A-Z][\w'’]*(?:[.-][\w'’]+)*"  # Diia.pl, Wi-Fi, COVID-19; never a sentence's full stop
NAME = re.compile(rf"\b{WORD}(?:\s+(?:(?:of|de|du|la|el|for|and|the|do|da)\s+)?{WORD})*")
ACRONYM = re.compile(r"\b[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)*\b")
LOWER_SUFFIX = re.compile(r"-[a-z][\w-]*$")  # "ADB-financed" names ADB
POSSESSIVE = re.compile(r"['’]s\b")
SENTENCE_START = re.compile(r"(?:^|[.!?:;]\s+|\(\s*)$")


@dataclass(frozen=True)
class Finding:
    """One way a translation differs from its original."""

    field: str  # "title" or "summary"
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


def numbers(text: str, language: str) -> list[float]:
    """The numbers a text states, as values (magnitude words applied), in order."""
    text = re.sub(r"[ \t]{2,}", " ", unicodedata.normalize("NFKC", text).translate(EASTERN_DIGITS))
    group, decimal = GROUP[language], DECIMAL[language]
    g, d = re.escape(group), re.escape(decimal)
    pattern = re.compile(
        rf"(?<!\d)(?<!\d[.,٫٬])(\d{{1,3}}(?:[{g}]\d{{3}})+(?:[{d}]\d+)?|\d+(?:[{d}]\d+)?)"
        r"(?=[\s-]?(\S*(?:\s\S+)?))"  # "1.7 million", "1.65-billion-baht"
    )
    out = []
    for match in pattern.finditer(text):
        after = match.group(2).lower()
        if language == "zh":
            if after.startswith("月"):
                continue  # "10月" is October, a month (checked as one), not a number
            after = after.lstrip("多余")  # "30多万": more than 300,000
        value = _to_float(match.group(1), group, decimal)
        for word, factor in MAGNITUDES[language]:
            if after.startswith(word) and not (
                word in WHOLE_WORDS and after[len(word) : len(word) + 1].isalpha()
            ):
                value *= factor
                break
        out.append(round(value, 6))
    return out


def _to_float(digits: str, group: str, decimal: str) -> float:
    for mark in group:
        digits = digits.replace(mark, "")
    for mark in decimal:
        digits = digits.replace(mark, ".")
    return float(digits)


@cache
def name_list(language: str) -> dict[str, tuple[str, ...]]:
    """English proper name -> the forms a language writes it in (data/translations)."""
    path = NAMES_DIR / f"names.{language}.tsv"
    out: dict[str, list[str]] = {}
    if path.exists():
        with path.open(encoding="utf-8", newline="") as f:
            for row in csv.reader(f, delimiter="\t"):
                if len(row) >= 2 and row[0].strip() and not row[0].startswith("#"):
                    out.setdefault(row[0].strip(), []).extend(
                        v.strip() for v in row[1:] if v.strip()
                    )
    return {name: tuple(forms) for name, forms in out.items()}


@cache
def country_names(language: str) -> dict[str, str]:
    """English country name -> the language's CLDR name (Babel), for every territory."""
    from babel import Locale

    english, other = Locale("en").territories, Locale.parse(language).territories
    return {english[code]: other[code] for code in english if code in other and code.isalpha()}


def proper_names(text: str, ordinary: frozenset[str] = frozenset()) -> list[str]:
    """Capitalised words and acronyms that name something, longest first. `ordinary` holds
    lower-case words the corpus uses in lower case: a capitalised single word among them (at a
    sentence start, or "Internet") is an ordinary word, not a name. Month names, languages and
    demonyms are left out: dates and nationalities are checked elsewhere or are not names."""
    found: set[str] = set()
    text = POSSESSIVE.sub(" , ", text)  # "Kenya's Huduma Namba": two names
    for match in NAME.finditer(text):
        name = LOWER_SUFFIX.sub("", match.group(0).rstrip(".-'’"))
        if SENTENCE_START.search(text[: match.start()]) and " " in name:
            first, rest = name.split(" ", 1)
            if _is_ordinary(first, ordinary):
                name = rest
        name = _strip_connectors(name)
        if not name or (" " not in name and _is_ordinary(name, ordinary)):
            continue
        if all(part in _not_names() for part in re.split(r"[\s-]+", name)):
            continue  # "January-March": months, checked as months
        found.add(name)
    found.update(m.group(0) for m in ACRONYM.finditer(text) if len(m.group(0)) > 1)
    return sorted(found - _not_names(), key=lambda n: (-len(n), n))


def _strip_connectors(name: str) -> str:
    """'the June 2017 final' -> 'June': a name does not start with 'of', 'the', 'for'."""
    words = name.split(" ")
    while words and words[0] in ("the", "of", "for", "and"):
        words.pop(0)
    return " ".join(words)


def _is_ordinary(word: str, ordinary: frozenset[str]) -> bool:
    lower = word.lower()
    if word.isupper() and len(word) > 1:
        return False  # an acronym
    return lower in COMMON_WORDS or lower in ordinary or _is_demonym(word)


def _is_demonym(word: str) -> bool:
    """'Kenyan', 'Ukrainian', 'Chinese': describes, does not name (the country is checked)."""
    if word in country_names("fr"):
        return False  # Oman, Japan: countries, not adjectives
    return word.endswith(("an", "ian", "ese", "ish", "ean")) and word[0].isupper()


@cache
def _not_names() -> frozenset[str]:
    """Months and language names: dates are checked as months, languages are descriptions."""
    from babel import Locale

    english = Locale("en")
    months = set(english.months["format"]["wide"].values())
    return frozenset(months | set(english.languages.values()))


@cache
def month_forms(language: str) -> dict[str, tuple[str, ...]]:
    """English month name -> every way CLDR writes it in `language` (wide, abbreviated,
    format and stand-alone: 'December' -> 'décembre', 'декабря', 'декабрь', '12月')."""
    from babel import Locale

    english, other = Locale("en").months["format"]["wide"], Locale.parse(language).months
    out = {}
    for number, name in english.items():
        forms = {
            other[context][width][number]
            for context in ("format", "stand-alone")
            for width in ("wide", "abbreviated")
        }
        out[name] = tuple(sorted(f.rstrip(".") for f in forms))
    return out


def check(
    english: str,
    translated: str,
    language: str,
    field: str,
    ordinary: frozenset[str] = frozenset(),
) -> list[Finding]:
    """What a translation of `english` into `language` adds, drops or changes."""
    findings = []
    if not translated.strip():
        return [Finding(field, "is empty")]
    if translated.strip() == english.strip():
        findings.append(Finding(field, "is identical to the English"))
    wanted, got = sorted(numbers(english, "en")), sorted(numbers(translated, language))
    if wanted != got:
        missing = _minus(wanted, got)
        extra = _minus(got, wanted)
        findings.append(
            Finding(field, f"numbers differ: missing {_show(missing)}, added {_show(extra)}")
        )
    for name in proper_names(english, ordinary):
        if not _has_name(name, translated, language):
            findings.append(Finding(field, f"proper name {name!r} is missing"))
    for month, forms in month_forms(language).items():
        if re.search(rf"\b{month}\b", english) and not any(
            _stem(f, language).casefold() in translated.casefold() for f in forms
        ):
            findings.append(Finding(field, f"month {month!r} is missing"))
    return findings


def _has_name(name: str, translated: str, language: str) -> bool:
    """The name appears as in English, in a listed form, or (for a name of several words) each
    of its specific words does; generic words such as 'City' or 'Council' are translated."""
    folded = translated.casefold()
    forms = (name, *name_list(language).get(name, ()), country_names(language).get(name, ""))
    if any(form and _stem(form, language).casefold() in folded for form in forms):
        return True
    parts = [p for p in re.split(r"\s+", name) if p.lower() not in CONNECTORS]
    specific = [p for p in parts if p.lower() not in COMMON_WORDS | GENERIC_WORDS]
    if len(parts) > 1:
        return all(_has_name(p, translated, language) for p in specific)
    return False


def _stem(form: str, language: str) -> str:
    """Russian declines names (Мадрид -> Мадрида, Кения -> Кении): match on the stem."""
    if language == "ru" and len(form) >= 4 and " " not in form:
        return form[:-1]
    return form


def _minus(a: list[float], b: list[float]) -> list[float]:
    rest = list(b)
    out = []
    for value in a:
        if value in rest:
            rest.remove(value)
        else:
            out.append(value)
    return out


def _show(values: Iterable[float]) -> str:
    shown = [f"{v:g}" for v in values]
    return ", ".join(shown) if shown else "none"


def check_case(
    title: str,
    summary: str,
    translation: Mapping[str, str],
    language: str,
    ordinary: frozenset[str] = frozenset(),
) -> list[Finding]:
    """Findings for one case's translated title and summary."""
    return check(title, translation["title"], language, "title", ordinary) + check(
        summary, translation["summary"], language, "summary", ordinary
    )


def ordinary_words(texts: Iterable[str]) -> frozenset[str]:
    """Words that a corpus writes in lower case (so 'Metro' at a sentence start is a word)."""
    return frozenset(w for text in texts for w in re.findall(r"\b[a-z][a-z'-]+\b", text))


CONNECTORS = frozenset({"of", "de", "du", "la", "el", "for", "and", "the", "do", "da"})
# Words of organisation and programme names that a translation translates, not keeps.
GENERIC_WORDS = frozenset(
    """council ministry department agency authority office university institute foundation bank
    company corporation police metro transport transit development urban affairs administration
    commission municipality metropolitan region regional province provincial district county
    mission initiative centre center network association union group trust fund programme
    program project service services system scheme lab laboratory academy college board court
    parliament assembly government federal republic kingdom united international world global
    national european african asian american latin caribbean northern southern eastern western
    north south east west  old greater mass rapid light rail railway bus buses bike bikes
    share sharing card cards city town village community digital smart open safe data online
    e-government platform app""".split()  # noqa: SIM905 - a word list reads best as text
)

# Ordinary English words that are capitalised only because they start a sentence or a title.
COMMON_WORDS = frozenset(
    """a an the this that these those it its in on at by for from with without of to as and or but
    not no one two three four five six seven eight nine ten first second third  free open
    public city national local digital smart online mobile electric shared community government
    state municipal women girls older young people residents citizens users an app apps platform
    programme program project scheme system service services network portal card map maps data
    bus buses bike bikes e-bike e-scooter scooters ride taxi training school schools centre
    centres center centers hub hubs lab labs after before since when where while during under
    over about across through between against within launched started run built set led used
    designed created introduced rolled trial pilot pilots some many most all each every more
    less only also both other others""".split()  # noqa: SIM905 - a word list reads best as text
)
