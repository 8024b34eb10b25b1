"""The one CSV writer: every spreadsheet the product hands out is written here.

A cell a spreadsheet would run as a formula is made text with a leading ``'`` (OWASP's
advice for CSV injection): one starting with ``=``, ``+``, ``-``, ``@``, a tab or a
carriage return, also after leading whitespace, since spreadsheets skip it before
looking for a formula. The callers hand over plain values; none of them escapes, so
no export can forget to.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator

from starlette.responses import Response, StreamingResponse

#: What a spreadsheet reads as the start of a formula (after any whitespace).
FORMULA_START = ("=", "+", "-", "@")
#: Characters that start a formula on their own (OWASP's list), even before whitespace.
CONTROL_START = ("\t", "\r")


def neutral(value: str) -> str:
    """``value`` as a cell a spreadsheet shows as text and never evaluates."""
    if value.startswith(CONTROL_START) or value.lstrip().startswith(FORMULA_START):
        return "'" + value
    return value


def csv_stream(rows: Iterable[Iterable[object]]) -> Iterator[str]:
    """CSV text, row by row; ``None`` is an empty cell, anything else its ``str``."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([neutral("" if cell is None else str(cell)) for cell in row])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()


def csv_response(rows: Iterable[Iterable[object]], filename: str) -> Response:
    """A download of ``rows`` (streamed, so a long export holds little memory)."""
    return StreamingResponse(
        csv_stream(rows),
        media_type="text/csv; charset=utf-8",
        headers={
            "Content-Disposition": f'attachment; filename="{filename}"',
            "Cache-Control": "no-store",
        },
    )
