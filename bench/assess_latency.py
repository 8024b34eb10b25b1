"""Time from a post's 202 to its full assessment, at a steady rate (issue 14).

Starts ``commentdesk serve`` on SQLite (loopback only, the assessment worker inside the
server as it runs by default), seeds a site with ten articles and a few hundred assessed
comments, then posts at a fixed rate (20 posts a second for 60 s by default): an
open-loop schedule, each post sent at its own time whether or not earlier ones were
answered. Texts are distinct and mixed like real comments: mostly fresh sentences of
varied length, some long ones with a link, and about one in ten a near-duplicate copy of
one campaign text (a couple of words changed).

Each 202's time is taken on the client right after its answer is read, with
``datetime.now(UTC)``; the assessment's time is the ``at`` of the comment's ``assess``
event in ``events``, written by the server with its clock, also ``datetime.now(UTC)``
(``commentdesk.desk.context.utcnow``) on the same machine, so the two clocks are one. The
event is written in the transaction that stores the assessment, which commits right
after it: ``at`` is when the assessment became visible in the queue, give or take that
commit.

Usage: ``python bench/assess_latency.py [--rate 20] [--seconds 60]`` (prints the figures);
``bench/run.py`` calls ``measure`` and writes them into the results file.
"""

from __future__ import annotations

import argparse
import http.client
import json
import random
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import compare
import sqlalchemy as sa
from dataset import PASSWORD, SECRET, campaign_texts, sentence

from commentdesk.cli.common import open_desk
from commentdesk.desk import Draft
from commentdesk.model import Action, Moderation, Role
from commentdesk.settings import Settings
from commentdesk.store.tables import assessments_due, events

HERE = Path(__file__).resolve().parent
PORT = 18083
ARTICLES = [f"story-{n}" for n in range(10)]
PRIOR = 300
#: One post in this many is a near-duplicate copy of the campaign text.
CAMPAIGN_EVERY = 10
#: One post in this many is a long comment with a link.
LONG_EVERY = 8


@dataclass
class AssessLatency:
    rate: float
    seconds: float
    posted: int
    accepted: int  # answered 202
    other_status: dict[str, int]
    assessed: int
    not_assessed: int
    #: Seconds from the 202 to the ``assess`` event: p50, p95, p99, max.
    p50_s: float
    p95_s: float
    p99_s: float
    max_s: float
    #: The posts' own response times in ms (p50, p99) and how late the client sent
    #: them against the schedule at worst (ms): the rate held when this stays small.
    post_p50_ms: float
    post_p99_ms: float
    send_lag_max_ms: float
    campaign_copies: int


def seed(url: str) -> None:
    settings = Settings(
        database_url=url,
        secret_key=SECRET,
        rate_commenter=compare.HIGH_RATE,
        rate_address=compare.HIGH_RATE,
        rate_article=compare.HIGH_RATE,
        rate_site=compare.HIGH_RATE,
    )
    desk = open_desk(settings)
    try:
        desk.catalog.ensure_site(
            "news", name="The News", moderation=Moderation.PRE, origins=("http://127.0.0.1:*",)
        )
        chief = desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
        for key in ARTICLES:
            desk.catalog.add_article("news", key, url=f"https://news.example/{key}", title=key)
        rng = random.Random(7)
        for n in range(PRIOR):
            draft = Draft(author=f"Earlier {n}", body=sentence(rng, 5, 60), accept_terms=True)
            submitted = desk.comments.submit(rng.choice(ARTICLES), draft)
            desk.moderation.decide(chief, submitted.comment.id, Action.APPROVE)
        desk.assessor.drain()
    finally:
        desk.close()


