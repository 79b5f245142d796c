"""The app in each of the six UN languages, under AppTest: every page draws, in the chosen
language, with no English interface string left where a translation exists.

A string counts as English interface text when it is (or, for sentences of three words or
more, contains) a message of kb/locales/messages.pot whose translation differs from it. Case
content is English data and is not checked: only the interface is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from kb.i18n import LANGUAGES, use
from kb.ui.text import md
from tests.test_i18n import read_po_file
from tests.test_ui_apptest import (  # noqa: F401  (fixtures, imported to be used here)
    APP,
    RICH_CASE,
    app_env,
    catalogue_home,
)
from tests.test_ui_apptest import PAGES as PAGE_FILES

LOCALES = Path(__file__).resolve().parent.parent / "kb" / "locales"
OTHER_LANGUAGES = [code for code in LANGUAGES if code != "en"]
PAGES = {
    "search": ("", {"q": "bike share", "theme": "e-mobility"}),
    "case": ("case", {"slug": RICH_CASE}),
    "explore": ("explore", {}),
    "brief": ("brief", {"q": "women's safety in public space"}),
    "compare": ("compare", {"compare": f"{RICH_CASE},kigali-irembo"}),
    "about": ("about", {}),
}


@cache
def english_messages(language: str) -> tuple[tuple[str, re.Pattern[str]], ...]:
    """(message, pattern) for every message the language translates differently: the pattern
    matches the English message as shown, any `{placeholder}` filled in."""
    catalogue = read_po_file(LOCALES / language / "LC_MESSAGES" / "messages.po")
    out = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            literal = re.sub(r"\{[a-z_0-9]*\}", " ", english)
            if english in strings or len(re.findall(r"[A-Za-z]{3,}", literal)) < 2:
                continue  # "{city}, {country}", "{action} by {actor}": no English to see
            pattern = re.escape(english)
            pattern = re.sub(r"\\\{[a-z_0-9]*\\\}", ".+?", pattern)
            out.append((english, re.compile(pattern)))
    return tuple(out)


def open_app(page: str = "", /, **params: str) -> AppTest:
    """The app opened straight on `/page?params`, as a pasted link does. (Opening `/` first
    and then switching would make AppTest re-send the search page's sort box by its English
    label, which the translated box does not have.)"""
    at = AppTest.from_file(str(APP), default_timeout=60)
    for key, value in params.items():
        at.query_params[key] = value
    if page:
        at.switch_page(PAGE_FILES[page])
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def shown_texts(at) -> Iterator[str]:  # noqa: ANN001
    """Every string the page shows: element values, labels, bodies, help texts, options."""
    stack = [at._tree]
    while stack:
        node = stack.pop()
        children = getattr(node, "children", None)
        if isinstance(children, dict):
            stack.extend(children.values())
        if getattr(node, "type", None) == "code":
            continue  # text to copy as it is (a citation in its English style)
        for attr in ("value", "label", "body", "help", "placeholder", "options"):
            try:
                value = getattr(node, attr, None)
            except Exception:  # noqa: BLE001 (some elements compute attributes lazily)
                continue
            if isinstance(value, str):
                yield value
            elif isinstance(value, list | tuple):
                yield from (v for v in value if isinstance(v, str))


def english_left(at, language: str) -> list[str]:  # noqa: ANN001
    found = []
    for text in set(shown_texts(at)):
        plain = re.sub(r"[*_`#>]|:material/[a-z_]+:", "", text).strip()
        for english, pattern in english_messages(language):
            whole = pattern.fullmatch(plain) or pattern.fullmatch(text)
            inside = len(english.split()) >= 3 and pattern.search(text)
            if whole or inside:
                found.append(f"{english!r} in {text[:80]!r}")
                break
    return sorted(found)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
@pytest.mark.parametrize("name", list(PAGES))
def test_every_page_reads_in_the_chosen_language(language, name):
    page, params = PAGES[name]
    at = open_app(page, lang=language, **params)
    assert at.query_params["lang"] == [language] or at.query_params["lang"] == language
    left = english_left(at, language)
    assert left == [], "\n".join(left)


@pytest.mark.parametrize("language", OTHER_LANGUAGES)
def test_a_case_shows_its_translated_title_and_summary_with_the_english_one_click_away(
    language, kb_for_translations
):
    record = kb_for_translations.get(RICH_CASE).record
    translated = record.translation(language)
    at = open_app("case", slug=RICH_CASE, lang=language)
    shown = "\n".join(shown_texts(at))
    assert md(translated.title) in shown and md(translated.summary) in shown
    assert md(record.summary) in shown  # the English original, in its expander
    with use(language):
        from kb.i18n import _

        assert _("The rest of this case is in English.") in shown


def test_english_readers_see_no_translation_note():
    at = open_app("case", slug=RICH_CASE, lang="en")
    shown = "\n".join(shown_texts(at))
    assert "The rest of this case is in English." not in shown
    assert "not yet reviewed" not in shown


@pytest.fixture(scope="module")
def kb_for_translations(catalogue_home):  # noqa: F811
    from kb import KnowledgeBase
    from kb.config import Settings

    base = KnowledgeBase(Settings(home=catalogue_home))
    yield base
    base.close()


@pytest.mark.parametrize("language", ["ar", "zh"])
def test_search_results_are_titled_in_the_chosen_language(language, kb_for_translations):
    """A reader of one language can pick a case from the results by a title they can read."""
    hits = kb_for_translations.search("bike share", limit=3).hits
    at = open_app("", q="bike share", lang=language)
    labels = [link.label for link in at.main.get("page_link")]
    for hit in hits:
        translated = kb_for_translations.get(hit.slug).record.translation(language)
        assert f"**{md(translated.title)}**" in labels
        assert f"**{md(hit.title)}**" not in labels
