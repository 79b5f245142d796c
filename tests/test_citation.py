"""'Cite this case': every format names the revision, the retrieval date and the licence."""

import datetime as dt
import json
import re

import pytest

from kb import citation
from kb.records import CaseRecord, CaseView, Source

RETRIEVED = dt.date(2026, 11, 25)
URL = "https://kb.example.org/case?slug=kigali-irembo"
# Every variable the CSL-JSON input schema (citation-style-language/schema, csl-data.json)
# defines that a catalogue entry could use; the schema forbids any other key.
CSL_VARIABLES = {
    "id",
    "type",
    "title",
    "author",
    "publisher",
    "genre",
    "version",
    "issued",
    "accessed",
    "language",
    "abstract",
    "note",
    "URL",
}


def view(title: str = "Irembo e-government services portal", revision: int = 3) -> CaseView:
    record = CaseRecord(
        slug="kigali-irembo",
        title=title,
        summary="Rwanda's single online portal for government services.",
        city="Kigali",
        country="RW",
        themes=("digital-governance",),
        sources=(Source(url="https://irembo.gov.rw/", title="Irembo"),),
        last_reviewed="2026-10-01",
    )
    return CaseView(
        record=record,
        revision=revision,
        country_name="Rwanda",
        region="Africa",
        sub_region="Eastern Africa",
        income_group="low",
        updated_at="2026-11-20T09:30:00+00:00",
    )


def bibtex_fields(entry: str) -> dict[str, str]:
    return dict(re.findall(r"^  (\w+) = \{(.*)\},?$", entry, flags=re.MULTILINE))


def test_plain_text_names_the_case_revision_retrieval_date_and_licence():
    text = citation.plain_text(view(), retrieved=RETRIEVED, url=URL)
    assert text == (
        "Urban Digital Initiatives Knowledge Base. “Irembo e-government services portal” "
        "(Kigali, Rwanda). Case kigali-irembo, revision 3, last reviewed 2026-10-01. "
        f"{URL}. Retrieved 2026-11-25. Data licence: CC BY 4.0 "
        "(https://creativecommons.org/licenses/by/4.0/)."
    )


def test_bibtex_entry_names_revision_retrieval_date_and_licence():
    entry = citation.bibtex(view(), retrieved=RETRIEVED, url=URL)
    assert entry.startswith("@misc{kb-kigali-irembo-r3,\n")
    assert entry.endswith("}\n")
    assert bibtex_fields(entry) == {
        "title": "{Irembo e-government services portal}",
        "author": "{Urban Digital Initiatives Knowledge Base}",
        "howpublished": "Urban Digital Initiatives Knowledge Base, case kigali-irembo",
        "year": "2026",
        "version": "3",
        "url": URL,
        "urldate": "2026-11-25",
        "note": "Revision 3; retrieved 2026-11-25; data licence CC BY 4.0 "
        "(https://creativecommons.org/licenses/by/4.0/)",
    }


def test_bibtex_key_changes_with_the_revision_so_two_revisions_never_collide():
    assert citation.cite_key(view(revision=3)) != citation.cite_key(view(revision=4))


@pytest.mark.parametrize(
    ("title", "escaped"),
    [
        ("50% of {all} trips & more", r"50\% of \{all\} trips \& more"),
        ("Cost: $5 #1 a_b", r"Cost: \$5 \#1 a\_b"),
        ("x^2 ~ y \\ z", r"x\^{}2 \~{} y \textbackslash{} z"),
        ("<script>alert(1)</script>", "<script>alert(1)</script>"),
    ],
)
def test_bibtex_escapes_latex_specials_so_braces_always_balance(title, escaped):
    entry = citation.bibtex(view(title), retrieved=RETRIEVED)
    assert bibtex_fields(entry)["title"] == "{" + escaped + "}"
    unescaped = re.sub(r"\\[{}]", "", entry)
    assert unescaped.count("{") == unescaped.count("}")


def test_bibtex_url_keeps_its_characters_but_cannot_break_the_entry():
    entry = citation.bibtex(view(), retrieved=RETRIEVED, url="https://x.org/a b?c={d}")
    assert bibtex_fields(entry)["url"] == "https://x.org/a%20b?c=%7Bd%7D"


def test_csl_json_uses_only_csl_variables_and_names_revision_date_and_licence():
    item = citation.csl_json(view(), retrieved=RETRIEVED, url=URL)
    assert set(item) <= CSL_VARIABLES
    assert item["id"] == "kb-kigali-irembo-r3"
    assert item["type"] == "dataset"
    assert item["version"] == "3"
    assert item["accessed"] == {"date-parts": [[2026, 11, 25]]}
    assert item["issued"] == {"date-parts": [[2026, 11, 20]]}
    assert item["URL"] == URL
    assert "CC BY 4.0" in item["note"] and "Revision 3" in item["note"]


def test_csl_json_text_is_a_one_item_array_with_the_title_verbatim():
    title = '<script>alert(1)</script> "quoted" — ünïcode'
    parsed = json.loads(citation.csl_json_text(view(title), retrieved=RETRIEVED))
    assert [item["title"] for item in parsed] == [title]


def test_without_an_address_no_format_invents_one():
    plain = citation.plain_text(view(), retrieved=RETRIEVED)
    assert "http" not in plain.split("Data licence")[0]
    assert "url" not in bibtex_fields(citation.bibtex(view(), retrieved=RETRIEVED))
    assert "URL" not in citation.csl_json(view(), retrieved=RETRIEVED)


def test_bibtex_list_has_one_entry_per_case_each_linking_to_its_page():
    views = [view(revision=1), view(revision=2)]
    text = citation.bibtex_list(views, retrieved=RETRIEVED, base_url="https://kb.example.org/")
    assert re.findall(r"^@misc\{([^,]+),", text, flags=re.MULTILINE) == [
        "kb-kigali-irembo-r1",
        "kb-kigali-irembo-r2",
    ]
    assert text.count("url = {https://kb.example.org/case?slug=kigali-irembo}") == 2


@pytest.mark.parametrize(
    ("base", "expected"),
    [
        ("http://localhost:8501/", "http://localhost:8501/case?slug=a-b"),
        ("https://kb.example.org/app", "https://kb.example.org/app/case?slug=a-b"),
    ],
)
def test_case_url_joins_the_app_address_and_the_slug(base, expected):
    assert citation.case_url(base, "a-b") == expected


@pytest.mark.parametrize("fmt", citation.FORMATS)
def test_every_format_names_revision_retrieval_date_and_licence(fmt):
    text = citation.cite(view(), fmt, retrieved=RETRIEVED, url=URL).lower()
    assert "revision 3" in text
    assert "retrieved 2026-11-25" in text
    assert "cc by 4.0" in text


def test_cite_rejects_an_unknown_format_and_lists_the_known_ones():
    with pytest.raises(ValueError, match="text, bibtex, csl-json"):
        citation.cite(view(), "ris", retrieved=RETRIEVED)