def bodies(count: int, rng: random.Random) -> list[tuple[str, bool]]:
    """``count`` distinct texts and whether each is a campaign copy."""
    campaign = campaign_texts(random.Random(11))[0]
    texts: list[tuple[str, bool]] = []
    for n in range(count):
        if n % CAMPAIGN_EVERY == CAMPAIGN_EVERY - 1:
            # The same campaign text, edited a little, with a tag so no two are identical.
            texts.append((f"{rng.choice(campaign)} #{n}", True))
        elif n % LONG_EVERY == LONG_EVERY - 1:
            paragraphs = [sentence(rng, 20, 60) for _ in range(rng.randint(2, 4))]
            link = f"https://example.org/notes/{n}"
            texts.append(("\n\n".join(paragraphs) + f" More at {link}", False))
        else:
            texts.append((sentence(rng, 3, 45), False))
    return texts


class Poster:
    """Posts on keep-alive connections, one per client thread."""

    def __init__(self, port: int) -> None:
        self._port = port
        self._local = threading.local()

    def post(self, article: str, author: str, body: str) -> tuple[int, int | None, float]:
        """Returns the status, the new comment's id and the answer's time (epoch s)."""
        payload = json.dumps({"author": author, "body": body, "accept_terms": True})
        for attempt in (1, 2):
            connection = getattr(self._local, "connection", None)
            if connection is None:
                connection = http.client.HTTPConnection("127.0.0.1", self._port, timeout=30)
                self._local.connection = connection
            try:
                connection.request(
                    "POST",
                    f"/api/v1/articles/{article}/comments",
                    body=payload,
                    headers={"Content-Type": "application/json"},
                )
                answer = connection.getresponse()
                data = answer.read()
                answered = datetime.now(UTC).timestamp()
            except (ConnectionError, http.client.HTTPException):
                connection.close()
                self._local.connection = None
                if attempt == 2:
                    raise
                continue
            comment_id = json.loads(data)["id"] if answer.status == 202 else None
            return answer.status, comment_id, answered
        raise AssertionError("unreachable")


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    return ordered[min(len(ordered) - 1, max(0, round(share * len(ordered)) - 1))]


def drive(port: int, rate: float, seconds: float) -> list[dict[str, object]]:
    """Posts ``rate`` a second for ``seconds``; one record per post."""
    rng = random.Random(2026)
    count = int(rate * seconds)
    texts = bodies(count, rng)
    poster = Poster(port)
    records: list[dict[str, object]] = [{} for _ in range(count)]

    def one(n: int, due: float) -> None:
        sent = time.monotonic()
        body, copy = texts[n]
        status, comment_id, answered = poster.post(ARTICLES[n % len(ARTICLES)], f"Poster {n}", body)
        records[n] = {
            "status": status,
            "id": comment_id,
            "answered": answered,
            "post_ms": 1000 * (time.monotonic() - sent),
            "lag_ms": 1000 * (sent - due),
            "campaign": copy,
        }

    with ThreadPoolExecutor(max_workers=32) as pool:
        start = time.monotonic() + 0.5
        for n in range(count):
            due = start + n / rate
            pause = due - time.monotonic()
            if pause > 0:
                time.sleep(pause)
            pool.submit(one, n, due)
    return records


def assessed_at(url: str, ids: list[int], timeout: float) -> dict[int, float]:
    """Waits until nothing is due (or ``timeout``), then each comment's first ``assess``."""
    engine = sa.create_engine(url)
    try:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with engine.connect() as connection:
                due = connection.execute(
                    sa.select(sa.func.count()).select_from(assessments_due)
                ).scalar_one()
            if not due:
                break
            time.sleep(0.5)
        wanted = set(ids)
        with engine.connect() as connection:
            rows = connection.execute(
                sa.select(events.c.comment_id, sa.func.min(events.c.at))
                .where(events.c.action == Action.ASSESS.value)
                .group_by(events.c.comment_id)
            ).all()
    finally:
        engine.dispose()
    # min() comes back as the column's raw value on SQLite; read it as UTC either way.
    found: dict[int, float] = {}
    for comment_id, at in rows:
        if comment_id not in wanted:
            continue
        moment = at if isinstance(at, datetime) else datetime.fromisoformat(str(at))
        found[comment_id] = moment.replace(tzinfo=UTC).timestamp()
    return found


