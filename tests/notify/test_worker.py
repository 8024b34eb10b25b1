"""The delivery worker as it runs for real: inside `commentdesk serve`, as
`commentdesk worker`, and several at once on one database (each row sent once)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import httpx2
import pytest
from pydantic import SecretStr
from typer.testing import CliRunner

from commentdesk.cli import app
from commentdesk.desk import Desk
from commentdesk.notify.mailer import SmtpMailer
from commentdesk.notify.worker import Worker
from commentdesk.settings import Settings
from tests.livesrv import NO_LIMITS, start_server
from tests.notify.servers import Inbox, smtp_server
from tests.notify.support import PUBLIC_URL
from tests.support import Post


def mail_env(settings: Settings) -> dict[str, str]:
    return {
        **NO_LIMITS,
        "COMMENTDESK_DATABASE_URL": settings.database_url,
        "COMMENTDESK_SECRET_KEY": "test-secret-key",
        "COMMENTDESK_SMTP_HOST": "127.0.0.1",
        "COMMENTDESK_SMTP_PORT": str(settings.smtp_port),
        "COMMENTDESK_SMTP_STARTTLS": "false",
        "COMMENTDESK_SMTP_FROM": "comments@news.example",
        "COMMENTDESK_PUBLIC_URL": PUBLIC_URL,
        "COMMENTDESK_NOTIFY_POLL_SECONDS": "0.2",
    }


def wait_for(condition: object, seconds: float = 60) -> None:
    """Polls until ``condition()``; generous, because the confirmation follows the full
    assessment in the server's child process, which loads its models first (seconds on
    a busy machine), and a fast pass returns at once."""
    assert callable(condition)
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.1)
    raise AssertionError("timed out")


@pytest.mark.slow
@pytest.mark.usefixtures("article_key")
def test_the_server_mails_the_confirmation_without_making_the_reader_wait(
    settings: Settings, inbox: Inbox, tmp_path: Path
) -> None:
    process, base = start_server(
        settings.database_url, tmp_path / "serve.log", env=mail_env(settings)
    )
    try:
        answer = httpx2.post(
            f"{base}/api/v1/articles/a1/comments",
            json={
                "author": "Mina",
                "body": "Hello.",
                "email": "mina@reader.example",
                "accept_terms": True,
            },
            timeout=10,
        )
        assert answer.status_code == 202
        wait_for(lambda: len(inbox.messages) == 1)
        assert inbox.recipients == [["mina@reader.example"]]
    finally:
        process.terminate()
        process.wait(timeout=30)


@pytest.mark.usefixtures("article_key")
def test_commentdesk_worker_once_sends_what_is_due(
    settings: Settings, post: Post, inbox: Inbox, monkeypatch: pytest.MonkeyPatch
) -> None:
    post(email="mina@reader.example")
    for name, value in mail_env(settings).items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(app, ["worker", "--once"])
    assert result.exit_code == 0, result.output
    assert "1 deliveries attempted" in result.output
    assert len(inbox.messages) == 1


def test_workers_running_together_send_each_mail_once(desk: Desk, post: Post, inbox: Inbox) -> None:
    for n in range(12):
        post(f"Comment {n}.", email=f"reader{n}@reader.example")
    workers = [Worker(desk) for _ in range(3)]
    threads = [threading.Thread(target=w.run_once) for w in workers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(r[0] for r in inbox.recipients) == sorted(
        f"reader{n}@reader.example" for n in range(12)
    )


def test_smtp_login_is_used_when_configured(settings: Settings, desk: Desk, post: Post) -> None:
    with smtp_server(user="desk", password="s3cret") as (inbox, port):
        mailing = settings.model_copy(
            update={"smtp_port": port, "smtp_user": "desk", "smtp_password": SecretStr("s3cret")}
        )
        post(email="mina@reader.example")
        Worker(desk, mailer=SmtpMailer(mailing)).run_once()
        assert inbox.logins == ["desk"]
        assert len(inbox.messages) == 1
