"""Bounded request loops for fault tests: readers posting to a live server on loopback.

Every answer is kept (status, time taken, Retry-After, the error's text), so a test can
say exactly what a reader would have seen while the fault lasted.
"""

from __future__ import annotations

import threading
import time
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import httpx2
import sqlalchemy as sa

from commentdesk.store import Store
from commentdesk.store.tables import comments


@dataclass(frozen=True, slots=True)
class Answer:
    status: int  # 0: no HTTP answer at all (connection refused or reset)
    seconds: float
    retry_after: str | None
    text: str
    at: float  # when it was sent, on the monotonic clock


@dataclass
class Tally:
    answers: list[Answer] = field(default_factory=list)
    acknowledged: dict[int, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def note(self, answer: Answer, comment_id: int | None = None, body: str = "") -> None:
        with self.lock:
            self.answers.append(answer)
            if comment_id is not None:
                self.acknowledged[comment_id] = body

    def statuses(self) -> Counter[int]:
        return Counter(a.status for a in self.answers)

    def unexpected(self, allowed: set[int]) -> list[Answer]:
        return [a for a in self.answers if a.status not in allowed]


def post_comment(client: httpx2.Client, key: str, body: str, tally: Tally) -> None:
    started = time.monotonic()
    try:
        response = client.post(
            f"/api/v1/articles/{key}/comments",
            json={"author": "Load", "body": body, "accept_terms": True},
        )
    except httpx2.TransportError as exc:
        tally.note(Answer(0, time.monotonic() - started, None, type(exc).__name__, started))
        return
    answer = Answer(
        response.status_code,
        time.monotonic() - started,
        response.headers.get("retry-after"),
        response.text[:300],
        started,
    )
    comment_id = response.json()["id"] if response.status_code == 202 else None
    tally.note(answer, comment_id, body)


def run_writers(
    base: str,
    key: str,
    *,
    workers: int,
    seconds: float | None = None,
    each: int | None = None,
    during: Callable[[], None] | None = None,
    body_size: int = 0,
    tally: Tally | None = None,
) -> Tally:
    """``workers`` threads posting until ``seconds`` pass or ``each`` posts are made;
    ``during`` runs in the calling thread meanwhile (a fault)."""
    tally = tally if tally is not None else Tally()
    stop = threading.Event()
    padding = " " + "x" * body_size if body_size else ""

    def writer(n: int) -> None:
        with httpx2.Client(base_url=base, timeout=30) as client:
            count = 0
            while not stop.is_set() and (each is None or count < each):
                post_comment(client, key, f"writer {n} comment {count}{padding}", tally)
                count += 1

    with ThreadPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(writer, n) for n in range(workers)]
        if during is not None:
            during()
        if seconds is not None:
            deadline = time.monotonic() + seconds
            while time.monotonic() < deadline and not all(f.done() for f in futures):
                time.sleep(0.05)
            stop.set()
        for future in futures:
            future.result()
    return tally


def missing_from(database_url: str, acknowledged: dict[int, str]) -> tuple[dict[int, str], str]:
    """Acknowledged comments not stored as acknowledged, and SQLite's integrity_check."""
    store = Store(database_url)
    try:
        with store.read() as connection:
            stored = dict(connection.execute(sa.select(comments.c.id, comments.c.body)).all())
            check = "n/a"
            if store.dialect == "sqlite":
                check = str(connection.exec_driver_sql("PRAGMA integrity_check").scalar())
    finally:
        store.close()
    return {i: b for i, b in acknowledged.items() if stored.get(i) != b}, check
