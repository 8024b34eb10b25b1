"""Logging set-up for ``commentdesk serve``: plain lines or JSON lines, never an address.

Called by the CLI, not at import. The access log (``commentdesk.web.middleware.observed``) writes
method, path, status and time only; uvicorn's own access log, which prints client
addresses, stays off.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime

from commentdesk.settings import Settings


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message (and the error, if any)."""

    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["error"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(settings: Settings) -> None:
    handler = logging.StreamHandler()
    if settings.log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(logging.Formatter("%(levelname)s %(name)s %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(settings.log_level.upper())
    logging.getLogger("alembic").setLevel(logging.WARNING)
    # httpx logs every webhook request at info, URL (query tokens too) and answer line
    # included; the worker logs each failure as a category instead.
    logging.getLogger("httpx").setLevel(logging.WARNING)
