"""Every bad input is rejected with file, line and field named, and nothing changes."""

import json
import os
import subprocess
import sys
import textwrap

import pytest

from kb import InvalidInput
from tests.conftest import SAMPLE

GOOD = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]


def jsonl(*records: dict) -> str:
    return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)


def with_change(**changes) -> dict:
    """A valid new record with some fields changed (None removes the field)."""
    record = GOOD[0] | {"slug": "new-case"} | changes
    return {k: v for k, v in record.items() if v is not None}


CSV_HEADER = "slug,title,summary,city,country,themes,sources"
CSV_ROW = (
    "csv-case,Some title,A summary long enough to pass,Lima,PE,e-mobility,https://example.org/"
)

# (file name, content, expected line, expected field, words the message must contain)
BAD_INPUTS = [
    ("missing.jsonl", jsonl(with_change(title=None)), 1, "title", "required"),
    (
        "theme.jsonl",
        jsonl(with_change(themes=["e-mobilty"])),
        1,
        "themes",
        "did you mean 'e-mobility'",
    ),
    ("incl.jsonl", jsonl(with_change(inclusion=["disabilty"])), 1, "inclusion", "'disability'"),
    ("status.jsonl", jsonl(with_change(status="finished")), 1, "status", "valid values are pilot"),
    ("safe.jsonl", jsonl(with_change(safeguards=["privcy"])), 1, "safeguards", "'privacy'"),
    ("eng.jsonl", jsonl(with_change(engagement="empowered")), 1, "engagement", "'empower'"),
    ("lower.jsonl", jsonl(with_change(country="es")), 1, "country", "did you mean 'ES'"),
    ("xx.jsonl", jsonl(with_change(country="XX")), 1, "country", "not an ISO 3166-1 alpha-2"),
    ("name.jsonl", jsonl(with_change(country="Spain")), 1, "country", "did you mean 'ES' (Spain)"),
    ("dup.jsonl", jsonl(with_change(), with_change()), 2, "slug", "'new-case' repeats"),
    (
        "broken.jsonl",
        jsonl(with_change(slug="ok-one"))
        + '{"slug": "oops", \n'
        + jsonl(with_change(slug="ok-two")),
        2,
        "",
        "not valid JSON",
    ),
    ("years.jsonl", jsonl(with_change(start_year=2020, end_year=2019)), 1, "end_year", "before"),
    (
        "js.jsonl",
        jsonl(with_change(sources=[{"url": "javascript:alert(1)", "title": "x"}])),
        1,
        "sources[1].url",
        "only http:// and https://",
    ),
    (
        "data.jsonl",
        jsonl(with_change(sources=[{"url": "data:text/html,hi", "title": "x"}])),
        1,
        "sources[1].url",
        "only http:// and https://",
    ),
    ("long.jsonl", jsonl(with_change(summary="x" * 2_000_000)), 1, "summary", "at most 1,000"),
    ("slug.jsonl", jsonl(with_change(slug="Not A Slug")), 1, "slug", "kebab-case"),
    ("field.jsonl", jsonl(with_change(titel="x")), 1, "titel", "did you mean 'title'"),
    ("type.jsonl", jsonl(with_change(start_year="2015")), 1, "start_year", "whole number"),
    ("empty.jsonl", "", 1, "", "file is empty"),
    ("array.json", "[\n" + json.dumps(with_change(status="x")) + "\n]", 2, "status", "unknown"),
    ("nocol.csv", "slug,title,summary,city,country,themes\n", 1, "sources", "required column"),
    ("extra.csv", f"{CSV_HEADER},colour\n{CSV_ROW},red\n", 1, "colour", "unknown column"),
    (
        "row.csv",
        f"{CSV_HEADER}\n{CSV_ROW}\n{CSV_ROW.replace('PE', 'Peru')}\n",
        3,
        "country",
        "'PE'",
    ),
]


@pytest.mark.parametrize(("name", "content", "line", "field", "words"), BAD_INPUTS)
def test_bad_input_is_rejected_with_its_location_and_nothing_changes(
    sample_kb, tmp_path, name, content, line, field, words
):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    before = sample_kb.export()
    with pytest.raises(InvalidInput) as caught:
        sample_kb.import_files([path])
    problems = [p for p in caught.value.problems if p.line == line and p.field == field]
    assert problems, f"expected {name}:{line}: {field}; got {caught.value.problems}"
    assert words in problems[0].message
    assert str(problems[0]).startswith(f"{path}:{line}:")
    assert sample_kb.export() == before


def test_bytes_that_are_not_utf8_are_rejected_with_their_line(sample_kb, tmp_path):
    path = tmp_path / "latin1.jsonl"
    path.write_bytes(jsonl(with_change()).encode() + '{"title": "São"}\n'.encode("latin-1"))
    before = sample_kb.export()
    with pytest.raises(InvalidInput) as caught:
        sample_kb.import_files([path])
    assert [(p.line, "not UTF-8" in p.message) for p in caught.value.problems] == [(2, True)]
    assert sample_kb.export() == before


def test_one_bad_file_among_good_ones_writes_nothing(kb, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(jsonl(with_change(country="XX")), encoding="utf-8")
    with pytest.raises(InvalidInput):
        kb.import_files([SAMPLE, bad])
    assert kb.records() == []


def test_every_problem_is_reported_not_just_the_first(kb, tmp_path):
    path = tmp_path / "many.jsonl"
    path.write_text(
        jsonl(with_change(slug="a-1", country="XX"), with_change(slug="a-2", status="nope")),
        encoding="utf-8",
    )
    with pytest.raises(InvalidInput) as caught:
        kb.import_files([path])
    assert {(p.line, p.field) for p in caught.value.problems} == {(1, "country"), (2, "status")}


def test_a_killed_import_leaves_the_catalogue_as_it_was(sample_kb, tmp_path):
    """A real process is killed with SIGKILL halfway through writing a big import."""
    big = tmp_path / "big.jsonl"
    big.write_text(
        jsonl(
            *(with_change(slug=f"bulk-{n}") for n in range(400)), with_change(slug="paris-autolib")
        ),
        encoding="utf-8",
    )
    before = sample_kb.export()
    script = textwrap.dedent(
        f"""
        import os, signal
        from kb import KnowledgeBase
        from kb.config import Settings
        from pathlib import Path
        kb = KnowledgeBase(Settings(home=Path({str(tmp_path / "home")!r}),
                                    database_url={sample_kb.url!r}))
        def progress(done, total):
            if done == 200:
                os.kill(os.getpid(), signal.SIGKILL)
        kb.import_files([{str(big)!r}], progress=progress)
        """
    )
    result = subprocess.run([sys.executable, "-c", script], env=os.environ.copy(), timeout=120)
    assert result.returncode == -9
    assert sample_kb.export() == before
