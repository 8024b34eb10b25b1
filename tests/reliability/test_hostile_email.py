"""The email window: hostile pseudonyms and titles in real mail, read back with ``email``.

A reader subscribes (double opt-in, confirmed through the real link), then repliers whose
pseudonyms are hostile strings answer them, and an article with a hostile title gets a
reply too. The mail goes through the worker to a real SMTP server (aiosmtpd). Each
message is parsed as a mail client would: no header but the ones we write (no injected
``Bcc``), text/plain only, the subject and body naming the replier and title exactly
(the subject on one line, as ``mailer.one_line`` documents).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import UTC, datetime
from email import message_from_bytes
from email.message import EmailMessage
from email.policy import default

from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.notify.mailer import Letter, build, one_line
from commentdesk.notify.worker import Worker
from tests.notify.conftest import (  # noqa: F401 - fixtures, used by name
    allow_internal,
    approve,
    editor,
    inbox,
    post,
    settings,
    smtp,
    worker,
)
from tests.notify.servers import Inbox
from tests.notify.support import deliver
from tests.notify.test_email import confirm
from tests.reliability.corpus import SAMPLE, corpus
from tests.reliability.results import Record
from tests.reliability.world import pseudonym_for
from tests.support import Clock, Post

HEADERS = frozenset(
    {"from", "to", "subject", "date", "message-id", "auto-submitted", "list-unsubscribe",
     "list-unsubscribe-post", "content-type", "content-transfer-encoding", "mime-version"}
)  # fmt: skip


def _text(message: EmailMessage) -> str:
    part = message.get_body(("plain",))
    assert part is not None
    content: str = part.get_content()
    return content


def test_hostile_pseudonyms_reach_mail_as_plain_text_on_one_subject_line(
    desk: Desk,
    client: TestClient,
    post: Post,  # noqa: F811 - the fixture imported above
    approve: Callable[[int], None],  # noqa: F811 - the fixture imported above
    worker: Worker,  # noqa: F811 - the fixture imported above
    inbox: Inbox,  # noqa: F811 - the fixture imported above
    clock: Clock,
    record: Record,
) -> None:
    parent = post(email="mina@reader.example")
    approve(parent)
    worker.run_once()
    confirm(client, inbox)
    authors = [h.text for h in corpus(SAMPLE) if pseudonym_for(h.text) == h.text]
    stored = {}
    for author in authors:
        reply = post("I disagree.", author=author, parent_id=parent)
        approve(reply)
        stored[reply] = desk.threads.published_on(desk.catalog.article("a1"), reply).author
    deliver(worker, clock)
    while worker.run_once():  # the worker takes a batch at a time
        pass
    replies = inbox.of_kind("replied to your comment")
    unsafe: list[str] = []
    for message in replies:
        unsafe += [f"header {name}" for name in message if name.lower() not in HEADERS]
        if message.get_content_type() != "text/plain":
            unsafe.append(f"a {message.get_content_type()} mail")
        if message["Bcc"] is not None or message["Cc"] is not None:
            unsafe.append("a Bcc or Cc header")
    # A subject folded at its first character unfolds with a leading space; clients trim it.
    subjects = sorted(str(m["Subject"]).strip() for m in replies)
    wanted = sorted(
        one_line(f'{author} replied to your comment on "First story"') for author in stored.values()
    )
    bodies = "\n".join(_text(m) for m in replies)
    missing = [
        a for a in stored.values() if f'{a} replied to your comment on "First story".' not in bodies
    ]
    record(
        "window",
        door=f"api pseudonyms ({desk.context.store.dialect})",
        window="email",
        tried=len(authors),
        shown=len(replies) * 2,
        unsafe=len(unsafe),
        mismatched=len(missing),
    )
    assert not unsafe
    assert subjects == wanted
    assert not missing
    assert len(replies) == len(authors) >= 10


def test_a_long_subject_keeps_every_space_when_the_mail_is_read() -> None:
    """Found by the full corpus: a subject folded across RFC 2047 encoded words lost the
    space at the fold ("ｔｈｅ ｌａｚｙ" read back as "ｔｈｅｌａｚｙ"), which Korean
    subjects, all spaces between words, meet often."""
    rng = random.Random(5)
    letters = "ａｂｃｄｅ 가나다라마 abc éü 😀 "
    lost = []
    for _ in range(300):
        subject = " ".join("".join(rng.choice(letters) for _ in range(120)).split())
        letter = Letter(to="a@reader.example", subject=subject, text="Hello.\n")
        raw = build(letter, "News <news@news.example>", datetime(2026, 1, 1, tzinfo=UTC))
        parsed = message_from_bytes(raw.as_bytes(), policy=default)
        if str(parsed["Subject"]).strip() != subject:
            lost.append(subject)
        assert max(len(line) for line in raw.as_bytes().split(b"\r\n")) <= 998
    assert not lost, lost[:3]
