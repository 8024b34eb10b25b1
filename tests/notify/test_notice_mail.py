"""The notifier of illegal content gets a receipt, then the decision, by mail through
the outbox: to the notice's own address (not a subscription), in the form's language,
and nothing once the address is erased."""

from __future__ import annotations

from commentdesk.desk import Desk
from commentdesk.desk.rights import email_hash
from commentdesk.model import Action, Moderator
from commentdesk.notices import NoticeDraft
from commentdesk.notify.tokens import Purpose, sign
from commentdesk.notify.worker import Worker
from tests.notify.servers import Inbox
from tests.notify.support import deliver
from tests.support import Clock, submit_comment

DRAFT = NoticeDraft(
    category="threats",
    law="Belgium, Criminal Code art. 327",
    explanation="It threatens the journalist by name with violence at her home.",
    name="Jana Novak",
    email="jana@example.org",
    exempt=False,
    good_faith=True,
)


def published(desk: Desk, editor: Moderator, article_key: str) -> int:
    text = "We know where she lives."
    return submit_comment(desk, text, key=article_key, author="Mina", approve_as=editor)


def body_of(inbox: Inbox, index: int = -1) -> str:
    mail = inbox.messages[index]
    return f"{mail['Subject']}\n{mail.get_body(('plain',)).get_content()}"  # type: ignore[union-attr]


def test_the_notifier_gets_a_receipt_then_the_decision(
    desk: Desk, editor: Moderator, article_key: str, worker: Worker, inbox: Inbox, clock: Clock
) -> None:
    comment_id = published(desk, editor, article_key)
    desk.notices.file(comment_id, DRAFT, language="en", address=None)
    worker.run_once()
    assert inbox.recipients[-1] == ["jana@example.org"]
    receipt = body_of(inbox)
    assert "We received your notice of illegal content" in receipt
    assert f"#comment-{comment_id}" in receipt
    desk.moderation.decide(editor, comment_id, Action.WITHDRAW, reason="threat")
    deliver(worker, clock)
    decision = body_of(inbox)
    assert "The decision on your notice" in decision
    assert "removed or restricted the comment" in decision
    assert "without automated means" in decision


def test_a_korean_notifier_is_answered_in_korean(
    desk: Desk, editor: Moderator, article_key: str, worker: Worker, inbox: Inbox
) -> None:
    comment_id = published(desk, editor, article_key)
    desk.notices.file(comment_id, DRAFT, language="ko", address=None)
    worker.run_once()
    assert "불법 콘텐츠 신고를 접수했습니다" in body_of(inbox)


def test_an_exempt_notice_sends_nothing(
    desk: Desk, editor: Moderator, article_key: str, worker: Worker, inbox: Inbox
) -> None:
    comment_id = published(desk, editor, article_key)
    exempt = NoticeDraft("child_abuse", "", DRAFT.explanation, "", "", True, True)
    desk.notices.file(comment_id, exempt, language="en", address=None)
    worker.run_once()
    assert inbox.messages == []


def test_an_erased_address_gets_no_decision(
    desk: Desk, editor: Moderator, article_key: str, worker: Worker, inbox: Inbox, clock: Clock
) -> None:
    comment_id = published(desk, editor, article_key)
    desk.notices.file(comment_id, DRAFT, language="en", address=None)
    worker.run_once()
    token = sign(desk.context.secret, Purpose.RIGHTS, email_hash(desk.context, DRAFT.email))
    desk.rights.erase(desk.rights.by_link(token), remove_text=False)
    desk.moderation.decide(editor, comment_id, Action.WITHDRAW, reason="threat")
    deliver(worker, clock)
    assert len(inbox.messages) == 1  # the receipt only


def test_an_undone_decision_sends_no_decision(
    desk: Desk, editor: Moderator, article_key: str, worker: Worker, inbox: Inbox, clock: Clock
) -> None:
    comment_id = published(desk, editor, article_key)
    desk.notices.file(comment_id, DRAFT, language="en", address=None)
    worker.run_once()
    desk.decisions.decide(editor, comment_id, Action.WITHDRAW, note="threat")
    desk.decisions.undo(editor)
    deliver(worker, clock)
    assert len(inbox.messages) == 1  # the receipt only
