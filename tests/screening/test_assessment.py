"""Two stages: a bounded screen in the request, the full assessment by the worker after it."""

from __future__ import annotations

import functools
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import sqlalchemy as sa

from commentdesk.desk import Desk, Draft
from commentdesk.desk.assessor import LEASE
from commentdesk.desk.bans import Banned
from commentdesk.desk.screening import Screened
from commentdesk.errors import RateLimited
from commentdesk.model import Action, Moderation, Role, State
from commentdesk.settings import Settings
from commentdesk.store.tables import articles, assessments_due, events, sites
from commentdesk.triage.policy import ClassifierScore
from tests.support import PASSWORD, Clock, MakeSettings, submit_comment

#: Each comment from a new reader unless a commenter key is named; left to the worker.
submit = functools.partial(submit_comment, new_commenter=True)


def assess_events(desk: Desk) -> dict[int, int]:
    with desk.context.store.read() as connection:
        rows = connection.execute(
            sa.select(events.c.comment_id, sa.func.count())
            .where(events.c.action == Action.ASSESS.value)
            .group_by(events.c.comment_id)
        ).all()
    return {int(comment_id): int(count) for comment_id, count in rows}


def due(desk: Desk) -> int:
    return desk.assessor.due_count()


def reasons(desk: Desk, comment_id: int) -> set[str]:
    [item] = [i for i in desk.moderation.queue(state=None).items if i.comment.id == comment_id]
    return {reason.code for reason in item.comment.assessment.reasons}


@pytest.mark.usefixtures("article_key")
def test_a_stored_comment_shows_as_being_assessed_until_the_worker_assesses_it(
    desk: Desk,
) -> None:
    comment_id = submit(desk, "The council vote was on Tuesday, not Monday.")
    assert "assessing" in reasons(desk, comment_id)
    assert due(desk) == 1
    assert desk.assessor.drain() == 1
    assert "assessing" not in reasons(desk, comment_id)
    assert due(desk) == 0
    assert assess_events(desk) == {comment_id: 1}


def test_a_post_moderated_comment_is_published_only_once_its_assessment_allows_it(
    desk: Desk,
) -> None:
    desk.catalog.ensure_site("live", name="Live", moderation=Moderation.POST)
    desk.catalog.add_article("live", "l1", url="https://live.example/l1", title="Live")
    clean = submit(desk, "Good to see the figures published in full.", key="l1")
    spam = submit(desk, "BUY NOW http://1.2.3.4/x http://bit.ly/y http://bit.ly/z idiot", key="l1")
    article = desk.catalog.article("l1")
    assert desk.threads.published(article) == []
    desk.assessor.drain()
    assert [c.id for c in desk.threads.published(article)] == [clean]
    assert spam in {i.comment.id for i in desk.moderation.queue().items}


@pytest.mark.usefixtures("article_key")
def test_a_decision_taken_while_a_comment_waits_is_kept(desk: Desk) -> None:
    comment_id = submit(desk, "A comment the moderator read at once.")
    mina = desk.accounts.add_moderator("mina", PASSWORD, Role.MODERATOR)
    desk.moderation.decide(mina, comment_id, Action.REJECT, reason="off topic")
    desk.assessor.drain()
    [item] = desk.moderation.queue(state=State.REJECTED).items
    assert item.comment.id == comment_id
    assert "assessing" not in {r.code for r in item.comment.assessment.reasons}


