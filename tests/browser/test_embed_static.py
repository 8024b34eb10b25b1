"""embed.js reading threads that ``commentdesk publish`` wrote, from a real static server.

The publisher's page names the folder with ``data-commentdesk-static``; the thread is
read from there, a thread not published yet comes from the server, and posts always go
to the server.
"""

from __future__ import annotations

import subprocess
import sys
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import ClassVar

import pytest
from playwright.sync_api import Page, Request, expect

from tests.browser.test_embed_pages import HOST_CSS
from tests.browser.test_reader_pages import seed
from tests.browserkit import (
    DEMO_ARTICLE,
    DEMO_SITE,
    HostSite,
    LiveServer,
    Login,
    PageFactory,
    Screenshots,
)
from tests.support import submit_comment

pytestmark = pytest.mark.browser


@dataclass
class StaticServer:
    """Python's http.server over a folder, on its own loopback origin."""

    base: str
    folder: Path
    asked: list[str] = field(default_factory=list)


class _StaticHandler(SimpleHTTPRequestHandler):
    """Files as they are, readable from any origin (as a CDN would be configured)."""

    asked: ClassVar[list[str]] = []

    def end_headers(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        super().end_headers()

    def do_GET(self) -> None:
        self.asked.append(self.path)
        super().do_GET()

    def log_message(self, format: str, *args: object) -> None:
        pass  # keep the test output quiet


@pytest.fixture
def static_server(tmp_path: Path) -> Iterator[StaticServer]:
    folder = tmp_path / "published"
    folder.mkdir()
    asked: list[str] = []
    handler = type("Handler", (_StaticHandler,), {"asked": asked})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield StaticServer(f"http://127.0.0.1:{server.server_address[1]}", folder, asked)
    server.shutdown()
    server.server_close()
    thread.join(5)


def publish(live: LiveServer, folder: Path) -> None:
    """Runs the operator's command against the live server's database."""
    command = [sys.executable, "-m", "commentdesk", "publish", str(folder)]
    command += ["--database", live.settings.database_url]
    done = subprocess.run(command, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 0, done.stderr
    assert "Published" in done.stdout


def host_page(live: LiveServer, static: StaticServer, key: str) -> str:
    return f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>The budget, explained</title>
<link rel="stylesheet" href="/host.css">
</head>
<body>
<main>
<h1>The budget, explained</h1>
<p>The city council published its budget on Monday. Here is what changes for you.</p>
<div data-commentdesk-article="{key}" data-commentdesk-static="{static.base}/"></div>
<script src="{live.url("/embed.js")}" defer></script>
</main>
</body>
</html>
"""


def open_thread(
    open_page: PageFactory, host_site: HostSite, page_html: str
) -> tuple[Page, list[Request]]:
    host_site.pages["/"] = page_html
    host_site.pages["/host.css"] = HOST_CSS
    page = open_page(javascript=True)
    requests: list[Request] = []

    def note(request: Request) -> None:  # playwright wraps handlers: a bound builtin fails
        requests.append(request)

    page.on("request", note)
    page.goto(host_site.url("/"))
    expect(page.locator(".cd-thread .cd-comment").first).to_be_visible()
    return page, requests


def approved(live: LiveServer, login: Login, key: str, author: str, body: str) -> None:
    moderator = live.desk.accounts.get(login.name)
    submit_comment(live.desk, body, key=key, author=author, approve_as=moderator)


def test_embed_js_renders_the_published_file_and_posts_to_the_server(
    live_server: LiveServer,
    moderator: Login,
    host_site: HostSite,
    static_server: StaticServer,
    open_page: PageFactory,
    screenshot: Screenshots,
) -> None:
    seed(live_server, moderator)
    publish(live_server, static_server.folder)
    # Approved after publishing: on the server, not in the file, so it must not show.
    approved(live_server, moderator, DEMO_ARTICLE, "Late", "Not published to the folder yet.")

    page, requests = open_thread(
        open_page, host_site, host_page(live_server, static_server, DEMO_ARTICLE)
    )
    embed = page.locator("[data-commentdesk-article]")
    expect(embed.locator(".cd-count")).to_have_text("4 comments")
    expect(embed).to_contain_text("좋은 기사 감사합니다.")
    expect(embed).to_contain_text("Edited by a moderator: personal information removed")
    expect(embed).not_to_contain_text("Not published to the folder yet.")
    screenshot(page, "thread")

    assert static_server.asked == [f"/articles/{DEMO_ARTICLE}.json"]
    reads = [r.url for r in requests if r.resource_type == "fetch"]
    assert reads == [f"{static_server.base}/articles/{DEMO_ARTICLE}.json"]

    embed.get_by_label("Pseudonym").fill("Mina")
    embed.get_by_label("Comment", exact=True).fill("Posted while reading the static thread.")
    embed.get_by_label("I accept the terms of use").check()
    with page.expect_request(lambda r: r.method == "POST") as posted:
        embed.get_by_role("button", name="Send for review").click()
    assert posted.value.url == live_server.url(f"/api/v1/articles/{DEMO_ARTICLE}/comments")
    expect(embed.locator(".cd-notice")).to_contain_text("Your comment is held for review.")
    assert (open_page.foreign, open_page.errors) == ([], [])


def test_a_thread_not_published_yet_is_read_from_the_server(
    live_server: LiveServer,
    moderator: Login,
    host_site: HostSite,
    static_server: StaticServer,
    open_page: PageFactory,
    screenshot: Screenshots,
) -> None:
    publish(live_server, static_server.folder)
    live_server.desk.catalog.add_article(
        DEMO_SITE, "breaking", url=host_site.url("/"), title="Breaking news"
    )
    approved(live_server, moderator, "breaking", "Ana", "First on the breaking story.")

    page, requests = open_thread(
        open_page, host_site, host_page(live_server, static_server, "breaking")
    )
    expect(page.locator(".cd-thread .cd-body")).to_have_text(["First on the breaking story."])
    screenshot(page, "fallback")

    assert static_server.asked == ["/articles/breaking.json"]  # answered 404
    reads = [r.url for r in requests if r.resource_type == "fetch"]
    assert reads == [
        f"{static_server.base}/articles/breaking.json",
        live_server.url("/api/v1/articles/breaking/comments"),
    ]
    assert open_page.foreign == []
