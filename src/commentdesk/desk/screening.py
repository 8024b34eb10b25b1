"""Automated triage: the bounded screen in the request, and the full assessment's parts.

``screen`` runs in the submission request: the text's own evidence (word lists, links,
shouting; each step linear in the text, see ``commentdesk.triage``) scored alone, so a
site that refuses banned words or near-certain spam refuses it at the door. The rest runs
in the worker after the 202 (``desk/assessor.py``): ``prepare`` does the costly text work
(MinHash, the sentence encoder for a whole batch at once, the model) outside any
transaction; ``assess`` reads the context (clusters by characters or by meaning,
exemplars, bursts) and ``index`` runs inside the transaction that stores the assessment,
so the cluster a comment joins and its assessment are committed together.
"""

from __future__ import annotations

import hashlib
import logging
import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk import semantic_index
from commentdesk.desk.bans import Identity
from commentdesk.desk.campaigns import find_cluster
from commentdesk.desk.context import Context
from commentdesk.desk.embedder import Embedder
from commentdesk.desk.vouched import VouchedSettings
from commentdesk.desk.wordlists import WordLists
from commentdesk.i18n import Message
from commentdesk.model import Assessment, Reason
from commentdesk.store.lists import one_of
from commentdesk.store.tables import comments, lsh_bands
from commentdesk.triage import semantic
from commentdesk.triage.classifier import Classifier
from commentdesk.triage.minhash import band_keys, signature, significant
from commentdesk.triage.policy import ClassifierScore, Close, Policy, Signals
from commentdesk.triage.scoring import Evidence, Triage, score

logger = logging.getLogger(__name__)
#: A failing model is logged at most this often, so a flood does not flood the log too.
MODEL_WARNING_EVERY_SECONDS = 60.0

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
    #: The text's unit sentence vector (None with ``semantic_model = "off"`` or no text),
    #: and its random-hyperplane bands when it is long enough to mean coordination.
    vector: semantic.Vector | None = None
    semantic_bands: tuple[int, ...] = ()


