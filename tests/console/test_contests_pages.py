"""The console's "Contested" queue: a second moderator upholds or reverses, with plain
forms; the moderator who decided is refused; the page speaks Korean."""

from __future__ import annotations

import pytest

from commentdesk.desk import Desk
from commentdesk.model import Action, State
from tests.console.support import Browser, send, site_form
from tests.console.test_korean_pages import NAMES, content, korean
from tests.i18n.leftovers import untranslated
from tests.support import Post


@pytest.fixture
def contested(desk: Desk, post_comment: Post) -> tuple[int, int]:
    """A comment mina rejected, contested by its author: (comment id, contest id)."""
    mina = next(p.moderator for p in desk.staff.people() if p.moderator.name == "mina")
    comment_id = post_comment("Nothing off about it.")
    desk.decisions.decide(mina, comment_id, Action.REJECT, choice="off-topic")
    contest = desk.statements.contest(desk.statements.token(comment_id), "It was on topic.")
    return comment_id, contest.id


def test_the_contested_tab_lists_the_authors_words(
    browser: Browser, contested: tuple[int, int]
) -> None:
    page = browser("nora").get("/console/contests")
    assert page.status_code == 200
    assert "It was on topic." in page.text
    assert f'action="/console/contests/{contested[1]}/reverse"' in page.text


def test_the_moderator_who_decided_sees_no_forms_and_is_refused(
    browser: Browser, desk: Desk, contested: tuple[int, int]
) -> None:
    mina = browser("mina")
    assert "/reverse" not in mina.get("/console/contests").text
    refused = send(mina, f"/console/contests/{contested[1]}/reverse", {"note": "mine"})
    assert refused.status_code == 403
    mina_account = next(p.moderator for p in desk.staff.people() if p.moderator.name == "mina")
    assert [c.id for c in desk.contests.open(mina_account)] == [contested[1]]  # still open


def test_a_second_moderator_reverses_from_the_console(
    browser: Browser, desk: Desk, contested: tuple[int, int]
) -> None:
    nora = browser("nora")
    done = send(nora, f"/console/contests/{contested[1]}/reverse", {"note": "Fair point."})
    assert done.status_code == 303
    assert done.headers["location"] == "/console/contests?done=reverse"
    [comment] = desk.moderation.queue(state=State.APPROVED).items
    assert comment.comment.id == contested[0]


def test_the_contested_tab_has_no_english_in_korean(
    browser: Browser, desk: Desk, contested: tuple[int, int]
) -> None:
    nora = korean(browser("nora"))
    pages = {
        "contests": nora.get("/console/contests").text,
        "done": nora.get("/console/contests?done=uphold").text,
        "audit": nora.get("/console/audit").text,
    }
    written = content(desk) | {"It was on topic."}
    found = {name: untranslated(page, written, NAMES) for name, page in pages.items()}
    assert {name: words for name, words in found.items() if words} == {}


def test_a_reason_is_marked_a_legal_ground_on_the_site_page_and_stays_marked(
    browser: Browser, desk: Desk, site_slug: str
) -> None:
    chief = browser("chief")
    site_id = next(s.id for s in desk.catalog.sites() if s.slug == site_slug)
    fields = site_form(chief, site_id)
    row = next(n.rsplit("_", 1)[1] for n, v in fields.items() if v == "hate-speech")
    answer = send(
        chief, f"/console/settings/sites/{site_id}", fields | {f"reject_legal_{row}": "1"}
    )
    assert answer.status_code == 303
    legal = {r.code for r in desk.site_settings.policy(site_id).reject_reasons if r.legal}
    assert legal == {"hate-speech"}
    again = site_form(chief, site_id)  # the page shows it ticked: saving again keeps it
    send(chief, f"/console/settings/sites/{site_id}", again)
    legal = {r.code for r in desk.site_settings.policy(site_id).reject_reasons if r.legal}
    assert legal == {"hate-speech"}
