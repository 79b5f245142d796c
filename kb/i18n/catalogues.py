"""gettext catalogues, read from the .po files at run time (Babel parses them; Python's gettext
applies them, plural forms included: Arabic has six, Russian three)."""

from __future__ import annotations

import gettext as stdlib_gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

from kb.i18n.language import DEFAULT, current

LOCALES = Path(__file__).resolve().parent.parent / "locales"
DOMAIN = "messages"


@cache
def translations(language: str) -> stdlib_gettext.NullTranslations:
    """The catalogue of a language; English (the source language) and missing files fall back
    to the strings as written."""
    path = LOCALES / language / "LC_MESSAGES" / f"{DOMAIN}.po"
    if language == DEFAULT or not path.is_file():
        return stdlib_gettext.NullTranslations()
    with path.open("rb") as f:
        catalog = read_po(f, locale=language)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return stdlib_gettext.GNUTranslations(buffer)


def gettext(message: str) -> str:
    return translations(current()).gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    return translations(current()).ngettext(singular, plural, n)


_ = gettext


def N_(message: str) -> str:  # noqa: N802 - the gettext convention
    """Mark a string for extraction (make messages) without translating it: a constant read at
    import time, translated with _() where it is shown."""
    return message
