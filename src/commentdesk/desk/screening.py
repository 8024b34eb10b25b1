"""Automated triage: the bounded screen in the request, and the full assessment's parts.

``screen`` runs in the submission request: the text's own evidence (word lists, links,
shouting; each step linear in the text, see ``commentdesk.triage``) scored alone, so a
site that refuses banned words or near-certain spam refuses it at the door. The rest runs
in the worker after the 202 (``desk/assessor.py``): ``prepare`` does the costly text work
(MinHash, the model) outside any transaction, then ``assess`` and ``index`` run inside
the one that stores the assessment, so the cluster a comment joins and its assessment are
committed together.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections import Counter
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.bans import Identity
from commentdesk.desk.context import Context
from commentdesk.desk.vouched import VouchedSettings
from commentdesk.desk.wordlists import WordLists
from commentdesk.model import Assessment, Reason
from commentdesk.store.lists import one_of
from commentdesk.store.tables import comments, lsh_bands
from commentdesk.triage.classifier import Classifier
from commentdesk.triage.minhash import band_keys, signature, significant
from commentdesk.triage.policy import ClassifierScore, Cluster, Policy
from commentdesk.triage.policy import Context as Signals
from commentdesk.triage.scoring import Evidence, Triage, score

logger = logging.getLogger(__name__)
#: A failing model is logged at most this often, so a flood does not flood the log too.
MODEL_WARNING_EVERY_SECONDS = 60.0

#: Bands two texts must share to count as near-duplicates (of 32; about 50% similar).
MIN_SHARED_BANDS = 2
#: Near-duplicates looked at per submission: enough to place it, bounded whatever the flood.
MAX_CANDIDATES = 200
#: Newest index rows read per band of a submission.
PER_BAND = 100
#: Window for the commenter, article and reply-pile burst signals.
BURST_WINDOW = timedelta(minutes=10)
#: How long a site's compiled word lists are reused before being read again.
LISTS_TTL_SECONDS = 30.0
PURGE_EVERY_SECONDS = 3600.0


@dataclass(frozen=True, slots=True)
class Prepared:
    """What the text alone says, worked out before the transaction."""

    evidence: Evidence
    bands: tuple[int, ...]
    classifier: ClassifierScore | None


#: The reason a stored comment carries until its full assessment is written.
ASSESSING = Reason(
    "assessing", "being assessed: near-duplicates, bursts and the model follow in seconds"
)


@dataclass(frozen=True, slots=True)
class Screened:
    """What the request's screen found: the text's evidence, scored without context."""

    evidence: Evidence
    assessment: Assessment

    @property
    def refused(self) -> bool:
        return self.assessment.action == "refuse"


@dataclass(frozen=True, slots=True)
class Verdict:
    assessment: Assessment
    #: The cluster the comment joins (named by its first comment), and the earlier
    #: near-duplicates that join it with this comment.
    cluster_seed: int | None
    newly_clustered: tuple[int, ...]


def band_number(key: str) -> int:
    """A band key as a signed 64-bit integer: compact rows, a fast index."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


