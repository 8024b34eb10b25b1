"""How fast the moderation queue's first page is with 1,000,000 comments, SQLite or PostgreSQL.

Builds (or reuses) a database of ``--comments`` comments over 2 sites and 2,000
articles, about a third pending, risk scores spread over [0, 1], 50,000 authors and
a few thousand open reports. Rows go in through ``executemany`` in large transactions
straight to SQLite (the point is the read path, not the write path). Then it times
the first page of the queue, many times over:

- through ``desk.moderation.queue`` (pending by risk, pending by age, reported, a
  scoped moderator, and the page after the first);
- through HTTP: ``GET /console`` (the HTML page, signed in) and
  ``GET /api/v1/moderation/queue`` (JSON, bearer token), with a TestClient in-process.

Free-text search (``QueueFilter.text``, served by the index of migration 0012) is timed
for English and Korean texts: one that matches one comment, a phrase, a common word and
a two-syllable Korean word (under the trigram index's three characters: a scan).

It writes p50/p99 to ``bench/results-queue.md`` (``--output`` to choose) with the date
and the command. Usage: ``python bench/queue_bench.py [--comments N] [--calls N]
[--db PATH | --url postgresql://... [--reuse]] [--fresh]``.
Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import functools
import platform
import sqlite3
import statistics
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from dataset import PASSWORD, Shape
from dataset import build as build_database
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.desk.queue import QueueFilter
from commentdesk.memory import freeze_startup_heap
from commentdesk.settings import Settings
from commentdesk.web import create_app

HERE = Path(__file__).parent
RESULTS = HERE / "results-queue.md"
ARTICLES = 2_000
AUTHORS = 50_000
START = datetime(2026, 1, 1, tzinfo=UTC)
TARGET_MS = 50.0


def build(url: str, count: int) -> None:
    """A migrated database with sites, articles and moderators (through the desk), then
    ``count`` comments and 3,000 reports by bulk insert (``bench/dataset.py``)."""
    shape = Shape(
        comments=count,
        articles=ARTICLES,
        authors=AUTHORS,
        newest=START + timedelta(seconds=20 * count),
        spacing=timedelta(seconds=20),
        numbered=True,
        korean_every=5,
        reports=3_000,
    )
    build_database(url, shape)


def timed(call: Callable[[], object], calls: int) -> tuple[float, float]:
    """p50 and p99 in milliseconds over ``calls`` calls (after two warm-up calls)."""
    for _ in range(2):
        call()
    samples = []
    for _ in range(calls):
        started = time.perf_counter()
        call()
        samples.append((time.perf_counter() - started) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def measure(url: str, calls: int) -> list[tuple[str, float, float]]:
    settings = Settings(database_url=url, secret_key="bench-secret")
    desk = Desk.open(settings, hasher=PasswordHasher(time_cost=1, memory_cost=1024))
    freeze_startup_heap()  # as a serving process does once started (commentdesk/memory.py)
    chief, otto = desk.accounts.get("chief"), desk.accounts.get("otto")
    moderation = desk.moderation
    second = moderation.queue(limit=50, moderator=chief).next_cursor

    def queue(**options: Any) -> Callable[[], object]:
        return functools.partial(moderation.queue, **{"moderator": chief, **options})

    cases = [
        ("desk: pending, by risk, 50", queue()),
        ("desk: pending, by age, 50", queue(sort="age")),
        ("desk: pending, by risk, page 2", queue(cursor=second)),
        ("desk: reported, by risk, 50", queue(state=None, filters=QueueFilter(reported=True))),
        ("desk: pending, one site's moderator", queue(moderator=otto)),
        ("desk: all states, by risk, 50", queue(state=None)),
        ("desk: pending, one site (filter)", queue(filters=QueueFilter(site_id=1))),
        ("desk: pending, one author (filter)", queue(filters=QueueFilter(author="Reader 77"))),
        ("desk: pending, one article (filter)", queue(filters=QueueFilter(article="a77"))),
    ]
    searches = [
        ("search: English, one comment", "number 123456:"),
        ("search: English, a phrase", "library coffee"),
        ("search: English, a common word", "hospital"),
        ("search: Korean, a phrase", "도서관 운영비"),
        ("search: Korean, a common word", "동의합니다"),
        ("search: Korean, two syllables (a scan)", "예산"),
    ]
    cases += [(name, queue(state=None, filters=QueueFilter(text=text))) for name, text in searches]
    results = [(name, *timed(call, calls)) for name, call in cases]
    token = desk.accounts.create_token("chief", "bench")
    with TestClient(create_app(settings, desk=desk)) as client:
        page = client.get("/console/login").text
        csrf = page.split('name="csrf" value="', 1)[1].split('"', 1)[0]
        client.post("/console/login", data={"csrf": csrf, "name": "chief", "password": PASSWORD})
        auth = {"Authorization": f"Bearer {token}"}
        api = "/api/v1/moderation/queue"
        http: list[tuple[str, Callable[[], object]]] = [
            ("HTTP: GET /console (HTML, 50 items)", lambda: _ok(client.get("/console"))),
            (f"HTTP: GET {api} (JSON, 50)", lambda: _ok(client.get(api, headers=auth))),
        ]
        results += [(name, *timed(call, max(calls // 2, 10))) for name, call in http]
    desk.close()
    return results


def _empty_postgres(url: str) -> None:
    """Drops everything in the database's public schema: the build migrates it afresh."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    with engine.begin() as connection:
        connection.exec_driver_sql("DROP SCHEMA public CASCADE")
        connection.exec_driver_sql("CREATE SCHEMA public")
    engine.dispose()


