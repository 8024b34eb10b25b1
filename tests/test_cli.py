"""The ``commentdesk`` command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from commentdesk.cli import app
from commentdesk.desk import Desk
from commentdesk.settings import load_settings

runner = CliRunner()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def test_init_creates_the_database(db: str, tmp_path: Path) -> None:
    result = runner.invoke(app, ["init", "--database", db])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "cli.db").exists()


def test_moderator_add_reads_the_password_from_stdin(db: str) -> None:
    result = runner.invoke(
        app,
        ["moderator", "add", "ana", "--role", "admin", "--database", db],
        input="long enough pw\n",
    )
    assert result.exit_code == 0, result.output
    desk = Desk.open(load_settings(database_url=db))
    assert desk.accounts.verify_password("ana", "long enough pw").role.value == "admin"
    desk.close()


def test_a_short_password_is_refused_with_a_message(db: str) -> None:
    result = runner.invoke(app, ["moderator", "add", "ana", "--database", db], input="short\n")
    assert result.exit_code == 1
    assert "at least 10 characters" in result.output


def test_token_create_prints_a_working_token(db: str) -> None:
    runner.invoke(app, ["moderator", "add", "ana", "--database", db], input="long enough pw\n")
    result = runner.invoke(app, ["token", "create", "ana", "--database", db])
    assert result.exit_code == 0, result.output
    token = result.output.strip()
    desk = Desk.open(load_settings(database_url=db))
    assert desk.accounts.authenticate_token(token).name == "ana"
    desk.close()


def test_token_create_for_an_unknown_moderator_fails_clearly(db: str) -> None:
    result = runner.invoke(app, ["token", "create", "ghost", "--database", db])
    assert result.exit_code == 1
    assert "no moderator called 'ghost'" in result.output


def test_site_and_article_add(db: str) -> None:
    site = runner.invoke(
        app,
        ["site", "paper", "--name", "Paper", "--origin", "https://paper.example", "--database", db],
    )
    assert site.exit_code == 0, site.output
    add = ["article", "add", "k1", "--url", "https://paper.example/k1", "--title", "K"]
    add += ["--site", "paper", "--database", db]
    article = runner.invoke(app, add)
    assert article.exit_code == 0, article.output
    again = runner.invoke(app, add)
    assert again.exit_code == 1
    assert "exists already" in again.output


def test_a_bad_origin_is_refused(db: str) -> None:
    result = runner.invoke(
        app, ["site", "x", "--name", "X", "--origin", "paper.example", "--database", db]
    )
    assert result.exit_code == 1
    assert "is not an origin" in result.output


def test_a_bad_database_url_stops_with_a_message() -> None:
    result = runner.invoke(app, ["init", "--database", "mysql://nope"])
    assert result.exit_code == 2
    assert "database_url" in result.output
