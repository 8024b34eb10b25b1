"""Two moderators deciding one comment at the same moment, with real threads.

Runs on SQLite and PostgreSQL: exactly one decision event, the loser told who decided
what, and never a 500.
"""

from __future__ import annotations

import functools
import re
import threading
from collections.abc import Callable

import httpx2

from commentdesk.desk import Desk
from commentdesk.errors import AlreadyDecided, CommentdeskError
from commentdesk.model import Action, State
from tests.console.support import Browser, send
from tests.support import Post

ROUNDS = 5


def _race(*calls: Callable[[], object]) -> list[object]:
    """Runs the calls at once (released by one barrier); returns results or exceptions."""
    barrier = threading.Barrier(len(calls))
    results: list[object] = [None] * len(calls)

    def run(index: int) -> None:
        barrier.wait()
        try:
            results[index] = calls[index]()
        except CommentdeskError as exc:
            results[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return results


def _decisions(desk: Desk, comment_id: int) -> list[Action]:
    return [
        e.action
        for e in desk.moderation.history(comment_id)
        if e.action in (Action.APPROVE, Action.REJECT)
    ]


def test_approve_and_reject_at_once_leave_one_event_and_one_told_loser(
    desk: Desk, post_comment: Post, people: dict[str, int]
) -> None:
    mina, nora = desk.accounts.get("mina"), desk.accounts.get("nora")
    for _ in range(ROUNDS):
        comment_id = post_comment()
        results = _race(
            functools.partial(desk.moderation.decide, mina, comment_id, Action.APPROVE),
            functools.partial(
                desk.moderation.decide, nora, comment_id, Action.REJECT, reason="Spam"
            ),
        )
        losers = [r for r in results if isinstance(r, AlreadyDecided)]
        assert len(losers) == 1, results
        assert len(_decisions(desk, comment_id)) == 1
        winner = "mina" if isinstance(results[1], AlreadyDecided) else "nora"
        assert losers[0].by == winner
        assert losers[0].state in (State.APPROVED, State.REJECTED)


def test_two_console_forms_at_once_answer_303_and_409_never_500(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    clients = browser("mina"), browser("nora")
    for _ in range(ROUNDS):
        comment_id = post_comment()
        path = f"/console/comments/{comment_id}/decide"
        answers = _race(
            functools.partial(send, clients[0], path, {"action": "approve"}),
            functools.partial(send, clients[1], path, {"action": "reject", "choice": "Off-topic"}),
        )
        statuses = sorted(a.status_code for a in answers if isinstance(a, httpx2.Response))
        assert statuses == [303, 409]
        loser = next(a for a in answers if isinstance(a, httpx2.Response) and a.status_code == 409)
        assert re.search(r"already (approved|rejected) by (mina|nora)", loser.text)
        assert len(_decisions(desk, comment_id)) == 1
