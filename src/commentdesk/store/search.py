"""Free-text search over comments that uses an index on both databases.

``matching(connection, text)`` is a condition on ``comments``: the body contains
``text``, ignoring case, found through the index of migration 0012: an FTS5 trigram
table on SQLite (``comments_text``), a ``pg_trgm`` GIN index for ``ILIKE`` on
PostgreSQL. Neither planner can tell how many comments a text matches, and the right
plan depends on it, so the matches are looked up first, at most ``FEW`` + 1 of them: a
text matching few comments gives their ids (``Match.few``), which are fetched and
sorted; a common one is checked row by row while the queue is read in its own order,
which ends after a page. A trigram index needs three characters; a shorter text is
looked for by a scan.
"""

from __future__ import annotations

from typing import NamedTuple

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


class Match(NamedTuple):
    """The condition, and whether it names a few comments by id (at most ``FEW``): then
    fetching them and sorting beats walking the queue's order, which a planner that
    sees a long list of ids may still choose (``desk/review.py`` takes the hint)."""

    where: sa.ColumnElement[bool]
    few: bool


def _by_words(text: str, pattern: str) -> list[sa.ColumnElement[bool]]:
    """The same matches for PostgreSQL to look up by its words' inner trigrams.

    For ``%library coffee%`` pg_trgm also asks its index for the trigrams of the word
    edges (``"ry "``, ``"  c"``, ``" co"``), which a quarter or more of all comments
    contain: reading those lists took 25 of a 41 ms lookup. ``%library%coffee%`` has no
    certain edge, so only the words' inner trigrams are read (10 ms); the whole text is
    then checked on the rows found (``body || ''`` is no index).
    """
    words = text.split()
    if len(words) < 2:  # one word: the same trigrams, read once
        return [comments.c.body.ilike(pattern, escape="\\")]
    inner = "%" + "%".join(like_pattern(word)[1:-1] for word in words) + "%"
    return [
        comments.c.body.ilike(inner, escape="\\"),
        comments.c.body.concat("").ilike(pattern, escape="\\"),
    ]


def matching(connection: Connection, text: str) -> Match:
    """Comments whose text contains ``text`` (case folded), from the index if there is one."""
    pattern = like_pattern(text)
    indexed = comments.c.body.ilike(pattern, escape="\\")
    if len(text) < INDEXED_LENGTH:
        # ``body || ''``: no index serves it, so the planner reads the queue in its order
        # and stops at a page (PostgreSQL would read its whole trigram index instead).
        return Match(comments.c.body.concat("").ilike(pattern, escape="\\"), few=False)
    if connection.dialect.name != "sqlite":
        probe = sa.select(comments.c.id).where(*_by_words(text, pattern)).limit(FEW + 1)
        ids = connection.execute(probe)
        few = ids.scalars().all()
        if len(few) <= FEW:
            return Match(one_of(comments.c.id, list(few)), few=True)
        return Match(indexed, few=False)
    phrase = '"' + text.replace('"', '""') + '"'  # one FTS5 phrase of trigrams: a substring
    every = sa.select(
        _MATCHES.bindparams(phrase=phrase).columns(rowid=sa.Integer).subquery().c.rowid
    )
    found = connection.execute(every.limit(FEW + 1)).scalars().all()
    if len(found) <= FEW:
        return Match(one_of(comments.c.id, list(found)), few=True)
    # ``id + 0`` is no index: SQLite walks the queue's ordering index and stops at a page.
    return Match((comments.c.id + 0).in_(every.scalar_subquery()), few=False)
