"""The reported tab: comments with an open report, in queue order, however many there are."""

from __future__ import annotations

import pytest

from commentdesk.desk import Desk, Draft
from commentdesk.desk import queue as queue_module
from commentdesk.desk.queue import QueueFilter
from commentdesk.model import Action, Role


def reported_pages(desk: Desk, limit: int) -> list[list[int]]:
    pages, cursor = [], None
    while True:
        page = desk.moderation.queue(
            state=None, limit=limit, cursor=cursor, filters=QueueFilter(reported=True)
        )
        pages.append([item.comment.id for item in page.items])
        if not (cursor := page.next_cursor):
            return pages


@pytest.mark.parametrize("few", [True, False], ids=["looked-up-first", "read-in-order"])
def test_reported_comments_come_riskiest_first_page_after_page(
    desk: Desk, article_key: str, monkeypatch: pytest.MonkeyPatch, few: bool
) -> None:
    if not few:
        monkeypatch.setattr(queue_module, "REPORTED_FEW", 1)  # three reported are many
    desk.accounts.add_moderator("chief", "a long enough password", Role.ADMIN)
    chief = desk.accounts.get("chief")
    ids = []
    for number in range(4):
        draft = Draft(author="Reader", body=f"Remark {number}.", accept_terms=True)
        ids.append(desk.comments.submit(article_key, draft).comment.id)
        desk.moderation.decide(chief, ids[-1], Action.APPROVE)
    for comment_id in ids[:3]:
        desk.comments.report(comment_id, "It names a private person")
    everything = desk.moderation.queue(state=None).items
    in_order = [item.comment.id for item in everything if item.comment.id in ids[:3]]
    assert reported_pages(desk, limit=2) == [in_order[:2], in_order[2:]]
