"""The mail of a rejection names the site's reason in the author's language: the
language the comment is written in, when there is a catalog for it."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Action, Moderator
from commentdesk.notify.worker import Worker
from tests.notify.servers import Inbox
from tests.notify.support import deliver
from tests.notify.test_email import confirm
from tests.support import Clock, Post


@pytest.fixture
def rejected_mail(
    desk: Desk,
    client: TestClient,
    post: Post,
    editor: Moderator,
    worker: Worker,
    inbox: Inbox,
    clock: Clock,
) -> Callable[[str], str]:
    """Posts ``text`` from a confirmed address, rejects it as spam with a note, and
    answers the mail the author gets (subject and text)."""

    def reject(text: str) -> str:
        post(email="mina@reader.example")
        worker.run_once()
        confirm(client, inbox)
        comment_id = post(text, email="mina@reader.example")
        desk.decisions.decide(editor, comment_id, Action.REJECT, choice="spam", note="internal")
        deliver(worker, clock)
        mail = inbox.messages[-1]
        body = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
        return f"{mail['Subject']}\n{body}"

    return reject


def test_a_korean_author_is_told_in_korean_why_their_comment_was_rejected(
    rejected_mail: Callable[[str], str],
) -> None:
    mail = rejected_mail("시계를 아주 싸게 팝니다. 지금 바로 연락 주세요. 오늘만 이 가격입니다.")
    assert "게시되지 않았습니다" in mail
    assert "사유: 스팸 또는 광고" in mail
    assert "internal" not in mail


def test_an_english_author_on_the_same_site_is_told_in_english(
    rejected_mail: Callable[[str], str],
) -> None:
    mail = rejected_mail("Buy cheap watches today, the best prices in town, call me now.")
    assert "was not published" in mail
    assert "Reason: Spam or advertising" in mail
