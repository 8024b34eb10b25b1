"""The scale curve: read, submit and queue with 10,000 to 1,000,000 comments stored, and
``assess()`` with 10,000 and 1,000,000 prior comments in the near-duplicate index.

Scale curve: for each level and database (SQLite, PostgreSQL) a generated database
(``bench/dataset.py``, bulk insert) holding the level's comments over 2,000 articles,
arriving at 25,000 a day (so the 48-hour clustering window holds up to 50,000 of them,
each with its 32 LSH band rows), one in a hundred a campaign copy, 3,000 reports, and a
thread of 100 published comments. ``commentdesk serve`` runs on it, and wrk drives the
thread read, a submit and the queue's first page at concurrency 1 and 16.

Triage scale: every comment inside the window (the worst case: a million comments in
48 hours), so the index holds 10,000 or 1,000,000 comments (320,000 or 32,000,000 band
rows); ``screening.prepare`` then ``screening.assess`` in a read transaction, timed in
process, for fresh texts and for copies of a running campaign.

SQLite databases are cached under ``bench/.data/`` (rebuilt when older than six hours,
since the window is relative to now); PostgreSQL databases are created and dropped.
"""

from __future__ import annotations

import random
import shutil
import statistics
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import compare
from dataset import FAST_HASHER, SECRET, Shape, build, campaign_texts, sentence
from load import Case
from servers import Server

from commentdesk.desk import Desk
from commentdesk.desk.bans import identity
from commentdesk.settings import Settings

HERE = Path(__file__).resolve().parent
DATA = HERE / ".data"
LEVELS = (10_000, 100_000, 1_000_000)
TRIAGE_LEVELS = (10_000, 1_000_000)
PER_DAY = 25_000
CACHE_HOURS = 6
PG_ADMIN = "postgresql://postgres@127.0.0.1:5432/postgres"
PG_DATABASE = "commentdesk_bench_scale"
SCALE_PORT = 18090


def scale_shape(count: int, *, whole_window: bool = False) -> Shape:
    now = datetime.now(UTC)
    newest = now - timedelta(minutes=1)
    spacing = timedelta(hours=46) / count if whole_window else timedelta(days=1) / PER_DAY
    return Shape(
        comments=count,
        newest=newest,
        spacing=spacing,
        window_start=now - timedelta(hours=48),
        campaign_every=100,
        reports=3_000,
    )


def cached_sqlite(name: str, shape: Shape) -> Path:
    """The cached database ``name``, built afresh when missing or stale."""
    path = DATA / f"{name}.db"
    fresh = path.exists() and time.time() - path.stat().st_mtime < CACHE_HOURS * 3600
    if not fresh:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        DATA.mkdir(parents=True, exist_ok=True)
        build(f"sqlite:///{path}", shape, threads={"thread-100": 100})
    return path


@contextmanager
def scale_database(backend: str, count: int) -> Iterator[str]:
    """A database URL holding the level's data, for the time of the block."""
    shape = scale_shape(count)
    if backend == "sqlite":
        cached = cached_sqlite(f"scale-{count}", shape)
        scratch = DATA / f"scale-{count}-scratch.db"
        for suffix in ("", "-wal", "-shm"):
            Path(f"{scratch}{suffix}").unlink(missing_ok=True)
        shutil.copyfile(cached, scratch)  # submits during the run leave the cache alone
        yield f"sqlite:///{scratch}"
        return
    name = f"{PG_DATABASE}_{count}"
    url = PG_ADMIN.rsplit("/", 1)[0] + f"/{name}"
    _pg_admin(f"DROP DATABASE IF EXISTS {name}")
    _pg_admin(f"CREATE DATABASE {name}")
    try:
        build(url, shape, threads={"thread-100": 100})
        yield url
    finally:
        _pg_admin(f"DROP DATABASE IF EXISTS {name} WITH (FORCE)")


def _pg_admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(PG_ADMIN, autocommit=True) as connection:
        connection.execute(sql.encode())


def scale_cases(token: str) -> dict[str, Case]:
    json_type = ("Content-Type", "application/json")
    return {
        "read thread of 100 (JSON)": Case("GET", "/api/v1/articles/thread-100/comments"),
        "submit (with triage)": Case(
            "POST",
            "/api/v1/articles/a1/comments",
            (json_type,),
            post_template='{"author": "%s", "body": "%s", "accept_terms": true}',
        ),
        "queue, first page (JSON, 50)": Case(
            "GET",
            "/api/v1/moderation/queue?state=pending&sort=risk&limit=50",
            (("Authorization", f"Bearer {token}"),),
        ),
    }