#: The reason a stored comment carries until its full assessment is written.
ASSESSING = Reason(
    "assessing", Message("being assessed: near-duplicates, bursts and the model follow in seconds")
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
    #: Clusters this comment bridges, merged into ``cluster_seed``.
    merged: tuple[int, ...] = ()


def band_number(key: str) -> int:
    """A band key as a signed 64-bit integer: compact rows, a fast index."""
    return int.from_bytes(hashlib.blake2b(key.encode(), digest_size=8).digest(), "big", signed=True)


class Screening:
    def __init__(
        self,
        context: Context,
        word_lists: WordLists,
        classifier: Classifier,
        embedder: Embedder | None = None,
    ) -> None:
        self._context = context
        self._word_lists = word_lists
        self._vouched = VouchedSettings(context)
        self._classifier = classifier
        self._embedder = embedder
        self._lock = threading.Lock()
        self._triage: dict[int, tuple[float, Triage]] = {}
        self._building = threading.Lock()
        self._purged_at = time.monotonic()
        self._model_warned_at: float | None = None

    def triage_for(self, site_id: int) -> Triage:
        """The site's compiled word lists and vouched domains and numbers, rebuilt at most
        every 30 seconds.

        One thread rebuilds them at a time; meanwhile the others use the lists of a moment
        ago, or wait for the first ones. Every thread of a flood rebuilt them together
        every 30 seconds: each a copy in memory (a worker's peak grew by 30 MB) and the
        interpreter's time taken from the posts.
        """
        fresh, stale = self._cached(site_id)
        if fresh is not None:
            return fresh
        if stale is not None and not self._building.acquire(blocking=False):
            return stale  # being rebuilt by another thread
        if stale is None:
            self._building.acquire()
        try:
            fresh, _ = self._cached(site_id)  # rebuilt by the thread this one waited for?
            if fresh is not None:
                return fresh
            vouched = self._vouched.for_site(site_id).compiled
            triage = Triage.from_lists(self._word_lists.for_site(site_id), vouched=vouched)
            with self._lock:
                self._triage[site_id] = (time.monotonic(), triage)
            return triage
        finally:
            self._building.release()

    def _cached(self, site_id: int) -> tuple[Triage | None, Triage | None]:
        """The site's kept lists: ``(lists, None)`` while fresh, ``(None, lists)`` once
        stale, ``(None, None)`` if none are kept."""
        with self._lock:
            cached = self._triage.get(site_id)
        if cached is None:
            return None, None
        if time.monotonic() - cached[0] < LISTS_TTL_SECONDS:
            return cached[1], None
        return None, cached[1]

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
        (prepared,) = self.prepare_batch([(site_id, text)])
        return prepared

    def prepare_batch(self, texts: Sequence[tuple[int, str]]) -> list[Prepared]:
        """The text work of a batch of ``(site_id, text)``: the sentence encoder runs once
        for the whole batch (about 1.5 ms a text in batches of 32, against 12 ms alone)."""
        vectors = self._embed([text for _, text in texts])
        prepared = []
        for (site_id, text), vector in zip(texts, vectors, strict=True):
            evidence = self.triage_for(site_id).examine(text)
            # A courtesy line ("Thank you for this report!") is written by many readers
            # on their own: it is never indexed, so it never makes a campaign.
            courtesy = semantic.is_courtesy(text)
            bands = (
                tuple(band_number(key) for key in band_keys(signature(text)))
                if significant(text) and not courtesy
                else ()
            )
            meaning = (
                semantic.band_keys(vector) if vector is not None and semantic.eligible(text) else ()
            )
            score = self._model_score(text, evidence.language.language)
            prepared.append(Prepared(evidence, bands, score, vector, meaning))
        return prepared

    def warm(self) -> None:
        """Loads the sentence encoder now (the worker calls it as it starts); a failure is
        logged and met again, with its retry, by the first batch."""
        if self._embedder is None:
            return
        try:
            self._embedder.embed(["warm up"])
        except Exception:  # the batch that needs it will fail, retry and say so
            logger.warning("the sentence encoder failed to load", exc_info=True)

    def _embed(self, texts: list[str]) -> list[semantic.Vector | None]:
        """One encoder call for every non-empty text; None where there is no vector."""
        if self._embedder is None:
            return [None] * len(texts)
        wanted = [i for i, text in enumerate(texts) if text.strip()]
        found: list[semantic.Vector | None] = [None] * len(texts)
        if wanted:
            matrix = self._embedder.embed([texts[i] for i in wanted])
            for i, row in zip(wanted, matrix, strict=True):
                found[i] = row
        return found

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
        site_id: int,
        author: str,
        who: Identity,
        article_id: int,
        reply_to: int | None,
        post_moderated: bool,
        now: datetime,
    ) -> Verdict:
        """The assessment of stored comment ``comment_id``, submitted at ``now``, given what
        the database knew then: only comments before it count towards its signals."""
        window = now - timedelta(hours=self._context.settings.cluster_window_hours)
        found = find_cluster(
            connection,
            bands=prepared.bands,
            vector=prepared.vector,
            semantic_bands=prepared.semantic_bands,
            language=prepared.evidence.language.language,
            article_id=article_id,
            author=author,
            now=now,
            window=window,
        )
        since = now - BURST_WINDOW
        earlier = comments.c.id < comment_id
        signals = Signals(
            cluster=found.cluster,
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
            exemplars=self._exemplars(connection, site_id, prepared.vector, now),
        )
        policy = Policy(moderation="post" if post_moderated else "pre")
        assessment = score(prepared.evidence, signals, policy)
        return Verdict(assessment, found.seed, found.loose, found.merged)

    def _exemplars(
        self, connection: Connection, site_id: int, vector: semantic.Vector | None, now: datetime
    ) -> tuple[Close, ...]:
        """Recent rejections of this site the comment is close to in meaning, by category:
        at most ``exemplar_max`` per category compared."""
        if vector is None:
            return ()
        settings = self._context.settings
        since = now - timedelta(days=settings.exemplar_days)
        found = semantic_index.close_exemplars(
            connection, site_id, vector, since, settings.exemplar_max
        )
        return tuple(
            Close(category, count, settings.exemplar_days)
            for category, count in sorted(found.items())
        )

    def index(
        self,
        connection: Connection,
        comment_id: int,
        prepared: Prepared,
        verdict: Verdict,
        now: datetime,
        site_id: int,
    ) -> None:
        """Stores the comment's bands and vector, and puts it (and its loose
        near-duplicates) in a cluster."""
        if prepared.bands:
            connection.execute(
                lsh_bands.insert(),
                [{"band": b, "comment_id": comment_id, "created_at": now} for b in prepared.bands],
            )
        if prepared.vector is not None:
            semantic_index.store(
                connection, comment_id, site_id, prepared.vector, prepared.semantic_bands, now
            )
        if verdict.merged:
            connection.execute(
                comments.update()
                .where(one_of(comments.c.cluster_id, verdict.merged))
                .values(cluster_id=verdict.cluster_seed)
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
        """Forgets bands older than the clustering window, vectors older than that or the
        exemplar days (a moderator may reject a comment late), and exemplars past their
        days; returns how many rows went."""
        settings = self._context.settings
        window = now - timedelta(hours=settings.cluster_window_hours)
        exemplar_days = now - timedelta(days=settings.exemplar_days)
        with self._context.store.write() as connection:
            done = connection.execute(lsh_bands.delete().where(lsh_bands.c.created_at < window))
            rest = semantic_index.purge(connection, min(window, exemplar_days), exemplar_days)
        return int(done.rowcount) + rest


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