def measure(work: Path, *, rate: float = 20.0, seconds: float = 60.0) -> AssessLatency:
    work = work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    for stale in ("ours.db", "ours.db-wal", "ours.db-shm"):
        (work / stale).unlink(missing_ok=True)
    url = f"sqlite:///{work / 'ours.db'}"
    seed(url)
    server = compare.our_server(work, url, PORT)
    server.env["COMMENTDESK_ASSESS_IN_SERVER"] = "true"
    server.start()
    try:
        # The first English post loads the classifier; not part of the measurement.
        Poster(PORT).post(ARTICLES[0], "Warm up", "A first comment to load the classifier.")
        server.wait_idle()
        records = drive(PORT, rate, seconds)
        accepted = [r for r in records if r.get("status") == 202]
        ids = [int(r["id"]) for r in accepted]  # type: ignore[call-overload]
        times = assessed_at(url, ids, timeout=120)
    finally:
        server.stop()
    other: dict[str, int] = {}
    for record in records:
        if record.get("status") != 202:
            key = str(record.get("status", "no answer"))
            other[key] = other.get(key, 0) + 1
    delays = [times[int(r["id"])] - float(r["answered"]) for r in accepted if r["id"] in times]  # type: ignore[arg-type, call-overload]
    post_ms = [float(r["post_ms"]) for r in records if "post_ms" in r]  # type: ignore[arg-type]
    lags = [float(r["lag_ms"]) for r in records if "lag_ms" in r]  # type: ignore[arg-type]
    return AssessLatency(
        rate=rate,
        seconds=seconds,
        posted=len(records),
        accepted=len(accepted),
        other_status=other,
        assessed=len(delays),
        not_assessed=len(accepted) - len(delays),
        p50_s=statistics.median(delays) if delays else float("nan"),
        p95_s=_percentile(delays, 0.95),
        p99_s=_percentile(delays, 0.99),
        max_s=max(delays, default=float("nan")),
        post_p50_ms=statistics.median(post_ms) if post_ms else float("nan"),
        post_p99_ms=_percentile(post_ms, 0.99),
        send_lag_max_ms=max(lags, default=float("nan")),
        campaign_copies=sum(1 for r in accepted if r["campaign"]),
    )


def section(result: AssessLatency) -> list[str]:
    """The results file's lines for this measurement."""
    other = ", ".join(f"{n} answered {status}" for status, n in sorted(result.other_status.items()))
    return [
        f"{result.posted:,} posts at a steady {result.rate:g} a second for {result.seconds:g} s "
        f"(open loop; {result.campaign_copies} of the accepted were near-duplicate copies of "
        f"one campaign text), `commentdesk serve` on SQLite with its assessment worker inside "
        f"(COMMENTDESK_ASSESS_IN_SERVER=true). Time to assessment = the `at` of the comment's "
        "`assess` event (server clock, `datetime.now(UTC)`) minus the time its 202 was read "
        "(client clock, `datetime.now(UTC)`, same machine).",
        "",
        "| posts | 202 | assessed | not assessed | p50 s | p95 s | p99 s | max s | "
        "post p50 ms | post p99 ms | worst send lag ms |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
        f"| {result.posted:,} | {result.accepted:,} | {result.assessed:,} | "
        f"{result.not_assessed:,} | {result.p50_s:.3f} | {result.p95_s:.3f} | "
        f"{result.p99_s:.3f} | {result.max_s:.3f} | {result.post_p50_ms:.1f} | "
        f"{result.post_p99_ms:.1f} | {result.send_lag_max_ms:.1f} |",
        *(["", f"Not answered 202: {other}."] if other else []),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rate", type=float, default=20.0, help="posts a second")
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--work", type=Path, default=HERE / ".data" / "assess")
    args = parser.parse_args()
    print("\n".join(section(measure(args.work, rate=args.rate, seconds=args.seconds))))


if __name__ == "__main__":
    main()
