"""Single sign-on in a real browser, with script and without: the console's button, the
provider's own forms, and back into the console, all on loopback."""

from __future__ import annotations

import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from playwright.sync_api import expect

from commentdesk.desk import Desk
from commentdesk.model import Moderation, Role
from commentdesk.web import create_app
from tests.browserkit import PageFactory, Screenshots, listening_socket, serving
from tests.sso.conftest import sso_settings
from tests.sso.support import Provider, node_or_skip
from tests.support import FAST_HASHER, base_settings

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Console:
    base: str
    desk: Desk
    sites: dict[str, int]


@pytest.fixture
def console(sqlite_template: Path, tmp_path: Path) -> Iterator[Console]:
    """The console on a live server, signed on to a provider that sends people back there."""
    node = node_or_skip()
    path = tmp_path / "live.db"
    shutil.copyfile(sqlite_template, path)
    sock = listening_socket()
    base = f"http://127.0.0.1:{sock.getsockname()[1]}"
    provider = Provider(node, tmp_path / "provider.log", f"{base}/console/login/sso/callback")
    try:
        settings = sso_settings(
            lambda **given: base_settings(f"sqlite:///{path}", **given),
            provider.issuer,
            public_url=base,
        )
        desk = Desk.open(settings, hasher=FAST_HASHER)
        sites = {
            slug: desk.catalog.ensure_site(slug, name=slug, moderation=Moderation.PRE).id
            for slug in ("news", "ko")
        }
        with serving(create_app(settings, desk=desk), sock):
            yield Console(base, desk, sites)
        desk.close()
    finally:
        provider.stop()


@pytest.mark.parametrize("javascript", [True, False], ids=["script", "no-script"])
def test_a_moderator_signs_in_through_the_newsroom_s_provider(
    console: Console, open_page: PageFactory, screenshot: Screenshots, javascript: bool
) -> None:
    page = open_page(javascript=javascript)
    page.goto(f"{console.base}/console/login?next=/console/audit")
    screenshot(page, "sign-in-page")
    assert open_page.foreign == []
    page.get_by_role("link", name="Sign in with Newsroom ID").click()
    page.locator('input[name="login"]').fill("minji")
    page.locator('input[name="password"]').fill("anything")
    page.locator('button[type="submit"]').click()
    page.locator('button[type="submit"]').click()  # the provider's consent
    expect(page).to_have_url(re.compile(re.escape(f"{console.base}/console/audit")))
    expect(page.locator("body")).to_contain_text("minji")
    person = next(p for p in console.desk.staff.people() if p.moderator.name == "minji")
    assert (person.moderator.role, person.site_ids) == (Role.MODERATOR, (console.sites["ko"],))
    # The provider's development-only pages ask for a web font (aborted); ours ask for none.
    seen = len(open_page.foreign)
    page.reload()
    assert len(open_page.foreign) == seen
