"""Every bundled case has its title and summary in the five other UN languages, and every
translation keeps every number and proper name of the English: it adds, drops and changes
nothing (kb.translations), and it says it has not been reviewed."""

import pytest

from kb.translations import LANGUAGES, check_case, numbers, ordinary_words, proper_names


@pytest.fixture(scope="module")
def records(bundled_kb):
    return bundled_kb.records()


@pytest.fixture(scope="module")
def ordinary(records):
    return ordinary_words(t for r in records for t in (r.title, r.summary, r.description or ""))


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_case_has_a_faithful_unreviewed_translation(records, ordinary, language):
    problems = []
    for record in records:
        translation = record.translation(language)
        if translation is None:
            problems.append((record.slug, "no translation"))
            continue
        if translation.reviewed or "not yet reviewed" not in translation.translator:
            problems.append((record.slug, "not marked as unreviewed"))
        found = check_case(
            record.title,
            record.summary,
            {"title": translation.title, "summary": translation.summary},
            language,
            ordinary,
        )
        problems += [(record.slug, str(f)) for f in found]
    assert problems == []


@pytest.mark.parametrize(
    ("english", "translated", "language", "expected"),
    [
        ("About 1.7 million users in 2019", "Environ 1,7 million d'usagers en 2019", "fr", []),
        ("About 1.7 million users in 2019", "2019年约170万用户", "zh", []),
        ("About 1.7 million users in 2019", "Около 1,7 млн пользователей в 2019 году", "ru", []),
        ("About 1.7 million users in 2019", "Unos 1,7 millones de usuarios en 2019", "es", []),
        ("About 1.7 million users in 2019", "نحو 1.7 مليون مستخدم في 2019", "ar", []),
        ("About 1.7 million users in 2019", "Unos 1,7 millones de usuarios", "es", ["numbers"]),
        (
            "About 1.7 million users in 2019",
            "Unos 17 millones de usuarios en 2019",
            "es",
            ["numbers"],
        ),
        ("Launched in Nairobi in 2019", "Lancé en 2019", "fr", ["Nairobi"]),
        ("Launched in Nairobi in 2019", "Lancé à Nairobi en 2019", "fr", []),
        ("Launched in Nairobi in 2019", "Launched in Nairobi in 2019", "fr", ["identical"]),
        ("Launched in March 2019", "Запущен в марте 2019 года", "ru", []),
        ("Launched in March 2019", "Запущен в 2019 году", "ru", ["March"]),
    ],
)
def test_the_fidelity_check_catches_what_a_translation_adds_drops_or_changes(
    english, translated, language, expected
):
    findings = " ".join(
        str(f)
        for f in check_case(
            "A title here", english, {"title": "Un titre ici", "summary": translated}, language
        )
    )
    for word in expected:
        assert word in findings
    if not expected:
        assert findings == ""


def test_numbers_are_compared_as_values_in_each_language():
    assert numbers("US$126 million and 14,000 trips", "en") == [126e6, 14000]
    assert numbers("1.26亿美元和14,000次出行", "zh") == [126e6, 14000]
    assert numbers("126 millions de dollars et 14 000 trajets", "fr") == [126e6, 14000]


def test_names_come_from_capitalised_words_not_sentence_starts():
    names = proper_names("Launched in Nairobi by Kenya's Huduma Namba team. Women use it.")
    assert {"Nairobi", "Huduma Namba", "Kenya"} <= set(names)
    assert "Women" not in names
