"""The JSON Lines format of ``commentdesk export``: one header, then one row per line.

    {"format": "commentdesk-export", "version": 1, "schema": "0003", "exported_at": "…"}
    {"table": "sites", "row": {"id": 1, "slug": "news", …}}

Tables come parents first (the schema's foreign-key order), rows by primary key, so a
reader can insert them as they come. Times are ISO 8601 in UTC. Pure functions only.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

import sqlalchemy as sa

from commentdesk.porting.records import UnreadableSource
from commentdesk.store.tables import UTCDateTime, metadata

FORMAT = "commentdesk-export"
VERSION = 1


def header(schema: str, exported_at: datetime) -> str:
    return json.dumps(
        {
            "format": FORMAT,
            "version": VERSION,
            "schema": schema,
            "exported_at": exported_at.isoformat(),
        }
    )


def encode_row(table: sa.Table, row: dict[str, Any]) -> str:
    values = {
        name: value.isoformat() if isinstance(value, datetime) else value
        for name, value in row.items()
    }
    return json.dumps({"table": table.name, "row": values}, ensure_ascii=False)


def read_header(line: str) -> str:
    """The schema revision the export was made with; ``UnreadableSource`` if not ours."""
    try:
        value = json.loads(line)
    except ValueError:
        value = None
    if not isinstance(value, dict) or value.get("format") != FORMAT:
        raise UnreadableSource("This is not a commentdesk export (its first line is not ours).")
    if value.get("version") != VERSION:
        raise UnreadableSource(f"This export has format version {value.get('version')!r}.")
    return str(value.get("schema"))


def decode_row(line: str, number: int) -> tuple[sa.Table, dict[str, Any]]:
    """(table, row ready to insert); ``UnreadableSource`` naming the line otherwise."""
    try:
        value = json.loads(line)
        table = metadata.tables[value["table"]]
        row = value["row"]
        unknown = set(row) - set(table.c.keys())
        if unknown:
            raise KeyError(", ".join(sorted(unknown)))
        return table, {name: _decode(table.c[name], item) for name, item in row.items()}
    except (ValueError, KeyError, TypeError) as exc:
        raise UnreadableSource(
            f"Line {number} of the export cannot be read ({type(exc).__name__}: {exc}); "
            "nothing was restored."
        ) from None


def _decode(column: sa.Column[Any], value: Any) -> Any:
    if value is not None and isinstance(column.type, UTCDateTime):
        return datetime.fromisoformat(value)
    return value
