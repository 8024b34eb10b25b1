"""Which cluster a comment joins: near-duplicates by characters, or by meaning.

A comment joins the cluster of the earlier comments that share at least
:data:`MIN_SHARED_BANDS` MinHash bands with it (the same text, lightly edited), or whose
sentence vectors are within ``triage.semantic.THRESHOLD`` of its own (the same talking
point, paraphrased or translated). The cluster is named by its first comment. Whether it
is a *campaign* is triage's call (``triage/scoring.py``), from the spread returned here:
how many comments, pseudonyms, articles and minutes.

Bounded: at most ``BANDS x PER_BAND`` index rows per kind, :data:`MAX_CANDIDATES`
near-duplicates and ``semantic_index.MAX_CANDIDATES`` vectors, then one aggregate over
the cluster's indexed ``cluster_id``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk import semantic_index
from commentdesk.store.lists import one_of
from commentdesk.store.tables import comments
from commentdesk.triage.policy import Cluster
from commentdesk.triage.semantic import Vector

#: Bands two texts must share to count as near-duplicates (of 32; about 50% similar).
MIN_SHARED_BANDS = 2
#: Near-duplicates looked at per submission: enough to place it, bounded whatever the flood.
MAX_CANDIDATES = 200
#: Newest MinHash index rows read per band of a submission.
PER_BAND = 100
#: Clusters one comment may merge into its own.
MAX_MERGED = 8
MINHASH = 0


@dataclass(frozen=True, slots=True)
class Found:
    """The cluster a comment joins (named by its first comment), the loose earlier
    comments joining it with this one, the other clusters this comment bridges (merged
    into it), and the spread of it all."""

    seed: int | None = None
    loose: tuple[int, ...] = ()
    merged: tuple[int, ...] = ()
    cluster: Cluster | None = None


def find_cluster(
    connection: Connection,
    *,
    bands: Sequence[int],
    vector: Vector | None,
    semantic_bands: Sequence[int],
    language: str,
    article_id: int,
    author: str,
    now: datetime,
    window: datetime,
) -> Found:
    """Where the comment belongs, from what the index held before it (module docstring)."""
    hits = semantic_index.band_hits(connection, bands, MINHASH, window, PER_BAND)
    ids = {i for i, n in hits.items() if n >= MIN_SHARED_BANDS}
    meaning = semantic_index.Meaning()
    if vector is not None and semantic_bands:
        meaning = semantic_index.similar(
            connection,
            vector,
            semantic_bands,
            window,
            language=language,
            author=author,
            article_id=article_id,
        )
        ids.update(meaning.ids)
    chosen = sorted(ids, reverse=True)[:MAX_CANDIDATES]
    if not chosen and not meaning.seeds:
        return Found()
    rows = connection.execute(
        sa.select(comments.c.id, comments.c.cluster_id).where(one_of(comments.c.id, chosen))
    ).all()
    seeds = sorted(
        {row.cluster_id for row in rows if row.cluster_id is not None} | set(meaning.seeds)
    )
    seed = seeds[0] if seeds else min(chosen)
    loose = tuple(sorted(row.id for row in rows if row.cluster_id is None))
    # A comment close to two clusters (a translation bridging a campaign's English and
    # Korean copies) makes them one, named by the older; its members are moved by one
    # update on the indexed ``cluster_id`` each time two clusters meet.
    merged = tuple(s for s in seeds[1 : MAX_MERGED + 1])
    # A union of two index look-ups: an OR across two columns would scan the table.
    member_ids = sa.union(
        sa.select(comments.c.id).where(one_of(comments.c.cluster_id, [seed, *merged])),
        sa.select(comments.c.id).where(one_of(comments.c.id, loose)),
    )
    members = comments.c.id.in_(member_ids)
    stats = connection.execute(
        sa.select(
            sa.func.count(),
            sa.func.count(sa.distinct(comments.c.author)),
            sa.func.count(sa.distinct(comments.c.article_id)),
            sa.func.min(comments.c.created_at),
            sa.func.max(sa.case((comments.c.author == author, 1), else_=0)),
            sa.func.max(sa.case((comments.c.article_id == article_id, 1), else_=0)),
        ).where(members)
    ).one()
    size, pseudonyms, articles, first, same_author, same_article = stats
    first_at = first if isinstance(first, datetime) else now
    if first_at.tzinfo is None:
        first_at = first_at.replace(tzinfo=now.tzinfo)
    cluster = Cluster(
        size=size,
        pseudonyms=pseudonyms + (0 if same_author else 1),
        articles=articles + (0 if same_article else 1),
        minutes=max(0, int((now - first_at).total_seconds() // 60)),
    )
    return Found(seed, loose, merged, cluster)