class Screening:
    def __init__(self, context: Context, word_lists: WordLists, classifier: Classifier) -> None:
        self._context = context
        self._word_lists = word_lists
        self._vouched = VouchedSettings(context)
        self._classifier = classifier
        self._lock = threading.Lock()
        self._triage: dict[int, tuple[float, Triage]] = {}
        self._purged_at = time.monotonic()
        self._model_warned_at: float | None = None

    def triage_for(self, site_id: int) -> Triage:
        """The site's compiled word lists and vouched domains and numbers, rebuilt at most
        every 30 seconds."""
        with self._lock:
            cached = self._triage.get(site_id)
            if cached is not None and time.monotonic() - cached[0] < LISTS_TTL_SECONDS:
                return cached[1]
        vouched = self._vouched.for_site(site_id).compiled
        triage = Triage.from_lists(self._word_lists.for_site(site_id), vouched=vouched)
        with self._lock:
            self._triage[site_id] = (time.monotonic(), triage)
        return triage

    def forget(self, site_id: int) -> None:
        """Drops the cached lists of a site whose word lists or vouched lists just changed
        (in this process)."""
        with self._lock:
            self._triage.pop(site_id, None)

    def screen(self, site_id: int, text: str) -> Screened:
        """The provisional assessment from the text alone: what the request can afford."""
        triage = self.triage_for(site_id)
        evidence = triage.examine(text)
        assessment = score(evidence, Signals(), triage.policy)
        # Shown in the queue (and the API) until the worker's assessment replaces it.
        waiting = (*assessment.reasons, ASSESSING)
        return Screened(evidence, replace(assessment, reasons=waiting))

    def prepare(self, site_id: int, text: str) -> Prepared:
        evidence = self.triage_for(site_id).examine(text)
        bands = (
            tuple(band_number(key) for key in band_keys(signature(text)))
            if significant(text)
            else ()
        )
        return Prepared(evidence, bands, self._model_score(text, evidence.language.language))

    def _model_score(self, text: str, language: str) -> ClassifierScore | None:
        """The model's score, or None when the model fails: a broken model costs triage
        one signal, never a reader's comment (it is still held or screened by the rest)."""
        try:
            return self._classifier.score(text, language)
        except Exception:  # any plugged-in model's failure; logged, not hidden
            now = time.monotonic()
            with self._lock:
                due = (
                    self._model_warned_at is None
                    or now - self._model_warned_at >= MODEL_WARNING_EVERY_SECONDS
                )
                if due:
                    self._model_warned_at = now
            if due:
                logger.warning(
                    "the triage model failed; comments are triaged without it until it "
                    "answers again (set COMMENTDESK_CLASSIFIER=off to stop trying)",
                    exc_info=True,
                )
            return None

    def assess(
        self,
        connection: Connection,
        prepared: Prepared,
        *,
        comment_id: int,
        author: str,
        who: Identity,
        article_id: int,
        reply_to: int | None,
        post_moderated: bool,
        now: datetime,
    ) -> Verdict:
        """The assessment of stored comment ``comment_id``, submitted at ``now``, given what
        the database knew then: only comments before it count towards its signals."""
        seed, similar, cluster = self._cluster(connection, prepared.bands, article_id, author, now)
        since = now - BURST_WINDOW
        earlier = comments.c.id < comment_id
        signals = Signals(
            cluster=cluster,
            new_commenter=not _exists(connection, comments.c.author_key == who.author_key, earlier),
            commenter_recent=_count(
                connection,
                comments.c.author_key == who.author_key,
                comments.c.created_at >= since,
                earlier,
            ),
            new_keys_on_article=_new_keys(connection, article_id, since, comment_id),
            replies_to_parent=_count(
                connection,
                comments.c.reply_to_id == reply_to,
                comments.c.created_at >= since,
                earlier,
            )
            if reply_to is not None
            else 0,
            classifier=prepared.classifier,
        )
        policy = Policy(moderation="post" if post_moderated else "pre")
        assessment = score(prepared.evidence, signals, policy)
        return Verdict(assessment, seed, similar)

    def _cluster(
        self,
        connection: Connection,
        bands: tuple[int, ...],
        article_id: int,
        author: str,
        now: datetime,
    ) -> tuple[int | None, tuple[int, ...], Cluster | None]:
        if not bands:
            return None, (), None
        window = now - timedelta(hours=self._context.settings.cluster_window_hours)
        # The newest rows of each band only: a probe costs the same whether a campaign
        # has ten copies or a hundred thousand (one short index range per band).
        per_band = [
            sa.select(lsh_bands.c.comment_id)
            .where(lsh_bands.c.band == band, lsh_bands.c.created_at >= window)
            .order_by(lsh_bands.c.created_at.desc())
            .limit(PER_BAND)
            .subquery()
            for band in dict.fromkeys(bands)
        ]
        hits = Counter(
            connection.execute(
                sa.union_all(*(sa.select(sub.c.comment_id) for sub in per_band))
            ).scalars()
        )
        ids = sorted((i for i, n in hits.items() if n >= MIN_SHARED_BANDS), reverse=True)
        ids = ids[:MAX_CANDIDATES]
        if not ids:
            return None, (), None
        rows = connection.execute(
            sa.select(comments.c.id, comments.c.cluster_id).where(one_of(comments.c.id, ids))
        ).all()
        seeds = [row.cluster_id for row in rows if row.cluster_id is not None]
        seed = min(seeds) if seeds else min(ids)
        loose = tuple(sorted(row.id for row in rows if row.cluster_id is None))
        members = sa.or_(comments.c.cluster_id == seed, one_of(comments.c.id, loose))
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
        return seed, loose, cluster

    def index(
        self,
        connection: Connection,
        comment_id: int,
        prepared: Prepared,
        verdict: Verdict,
        now: datetime,
    ) -> None:
        """Stores the comment's bands and puts it (and its loose near-duplicates) in a cluster."""
        if prepared.bands:
            connection.execute(
                lsh_bands.insert(),
                [{"band": b, "comment_id": comment_id, "created_at": now} for b in prepared.bands],
            )
        if verdict.cluster_seed is not None:
            joining = (comment_id, *verdict.newly_clustered)
            connection.execute(
                comments.update()
                .where(one_of(comments.c.id, joining))
                .values(cluster_id=verdict.cluster_seed)
            )

    def purge_now_and_then(self, now: datetime) -> None:
        """Purges at most once an hour per process, so the index stays the window's size."""
        with self._lock:
            due = time.monotonic() - self._purged_at > PURGE_EVERY_SECONDS
            if due:
                self._purged_at = time.monotonic()
        if due:
            self.purge(now)

    def purge(self, now: datetime) -> int:
        """Forgets bands older than the clustering window; returns how many rows went."""
        window = now - timedelta(hours=self._context.settings.cluster_window_hours)
        with self._context.store.write() as connection:
            done = connection.execute(lsh_bands.delete().where(lsh_bands.c.created_at < window))
        return done.rowcount


def _count(connection: Connection, *conditions: sa.ColumnElement[bool]) -> int:
    return int(connection.execute(sa.select(sa.func.count()).where(*conditions)).scalar_one())


def _exists(connection: Connection, *conditions: sa.ColumnElement[bool]) -> bool:
    return (
        connection.execute(sa.select(comments.c.id).where(*conditions).limit(1)).first() is not None
    )


def _new_keys(connection: Connection, article_id: int, since: datetime, before_id: int) -> int:
    """Commenter keys on the article in the window that never commented before it."""
    earlier = comments.alias("earlier")
    recent = comments.alias("recent")
    query = sa.select(sa.func.count(sa.distinct(recent.c.author_key))).where(
        recent.c.article_id == article_id,
        recent.c.created_at >= since,
        recent.c.id < before_id,
        ~sa.exists().where(
            earlier.c.author_key == recent.c.author_key, earlier.c.created_at < since
        ),
    )
    return int(connection.execute(query).scalar_one())
