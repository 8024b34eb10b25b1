"""The import, export, backup, publish and check-config commands."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentdesk.cli import app
from commentdesk.store.migrate import head_revision
from tests.porting.support import FIXTURES

runner = CliRunner()
DISQUS = str(FIXTURES / "isso-tests" / "disqus.xml")


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_import_prints_a_summary_with_the_skip_reasons(db: str) -> None:
    result = runner.invoke(app, ["import", "disqus", DISQUS, "--database", db])
    assert result.exit_code == 0, result.output
    assert "Imported 5 comments from disqus into site 'main'; 2 articles created" in result.output
    assert "its thread is not in the file" in result.output


def test_importing_again_reports_everything_already_there(db: str) -> None:
    runner.invoke(app, ["import", "disqus", DISQUS, "--database", db])
    result = runner.invoke(app, ["import", "disqus", DISQUS, "--database", db])
    assert "Imported 0 comments" in result.output
    assert "5 already there" in result.output


def test_a_refused_file_exits_1_with_one_clear_line(db: str) -> None:
    broken = str(FIXTURES / "remark42-tests" / "disqus.xml")
    result = runner.invoke(app, ["import", "disqus", broken, "--database", db])
    assert result.exit_code == 1
    assert "error: The file is not well-formed XML at line 147" in result.output


def test_naming_an_unknown_site_is_refused(db: str) -> None:
    result = runner.invoke(app, ["import", "wordpress", DISQUS, "--site", "nope", "--database", db])
    assert result.exit_code == 1
    assert "There is no site 'nope'" in result.output


def test_export_then_import_jsonl_into_a_new_database(db: str, tmp_path: Path) -> None:
    runner.invoke(app, ["import", "disqus", DISQUS, "--database", db])
    export = tmp_path / "all.jsonl"
    result = runner.invoke(app, ["export", str(export), "--database", db])
    assert result.exit_code == 0, result.output
    copy = f"sqlite:///{tmp_path / 'copy.db'}"
    result = runner.invoke(app, ["import", "jsonl", str(export), "--database", copy])
    assert result.exit_code == 0, result.output
    lines = export.read_text().splitlines()
    assert f"Restored {len(lines) - 1} rows." in result.output


def test_backup_writes_a_copy(db: str, tmp_path: Path) -> None:
    runner.invoke(app, ["import", "disqus", DISQUS, "--database", db])
    result = runner.invoke(app, ["backup", str(tmp_path / "b.db"), "--database", db])
    assert result.exit_code == 0, result.output
    assert "Backed up 5 comments" in result.output


def test_publish_writes_every_thread(db: str, tmp_path: Path) -> None:
    runner.invoke(app, ["import", "disqus", DISQUS, "--database", db])
    result = runner.invoke(app, ["publish", str(tmp_path / "out"), "--database", db])
    assert result.exit_code == 0, result.output
    thread = json.loads((tmp_path / "out" / "articles" / "some-id.json").read_text())
    assert [c["author"] for c in thread["comments"]] == ["peter", "user", "user"]


def test_check_config_prints_the_settings_with_the_secret_hidden(
    monkeypatch: pytest.MonkeyPatch, db: str
) -> None:
    monkeypatch.setenv("COMMENTDESK_SECRET_KEY", "very-secret-value")
    result = runner.invoke(app, ["check-config", "--database", db])
    assert result.exit_code == 0, result.output
    assert "secret_key = (set)" in result.output
    assert "very-secret-value" not in result.output
    assert "Configuration is valid." in result.output


def test_check_config_names_a_bad_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMENTDESK_TRUSTED_PROXIES", "10.0.0.1, not-an-address")
    result = runner.invoke(app, ["check-config"])
    assert result.exit_code == 2
    assert "trusted_proxies" in result.output


def test_check_config_connect_reports_an_unmigrated_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = runner.invoke(app, ["check-config", "--connect", "--database", url])
    assert result.exit_code == 1
    assert "commentdesk init" in result.output


def test_check_config_connect_accepts_a_migrated_database(db: str) -> None:
    runner.invoke(app, ["init", "--database", db])
    result = runner.invoke(app, ["check-config", "--connect", "--database", db])
    assert result.exit_code == 0, result.output
    assert f"Database answers, schema {head_revision()}." in result.output
