"""The queues: tabs, filters, what each item shows, keyset pages, site scope."""

from __future__ import annotations

import re

import sqlalchemy as sa

from commentdesk.desk import Desk
from commentdesk.model import Action
from commentdesk.store.tables import comments
from tests.console.support import Browser
from tests.support import Post


def _ids(html: str) -> list[int]:
    return [int(x) for x in re.findall(r'<li class="item[^"]*" id="c(\d+)"', html)]


def _set_risk(desk: Desk, comment_id: int, risk: float, reason: str = "") -> None:
    reasons = [{"code": "words", "message": reason}] if reason else []
    with desk.context.store.write() as connection:
        connection.execute(
            comments.update()
            .where(comments.c.id == comment_id)
            .values(risk=risk, assessment={"risk": risk, "action": "hold", "reasons": reasons})
        )


def test_the_pending_queue_shows_the_riskiest_first(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    calm, wild = post_comment("calm"), post_comment("wild")
    _set_risk(desk, wild, 0.9)
    assert _ids(browser("mina").get("/console").text) == [wild, calm]


def test_ordering_by_age_shows_the_oldest_first(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    old, new = post_comment("old"), post_comment("new")
    _set_risk(desk, new, 0.9)
    assert _ids(browser("mina").get("/console?sort=age").text) == [old, new]


def test_an_item_shows_text_author_article_and_triage_reasons(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    comment_id = post_comment("Plain words here", author="Hana")
    _set_risk(desk, comment_id, 0.5, "Contains a word from the site's list")
    html = browser("mina").get("/console").text
    for shown in ("Plain words here", "Hana", "First story", "Contains a word from the site"):
        assert shown in html


def test_comment_text_is_shown_as_text_never_as_markup(
    browser: Browser, post_comment: Post
) -> None:
    post_comment('<script>alert("x")</script><b>bold</b>')
    html = browser("mina").get("/console").text
    assert "<script>alert" not in html
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;&lt;b&gt;" in html


def test_an_item_shows_the_authors_history(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    mina = desk.accounts.get("mina")
    for _ in range(2):
        desk.moderation.decide(mina, post_comment(email="hana@example.org"), Action.APPROVE)
    desk.moderation.decide(
        mina, post_comment(email="hana@example.org"), Action.REJECT, reason="Spam"
    )
    post_comment("the fourth", email="hana@example.org")
    assert "✓2 ✗1" in browser("mina").get("/console").text


def test_the_reported_queue_shows_reported_comments_with_the_reasons(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    mina = desk.accounts.get("mina")
    reported, quiet = post_comment("reported one"), post_comment("quiet one")
    for comment_id in (reported, quiet):
        desk.moderation.decide(mina, comment_id, Action.APPROVE)
    desk.comments.report(reported, "It names a private person")
    html = browser("mina").get("/console?tab=reported").text
    assert _ids(html) == [reported]
    assert "It names a private person" in html


def test_the_state_tabs_show_their_own_comments(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    mina = desk.accounts.get("mina")
    pending, approved, rejected = post_comment(), post_comment(), post_comment()
    desk.moderation.decide(mina, approved, Action.APPROVE)
    desk.moderation.decide(mina, rejected, Action.REJECT, reason="Spam")
    client = browser("mina")
    assert _ids(client.get("/console?tab=approved").text) == [approved]
    assert _ids(client.get("/console?tab=rejected").text) == [rejected]
    assert sorted(_ids(client.get("/console?tab=all").text)) == [pending, approved, rejected]


def test_filters_narrow_by_author_text_and_article(
    browser: Browser, post_comment: Post, people: dict[str, int]
) -> None:
    hana = post_comment("about the budget", author="Hana")
    post_comment("about the weather", author="Ken")
    elsewhere = post_comment("about the budget too", key="o1")
    client = browser("mina")
    assert _ids(client.get("/console?author=Hana").text) == [hana]
    assert sorted(_ids(client.get("/console?q=budget").text)) == [hana, elsewhere]
    assert _ids(client.get("/console?article=o1").text) == [elsewhere]


def test_a_text_filter_treats_percent_and_underscore_literally(
    browser: Browser, post_comment: Post
) -> None:
    exact = post_comment("100% sure")
    post_comment("1000 sure")
    assert _ids(browser("mina").get("/console?q=0%25").text) == [exact]


def test_pages_follow_each_other_without_gaps_or_repeats(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    made = [post_comment(f"comment {n}") for n in range(7)]
    for n, comment_id in enumerate(made):
        _set_risk(desk, comment_id, [0.5, 0.5, 0.2, 0.9, 0.5, 0.0, 0.2][n])
    client, seen, url = browser("mina"), [], "/console?limit=3"
    while url:
        html = client.get(url).text
        seen += _ids(html)
        found = re.search(r'href="([^"]+)" rel="next"', html)
        url = found.group(1).replace("&amp;", "&") if found else ""
    assert sorted(seen) == sorted(made)
    assert len(seen) == len(made)


def test_a_moderator_of_one_site_sees_only_that_sites_comments(
    browser: Browser, post_comment: Post
) -> None:
    post_comment("on the news site")
    theirs = post_comment("on the other site", key="o1")
    assert _ids(browser("otto").get("/console").text) == [theirs]


def test_an_authors_everything_view_lists_only_their_comments(
    browser: Browser, desk: Desk, post_comment: Post
) -> None:
    first = post_comment("one", commenter_key="k-troll")
    second = post_comment("two", commenter_key="k-troll", author="Another Name")
    post_comment("someone else")
    with desk.context.store.read() as connection:
        key = connection.execute(
            sa.select(comments.c.author_key).where(comments.c.id == first)
        ).scalar_one()
    html = browser("mina").get(f"/console?ak={key}").text
    assert sorted(_ids(html)) == [first, second]
    assert "Everything pending from them, every pseudonym" in html
