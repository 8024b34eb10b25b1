"""Log lines: plain or JSON, as configured."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import httpx2
import pytest

from commentdesk.logs import JsonFormatter, configure_logging
from commentdesk.settings import Settings
from tests.livesrv import start_server


def test_a_json_line_carries_time_level_logger_and_message() -> None:
    record = logging.LogRecord(
        "commentdesk.access", logging.INFO, "", 0, "GET %s %d", ("/x", 200), None
    )
    entry = json.loads(JsonFormatter().format(record))
    assert (entry["level"], entry["logger"], entry["message"]) == (
        "info",
        "commentdesk.access",
        "GET /x 200",
    )
    assert entry["time"].endswith("+00:00")


def test_json_logging_is_switched_on_by_the_setting(capsys: pytest.CaptureFixture[str]) -> None:
    root = logging.getLogger()
    saved = root.handlers[:], root.level
    try:
        configure_logging(Settings(log_format="json"))
        logging.getLogger("commentdesk.test").warning("hello %s", "there")
    finally:
        root.handlers[:], level = saved
        root.setLevel(level)
    assert json.loads(capsys.readouterr().err.strip())["message"] == "hello there"


@pytest.mark.slow
def test_a_server_with_json_logs_writes_only_json_lines(
    database_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMMENTDESK_LOG_FORMAT", "json")
    log = tmp_path / "server.log"
    process, base = start_server(database_url, log)
    try:
        httpx2.get(f"{base}/readyz", headers={"X-Forwarded-For": "203.0.113.7"})
    finally:
        process.terminate()
        process.wait(timeout=20)
    entries = [json.loads(line) for line in log.read_text().splitlines() if line.strip()]
    messages = [entry["message"] for entry in entries]
    assert any(m.startswith("GET /readyz 200") for m in messages)
    assert any("Uvicorn running" in m for m in messages)  # uvicorn's own lines too
    assert not any("203.0.113.7" in m for m in messages)