def _ok(response: object) -> None:
    status = getattr(response, "status_code", 0)
    if status != 200:
        raise SystemExit(f"the queue answered {status}")


def report(
    results: list[tuple[str, float, float]], count: int, calls: int, command: str, url: str
) -> str:
    lines = [
        "# Queue benchmark",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Command: `{command}`",
        f"- Machine: {platform.machine()}, Python {platform.python_version()}, "
        + (f"SQLite {sqlite3.sqlite_version}" if url.startswith("sqlite") else "PostgreSQL"),
        f"- Data: {count:,} comments (about a third pending, one in five in Korean), "
        f"{ARTICLES:,} articles on 2 sites, {AUTHORS:,} authors, 3,000 reports",
        f"- Calls: {calls} per desk case, {max(calls // 2, 10)} per HTTP case, after 2 warm-ups",
        f"- Target: first page under {TARGET_MS:.0f} ms; search p99 under {TARGET_MS:.0f} ms",
        "- Search cases read all states (`state=None`), first 50 by risk",
        "",
        "| case | p50 ms | p99 ms |",
        "| --- | ---: | ---: |",
    ]
    lines += [f"| {name} | {p50:.1f} | {p99:.1f} |" for name, p50, p99 in results]
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--calls", type=int, default=200)
    parser.add_argument("--db", type=Path, default=Path("/tmp/commentdesk-queue-bench.db"))
    parser.add_argument("--url", help="a PostgreSQL database to fill instead (emptied first)")
    parser.add_argument("--fresh", action="store_true", help="rebuild the SQLite database")
    parser.add_argument(
        "--reuse", action="store_true", help="measure the PostgreSQL database as it is (built)"
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()
    url = args.url or f"sqlite:///{args.db}"
    if args.url:
        if not args.reuse:
            _empty_postgres(args.url)
            build(url, args.comments)
    elif args.fresh or not args.db.exists():
        for suffix in ("", "-wal", "-shm"):
            Path(f"{args.db}{suffix}").unlink(missing_ok=True)
        build(url, args.comments)
    results = measure(url, args.calls)
    command = "python " + " ".join(["bench/queue_bench.py", *sys.argv[1:]])
    text = report(results, args.comments, args.calls, command, url)
    args.output.write_text(text)
    print(text)
    slow = [name for name, p50, _ in results if p50 > TARGET_MS and "scan" not in name]
    if slow:
        print(f"over {TARGET_MS:.0f} ms at p50: {', '.join(slow)}", file=sys.stderr)


if __name__ == "__main__":
    main()
