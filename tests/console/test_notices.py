"""Notices of illegal content in the console and the moderators' API: marked on the
item with their fields, a tab of their own, scoped to the moderator's sites, decided
with the comment."""

from __future__ import annotations

import re

from commentdesk.desk import Desk
from commentdesk.model import Action
from commentdesk.notices import NoticeDraft
from tests.console.support import Browser, send
from tests.support import Post

DRAFT = NoticeDraft(
    category="defamation",
    law="France, loi du 29 juillet 1881",
    explanation="It says the mayor took bribes, which is false and defamatory.",
    name="Jana Novak",
    email="jana@example.org",
    exempt=False,
    good_faith=True,
)


def _ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<li class="item[^"]*" id="c(\d+)"', html)]


def published_with_notice(desk: Desk, post_comment: Post) -> int:
    comment_id = post_comment("The mayor took bribes.")
    desk.moderation.decide(desk.accounts.get("chief"), comment_id, Action.APPROVE)
    desk.notices.file(comment_id, DRAFT, language="en", address=None)
    return comment_id


def test_the_notices_tab_shows_a_published_comment_with_the_notice_fields(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    quiet = post_comment("Nothing to see")
    noticed = published_with_notice(desk, post_comment)
    html = browser("mina").get("/console?tab=notices").text
    assert _ids(html) == [noticed]
    assert '<span class="count notices-count">1</span>' in html  # on the tab, from any tab
    assert '<span class="count notices-count">1</span>' in browser("nora").get("/console").text
    assert quiet not in _ids(html)
    for shown in ("Illegal content notice", "Defamation or insult", "loi du 29 juillet 1881"):
        assert shown in html
    assert "the mayor took bribes, which is false" in html
    assert "Jana Novak" in html


def test_keeping_the_comment_closes_the_notice_and_empties_the_tab(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    noticed = published_with_notice(desk, post_comment)
    mina = browser("mina")
    mina.get("/console?tab=notices")
    response = send(mina, f"/console/comments/{noticed}/dismiss", {"back": "/console?tab=notices"})
    assert response.status_code == 303
    assert _ids(mina.get("/console?tab=notices").text) == []
    assert desk.moderation.queue(state=None).items[0].comment.state.value == "approved"


def test_a_moderator_of_another_site_does_not_see_the_notice(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    published_with_notice(desk, post_comment)
    html = browser("otto").get("/console?tab=notices").text
    assert _ids(html) == []
    assert "notices-count" not in html


def test_the_notices_tab_speaks_korean(browser: Browser, desk: Desk, post_comment: Post) -> None:
    published_with_notice(desk, post_comment)
    mina = browser("mina")
    mina.headers["Accept-Language"] = "ko-KR,ko;q=0.9"
    html = mina.get("/console?tab=notices").text
    assert "불법 콘텐츠 신고" in html
    assert "명예훼손 또는 모욕" in html


def test_the_api_lists_open_notices_and_then_their_outcome(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    noticed = published_with_notice(desk, post_comment)
    token = desk.accounts.create_token("mina")
    api = browser(None)
    auth = {"Authorization": f"Bearer {token}"}
    (listed,) = api.get("/api/v1/moderation/notices", headers=auth).json()
    assert listed["comment_id"] == noticed
    assert listed["category"] == "defamation"
    assert listed["outcome"] is None
    decided = api.post(
        f"/api/v1/moderation/comments/{noticed}/withdraw",
        json={"reason": "defamation"},
        headers=auth,
    )
    assert decided.status_code == 200
    assert api.get("/api/v1/moderation/notices", headers=auth).json() == []
    (closed,) = api.get("/api/v1/moderation/notices?state=all", headers=auth).json()
    assert closed["outcome"] == "acted"
    assert closed["decided_at"] is not None


def test_the_api_refuses_a_stranger(browser: Browser) -> None:
    response = browser(None).get("/api/v1/moderation/notices")
    assert response.status_code == 401
    assert response.json()["error"]["code"]


def test_a_hostile_notice_is_shown_to_moderators_as_text(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment("Plain words")
    desk.moderation.decide(desk.accounts.get("chief"), comment_id, Action.APPROVE)
    hostile = NoticeDraft(
        category="other",
        law='<img src=x onerror="alert(1)">',
        explanation="<script>alert(1)</script> because \u202eevil\x00 and long enough",
        name="<b>Jana</b>",
        email="jana@example.org",
        exempt=False,
        good_faith=True,
    )
    desk.notices.file(comment_id, hostile, language="en", address=None)
    html = browser("mina").get("/console?tab=notices").text
    assert "<script>alert(1)" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; because evil and long enough" in html
    assert "<img src=x" not in html
    assert "&lt;b&gt;Jana&lt;/b&gt;" in html
