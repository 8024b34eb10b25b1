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
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.model import State
from commentdesk.store.lists import one_of
from commentdesk.store.tables import comments, embeddings, exemplars, lsh_bands
from commentdesk.triage import semantic
from commentdesk.triage.semantic import SEMANTIC, Vector

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

#: Newest index rows read per band of a lookup: a bucket of 10 bits holds about one
#: comment in 1,000 of the window, so past some 30,000 comments this cap, not the
#: index's size, sets a lookup's cost (the newest copies of a running campaign are the
#: ones it needs).
PER_BAND = 32
#: Comments whose vectors are read and compared, those sharing the most bands first.
MAX_CANDIDATES = 64
#: Clusters in the other language a comment is compared with as a whole, and how many
#: of each one's newest members make its mean.
MAX_CROSS_CLUSTERS = 4
CROSS_SAMPLE = 32


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
    found: Iterable[int] = connection.execute(probe(len(unique), kind, per_band), params).scalars()
    return Counter(found)


@dataclass(frozen=True, slots=True)
class Meaning:
    """What a comment's meaning joins: earlier comments within ``semantic.THRESHOLD``,
    and clusters whose members in the other language it is close to as a whole."""

    ids: tuple[int, ...] = ()
    seeds: tuple[int, ...] = ()


def similar(
    connection: Connection,
    vector: Vector,
    bands: Sequence[int],
    window: datetime,
    *,
    language: str,
    author: str,
    article_id: int,
) -> Meaning:
    """Earlier comments and clusters close in meaning to ``vector`` (module docstring).

    A comment by the same pseudonym on the same article is a person restating their
    point, not a copy: it joins only if its characters match (MinHash). A translation
    is further from its original than a paraphrase (a cosine of 0.4 to 0.75 on the dev
    set, where honest readers' unrelated comments reach 0.77), so across languages a
    comment joins a cluster when it is within ``semantic.CROSS_THRESHOLD`` of the mean of
    that cluster's members in the other language (at least ``semantic.CROSS_MEMBERS`` of
    them, the newest ``CROSS_SAMPLE``): a campaign's copies average out to its talking
    point. Bounded: ``BANDS x PER_BAND`` index rows, ``MAX_CANDIDATES`` vectors, then at
    most ``MAX_CROSS_CLUSTERS x CROSS_SAMPLE`` more."""
    import numpy as np

    hits = band_hits(connection, bands, SEMANTIC, window, PER_BAND)
    if not hits:
        return Meaning()
    ranked = sorted(hits, key=lambda i: (hits[i], i), reverse=True)[:MAX_CANDIDATES]
    rows = connection.execute(
        sa.select(
            embeddings.c.comment_id,
            embeddings.c.vector,
            comments.c.cluster_id,
            comments.c.language,
            comments.c.author,
            comments.c.article_id,
        )
        .join(comments, comments.c.id == embeddings.c.comment_id)
        .where(one_of(embeddings.c.comment_id, ranked))
    ).all()
    if not rows:
        return Meaning()
    cosines = np.stack([semantic.from_bytes(row.vector) for row in rows]) @ vector
    ids = tuple(
        sorted(
            row.comment_id
            for row, cos in zip(rows, cosines, strict=True)
            if cos >= semantic.THRESHOLD
            and not (row.author == author and row.article_id == article_id)
        )
    )
    return Meaning(ids, _cross_seeds(connection, rows, vector, language))


def _cross_seeds(
    connection: Connection, rows: Sequence[Any], vector: Vector, language: str
) -> tuple[int, ...]:
    import numpy as np

    if language not in semantic.CROSS_LANGUAGES:
        return ()
    others = [
        row.cluster_id
        for row in rows
        if row.cluster_id is not None
        and row.language in semantic.CROSS_LANGUAGES
        and row.language != language
    ]
    seeds = []
    for seed in list(dict.fromkeys(others))[:MAX_CROSS_CLUSTERS]:
        # The cluster's newest members in the other language (among its newest 128), read
        # on ``cluster_id``'s index, whose entries are in id order; then their vectors.
        # (No condition on the language in SQL: the planner would then scan the table.)
        recent = connection.execute(
            sa.select(comments.c.id, comments.c.language)
            .where(comments.c.cluster_id == seed)
            .order_by(comments.c.id.desc())
            .limit(4 * CROSS_SAMPLE)
        ).all()
        newest = [
            row.id
            for row in recent
            if row.language in semantic.CROSS_LANGUAGES and row.language != language
        ][:CROSS_SAMPLE]
        members = (
            connection.execute(
                sa.select(embeddings.c.vector).where(one_of(embeddings.c.comment_id, newest))
            )
            .scalars()
            .all()
        )
        if len(members) < semantic.CROSS_MEMBERS:
            continue
        centre = np.stack([semantic.from_bytes(data) for data in members]).mean(axis=0)
        if semantic.cosine(vector, centre) >= semantic.CROSS_THRESHOLD:
            seeds.append(seed)
    return tuple(sorted(seeds))


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
    category: at most ``most`` (the newest) per category, one matrix product each.

    Close means within ``semantic.EXEMPLAR_THRESHOLD``, and closer to that category's
    nearest rejection than to any of the site's ``most`` newest approved comments: a
    sentence encoder hears topic louder than stance ("the reporter deserves a prize"
    sits near "the reporter deserves a beating"), so the nearest decision decides. On
    the dev set (each comment against every earlier one) this flags no clean comment,
    20 of 53 insults and 12 of 51 spam with no word list at all."""
    import numpy as np

    found: dict[str, tuple[int, float]] = {}
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
        cosines = np.stack(vectors) @ vector
        close = int(np.count_nonzero(cosines >= semantic.EXEMPLAR_THRESHOLD))
        if close:
            found[category] = (close, float(cosines.max()))
    if not found:
        return {}
    approved = _approved(connection, site_id, since, most)
    nearest_approved = float((approved @ vector).max()) if len(approved) else -1.0
    return {
        category: count
        for category, (count, nearest) in found.items()
        if nearest >= nearest_approved
    }


def _approved(
    connection: Connection, site_id: int, since: datetime, most: int
) -> npt.NDArray[np.float32]:
    """The vectors of the site's newest approved comments (only read when a comment is
    close to some rejection: most comments never need them)."""
    import numpy as np

    rows = connection.execute(
        sa.select(embeddings.c.vector)
        .join(comments, comments.c.id == embeddings.c.comment_id)
        .where(
            embeddings.c.site_id == site_id,
            embeddings.c.created_at >= since,
            comments.c.state == State.APPROVED.value,
        )
        .order_by(embeddings.c.created_at.desc())
        .limit(most)
    ).scalars()
    vectors = [semantic.from_bytes(data) for data in rows]
    if not vectors:
        return np.zeros((0, semantic.DIMENSIONS), dtype=np.float32)
    return np.stack(vectors)


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