@pytest.mark.usefixtures("article_key")
def test_a_crashing_assessment_leaves_the_comment_held_with_a_reason_and_retries(
    desk: Desk, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    comment_id = submit(desk, "A comment whose assessment will crash the first time.")

    def crash(texts: object) -> object:
        raise RuntimeError("a bug in a text step")

    with monkeypatch.context() as patched:
        patched.setattr(desk.screening, "prepare_batch", crash)
        assert desk.assessor.run_batch() == 1
    assert "assessment_failed" in reasons(desk, comment_id)
    [item] = desk.moderation.queue().items
    assert item.comment.state is State.PENDING
    assert desk.assessor.run_batch() == 0  # not before its retry time
    clock.advance(seconds=11)
    assert desk.assessor.run_batch() == 1
    assert reasons(desk, comment_id).isdisjoint({"assessment_failed", "assessing"})
    assert assess_events(desk) == {comment_id: 1}


def test_two_workers_assess_each_comment_exactly_once(
    settings: Settings, clock: Clock, desk: Desk, article_key: str
) -> None:
    ids = [
        submit(desk, f"Comment number {n} on the school budget, with a view.") for n in range(60)
    ]
    other = Desk.open(settings, clock=clock)
    try:
        workers = [
            threading.Thread(target=worker.assessor.drain, kwargs={"limit": 7})
            for worker in (desk, other, desk, other)
        ]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    finally:
        other.close()
    assert assess_events(desk) == dict.fromkeys(ids, 1)
    assert due(desk) == 0


class CountingScreen:
    """Calls the real screen and counts the calls: the text work a submission did."""

    def __init__(self, desk: Desk) -> None:
        self.calls = 0
        self._screen = desk.screening.screen

    def __call__(self, site_id: int, text: str) -> Screened:
        self.calls += 1
        return self._screen(site_id, text)


def test_a_rate_limited_submission_does_no_text_work_and_makes_no_article(
    make_settings: MakeSettings, clock: Clock, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(rate_commenter="2/3600")
    desk = Desk.open(settings, clock=clock)
    try:
        desk.catalog.ensure_site(
            "auto", name="Auto", origins=("https://auto.example",), auto_create_articles=True
        )
        screen = CountingScreen(desk)
        monkeypatch.setattr(desk.screening, "screen", screen)
        key = secrets.token_urlsafe(18)
        for n in range(2):
            desk.comments.submit(
                f"story-{n}",
                Draft("R", "Fine words.", True, commenter_key=key),
                article_url=f"https://auto.example/story-{n}",
            )
        assert screen.calls == 2
        with pytest.raises(RateLimited):
            desk.comments.submit(
                "story-3",
                Draft("R", "ㅋㅎ" * 1250, True, commenter_key=key),
                article_url="https://auto.example/story-3",
            )
        assert screen.calls == 2
        with desk.context.store.read() as connection:
            made = connection.execute(sa.select(articles.c.key)).scalars().all()
        assert sorted(made) == ["story-0", "story-1"]
    finally:
        desk.close()


def test_a_banned_submission_does_no_text_work(
    desk: Desk, article_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = submit(desk, "first words", commenter_key="troll-key-0000000000")
    with desk.context.store.write() as connection:
        connection.execute(sites.update().values(ban_policy="refuse"))
    mina = desk.accounts.add_moderator("mina", PASSWORD, Role.MODERATOR)
    desk.bans.ban(mina, first, days=7, by_commenter=True, by_email=False, reason="abuse")
    screen = CountingScreen(desk)
    monkeypatch.setattr(desk.screening, "screen", screen)
    with pytest.raises(Banned):
        submit(desk, "ㅋㅎ" * 1250, commenter_key="troll-key-0000000000")
    assert screen.calls == 0
    with desk.context.store.read() as connection:
        waiting = connection.execute(sa.select(assessments_due.c.comment_id)).scalars().all()
    assert waiting == [first]


class SlowModel:
    """A model that takes 50 ms a text, so a batch is long enough to be killed in."""

    def score(self, text: str, language: str) -> ClassifierScore | None:
        time.sleep(0.05)
        return ClassifierScore("slow", "spam", 0.0)


def slow_model() -> SlowModel:
    return SlowModel()


def test_kill_9_in_the_middle_of_a_batch_loses_nothing_and_assesses_each_once(
    settings: Settings, desk: Desk, article_key: str, tmp_path: Path
) -> None:
    ids = [submit(desk, f"Comment {n} about the harbour plan and its costs.") for n in range(40)]
    env = {
        **os.environ,
        "COMMENTDESK_DATABASE_URL": settings.database_url,
        "COMMENTDESK_SECRET_KEY": "test-secret-key",
        "COMMENTDESK_CLASSIFIER": f"{__name__}:slow_model",
        "COMMENTDESK_ASSESS_BATCH": "16",
        "COMMENTDESK_NOTIFY_IN_SERVER": "false",
    }
    log = (tmp_path / "worker.log").open("wb")
    worker = subprocess.Popen(
        [sys.executable, "-m", "commentdesk", "worker"], env=env, stdout=log, stderr=log
    )
    try:
        deadline = time.monotonic() + 120
        while len(assess_events(desk)) < 5 and time.monotonic() < deadline:
            time.sleep(0.05)
        worker.send_signal(signal.SIGKILL)
    finally:
        worker.kill()
        worker.wait(timeout=30)
        log.close()
    partly = assess_events(desk)
    assert 5 <= len(partly) < len(ids), (tmp_path / "worker.log").read_text()
    # After restart: the dead worker's claims run out, and everything is assessed once.
    # (The worker ran on the real clock; the test's desk runs on a fixed one.)
    later = Desk.open(settings, clock=lambda: datetime.now(UTC) + LEASE + timedelta(seconds=1))
    try:
        later.assessor.drain()
    finally:
        later.close()
    assert assess_events(desk) == dict.fromkeys(ids, 1)
    assert due(desk) == 0
    assert {i.comment.id for i in desk.moderation.queue(limit=200).items} == set(ids)
