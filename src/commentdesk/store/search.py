"""Free-text search over comments that uses an index on both databases.

``contains_text(text)`` is a condition on ``comments``: the body contains ``text``,
ignoring case. It compiles to what each database can answer from the index migration
0012 made: on SQLite a phrase query on the FTS5 trigram table (``comments_text``), on
PostgreSQL ``ILIKE`` over the ``pg_trgm`` GIN index. A trigram index needs three
characters; a shorter text is looked for by scanning, which the caller bounds.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.compiler import SQLCompiler
from sqlalchemy.sql.elements import ColumnElement

from commentdesk.store.tables import comments

#: What migration 0012 adds besides the declared tables (the FTS5 table and its shadow
#: tables, the trigram index): the schema comparison leaves them out.
UNDECLARED_PREFIXES = ("comments_text", "comments_body_trgm")
INDEXED_LENGTH = 3


def like_pattern(text: str) -> str:
    """``text`` anywhere, as a LIKE pattern with ``\\`` escaping its wildcards."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class ContainsText(ColumnElement[bool]):
    # Compiled afresh each time: the text becomes a bound value only at compile time.
    inherit_cache = False
    type = sa.Boolean()

    def __init__(self, text: str) -> None:
        self.text = text


def contains_text(text: str) -> ColumnElement[bool]:
    return ContainsText(text)


def _scan(text: str) -> ColumnElement[bool]:
    return comments.c.body.ilike(like_pattern(text), escape="\\")


@compiles(ContainsText)
def _compile_scan(element: ContainsText, compiler: SQLCompiler, **kw: Any) -> str:
    return compiler.process(_scan(element.text), **kw)


@compiles(ContainsText, "sqlite")
def _compile_sqlite(element: ContainsText, compiler: SQLCompiler, **kw: Any) -> str:
    if len(element.text) < INDEXED_LENGTH:
        return compiler.process(_scan(element.text), **kw)
    phrase = '"' + element.text.replace('"', '""') + '"'  # one FTS5 phrase: a substring
    matching: sa.Select[Any] = (
        sa.select(sa.literal_column("rowid"))
        .select_from(sa.table("comments_text"))
        .where(sa.literal_column("comments_text").op("MATCH")(sa.literal(phrase)))
    )
    return compiler.process(comments.c.id.in_(matching.scalar_subquery()), **kw)
