"""Settings: declared once, validated at start, and every one documented."""

from __future__ import annotations

from pathlib import Path

import pytest

from commentdesk.settings import Settings, SettingsError, load_settings

DOCS = Path(__file__).parent.parent / "docs" / "operations.md"


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_is_documented(name: str) -> None:
    assert f"COMMENTDESK_{name.upper()}" in DOCS.read_text()


@pytest.mark.parametrize("name", sorted(Settings.model_fields))
def test_every_setting_has_help(name: str) -> None:
    assert Settings.model_fields[name].description


def test_the_environment_overrides_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "commentdesk.toml"
    config.write_text('edit_window_minutes = 5\nlog_level = "debug"\n')
    monkeypatch.setenv("COMMENTDESK_CONFIG", str(config))
    monkeypatch.setenv("COMMENTDESK_EDIT_WINDOW_MINUTES", "7")
    settings = load_settings()
    assert (settings.edit_window_minutes, settings.log_level) == (7, "debug")


def test_explicit_overrides_win(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMENTDESK_DATABASE_URL", "sqlite:///env.db")
    assert load_settings(database_url="sqlite:///flag.db").database_url == "sqlite:///flag.db"


def test_a_bad_value_names_the_setting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMENTDESK_EDIT_WINDOW_MINUTES", "soon")
    with pytest.raises(SettingsError, match="edit_window_minutes"):
        load_settings()


def test_an_unknown_setting_in_the_file_is_refused(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    config = tmp_path / "commentdesk.toml"
    config.write_text("edit_widow_minutes = 5\n")
    monkeypatch.setenv("COMMENTDESK_CONFIG", str(config))
    with pytest.raises(SettingsError, match="edit_widow_minutes"):
        load_settings()


def test_a_missing_config_file_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMMENTDESK_CONFIG", "/nonexistent/commentdesk.toml")
    with pytest.raises(SettingsError, match="not a readable file"):
        load_settings()


@pytest.mark.parametrize("level", ["verbose", "INFO!"])
def test_an_unknown_log_level_is_refused(level: str) -> None:
    with pytest.raises(SettingsError, match="log_level"):
        load_settings(log_level=level)


def test_a_bad_webhook_receiver_allowance_names_the_setting_and_the_entry() -> None:
    with pytest.raises(SettingsError, match=r"webhook_allow_internal.*'hooks internal'"):
        load_settings(webhook_allow_internal="hooks.internal:8443, hooks internal")


def test_webhook_receivers_may_be_allowed_by_name_address_or_network() -> None:
    allowed = "hooks.internal, hooks.internal:8443, 10.20.0.0/16, 127.0.0.1:9000, [fd00::5]:443"
    assert load_settings(webhook_allow_internal=allowed).webhook_allow_internal == allowed
