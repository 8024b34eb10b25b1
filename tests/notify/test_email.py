"""Email to readers, against a real SMTP server: double opt-in, decisions, replies,
one-click unsubscribe, retries with back-off, and header injection attempts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Action, Moderator
from commentdesk.notify.worker import Worker
from commentdesk.store.tables import outbox, sites, subscribers
from tests.notify.servers import Inbox
from tests.notify.support import deliver, link_in
from tests.support import Clock, MakeSettings, Post


def confirm(client: TestClient, inbox: Inbox) -> None:
    """Follows the confirmation link of the newest confirmation mail, like a reader."""
    message = inbox.of_kind("Please confirm")[-1]
    link = link_in(message, "/notifications/confirm")
    page = client.get(link)
    assert page.status_code == 200
    assert "Confirm my address" in page.text  # a GET only shows the button
    token = link.split("?t=", 1)[1]
    done = client.post("/notifications/confirm", data={"t": token})
    assert "your address is confirmed" in done.text


def outbox_rows(desk: Desk) -> list[sa.RowMapping]:
    with desk.context.store.read() as connection:
        return list(connection.execute(sa.select(outbox).order_by(outbox.c.id)).mappings())


def test_the_first_mail_only_asks_to_confirm_the_address(
    desk: Desk,
    post: Post,
    approve: Callable[[int], None],
    worker: Worker,
    inbox: Inbox,
    clock: Clock,
) -> None:
    comment_id = post(email="mina@reader.example")
    approve(comment_id)
    deliver(worker, clock)
    assert [m["Subject"] for m in inbox.messages] == [
        "Please confirm your address for comment notifications"
    ]
    assert inbox.recipients == [["mina@reader.example"]]


def test_a_confirmed_address_hears_of_approval_with_one_click_unsubscribe(
    desk: Desk,
    client: TestClient,
    post: Post,
    approve: Callable[[int], None],
    worker: Worker,
    inbox: Inbox,
    clock: Clock,
) -> None:
    post(email="mina@reader.example")
    worker.run_once()
    confirm(client, inbox)
    second = post("Another one.", email="Mina@Reader.example")
    approve(second)
    assert worker.run_once() == 0  # decision mail waits out the undo window
    deliver(worker, clock)
    [mail] = inbox.of_kind("was published")
    assert mail["Subject"] == 'Your comment on "First story" was published'
    assert mail["From"] == "The News comments <comments@news.example>"
    assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert mail["List-Unsubscribe"].startswith(
        "<https://comments.example/notifications/unsubscribe?t="
    )
    body = mail.get_body(("plain",))
    assert body is not None
    assert f"https://comments.example/articles/a1#comment-{second}" in body.get_content()
    assert len(inbox.of_kind("Please confirm")) == 1  # no second confirmation for the address


def test_a_rejection_names_the_sites_category_but_not_the_moderators_note(
    desk: Desk,
    client: TestClient,
    post: Post,
    editor: Moderator,
    worker: Worker,
    inbox: Inbox,
    clock: Clock,
) -> None:
    post(email="mina@reader.example")
    worker.run_once()
    confirm(client, inbox)
    comment_id = post("Buy cheap watches", email="mina@reader.example")
    reason = desk.decisions.reasons_for(comment_id)[0]
    category = reason.text("en", "en")
    desk.decisions.decide(
        editor, comment_id, Action.REJECT, choice=reason.code, note="obvious spammer, internal"
    )
    deliver(worker, clock)
    [mail] = inbox.of_kind("was not published")
    text = mail.get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert f"Reason: {category}" in text
    assert "internal" not in text


def test_an_author_hears_of_a_published_reply_but_not_of_their_own(
    desk: Desk,
    client: TestClient,
    post: Post,
    approve: Callable[[int], None],
    worker: Worker,
    inbox: Inbox,
    clock: Clock,
) -> None:
    parent = post(email="mina@reader.example")
    approve(parent)
    worker.run_once()
    confirm(client, inbox)
    own_reply = post("Adding to myself.", email="mina@reader.example", parent_id=parent)
    approve(own_reply)
    reply = post("I disagree.", author="Jun", parent_id=parent)
    approve(reply)
    deliver(worker, clock)
    assert [m["Subject"] for m in inbox.of_kind("replied")] == [
        'Jun replied to your comment on "First story"'
    ]


def test_an_undone_approval_sends_nothing(
    desk: Desk,
    client: TestClient,
    post: Post,
    editor: Moderator,
    worker: Worker,
    inbox: Inbox,
    clock: Clock,
) -> None:
    post(email="mina@reader.example")
    worker.run_once()
    confirm(client, inbox)
    comment_id = post("Second thoughts.", email="mina@reader.example")
    desk.decisions.decide(editor, comment_id, Action.APPROVE)
    desk.decisions.undo(editor)
    deliver(worker, clock)
    assert inbox.of_kind("was published") == []
    assert outbox_rows(desk)[-1]["state"] == "cancelled"


def test_one_click_unsubscribe_stops_all_mail(
    desk: Desk,
    client: TestClient,
    post: Post,
    approve: Callable[[int], None],
    worker: Worker,
    inbox: Inbox,
    clock: Clock,
) -> None:
    post(email="mina@reader.example")
    worker.run_once()
    confirm(client, inbox)
    link = (
        inbox.messages[-1]["List-Unsubscribe"].strip("<>").removeprefix("https://comments.example")
    )
    # What a mail client does for RFC 8058 one-click: a POST with this exact body.
    answer = client.post(
        link,
        content=b"List-Unsubscribe=One-Click",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert answer.status_code == 200
    approve(post("After unsubscribing.", email="mina@reader.example"))
    post("And again.", email="mina@reader.example")
    deliver(worker, clock, after_seconds=2 * 86400)
    assert len(inbox.messages) == 1  # the confirmation only
    with desk.context.store.read() as connection:
        row = connection.execute(sa.select(subscribers)).mappings().one()
    assert row["unsubscribed_at"] is not None


def test_a_forged_or_cross_purpose_link_is_refused(
    client: TestClient, post: Post, worker: Worker, inbox: Inbox
) -> None:
    post(email="mina@reader.example")
    worker.run_once()
    confirm_token = link_in(inbox.messages[0], "/notifications/confirm").split("?t=")[1]
    assert client.post("/notifications/unsubscribe", params={"t": confirm_token}).status_code == 403
    assert client.get("/notifications/confirm", params={"t": "forged"}).status_code == 403


def test_a_refusing_server_is_retried_with_growing_waits_then_given_up(
    desk: Desk, post: Post, worker: Worker, inbox: Inbox, clock: Clock
) -> None:
    inbox.refuse = True
    post(email="mina@reader.example")
    assert worker.run_once() == 1
    [row] = outbox_rows(desk)
    assert (row["state"], row["attempts"]) == ("pending", 1)
    assert row["next_attempt_at"] == clock.now + timedelta(seconds=30)
    assert "451" in row["last_error"]
    clock.advance(seconds=29)
    assert worker.run_once() == 0  # not yet
    clock.advance(seconds=1)
    assert worker.run_once() == 1
    [row] = outbox_rows(desk)
    assert row["next_attempt_at"] == clock.now + timedelta(seconds=60)  # doubled
    clock.advance(seconds=60)
    worker.run_once()
    [row] = outbox_rows(desk)
    assert (row["state"], row["attempts"]) == ("dead", 3)  # notify_max_attempts


def test_a_server_that_recovers_gets_the_mail(
    desk: Desk, post: Post, worker: Worker, inbox: Inbox, clock: Clock
) -> None:
    inbox.refuse = True
    post(email="mina@reader.example")
    worker.run_once()
    inbox.refuse = False
    deliver(worker, clock)
    assert len(inbox.messages) == 1
    assert outbox_rows(desk)[0]["state"] == "sent"


def test_line_breaks_in_titles_and_names_cannot_add_headers_or_recipients(
    desk: Desk,
    client: TestClient,
    post: Post,
    approve: Callable[[int], None],
    worker: Worker,
    inbox: Inbox,
    clock: Clock,
    site_slug: str,
) -> None:
    desk.catalog.add_article(
        site_slug,
        "evil",
        url="https://news.example/evil",
        title="Budget\r\nBcc: victim@else.example\r\nX-Injected: yes",
    )
    parent = post("Text.", key="evil", author="Mina", email="mina@reader.example")
    worker.run_once()
    confirm(client, inbox)
    approve(parent)
    reply = post("Text.", key="evil", author="Jun", parent_id=parent)
    with desk.context.store.write() as connection:  # as an old import might have stored it
        from commentdesk.store.tables import comments

        connection.execute(
            comments.update()
            .where(comments.c.id == reply)
            .values(author="Jun\r\nBcc: victim@else.example")
        )
    approve(reply)
    deliver(worker, clock)
    for message, recipients in zip(inbox.messages, inbox.recipients, strict=True):
        assert recipients == ["mina@reader.example"]
        assert message["Bcc"] is None
        assert message["X-Injected"] is None
        assert "\n" not in str(message["Subject"])
        assert "\r" not in str(message["Subject"])
    subjects = [str(m["Subject"]) for m in inbox.messages]
    assert (
        'Your comment on "Budget Bcc: victim@else.example X-Injected: yes" was published'
        in subjects
    )
    title = '"Budget Bcc: victim@else.example X-Injected: yes"'
    assert f"Jun Bcc: victim@else.example replied to your comment on {title}" in subjects


def test_with_email_off_nothing_is_queued_or_kept(
    desk: Desk, make_settings: MakeSettings, article_key: str
) -> None:
    from commentdesk.desk import Draft

    quiet = Desk.open(make_settings(smtp_host=None))
    try:
        draft = Draft(author="Mina", body="Hi.", accept_terms=True, email="mina@reader.example")
        quiet.comments.submit(article_key, draft)
    finally:
        quiet.close()
    assert outbox_rows(desk) == []
    with desk.context.store.read() as connection:
        assert connection.execute(sa.select(subscribers)).first() is None


def test_mail_about_a_comment_speaks_the_sites_language(
    desk: Desk,
    client: TestClient,
    post: Post,
    approve: Callable[[int], None],
    worker: Worker,
    inbox: Inbox,
    clock: Clock,
) -> None:
    post(email="minji@reader.example")
    worker.run_once()
    confirm(client, inbox)
    with desk.context.store.write() as connection:
        connection.execute(sa.update(sites).values(language="ko"))
    second = post("한 번 더 남깁니다.", email="minji@reader.example")
    approve(second)
    deliver(worker, clock)
    [mail] = inbox.of_kind("게시되었습니다")
    assert mail["Subject"] == '"First story" 기사에 남기신 댓글이 게시되었습니다'
    body = mail.get_body(("plain",))
    assert body is not None
    assert "운영자가" in body.get_content()
