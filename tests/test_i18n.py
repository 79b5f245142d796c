"""The product in the six UN languages: which language is chosen, names and numbers from CLDR,
plural forms, and catalogues complete enough to use (kb/locales)."""

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from kb.i18n import (
    LANGUAGES,
    country_name,
    direction,
    format_number,
    native_name,
    negotiate,
    ngettext,
    region_name,
    use,
)

LOCALES = Path(__file__).resolve().parent.parent / "kb" / "locales"
MAX_MISSING = 0.02  # a language may miss at most 2% of the strings (they show in English)


def read_po_file(path: Path):  # noqa: ANN201
    with path.open("rb") as f:
        return read_po(f)


@pytest.mark.parametrize(
    ("preferences", "expected"),
    [
        (["ar"], "ar"),
        ([None, "fr-CA"], "fr"),
        (["xx", "zh_Hans_CN"], "zh"),
        (["ru_RU.UTF-8"], "ru"),
        (["de", None], "en"),
        ([], "en"),
    ],
)
def test_the_first_supported_language_is_chosen_else_english(preferences, expected):
    assert negotiate(preferences) == expected


def test_each_language_is_named_in_itself_and_arabic_reads_right_to_left():
    assert [native_name(code) for code in LANGUAGES] == [
        "English",
        "Français",
        "Español",
        "العربية",
        "中文",
        "Русский",
    ]
    assert direction("ar") == "rtl" and direction("fr") == "ltr"


def test_names_and_numbers_come_from_cldr_in_the_chosen_language():
    assert country_name("KE", "ru") == "Кения"
    assert country_name("KE", "zh") == "肯尼亚"
    assert region_name("Africa", "ar") == "أفريقيا"
    assert format_number(1234567.5, "fr") == "1\u202f234\u202f567,5"
    assert format_number(1234567.5, "es") == "1.234.567,5"


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_every_language_translates_nearly_every_string(language):
    template = read_po_file(LOCALES / "messages.pot")
    catalogue = read_po_file(LOCALES / language / "LC_MESSAGES" / "messages.po")
    wanted = [m.id for m in template if m.id]
    translated = {m.id for m in catalogue if m.id and m.string and all(m.string) and not m.fuzzy}
    missing = [mid for mid in wanted if mid not in translated]
    assert len(missing) <= MAX_MISSING * len(wanted), missing[:20]


@pytest.mark.parametrize(
    ("language", "counts", "distinct_forms"),
    [("ar", [0, 1, 2, 3, 11, 100], 6), ("ru", [1, 2, 5, 21, 22, 25], 3), ("en", [1, 2], 2)],
)
def test_plural_forms_follow_the_language(language, counts, distinct_forms):
    with use(language):
        forms = {ngettext("{n} case", "{n} cases", n).format(n="N") for n in counts}
    assert len(forms) == distinct_forms


def _placeholders(text: str) -> set[str]:
    return set(re.findall(r"\{[a-z_0-9]*\}", text))


@pytest.mark.parametrize("language", [code for code in LANGUAGES if code != "en"])
def test_translations_keep_every_placeholder_icon_and_link(language):
    """A translation that drops `{n}` or renames it would crash or mislead at run time."""
    catalogue = read_po_file(LOCALES / language / "LC_MESSAGES" / "messages.po")
    wrong = []
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        wanted = _placeholders(ids[-1])
        for string in strings:
            if not string:
                continue
            # a one-form plural ("{n} case") may leave out the count only where English does
            if _placeholders(string) != wanted and _placeholders(string) != _placeholders(ids[0]):
                wrong.append((ids[0], string))
            for token in re.findall(r":material/[a-z_]+:|\]\([^)]*\)", ids[0]):
                if token not in string:
                    wrong.append((ids[0], string))
    assert not wrong, wrong[:10]


@pytest.mark.parametrize("language", ["fr", "ar", "ru", "zh"])
def test_the_interface_reads_in_the_chosen_language(language):
    from kb import taxonomy
    from kb.i18n import _

    with use(language):
        assert _("Search") != "Search"
        assert taxonomy.label("theme", "e-mobility") != "E-mobility"
        assert ngettext("{n} case", "{n} cases", 5).format(n=5) != "5 cases"
