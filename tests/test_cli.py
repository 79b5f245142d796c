"""The `kb` command, as a user types it."""

import json

import pytest
from click.testing import CliRunner

from kb.cli import main
from tests.conftest import SAMPLE


@pytest.fixture
def run(tmp_path, monkeypatch, database_url):
    monkeypatch.setenv("KB_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("KB_DATABASE_URL", database_url)
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
