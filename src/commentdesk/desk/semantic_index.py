"""The stored side of campaigns by meaning and of moderators' exemplars.

Each assessed comment's unit vector is kept in ``embeddings`` (float16, 1 KiB) and, when
it is long enough to mean coordination (``triage.semantic.eligible``), its random-
hyperplane bands go into ``lsh_bands`` with ``kind = SEMANTIC``. A lookup probes each
band for its newest :data:`PER_BAND` rows in the window, keeps the
:data:`MAX_CANDIDATES` comments sharing the most bands, and verifies them by exact
cosine: at most ``BANDS x PER_BAND`` index rows and ``MAX_CANDIDATES`` vectors read,
whether the index holds ten thousand comments or a million.

A rejection for abuse, threats or spam copies the comment's vector into ``exemplars``
(in the decision's transaction); its undo and the comment's erasure delete it again.
Every function here runs inside the caller's transaction.
"""

from __future__ import annotations

import functools
from collections import Counter
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import numpy as np
import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.store.lists import one_of
from commentdesk.store.tables import embeddings, exemplars, lsh_bands
from commentdesk.triage import semantic
from commentdesk.triage.semantic import SEMANTIC, Vector

#: Newest index rows read per band of a lookup.
PER_BAND = 64
#: Comments whose vectors are read and compared, those sharing the most bands first.
MAX_CANDIDATES = 64


@functools.cache
def probe(count: int, kind: int, per_band: int) -> sa.CompoundSelect[tuple[Any]]:
    """The newest ``per_band`` comment ids of each of ``count`` bands in the window, as
    one statement built once per shape; bands and window are bound parameters."""
    per = [
        sa.select(lsh_bands.c.comment_id)
        .where(
            lsh_bands.c.band == sa.bindparam(f"b{i}"),
            lsh_bands.c.kind == kind,
            lsh_bands.c.created_at >= sa.bindparam("window"),
        )
        .order_by(lsh_bands.c.created_at.desc())
        .limit(per_band)
        .subquery()
        for i in range(count)
    ]
    return sa.union_all(*(sa.select(sub.c.comment_id) for sub in per))


def band_hits(
    connection: Connection, bands: Sequence[int], kind: int, window: datetime, per_band: int
) -> Counter[int]:
    """How many of ``bands`` each indexed comment shares (within the window's newest rows)."""
    unique = list(dict.fromkeys(bands))
    if not unique:
        return Counter()
    params: dict[str, object] = {f"b{i}": band for i, band in enumerate(unique)}
    params["window"] = window
    found = connection.execute(probe(len(unique), kind, per_band), params).scalars()
    return Counter(int(comment_id) for comment_id in found)


def similar(
    connection: Connection, vector: Vector, bands: Sequence[int], window: datetime
) -> list[int]:
    """Indexed comments whose meaning is within ``semantic.THRESHOLD`` of ``vector``."""
    hits = band_hits(connection, bands, SEMANTIC, window, PER_BAND)
    if not hits:
        return []
    ranked = sorted(hits, key=lambda i: (hits[i], i), reverse=True)[:MAX_CANDIDATES]
    rows = connection.execute(
        sa.select(embeddings.c.comment_id, embeddings.c.vector).where(
            one_of(embeddings.c.comment_id, ranked)
        )
    ).all()
    if not rows:
        return []
    matrix = np.stack([semantic.from_bytes(row.vector) for row in rows])
    cosines = matrix @ vector
    return sorted(
        row.comment_id for row, c in zip(rows, cosines, strict=True) if c >= semantic.THRESHOLD
    )


def store(
    connection: Connection,
    comment_id: int,
    site_id: int,
    vector: Vector,
    bands: Sequence[int],
    now: datetime,
) -> None:
    """Keeps the comment's vector, and its bands when it is eligible for campaigns."""
    connection.execute(
        embeddings.insert().values(
            comment_id=comment_id, site_id=site_id, vector=semantic.to_bytes(vector), created_at=now
        )
    )
    if bands:
        connection.execute(
            lsh_bands.insert(),
            [
                {"band": b, "comment_id": comment_id, "created_at": now, "kind": SEMANTIC}
                for b in bands
            ],
        )


def remember(connection: Connection, ids: Sequence[int], reason: str | None, now: datetime) -> None:
    """Makes comments just rejected for abuse, threats or spam exemplars of their site:
    one insert of their vectors, whatever their number.

    Nothing happens for another reason, or for a comment without a vector (the model is
    off, or the comment was rejected before the worker assessed it)."""
    category = semantic.category_of(reason)
    if category is None or not ids:
        return
    rows = sa.select(
        embeddings.c.site_id,
        embeddings.c.comment_id,
        sa.literal(category, sa.String(16)),
        embeddings.c.vector,
        sa.literal(now, embeddings.c.created_at.type),
    ).where(one_of(embeddings.c.comment_id, ids))
    connection.execute(
        exemplars.insert().from_select(
            ["site_id", "comment_id", "category", "vector", "created_at"], rows
        )
    )


def forget_exemplar(connection: Connection, comment_id: int) -> None:
    """The comment is no longer an example of anything (its rejection was undone)."""
    connection.execute(exemplars.delete().where(exemplars.c.comment_id == comment_id))


def forget(connection: Connection, ids: Sequence[int]) -> None:
    """Every vector, band and exemplar made from these comments' texts."""
    if not ids:
        return
    connection.execute(lsh_bands.delete().where(one_of(lsh_bands.c.comment_id, ids)))
    connection.execute(embeddings.delete().where(one_of(embeddings.c.comment_id, ids)))
    connection.execute(exemplars.delete().where(one_of(exemplars.c.comment_id, ids)))


def close_exemplars(
    connection: Connection, site_id: int, vector: Vector, since: datetime, most: int
) -> dict[str, int]:
    """How many of the site's exemplars since ``since`` are close to ``vector``, by
    category: at most ``most`` (the newest) per category are compared, one matrix product."""
    found: dict[str, int] = {}
    for category in semantic.CATEGORIES:
        rows = connection.execute(
            sa.select(exemplars.c.vector)
            .where(
                exemplars.c.site_id == site_id,
                exemplars.c.category == category,
                exemplars.c.created_at >= since,
            )
            .order_by(exemplars.c.created_at.desc())
            .limit(most)
        ).scalars()
        vectors = [semantic.from_bytes(data) for data in rows]
        if not vectors:
            continue
        close = int(np.count_nonzero(np.stack(vectors) @ vector >= semantic.EXEMPLAR_THRESHOLD))
        if close:
            found[category] = close
    return found


def purge(connection: Connection, vectors_before: datetime, exemplars_before: datetime) -> int:
    """Forgets vectors older than anyone still needs them (the clustering window, or a
    moderator's late rejection) and exemplars past their days; returns how many went.
    The semantic bands go with the MinHash ones (``Screening.purge``)."""
    done = connection.execute(
        embeddings.delete().where(embeddings.c.created_at < vectors_before)
    ).rowcount
    done += connection.execute(
        exemplars.delete().where(exemplars.c.created_at < exemplars_before)
    ).rowcount
    return int(done)
