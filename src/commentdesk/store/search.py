"""Free-text search over comments that uses an index on both databases.

``matching(connection, text)`` is a condition on ``comments``: the body contains
``text``, ignoring case, found through the index of migration 0012: an FTS5 trigram
table on SQLite (``comments_text``), a ``pg_trgm`` GIN index for ``ILIKE`` on
PostgreSQL. Neither planner can tell how many comments a text matches, and the right
plan depends on it, so the matches are looked up first, at most ``FEW`` + 1 of them: a
text matching few comments gives their ids, which are fetched and sorted; a common one
is checked row by row while the queue is read in its own order, which ends after a
page. A trigram index needs three characters; a shorter text is looked for by a scan.
"""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.store.lists import one_of
from commentdesk.store.tables import comments

#: What migration 0012 adds besides the declared tables (the FTS5 table and its shadow
#: tables, the trigram index): the schema comparison leaves them out.
UNDECLARED_PREFIXES = ("comments_text", "comments_body_trgm")
INDEXED_LENGTH = 3
#: Up to this many matches, fetch them by id; beyond, filter the queue as it is read.
FEW = 1000

_MATCHES = sa.text("SELECT rowid FROM comments_text WHERE comments_text MATCH :phrase")


def like_pattern(text: str) -> str:
    """``text`` anywhere, as a LIKE pattern with ``\\`` escaping its wildcards."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def matching(connection: Connection, text: str) -> sa.ColumnElement[bool]:
    """Comments whose text contains ``text`` (case folded), from the index if there is one."""
    pattern = like_pattern(text)
    indexed = comments.c.body.ilike(pattern, escape="\\")
    if len(text) < INDEXED_LENGTH:
        # ``body || ''``: no index serves it, so the planner reads the queue in its order
        # and stops at a page (PostgreSQL would read its whole trigram index instead).
        return comments.c.body.concat("").ilike(pattern, escape="\\")
    if connection.dialect.name != "sqlite":
        ids = connection.execute(sa.select(comments.c.id).where(indexed).limit(FEW + 1))
        few = ids.scalars().all()
        return one_of(comments.c.id, list(few)) if len(few) <= FEW else indexed
    phrase = '"' + text.replace('"', '""') + '"'  # one FTS5 phrase of trigrams: a substring
    every = sa.select(
        _MATCHES.bindparams(phrase=phrase).columns(rowid=sa.Integer).subquery().c.rowid
    )
    found = connection.execute(every.limit(FEW + 1)).scalars().all()
    if len(found) <= FEW:
        return one_of(comments.c.id, list(found))
    # ``id + 0`` is no index: SQLite walks the queue's ordering index and stops at a page.
    return (comments.c.id + 0).in_(every.scalar_subquery())
