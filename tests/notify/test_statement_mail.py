"""An author with a confirmed address gets the statement of reasons by mail (a link to
it, with the contest form) and is told the outcome of their contest."""

from __future__ import annotations

import re
from collections.abc import Callable
from email.message import EmailMessage

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Action, Moderator, Role
from commentdesk.notify.worker import Worker
from tests.notify.servers import Inbox
from tests.notify.support import PUBLIC_URL, deliver
from tests.notify.test_email import confirm
from tests.support import PASSWORD, Clock, Post


def statement_link(message: object) -> str:
    """The statement link in a mail's text, made relative to the app."""
    assert isinstance(message, EmailMessage)
    part = message.get_body(("plain",))
    assert part is not None
    found = re.search(re.escape(PUBLIC_URL) + r"(/statements/[A-Za-z0-9_.\-]+)", part.get_content())
    assert found, part.get_content()
    return found.group(1)


@pytest.fixture
def confirmed_post(
    client: TestClient, post: Post, worker: Worker, inbox: Inbox
) -> Callable[[str], int]:
    """Posts ``text`` from an address the author has confirmed; returns its id."""

    def posted(text: str) -> int:
        post(email="mina@reader.example")
        worker.run_once()
        confirm(client, inbox)
        return post(text, email="mina@reader.example")

    return posted


def test_the_rejection_mail_links_to_the_statement_and_its_contest_form(
    desk: Desk,
    client: TestClient,
    confirmed_post: Callable[[str], int],
    editor: Moderator,
    worker: Worker,
    inbox: Inbox,
    clock: Clock,
) -> None:
    comment_id = confirmed_post("About something else entirely.")
    desk.decisions.decide(editor, comment_id, Action.REJECT, choice="off-topic")
    deliver(worker, clock)
    link = statement_link(inbox.messages[-1])
    page = client.get(link)
    assert "Statement of reasons" in page.text
    assert 'class="cd-form cd-contest-form"' in page.text


def test_an_edit_is_mailed_with_its_statement(
    desk: Desk,
    confirmed_post: Callable[[str], int],
    editor: Moderator,
    worker: Worker,
    inbox: Inbox,
    clock: Clock,
) -> None:
    comment_id = confirmed_post("Call me on 010-1234-5678 about it.")
    desk.decisions.decide(
        editor, comment_id, Action.EDIT, choice="private-information", body="Call me about it."
    )
    deliver(worker, clock)
    mail = inbox.messages[-1]
    assert "was edited by a moderator" in str(mail["Subject"])
    assert statement_link(mail)


def test_the_author_is_told_the_outcome_of_their_contest(
    desk: Desk,
    confirmed_post: Callable[[str], int],
    editor: Moderator,
    worker: Worker,
    inbox: Inbox,
    clock: Clock,
) -> None:
    comment_id = confirmed_post("About something else entirely.")
    desk.decisions.decide(editor, comment_id, Action.REJECT, choice="off-topic")
    desk.statements.contest(desk.statements.token(comment_id), "It is about this.")
    second = desk.accounts.add_moderator("second", PASSWORD, Role.MODERATOR)
    desk.contests.review(second, desk.contests.open(second)[0].id, "uphold", "Still off-topic.")
    deliver(worker, clock)
    body = inbox.messages[-1].get_body(("plain",)).get_content()  # type: ignore[union-attr]
    assert "reviewed the decision you contested and upheld it" in body
    assert "Their note: Still off-topic." in body
