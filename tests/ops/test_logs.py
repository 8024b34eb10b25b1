"""Log lines: plain or JSON, as configured."""

from __future__ import annotations

import json
import logging

import pytest

from commentdesk.logs import JsonFormatter, configure_logging
from commentdesk.settings import Settings


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
