"""Which language a person reads: the six UN languages, chosen per request (the app's URL, the
CLI's --lang or LANG) and carried in a context variable, so the domain code never asks."""

from __future__ import annotations

import contextvars
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from functools import cache

from babel import Locale

LANGUAGES = ("en", "fr", "es", "ar", "zh", "ru")  # the order of the language switcher
DEFAULT = "en"
_current: contextvars.ContextVar[str] = contextvars.ContextVar("kb_language", default=DEFAULT)


def current() -> str:
    return _current.get()


def set_current(language: str) -> None:
    """Choose the language for the rest of this context (a Streamlit run, a CLI command)."""
    _current.set(language if language in LANGUAGES else DEFAULT)


@contextmanager
def use(language: str) -> Iterator[None]:
    token = _current.set(language if language in LANGUAGES else DEFAULT)
    try:
        yield
    finally:
        _current.reset(token)


def negotiate(preferences: Iterable[str | None]) -> str:
    """The first supported language among preferences such as 'ar', 'fr-CA', 'zh_Hans_CN',
    'ru_RU.UTF-8' (a URL parameter, a cookie, the browser's locale, LANG), else English."""
    for preference in preferences:
        if not preference:
            continue
        code = preference.replace("-", "_").split(".")[0].split("_")[0].lower()
        if code in LANGUAGES:
            return code
    return DEFAULT


@cache
def native_name(language: str) -> str:
    """The language's name in itself ('العربية', '中文', 'русский'), from CLDR."""
    name = Locale.parse(language).get_display_name(language)
    return name[:1].upper() + name[1:]


@cache
def is_rtl(language: str) -> bool:
    return Locale.parse(language).character_order == "right-to-left"


def direction(language: str | None = None) -> str:
    return "rtl" if is_rtl(language or current()) else "ltr"
