"""Helpers for import and export tests: the shared fixture files, runs and table snapshots."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from commentdesk.desk import Desk
from commentdesk.desk.porting import Importer
from commentdesk.porting.run import ImportSummary, run_import
from commentdesk.store.tables import articles, comments, metadata

#: ../shared/fixtures beside the checkout (CI clones with shared/ beside it too).
FIXTURES = Path(__file__).parents[2] / ".." / "shared" / "fixtures"
#: Remark42's Disqus files end with a post whose attribute is unquoted (not XML).
BROKEN_TAIL = re.compile(rb'\s*<post dsq:id="x299986073">.*?</post>', re.DOTALL)


def run(desk: Desk, source: str, path: Path, **options: Any) -> ImportSummary:
    return run_import(Importer(desk.context), source, path, **options)


def snapshot(desk: Desk) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in primary-key order."""
    with desk.context.store.read() as connection:
        return {
            table.name: [
                tuple(row)
                for row in connection.execute(sa.select(table).order_by(*table.primary_key.columns))
            ]
            for table in metadata.sorted_tables
        }


def imported(desk: Desk) -> dict[str, sa.RowMapping]:
    """Imported comments by their id in the source (the part after "SITE:")."""
    query = sa.select(*comments.c, articles.c.key.label("article")).select_from(
        comments.join(articles, articles.c.id == comments.c.article_id)
    )
    with desk.context.store.read() as connection:
        rows = connection.execute(query.where(comments.c.import_id.is_not(None))).mappings()
        return {row["import_id"].split(":", 1)[1]: row for row in rows}


def repaired(name: str, folder: Path) -> Path:
    """A copy of a Remark42 Disqus file without its broken last post (kept byte for byte
    otherwise, stray backtick included)."""
    data = (FIXTURES / "remark42-tests" / name).read_bytes()
    copy = folder / name
    copy.write_bytes(BROKEN_TAIL.sub(b"", data))
    return copy
