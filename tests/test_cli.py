"""The `kb` command, as a user types it."""

import json

import pytest
from click.testing import CliRunner

from kb.cli import main
from kb.evidence import COSTS_AS_STATED
from kb.i18n import country_name, current, region_name
from kb.reference import size_band
from tests.conftest import FIXTURES, SAMPLE


def english_locale(monkeypatch) -> None:
    """The C locale, whatever the shell running the tests uses: the output is in English."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")


@pytest.fixture
def run(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("KB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KB_DATABASE_URL", database_url)
    english_locale(monkeypatch)
    runner = CliRunner()

    def invoke(*args: str):
        return runner.invoke(main, list(args), catch_exceptions=False)

    assert invoke("init").exit_code == 0
    return invoke


def test_init_import_show_stats_history_restore_export(run, tmp_path):
    assert run("import", str(SAMPLE)).output.strip() == "added 4, updated 0, unchanged 0"
    assert "Autolib' electric car sharing" in run("show", "paris-autolib").output
    stats = json.loads(run("stats", "--json").output)
    assert stats["total"] == 4 and stats["by_region"]["Europe"] == 3
    changed = tmp_path / "changed.jsonl"
    changed.write_text(SAMPLE.read_text().replace("amid mounting losses", "after losses"))
    assert run("import", str(changed)).output.strip() == "added 0, updated 1, unchanged 3"
    history = json.loads(run("history", "paris-autolib", "--json").output)
    assert [h["action"] for h in history] == ["create", "update"]
    assert "now revision 3" in run("restore", "paris-autolib", "--revision", "1").output
    out = tmp_path / "out.jsonl"
    run("export", "-o", str(out))
    assert "amid mounting losses" in out.read_text()


def test_invalid_import_prints_file_line_field_and_exits_2(run, tmp_path):
    bad = tmp_path / "bad.jsonl"
    record = json.loads(SAMPLE.read_text().splitlines()[0]) | {"themes": ["e-mobilty"]}
    bad.write_text(json.dumps(record) + "\n")
    result = run("import", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:1: themes: unknown code 'e-mobilty'" in result.output
    assert "did you mean 'e-mobility'?" in result.output
    assert "Traceback" not in result.output
    assert json.loads(run("stats", "--json").output)["total"] == 0


def test_unknown_slug_is_a_plain_message(run):
    result = run("show", "no-such-case")
    assert result.exit_code == 1
    assert "No case with slug 'no-such-case'" in result.output


def test_validate_never_writes(run):
    assert run("validate", str(SAMPLE)).output.strip() == "4 records are valid"
    assert json.loads(run("stats", "--json").output)["total"] == 0


def test_commands_before_init_say_to_run_init(tmp_path, monkeypatch):
    monkeypatch.setenv("KB_HOME", str(tmp_path / "fresh"))
    monkeypatch.delenv("KB_DATABASE_URL", raising=False)
    result = CliRunner().invoke(main, ["stats"])
    assert result.exit_code == 1
    assert "Run `kb init` first" in result.output


def test_every_command_has_help_with_an_example():
    runner = CliRunner()
    for name, command in main.commands.items():
        result = runner.invoke(main, [name, "--help"])
        assert result.exit_code == 0, name
        assert "Example:" in result.output, f"`kb {name} --help` has no example"
        assert command.help


# -- evidence: kb show and the --evidence / --size filters ------------------------------------

V11 = FIXTURES / "v11.jsonl"


def test_show_gives_results_by_kind_costs_as_stated_and_typed_sources(run):
    run("import", str(V11), str(SAMPLE))
    out = run("show", "medellin-encicla-test").output
    assert "evidence: 2 sources, 1 independent; 1 recorded cost; no impact outcome" in out
    results = out[out.index("Results:") : out.index("Costs:")]
    assert results.splitlines()[1:] == [
        "  Outputs (what was delivered):",
        "    - Stations across the Aburrá valley",
        "  Outcomes (changes in use or behaviour):",
        "    - About 14,000 trips a day in 2019 (figure: 14,000 trips a day; year: 2019; "
        "source [1])",
        "  Other results:",
        "    - A public map of stations",
        "",
    ]
    assert f"  {COSTS_AS_STATED}\n" in out
    assert (
        "  - COP 2,500,000.50, yearly operation, 2015 money, paid by Área Metropolitana del "
        "Valle de Aburrá [2]\n    note: operation of the whole system\n"
    ) in out
    assert (
        "  [1] An evaluation of EnCicla, Universidad Nacional (2020) "
        "https://example.org/encicla-evaluation  (Academic study; independent)\n"
        "  [2] Informe de gestión, Área Metropolitana (2016) "
        "https://example.org/encicla-report  (Government or operator report)\n"
    ) in out
    run("edit", "paris-autolib", "--set", 'outcomes=["Some 4,000 cars at its peak"]')
    v1 = run("show", "paris-autolib").output  # v1 fields only: no kinds, costs or types
    assert "Results:\n    - Some 4,000 cars at its peak\n" in v1
    assert "Costs:" not in v1 and "independent" not in v1.split("Sources:")[1]


def search_slugs(run, *args: str) -> list[str]:
    data = json.loads(run("search", *args, "--limit", "100", "--json").output)
    assert data["total"] == len(data["hits"])
    return sorted(h["slug"] for h in data["hits"])


def test_search_by_evidence_requires_every_value_given(run):
    run("import", str(V11), str(SAMPLE))
    assert search_slugs(run, "--evidence", "academic") == ["medellin-encicla-test"]
    assert search_slugs(run, "--evidence", "independent", "--evidence", "cost") == [
        "medellin-encicla-test"
    ]
    assert search_slugs(run, "--evidence", "academic", "--evidence", "impact") == []
    bad = run("search", "--evidence", "evaluations")
    assert bad.exit_code == 2 and "'evaluations' is not one of 'independent'" in bad.output


def test_search_by_city_size_finds_the_cases_in_that_band(run, tmp_path):
    run("import", str(V11), str(SAMPLE))
    export = tmp_path / "all.jsonl"
    run("export", "-o", str(export))
    bands: dict[str, list[str]] = {}
    for line in export.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        bands.setdefault(size_band(record.get("city_population")), []).append(record["slug"])
    for band, slugs in bands.items():
        if band is not None:
            assert search_slugs(run, "--size", band) == sorted(slugs), band


# -- languages: kb --lang xx, or the locale of the environment -------------------------------


def test_lang_changes_the_human_output_and_leaves_json_and_data_errors_alone(run, tmp_path):
    run("import", str(SAMPLE))
    english = run("stats").output
    russian = run("--lang", "ru", "stats")
    assert russian.exit_code == 0, russian.output
    assert f"  {region_name('Europe', 'ru')} " in russian.output
    assert "\n  Europe " in english and region_name("Europe", "ru") not in english
    assert run("stats", "--lang", "ru").output == russian.output
    for args in (["stats", "--json"], ["show", "paris-autolib", "--json"], ["export"]):
        assert run("--lang", "ar", *args).output == run(*args).output, args
    shown = run("--lang", "zh", "show", "paris-autolib").output
    assert country_name("FR", "zh") in shown.splitlines()[1]  # 巴黎，法国（欧洲）
    assert current() == "en"  # nothing of the command's language is left behind
    bad = tmp_path / "bad.jsonl"
    record = json.loads(SAMPLE.read_text().splitlines()[0]) | {"themes": ["e-mobilty"]}
    bad.write_text(json.dumps(record) + "\n")
    result = run("--lang", "fr", "import", str(bad))
    assert result.exit_code == 2
    assert f"{bad}:1: themes: unknown code 'e-mobilty'" in result.output  # stays English


def test_the_lang_environment_variable_chooses_the_language(run, monkeypatch):
    run("import", str(SAMPLE))
    russian = run("--lang", "ru", "stats").output
    monkeypatch.setenv("LANG", "ru_RU.UTF-8")
    assert run("stats").output == russian
    monkeypatch.setenv("LC_ALL", "C")  # the C locale wins: English
    assert "\n  Europe " in run("stats").output


def test_every_command_takes_lang():
    runner = CliRunner()
    for name in main.commands:
        result = runner.invoke(main, [name, "--lang", "ar", "--help"], env={"LANG": "C"})
        assert result.exit_code == 0, name
        assert "--lang [en|fr|es|ar|zh|ru]" in result.output
