"""Time from a moderator's decision to the static file nginx serves (issue 18).

Starts ``commentdesk serve`` on SQLite with ``COMMENTDESK_PUBLISH_DIR`` and
``COMMENTDESK_PUBLISH_ON_DECISION`` (the interval left at its default), seeds one article
with pending comments, then approves them one at a time through the moderators' API,
one every half second. After each approve's ``200`` the client reads the article's
published ``articles/KEY.json`` every 5 ms until the comment is in it: that wait is the
figure, the delay a reader of the static file sees.

Usage: ``python bench/publish_latency.py [--decisions 40]`` (prints the figures);
``bench/run.py`` calls ``measure`` and writes them into the results file.
"""

from __future__ import annotations

import argparse
import http.client
import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import compare
from dataset import PASSWORD, SECRET, sentence

from commentdesk.cli.common import open_desk
from commentdesk.desk import Draft
from commentdesk.model import Moderation, Role
from commentdesk.settings import Settings

HERE = Path(__file__).resolve().parent
PORT = 18084
ARTICLE = "published"
#: A decision's file should appear within the watcher's interval; this is a failure.
GIVE_UP_SECONDS = 30.0


@dataclass
class PublishLatency:
    decisions: int
    interval_s: float
    p50_s: float
    p99_s: float
    max_s: float


def seed(url: str, count: int) -> tuple[str, list[int]]:
    """A site, the article, ``count`` pending comments; returns a token and their ids."""
    import random

    settings = Settings(database_url=url, secret_key=SECRET)
    desk = open_desk(settings)
    try:
        desk.catalog.ensure_site("news", name="The News", moderation=Moderation.PRE)
        desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
        desk.catalog.add_article("news", ARTICLE, url="https://news.example/p", title="P")
        rng = random.Random(5)
        ids = []
        for n in range(count):
            draft = Draft(author=f"Reader {n}", body=sentence(rng, 5, 40), accept_terms=True)
            ids.append(desk.comments.submit(ARTICLE, draft).comment.id)
        return desk.accounts.create_token("chief"), ids
    finally:
        desk.close()


def measure(work: Path, decisions: int = 40) -> PublishLatency:
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    url = f"sqlite:///{work / 'ours.db'}"
    token, ids = seed(url, decisions)
    published = work / "published"
    interval = Settings.model_fields["publish_interval_seconds"].default
    server = compare.our_server(work, url, port=PORT)
    server.env.update(
        {
            "COMMENTDESK_PUBLISH_DIR": str(published),
            "COMMENTDESK_PUBLISH_ON_DECISION": "true",
            "COMMENTDESK_ASSESS_IN_SERVER": "false",
        }
    )
    waits = []
    try:
        server.start()
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        target = published / "articles" / f"{ARTICLE}.json"
        for comment in ids:
            connection.request(
                "POST",
                f"/api/v1/moderation/comments/{comment}/approve",
                body="{}",
                headers={"Authorization": f"Bearer {token}", "Content-Type": "application/json"},
            )
            answer = connection.getresponse()
            answer.read()
            assert answer.status == 200, answer.status
            decided = time.monotonic()
            while not _holds(target, comment):
                if time.monotonic() - decided > GIVE_UP_SECONDS:
                    raise SystemExit(f"comment {comment} never reached {target}")
                time.sleep(0.005)
            waits.append(time.monotonic() - decided)
            time.sleep(0.5)
        connection.close()
    finally:
        server.stop()
    ordered = sorted(waits)
    return PublishLatency(
        decisions=len(waits),
        interval_s=interval,
        p50_s=ordered[len(ordered) // 2],
        p99_s=ordered[min(len(ordered) - 1, round(0.99 * len(ordered)) - 1)],
        max_s=ordered[-1],
    )


def _holds(path: Path, comment: int) -> bool:
    try:
        thread = json.loads(path.read_bytes())
    except (OSError, ValueError):
        return False  # not written yet (files are replaced whole, never torn)
    return any(c["id"] == comment for c in thread["comments"])


def section(figures: PublishLatency) -> list[str]:
    return [
        f"{figures.decisions} approvals through the moderators' API, one every 0.5 s, with "
        f"`COMMENTDESK_PUBLISH_ON_DECISION` (the watcher looks every "
        f"{figures.interval_s:g} s); from each approve's 200 to its comment in "
        "`articles/KEY.json`:",
        "",
        "| p50 s | p99 s | max s |",
        "| ---: | ---: | ---: |",
        f"| {figures.p50_s:.3f} | {figures.p99_s:.3f} | {figures.max_s:.3f} |",
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--decisions", type=int, default=40)
    args = parser.parse_args()
    print("\n".join(section(measure(HERE / ".data" / "publish", args.decisions))))