def label(count: int) -> str:
    return f"{count:,}"


@dataclass
class ScaleRow:
    """One database's curve: each row's results are keyed by level (``label``)."""

    backend: str
    rows: list[compare.Row]
    peaks_mib: dict[str, float]
    #: Resident memory right after start, before the first English post loads the model.
    start_mib: dict[str, float]


def scale_curve(
    backend: str,
    *,
    rounds: int,
    duration: float,
    max_requests: int,
    levels: tuple[int, ...] = LEVELS,
) -> ScaleRow:
    """Serves every level at once (one server each) and measures them round-robin, so a
    change of load on the shared machine falls on all levels alike."""
    work = DATA / "scale-run"
    work.mkdir(parents=True, exist_ok=True)
    with ExitStack() as stack:
        servers: dict[str, Server] = {}
        cases: dict[str, dict[str, Case]] = {}
        start: dict[str, float] = {}
        for number, count in enumerate(levels):
            url = stack.enter_context(scale_database(backend, count))
            desk = Desk.open(Settings(database_url=url, secret_key=SECRET), hasher=FAST_HASHER)
            token = desk.accounts.create_token("chief", "bench")
            desk.close()
            server = compare.our_server(work, url, port=SCALE_PORT + number)
            server.start(timeout=120)
            stack.callback(server.stop)
            start[label(count)] = server.peak_rss_mib()
            servers[label(count)] = server
            cases[label(count)] = scale_cases(token)
            compare.warm(server, cases[label(count)]["submit (with triage)"])
        rows, _ = compare.measure(
            servers, cases, rounds=rounds, duration=duration, max_requests=max_requests
        )
    peaks = {name: max(row.peak(name) or 0 for row in rows) for name in servers}
    return ScaleRow(backend, rows, peaks, start)


# --- Triage scale -------------------------------------------------------------------


@dataclass
class TriageRow:
    """p50 and p99 in ms: prepare + assess, and assess alone (the database part)."""

    comments: int
    band_rows: int
    fresh: tuple[float, float]
    campaign: tuple[float, float]
    fresh_assess: tuple[float, float]
    campaign_assess: tuple[float, float]


def _percentiles(samples: list[float]) -> tuple[float, float]:
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def triage_level(count: int, calls: int) -> TriageRow:
    path = cached_sqlite(f"triage-{count}", scale_shape(count, whole_window=True))
    desk = Desk.open(Settings(database_url=f"sqlite:///{path}", secret_key=SECRET))
    try:
        return _time_assess(desk, count, calls)
    finally:
        desk.close()


# The timed texts are not stored: an id above every stored one makes each prior comment
# "earlier" to them, as it is to a new submission.
_NOT_STORED = 2**62


def _time_assess(desk: Desk, count: int, calls: int) -> TriageRow:
    rng = random.Random(5)
    article = desk.catalog.article("a1")
    campaigns = campaign_texts(random.Random(Shape(comments=1).seed + 1))
    screening, store = desk.screening, desk.context.store
    samples: dict[tuple[bool, str], list[float]] = {
        (copy, part): [] for copy in (False, True) for part in ("total", "assess")
    }
    for number in range(calls + 20):
        copy = number % 4 == 0  # one submission in four copies a running campaign
        text = rng.choice(rng.choice(campaigns)) if copy else sentence(rng, 15, 30)
        author = f"Reader {rng.randrange(50_000)}"
        who = identity(desk.context, author=author, email=None, commenter_key=None)
        started = time.perf_counter()
        prepared = screening.prepare(article.site_id, text)
        between = time.perf_counter()
        with store.read() as connection:
            screening.assess(
                connection,
                prepared,
                comment_id=_NOT_STORED,
                site_id=article.site_id,
                author=author,
                who=who,
                article_id=article.id,
                reply_to=None,
                post_moderated=False,
                now=desk.context.clock(),
            )
        ended = time.perf_counter()
        if number < 20:
            continue  # warm-up: the model loads, caches fill
        samples[(copy, "total")].append((ended - started) * 1000)
        samples[(copy, "assess")].append((ended - between) * 1000)
    with store.read() as connection:
        bands = connection.exec_driver_sql("SELECT count(*) FROM lsh_bands").scalar_one()
    return TriageRow(
        count,
        bands,
        _percentiles(samples[(False, "total")]),
        _percentiles(samples[(True, "total")]),
        _percentiles(samples[(False, "assess")]),
        _percentiles(samples[(True, "assess")]),
    )
