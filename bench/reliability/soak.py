"""A bounded soak: mixed reader and moderator load at a steady rate against a live server.

    python bench/reliability/soak.py --database sqlite --seconds 600 --rate 20
    python bench/reliability/soak.py --database postgresql --seconds 600 --rate 20

Starts ``commentdesk serve`` on a free loopback port (SQLite in a temporary folder, or a
private PostgreSQL cluster made for the run, never the machine's shared one), seeds a
site, twenty articles and a moderator, then sends requests on a fixed schedule (open
loop: a slow answer does not slow the schedule) from a pool of threads:

    40 %  read a thread's JSON          10 %  a moderator reads the queue
    15 %  read a thread's page (HTML)   10 %  a moderator approves or rejects one
    15 %  post a comment (JSON API)      5 %  counts, 5 % an Atom feed

It samples the server's resident memory (VmRSS) every ten seconds, and at the end checks
that every acknowledged comment is in the database as acknowledged. Only loopback is
ever addressed; every loop is bounded by ``--seconds``. Prints one JSON object and, with
``--results FILE``, appends it there.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.livesrv import NO_LIMITS, start_server  # noqa: E402
from tests.reliability.load import missing_from  # noqa: E402

from commentdesk.cli.common import open_desk  # noqa: E402
from commentdesk.model import Moderation, Role  # noqa: E402
from commentdesk.settings import Settings  # noqa: E402

ARTICLES = [f"soak-{n}" for n in range(20)]
SECRET = "soak-secret"
WARM_UP = 60.0  # seconds before the memory baseline: imports, model, pools, caches


@dataclass
class Figures:
    statuses: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)
    server_errors: list[str] = field(default_factory=list)
    transport_errors: int = 0
    latencies: list[float] = field(default_factory=list)
    acknowledged: dict[int, str] = field(default_factory=dict)
    pending: list[int] = field(default_factory=list)
    late: int = 0
    refusals: Counter[str] = field(default_factory=Counter)
    lock: threading.Lock = field(default_factory=threading.Lock)


def seed(url: str) -> str:
    """Migrates, adds the site, the articles and a moderator; returns an API token."""
    desk = open_desk(Settings(database_url=url, secret_key=SECRET))
    desk.catalog.ensure_site(
        "soak", name="Soak Daily", origins=("https://soak.example",), moderation=Moderation.PRE
    )
    for key in ARTICLES:
        desk.catalog.add_article("soak", key, url=f"https://soak.example/{key}", title=key)
    desk.accounts.add_moderator("soaker", "a long soak password", Role.MODERATOR)
    token = desk.accounts.create_token("soaker")
    desk.close()
    return token


def rss_kib(pid: int) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return 0


def actions(token: str, figures: Figures) -> list[tuple[float, Callable[[httpx.Client], Any]]]:
    auth = {"Authorization": f"Bearer {token}"}
    numbers = itertools.count()

    def thread_json(c: httpx.Client) -> httpx.Response:
        return c.get(f"/api/v1/articles/{random.choice(ARTICLES)}/comments")

    def thread_html(c: httpx.Client) -> httpx.Response:
        return c.get(f"/articles/{random.choice(ARTICLES)}")

    def post(c: httpx.Client) -> httpx.Response:
        n = next(numbers)
        body = f"Soak comment {n}: {random.choice(['budget', '선거', 'river', 'council'])}"
        answer = c.post(
            f"/api/v1/articles/{random.choice(ARTICLES)}/comments",
            json={"author": f"Reader {n % 300}", "body": body, "accept_terms": True},
            headers={"X-Commenter-Key": f"soak-commenter-{n % 300:06d}"},
        )
        if answer.status_code == 202:
            with figures.lock:
                figures.acknowledged[answer.json()["id"]] = body
                figures.pending.append(answer.json()["id"])
        return answer

    def queue(c: httpx.Client) -> httpx.Response:
        return c.get("/api/v1/moderation/queue?limit=50", headers=auth)

    def decide(c: httpx.Client) -> httpx.Response | None:
        with figures.lock:
            comment_id = figures.pending.pop(0) if figures.pending else None
        if comment_id is None:
            return None
        if random.random() < 0.8:
            return c.post(f"/api/v1/moderation/comments/{comment_id}/approve", headers=auth)
        return c.post(
            f"/api/v1/moderation/comments/{comment_id}/reject",
            json={"reason": "Off-topic"},
            headers=auth,
        )

    def counts(c: httpx.Client) -> httpx.Response:
        return c.get("/api/v1/counts", params=[("article", k) for k in ARTICLES[:10]])

    def feed(c: httpx.Client) -> httpx.Response:
        return c.get(f"/articles/{random.choice(ARTICLES)}/feed.atom")

    return [
        (0.40, thread_json), (0.15, thread_html), (0.15, post), (0.10, queue),
        (0.10, decide), (0.05, counts), (0.05, feed),
    ]  # fmt: skip


def drive(base: str, pid: int, token: str, seconds: float, rate: float) -> dict[str, Any]:
    figures = Figures()
    table = actions(token, figures)
    weights = [w for w, _ in table]
    local = threading.local()
    memory: list[tuple[float, int]] = []

    def client() -> httpx.Client:
        if not hasattr(local, "client"):
            # Idle connections are dropped before uvicorn's 5 s keep-alive ends, as a
            # well-behaved client does: otherwise a request sent just as the server
            # closes counts as a transport error that is nobody's fault.
            limits = httpx.Limits(keepalive_expiry=2.0)
            local.client = httpx.Client(base_url=base, timeout=30, limits=limits)
        made: httpx.Client = local.client
        return made

    def one(action: Callable[[httpx.Client], Any]) -> None:
        started = time.monotonic()
        try:
            answer = action(client())
        except httpx.TransportError as exc:
            with figures.lock:
                figures.transport_errors += 1
                figures.server_errors.append(f"{action.__name__}: {type(exc).__name__}")
            return
        if answer is None:
            return
        elapsed = time.monotonic() - started
        with figures.lock:
            figures.kinds[action.__name__] += 1
            figures.statuses[str(answer.status_code)] += 1
            figures.latencies.append(elapsed)
            if answer.status_code >= 500:
                figures.server_errors.append(f"{action.__name__}: {answer.status_code}")
            elif answer.status_code >= 400:  # which rule said no, for the report
                is_json = answer.headers.get("content-type", "").startswith("application/json")
                code = answer.json().get("error", {}).get("code", "?") if is_json else "page"
                figures.refusals[f"{action.__name__} {answer.status_code} {code}"] += 1

    start = time.monotonic()
    interval = 1.0 / rate
    next_sample = start
    with ThreadPoolExecutor(max_workers=24) as pool:
        for n in itertools.count():
            due = start + n * interval
            now = time.monotonic()
            if due - start >= seconds:
                break
            if now >= next_sample:
                memory.append((round(now - start, 1), rss_kib(pid)))
                next_sample += 10
            if due > now:
                time.sleep(due - now)
            elif now - due > 1.0:
                figures.late += 1  # the schedule slipped by more than a second
            pool.submit(one, random.choices([a for _, a in table], weights)[0])
    memory.append((round(time.monotonic() - start, 1), rss_kib(pid)))
    baseline = next((kib for at, kib in memory if at >= WARM_UP), memory[0][1])
    latencies = sorted(figures.latencies)
    return {
        "seconds": seconds,
        "rate": rate,
        "requests": sum(figures.statuses.values()) + figures.transport_errors,
        "by_kind": dict(figures.kinds),
        "statuses": dict(sorted(figures.statuses.items())),
        "refusals": dict(figures.refusals),
        "server_errors": len(figures.server_errors),
        "server_error_samples": figures.server_errors[:10],
        "transport_errors": figures.transport_errors,
        "late_sends": figures.late,
        "p50_ms": round(latencies[len(latencies) // 2] * 1000, 1) if latencies else None,
        "p99_ms": round(latencies[int(len(latencies) * 0.99)] * 1000, 1) if latencies else None,
        "rss_start_kib": baseline,
        "rss_end_kib": memory[-1][1],
        "rss_growth_percent": round((memory[-1][1] - baseline) * 100 / baseline, 1),
        "rss_samples": memory,
        "acknowledged": figures.acknowledged,
    }


@contextmanager
def database(kind: str) -> Iterator[str]:
    if kind == "sqlite":
        folder = Path(tempfile.mkdtemp(prefix="cd-soak-"))
        try:
            yield f"sqlite:///{folder / 'soak.db'}"
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return
    from tests.reliability.servers import private_postgres

    with private_postgres() as cluster:
        yield cluster.url


def soak(kind: str, seconds: float, rate: float, log: Path) -> dict[str, Any]:
    with database(kind) as url:
        token = seed(url)
        env = {**NO_LIMITS, "COMMENTDESK_SECRET_KEY": SECRET}
        process, base = start_server(url, log, env=env)
        try:
            result = drive(base, process.pid, token, seconds, rate)
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
        acknowledged: dict[int, str] = result.pop("acknowledged")
        missing, check = missing_from(url, acknowledged)
    return {
        "kind": "soak",
        "database": kind,
        **result,
        "acknowledged": len(acknowledged),
        "present": len(acknowledged) - len(missing),
        "integrity": check,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--seconds", type=float, default=600)
    parser.add_argument("--rate", type=float, default=20, help="requests per second")
    parser.add_argument("--results", type=Path)
    parser.add_argument("--log", type=Path, default=Path("test-artifacts/reliability"))
    options = parser.parse_args()
    # Stopped from outside: unwind, so the server and the private cluster stop too.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    options.log.mkdir(parents=True, exist_ok=True)
    random.seed(11)
    os.environ.setdefault("PYTHONPATH", str(ROOT / "src"))
    result = soak(
        options.database,
        options.seconds,
        options.rate,
        options.log / f"soak-{options.database}.log",
    )
    line = json.dumps(result)
    print(line)
    if options.results:
        with options.results.open("a", encoding="utf-8") as out:
            out.write(line + "\n")
    healthy = (
        result["server_errors"] == 0
        and result["transport_errors"] == 0
        and result["rss_growth_percent"] < 10
        and result["present"] == result["acknowledged"]
    )
    return 0 if healthy else 1


if __name__ == "__main__":
    sys.exit(main())
