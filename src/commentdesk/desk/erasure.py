"""Removing a comment's text, and every copy made from it: one function for both ways
a text goes (the author's erasure in ``desk/rights.py``, the retention policy in
``desk/retention.py``), so the two cannot drift apart.

A comment's text is copied, whole or in pieces, into: its row (``body``), its stored
assessment (reason sentences quote the words and link hosts that matched), the
near-duplicate index (``lsh_bands``, MinHash bands of its shingles and random-hyperplane
bands of its sentence vector), its vector (``embeddings``) and, when a moderator rejected
it for abuse, threats or spam, the exemplar made from it (``exemplars``), the retry
fingerprints (``idempotency_keys``, a hash of the text), the author's words contesting a
decision (``contests.text``), and the audit log (the texts before and after each submit,
edit and contest, in ``events`` and ``staff_events``). Mail is
rendered from the row when it is sent, webhooks carry no text, and the published
files and thread caches follow the article's ``published_version``, which the caller
bumps when the comment was public.

What stays: the row (replies keep their place), its state and decisions, the risk,
action and reason codes of its assessment, and the events, without their texts.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk import semantic_index
from commentdesk.store.lists import one_of
from commentdesk.store.records import assessment_from, assessment_to
from commentdesk.store.tables import comments, contests, events, idempotency_keys, staff_events
from commentdesk.triage.scoring import without_text

#: Why a text is gone, as ``comments.text_removed`` records it.
BY_AUTHOR = "author"
BY_RETENTION = "retention"


def remove_texts(connection: Connection, ids: Sequence[int], *, why: str) -> None:
    """Empties these comments' text and drops every copy derived from it.

    Runs inside the caller's transaction, which also writes the event saying it
    happened. Idempotent: running it again on the same comments changes nothing more.
    """
    if not ids:
        return
    rows = connection.execute(
        sa.select(comments.c.id, comments.c.assessment).where(one_of(comments.c.id, ids))
    ).all()
    for row in rows:
        assessment = assessment_to(without_text(assessment_from(row.assessment or {})))
        connection.execute(
            comments.update()
            .where(comments.c.id == row.id)
            .values(body="", text_removed=why, assessment=assessment)
        )
    for table in (events, staff_events):
        connection.execute(
            table.update()
            .where(one_of(table.c.comment_id, ids))
            .values(before_text=None, after_text=None)
        )
    connection.execute(contests.update().where(one_of(contests.c.comment_id, ids)).values(text=""))
    semantic_index.forget(connection, ids)  # vectors, exemplars and both kinds of bands
    connection.execute(idempotency_keys.delete().where(one_of(idempotency_keys.c.comment_id, ids)))
