"""Notices in the desk, on SQLite and PostgreSQL: filed, shown to moderators, decided
with the comment, counted, and their notifier's data forgotten."""

from __future__ import annotations

from dataclasses import replace

import pytest
import sqlalchemy as sa

from commentdesk.desk import Desk
from commentdesk.desk.audit import StaffAction
from commentdesk.desk.queue import QueueFilter
from commentdesk.errors import FieldsInvalid, NotFound
from commentdesk.model import Action, Moderator, State
from commentdesk.notices import NoticeDraft, Outcome
from commentdesk.store.tables import notices, outbox, staff_events
from tests.support import Clock, submit_comment


def file(desk: Desk, comment_id: int, draft: NoticeDraft, address: str = "192.0.2.7") -> int:
    return desk.notices.file(comment_id, draft, language="en", address=address)


def test_a_notice_is_stored_with_its_event_and_leaves_the_comment_published(
    desk: Desk, editor: Moderator, published: int, draft: NoticeDraft
) -> None:
    notice_id = file(desk, published, draft)
    (notice,) = desk.notices.listed(editor, open_only=True)
    assert (notice.id, notice.comment_id, notice.category) == (notice_id, published, "hate")
    assert notice.notifier_email == "jana@example.org"
    assert notice.open
    assert desk.moderation.history(published)[-1].action is Action.NOTICE
    assert desk.moderation.queue(state=State.APPROVED).items[0].comment.id == published


def test_an_invalid_notice_is_refused_before_anything_is_written(
    desk: Desk, editor: Moderator, published: int, draft: NoticeDraft
) -> None:
    with pytest.raises(FieldsInvalid):
        file(desk, published, replace(draft, good_faith=False))
    assert desk.notices.listed(editor, open_only=False) == []


def test_a_pending_comment_takes_no_notice(
    desk: Desk, article_key: str, draft: NoticeDraft
) -> None:
    pending = submit_comment(desk, "Still waiting", key=article_key)
    with pytest.raises(NotFound):
        file(desk, pending, draft)


def test_the_notices_tab_brings_a_published_comment_back_with_its_notice(
    desk: Desk, published: int, draft: NoticeDraft
) -> None:
    noticed = QueueFilter(noticed=True)
    assert desk.moderation.queue(state=None, filters=noticed).items == []
    file(desk, published, draft)
    (item,) = desk.moderation.queue(state=None, filters=noticed).items
    assert item.comment.state is State.APPROVED
    assert [n.explanation for n in item.details.notices] == [draft.explanation]


def test_withdrawing_the_comment_decides_its_notice_as_acted_on(
    desk: Desk, editor: Moderator, published: int, draft: NoticeDraft
) -> None:
    file(desk, published, draft)
    desk.moderation.decide(editor, published, Action.WITHDRAW, reason="illegal hate speech")
    (notice,) = desk.notices.listed(editor, open_only=False)
    assert notice.outcome is Outcome.ACTED
    assert notice.decided_at is not None
    assert desk.notices.listed(editor, open_only=True) == []
    with desk.context.store.read() as connection:
        action = connection.execute(sa.select(staff_events.c.action)).scalars().all()
    assert StaffAction.NOTICE_DECIDED.value in action


def test_keeping_the_comment_decides_its_notice_as_not_acted_on(
    desk: Desk, editor: Moderator, published: int, draft: NoticeDraft
) -> None:
    file(desk, published, draft)
    desk.decisions.dismiss_reports(editor, published, None)
    (notice,) = desk.notices.listed(editor, open_only=False)
    assert notice.outcome is Outcome.NOT_ACTED
    assert desk.moderation.queue(state=None, filters=QueueFilter(noticed=True)).items == []


def test_without_mail_no_receipt_is_queued(desk: Desk, published: int, draft: NoticeDraft) -> None:
    file(desk, published, draft)
    with desk.context.store.read() as connection:
        assert connection.execute(sa.select(sa.func.count()).select_from(outbox)).scalar() == 0


def test_the_transparency_export_counts_notices_by_category_and_outcome(
    desk: Desk, editor: Moderator, published: int, draft: NoticeDraft, clock: Clock
) -> None:
    file(desk, published, draft)
    file(desk, published, replace(draft, category="defamation"), address="192.0.2.8")
    clock.advance(hours=3)
    desk.moderation.decide(editor, published, Action.WITHDRAW, reason="illegal")
    month = clock().strftime("%Y-%m")
    rows = desk.dashboard.transparency(month, None)
    noticed = [row for row in rows if row[2].startswith("notice")]
    assert [month, "news", "notice_received", "hate", "1"] in noticed
    assert [month, "news", "notice_received", "defamation", "1"] in noticed
    assert [month, "news", "notice_acted", "hate", "1"] in noticed
    assert [month, "news", "notice_median_hours", "", "3.0"] in noticed


def test_erasing_an_address_forgets_the_notifier_but_keeps_the_notice(
    desk: Desk, editor: Moderator, published: int, draft: NoticeDraft
) -> None:
    file(desk, published, draft)
    proof = desk.rights.by_link(_rights_token(desk, "jana@example.org"))
    desk.rights.erase(proof, remove_text=False)
    (notice,) = desk.notices.listed(editor, open_only=False)
    assert (notice.notifier_name, notice.notifier_email) == (None, None)
    assert notice.explanation == draft.explanation


def test_retention_forgets_the_notifier_of_a_decided_notice(
    desk: Desk, editor: Moderator, published: int, draft: NoticeDraft, clock: Clock
) -> None:
    file(desk, published, draft)
    desk.moderation.decide(editor, published, Action.WITHDRAW, reason="illegal")
    clock.advance(days=400)
    desk.retention.purge()
    with desk.context.store.read() as connection:
        row = connection.execute(sa.select(notices)).mappings().one()
    assert row["notifier_email"] is None
    assert row["notifier_name"] is None


def _rights_token(desk: Desk, email: str) -> str:
    from commentdesk.desk.rights import email_hash
    from commentdesk.notify.tokens import Purpose, sign

    return sign(desk.context.secret, Purpose.RIGHTS, email_hash(desk.context, email))


def test_undoing_the_decision_opens_the_notice_again(
    desk: Desk, editor: Moderator, published: int, draft: NoticeDraft
) -> None:
    file(desk, published, draft)
    desk.decisions.decide(editor, published, Action.WITHDRAW, note="illegal")
    desk.decisions.undo(editor)
    (notice,) = desk.notices.listed(editor, open_only=True)
    assert notice.outcome is None


def test_the_notifier_gets_their_notices_out_with_their_data(
    desk: Desk, published: int, draft: NoticeDraft
) -> None:
    notice_id = file(desk, published, draft)
    exported = desk.rights.export(desk.rights.by_link(_rights_token(desk, "jana@example.org")))
    (notice,) = exported["notices"]
    assert (notice["id"], notice["explanation"]) == (notice_id, draft.explanation)
    assert notice["notifier_email"] == "jana@example.org"
