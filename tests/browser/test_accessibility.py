"""axe-core over every reader and console page, in English and in Korean: no violations.

axe-core is the npm package pinned by ``tests/browser/package-lock.json`` (``make`` runs
``npm ci`` there when npm is present); each page gets ``axe.min.js`` injected after it
loads, in a context that bypasses our own Content-Security-Policy for that one script.
Every rule axe runs by default counts (WCAG 2.x A and AA, and best practices).

Korean reader pages belong to a site whose language is ``ko``; the Korean console is the
one a browser asking for ``ko-KR`` gets. Screenshots of the Korean pages go to
``test-artifacts/browser/`` so Hangul rendering can be looked at.
"""

from __future__ import annotations

import functools
import os
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from fastapi.routing import APIRoute
from playwright.sync_api import Browser, Page

from commentdesk.desk import Draft
from commentdesk.model import Action, Moderator
from commentdesk.web import console
from tests.browserkit import ARTIFACTS, DEMO_ARTICLE, DEMO_SITE, LiveServer, Login
from tests.support import submit_comment

pytestmark = pytest.mark.browser
AXE = Path(__file__).parent / "node_modules" / "axe-core" / "axe.min.js"
LANGUAGES = ("en", "ko")
KO_SITE, KO_ARTICLE = "ko-news", "ko-welcome"
BROWSER_LOCALE = {"en": "en-US", "ko": "ko-KR"}
# Shown as text (not a list), so a failure reads as what to fix.
_RUN = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 4).map(n => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


@pytest.fixture(scope="session")
def axe_source() -> Path:
    if not AXE.exists():
        reason = "axe-core is not installed: run `npm ci --prefix tests/browser` (make does)"
        if os.environ.get("COMMENTDESK_REQUIRE_BROWSER") == "1":
            pytest.fail(reason)
        pytest.skip(reason)
    return AXE


@dataclass
class Axe:
    """Opens pages (script on, our CSP bypassed for axe alone) and audits them."""

    browser: Browser
    source: Path
    language: str
    pages: list[Page]

    def open(self) -> Page:
        context = self.browser.new_context(
            bypass_csp=True,
            locale=BROWSER_LOCALE[self.language],
            timezone_id="UTC",
            viewport={"width": 1280, "height": 900},
        )
        context.set_default_timeout(10_000)
        page = context.new_page()
        self.pages.append(page)
        return page

    def audit(self, page: Page, name: str) -> list[dict[str, Any]]:
        """The page's violations, after a screenshot (Korean ones are worth a look)."""
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        shot = ARTIFACTS / f"a11y-{self.language}-{name}.png"
        page.screenshot(path=str(shot), full_page=True)
        page.add_script_tag(path=str(self.source))
        found: list[dict[str, Any]] = page.evaluate(_RUN)
        return found

    def problems(self, page: Page, name: str) -> str:
        """What axe found on the page, as lines to read; empty when nothing."""
        found = self.audit(page, name)
        return "".join(
            f"axe on {name} [{self.language}] {page.url}\n"
            f"  {v['id']} ({v['impact']}): {v['help']}\n    " + "\n    ".join(v["nodes"]) + "\n"
            for v in found
        )

    def assert_clean(self, page: Page, name: str) -> None:
        report = self.problems(page, name)
        assert not report, report


@pytest.fixture(params=LANGUAGES)
def axe(request: pytest.FixtureRequest, browser: Browser, axe_source: Path) -> Iterator[Axe]:
    checker = Axe(browser, axe_source, request.param, [])
    yield checker
    for page in checker.pages:
        page.context.close()


@dataclass(frozen=True)
class Thread:
    site: str
    key: str


@pytest.fixture
def thread(live_server: LiveServer, axe: Axe) -> Thread:
    """The article to read: the demo's in English, a Korean site's in Korean."""
    if axe.language == "en":
        return Thread(DEMO_SITE, DEMO_ARTICLE)
    desk = live_server.desk
    desk.catalog.ensure_site(KO_SITE, name="코멘트데스크 뉴스", language="ko")
    desk.catalog.add_article(KO_SITE, KO_ARTICLE, url=live_server.url("/"), title="환영합니다")
    return Thread(KO_SITE, KO_ARTICLE)


def _editor(live: LiveServer) -> Moderator:
    return live.desk.accounts.add_moderator("desk-editor", "correct horse battery")


def seed_comments(live: LiveServer, key: str) -> list[int]:
    """Published comments: plain, with a link, featured, a reply, edited by a moderator."""
    editor = _editor(live)
    desk = live.desk

    publish = functools.partial(submit_comment, desk, key=key, approve_as=editor)
    first = publish("A thoughtful comment with a link: https://example.org/a", author="Mina")
    desk.moderation.decide(editor, first, Action.FEATURE)
    reply = publish("A reply to Mina.", author="Joon", parent_id=first)
    edited = publish("My phone is 555-0100.", author="Sam")
    desk.moderation.decide(editor, edited, Action.EDIT, reason="Personal data", body="[removed]")
    return [first, reply, edited]


def post_through_the_form(page: Page) -> None:
    page.fill("#cd-author", "Reader")
    page.fill("#cd-body", "Held for review, seen only by me.")
    page.check("#cd-accept_terms")
    page.locator(".cd-compose button[type=submit]").click()
    page.wait_for_selector("#notice")


def test_empty_thread(live_server: LiveServer, axe: Axe, thread: Thread) -> None:
    page = axe.open()
    page.goto(live_server.url(f"/articles/{thread.key}"))
    axe.assert_clean(page, "thread-empty")


def test_thread_with_comments_and_own_pending_one(
    live_server: LiveServer, axe: Axe, thread: Thread
) -> None:
    seed_comments(live_server, thread.key)
    page = axe.open()
    page.goto(live_server.url(f"/articles/{thread.key}"))
    post_through_the_form(page)
    axe.assert_clean(page, "thread-comments")
    page.goto(live_server.url(f"/articles/{thread.key}?reply_to=1#comment-form"))
    axe.assert_clean(page, "thread-reply")


def test_thread_with_form_errors(live_server: LiveServer, axe: Axe, thread: Thread) -> None:
    page = axe.open()
    page.goto(live_server.url(f"/articles/{thread.key}"))
    page.fill("#cd-author", "\u202eevil")
    page.fill("#cd-body", "x" * 5001)
    page.eval_on_selector(".cd-form", "form => { form.noValidate = true; }")
    page.locator(".cd-compose button[type=submit]").click()
    page.wait_for_selector(".cd-error")
    assert page.locator("[aria-invalid=true]").count() >= 3
    axe.assert_clean(page, "thread-form-error")


def test_closed_thread(live_server: LiveServer, axe: Axe, thread: Thread) -> None:
    seed_comments(live_server, thread.key)
    live_server.desk.catalog.set_open(thread.key, False)
    page = axe.open()
    page.goto(live_server.url(f"/articles/{thread.key}"))
    assert page.locator(".cd-closed").count() == 1
    axe.assert_clean(page, "thread-closed")


def test_report_terms_and_missing_pages(live_server: LiveServer, axe: Axe, thread: Thread) -> None:
    first = seed_comments(live_server, thread.key)[0]
    page = axe.open()
    page.goto(live_server.url(f"/articles/{thread.key}/comments/{first}/report"))
    axe.assert_clean(page, "report")
    page.fill("#cd-details", "x" * 600)
    page.locator("button[type=submit]").click()
    page.wait_for_selector(".cd-error")
    axe.assert_clean(page, "report-error")
    page.goto(live_server.url(f"/articles/{thread.key}/terms"))
    axe.assert_clean(page, "terms")
    page.goto(live_server.url("/articles/no-such-article"))
    axe.assert_clean(page, "missing")


def test_own_rejected_comment_with_its_statement_and_the_statement_page(
    live_server: LiveServer, axe: Axe, thread: Thread
) -> None:
    page = axe.open()
    page.goto(live_server.url(f"/articles/{thread.key}"))
    post_through_the_form(page)
    desk = live_server.desk
    [own] = desk.moderation.queue(limit=1).items
    desk.decisions.decide(_editor(live_server), own.comment.id, Action.REJECT, choice="spam")
    page.reload()
    page.wait_for_selector(".cd-statement")
    axe.assert_clean(page, "thread-statement")
    page.goto(live_server.url(f"/statements/{desk.statements.token(own.comment.id)}"))
    page.locator(".cd-contest-form button[type=submit]").click()  # empty: refused
    axe.assert_clean(page, "statement")


# --- The console --------------------------------------------------------------------


def console_pages(comment_id: int, site_id: int) -> list[str]:
    """Every console page a browser can open: the app's own list of GET routes, with
    the queue's other tabs and the page a refused action shows."""
    fill = {
        "{comment_id}": str(comment_id),
        "{site_id}": str(site_id),
        "{key}": DEMO_ARTICLE,
        "{language}": "en",
    }
    pages = []
    for route in (route for area in console.AREAS for route in area.router.routes):
        if not isinstance(route, APIRoute) or "GET" not in (route.methods or ()):
            continue
        path = route.path
        if not path.startswith("/console") or path.endswith((".csv", ".svg")):
            continue
        for name, value in fill.items():
            path = path.replace(name, value)
        assert "{" not in path, f"a console page this test cannot fill in: {route.path}"
        pages.append(path)
    extra = ["/console?tab=reported", "/console?tab=all", "/console/comments/999999"]
    return sorted(set(pages)) + extra


def sign_in(page: Page, live: LiveServer, login: Login) -> None:
    page.goto(live.url("/console/login"))
    page.fill("#name", login.name)
    page.fill("#password", login.password)
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_selector("header.bar")


def test_console_sign_in_pages(live_server: LiveServer, axe: Axe, moderator: Login) -> None:
    page = axe.open()
    page.goto(live_server.url("/console/login"))
    axe.assert_clean(page, "console-login")
    page.fill("#name", moderator.name)
    page.fill("#password", "wrong password")
    page.locator("form.stack button[type=submit]").click()
    page.wait_for_selector("#login-error")
    axe.assert_clean(page, "console-login-error")


def test_every_console_page(live_server: LiveServer, axe: Axe, moderator: Login) -> None:
    ids = seed_comments(live_server, DEMO_ARTICLE)
    desk = live_server.desk
    pending = desk.comments.submit(DEMO_ARTICLE, Draft("Flood", "Buy now!!!", True)).comment.id
    desk.comments.report(ids[0], "spam: looks like an advert")
    editor = desk.accounts.get("desk-editor")
    desk.bans.ban(editor, ids[2], days=7, by_commenter=True, by_email=False, reason="Spam")
    contested = desk.comments.submit(DEMO_ARTICLE, Draft("Ann", "On topic.", True)).comment.id
    desk.decisions.decide(editor, contested, Action.REJECT, choice="off-topic")
    desk.statements.contest(desk.statements.token(contested), "It is on topic.")  # a form
    site_id = next(site.id for site in desk.catalog.sites() if site.slug == DEMO_SITE)
    chief = desk.accounts.get(moderator.name)  # a section shows its filters and forms
    desk.sections.add(chief, site_id, slug="local", name="Local", moderation=None,
                      auto_close_days=None)  # fmt: skip
    desk.sections.assign(chief, DEMO_ARTICLE, "local")
    page = axe.open()
    sign_in(page, live_server, moderator)
    reports = []
    for path in console_pages(pending, site_id):
        page.goto(live_server.url(path))
        reports.append(axe.problems(page, re.sub(r"\W+", "-", path).strip("-")))
    found = "".join(reports)
    assert not found, found
