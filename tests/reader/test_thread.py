"""The server-rendered thread at GET /articles/{key}: what a reader sees, with script off."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from fastapi.testclient import TestClient

from commentdesk.desk import Desk, Draft
from commentdesk.model import Action, Moderator
from commentdesk.store.tables import articles, comments
from tests.reader.pages import ancestors, by_id, parse, text_of, with_class
from tests.support import Clock, Post


def test_thread_shows_title_link_and_count(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    publish()
    publish(author="Jun")
    document = parse(client.get(thread_url).text)
    title = document.find(".//h1/a")
    assert title is not None
    assert (title.text, title.get("href")) == ("First story", "https://news.example/a1")
    assert text_of(with_class(document, "cd-count")[0]) == "2 comments"


def test_thread_of_one_comment_says_comment_in_the_singular(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    publish()
    document = parse(client.get(thread_url).text)
    assert text_of(with_class(document, "cd-count")[0]) == "1 comment"


def test_empty_thread_says_nothing_is_published_yet(client: TestClient, thread_url: str) -> None:
    document = parse(client.get(thread_url).text)
    assert "No comments have been published yet." in text_of(by_id(document, "thread"))


def test_pending_comments_of_others_are_not_shown(
    client: TestClient, desk: Desk, article_key: str, thread_url: str
) -> None:
    desk.comments.submit(article_key, Draft(author="Quiet", body="not yet", accept_terms=True))
    assert "not yet" not in client.get(thread_url).text


def test_comment_shows_pseudonym_body_and_machine_readable_time(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    comment_id = publish("Hello there.", author="Mina")
    article = by_id(parse(client.get(thread_url).text), f"comment-{comment_id}")
    assert text_of(with_class(article, "cd-author")[0]) == "Mina"
    assert text_of(with_class(article, "cd-body")[0]) == "Hello there."
    time = article.find(".//time")
    assert time is not None
    assert time.get("datetime") == "2026-11-01T12:00:00Z"


def test_time_reads_relative_and_absolute(
    client: TestClient, publish: Post, clock: Clock, thread_url: str
) -> None:
    comment_id = publish()
    clock.advance(hours=3)
    meta = with_class(by_id(parse(client.get(thread_url).text), f"comment-{comment_id}"), "cd-when")
    assert text_of(meta[0]) == "3 hours ago Nov 1, 2026, 12:00 UTC"


def test_replies_are_nested_under_their_parent(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    parent = publish("Question?")
    reply = publish("Answer.", author="Jun", parent_id=parent)
    document = parse(client.get(thread_url).text)
    enclosing = ancestors(document, by_id(document, f"comment-{reply}"), "li")
    assert enclosing[1].find("article") == by_id(document, f"comment-{parent}")


def test_replies_beyond_the_depth_cap_sit_beside_their_parent_saying_whom_they_answer(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    top = publish("level 0")
    one = publish("level 1", parent_id=top)
    two = publish("level 2", author="Deep", parent_id=one)
    three = publish("level 3", author="Deeper", parent_id=two)  # max_reply_depth is 3
    document = parse(client.get(thread_url).text)
    depth = {
        article.get("id"): len(ancestors(document, article, "ol"))
        for article in document.iter("article")
    }
    assert depth[f"comment-{two}"] == depth[f"comment-{three}"] == 3
    answers = with_class(by_id(document, f"comment-{three}"), "cd-answers")
    assert text_of(answers[0]) == "In reply to Deep"


def test_reply_to_a_withdrawn_comment_stays_visible_at_the_top_level(
    client: TestClient, publish: Post, desk: Desk, editor: Moderator, thread_url: str
) -> None:
    parent = publish("soon gone")
    reply = publish("still here", parent_id=parent)
    desk.moderation.decide(editor, parent, Action.WITHDRAW, reason="off topic")
    document = parse(client.get(thread_url).text)
    article = by_id(document, f"comment-{reply}")
    assert "soon gone" not in text_of(document)
    assert text_of(with_class(article, "cd-answers")[0]) == (
        "In reply to a comment that is no longer shown"
    )


def test_comment_edited_by_a_moderator_says_so_with_the_reason(
    client: TestClient, publish: Post, desk: Desk, editor: Moderator, thread_url: str
) -> None:
    comment_id = publish("Call 555-0100 now")
    desk.moderation.decide(
        editor, comment_id, Action.EDIT, reason="phone number removed", body="Call now"
    )
    article = by_id(parse(client.get(thread_url).text), f"comment-{comment_id}")
    assert text_of(with_class(article, "cd-edited")[0]) == (
        "Edited by a moderator: phone number removed"
    )


def test_featured_comment_carries_a_featured_mark(
    client: TestClient, publish: Post, desk: Desk, editor: Moderator, thread_url: str
) -> None:
    comment_id = publish()
    desk.moderation.decide(editor, comment_id, Action.FEATURE)
    article = by_id(parse(client.get(thread_url).text), f"comment-{comment_id}")
    assert "cd-featured" in (article.get("class") or "")
    assert text_of(with_class(article, "cd-badge")[0]) == "Featured"


def test_each_comment_has_a_reply_link_and_a_report_link(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    comment_id = publish()
    article = by_id(parse(client.get(thread_url).text), f"comment-{comment_id}")
    links = [a.get("href") for a in article.iter("a")]
    assert f"{thread_url}?reply_to={comment_id}#comment-form" in links
    assert f"{thread_url}/comments/{comment_id}/report" in links


def test_markup_in_a_comment_is_shown_as_text(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    comment_id = publish('<script>alert(1)</script> <img src=x onerror="x()">', author="M&M's")
    page = client.get(thread_url).text
    article = by_id(parse(page), f"comment-{comment_id}")
    assert article.find(".//script") is None
    assert article.find(".//img") is None
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert text_of(with_class(article, "cd-author")[0]) == "M&M's"


def test_links_in_a_comment_are_clickable_with_nofollow_ugc(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    comment_id = publish("Source: https://example.org/report?id=1&x=2.")
    body = with_class(by_id(parse(client.get(thread_url).text), f"comment-{comment_id}"), "cd-body")
    link = body[0].find("a")
    assert link is not None
    assert link.get("href") == link.text == "https://example.org/report?id=1&x=2"
    assert link.get("rel") == "nofollow ugc noopener"


def test_line_breaks_in_a_comment_are_kept(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    comment_id = publish("first line\n\nsecond paragraph")
    body = with_class(by_id(parse(client.get(thread_url).text), f"comment-{comment_id}"), "cd-body")
    assert body[0].text == "first line\n\nsecond paragraph"


def test_korean_comment_is_shown_intact_and_marked_korean_on_an_english_site(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    comment_id = publish("좋은 기사 감사합니다. 다음 편도 기대할게요!", author="서연")
    article = by_id(parse(client.get(thread_url).text), f"comment-{comment_id}")
    body = with_class(article, "cd-body")[0]
    assert body.text == "좋은 기사 감사합니다. 다음 편도 기대할게요!"
    assert body.get("lang") == "ko"  # its own language, not the (English) site's


def test_closed_thread_says_why_and_has_no_form(
    client: TestClient, publish: Post, desk: Desk, article_key: str, thread_url: str
) -> None:
    comment_id = publish()
    desk.catalog.set_open(article_key, False)
    document = parse(client.get(thread_url).text)
    assert text_of(with_class(document, "cd-closed")[0]) == "Comments are closed on this article."
    assert document.find(".//form") is None
    assert f"reply_to={comment_id}" not in client.get(thread_url).text


def test_thread_past_its_closing_time_is_closed(
    client: TestClient, desk: Desk, article_key: str, clock: Clock, thread_url: str
) -> None:
    with desk.context.store.write() as connection:
        connection.execute(
            articles.update()
            .where(articles.c.key == article_key)
            .values(closes_at=clock.now + timedelta(days=1))
        )
    assert parse(client.get(thread_url).text).find(".//form") is not None
    clock.advance(days=2)
    assert parse(client.get(thread_url).text).find(".//form") is None


def test_unknown_article_answers_a_404_page(client: TestClient) -> None:
    response = client.get("/articles/nope")
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert "There is no article 'nope' here." in text_of(parse(response.text))


def _bulk_publish(desk: Desk, article_key: str, count: int) -> None:
    """Inserts ``count`` published comments in one statement (the desk path takes minutes)."""
    article = desk.catalog.article(article_key)
    start = datetime(2026, 10, 1, tzinfo=UTC)
    rows = [
        {
            "article_id": article.id,
            "depth": 0,
            "author": f"Reader {n}",
            "body": f"Comment number {n}.",
            "state": "approved",
            "featured": False,
            "created_at": start + timedelta(minutes=n),
            "updated_at": start + timedelta(minutes=n),
            "editable_until": start + timedelta(minutes=n + 15),
            "edit_token_hash": "0" * 64,
            "terms_version": 1,
            "edited_by_moderator": False,
            "risk": 0.0,
            "assessment": {"risk": 0.0, "action": "hold", "reasons": []},
        }
        for n in range(1, count + 1)
    ]
    with desk.context.store.write() as connection:
        connection.execute(comments.insert(), rows)
        connection.execute(
            articles.update().where(articles.c.id == article.id).values(published_count=count)
        )
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(comments)).scalar() == count
        )


def test_thread_of_2000_comments_renders_only_its_first_page(
    client: TestClient, desk: Desk, article_key: str, thread_url: str
) -> None:
    _bulk_publish(desk, article_key, 2000)
    response = client.get(thread_url)
    document = parse(response.text)
    shown = with_class(document, "cd-comment")
    assert len(shown) == desk.context.settings.thread_page_size == 50
    assert text_of(with_class(document, "cd-count")[0]) == "2,000 comments"
    assert "Comment number 1." in response.text
    assert "Comment number 51." not in response.text


def test_show_more_link_leads_to_the_next_page_and_back(
    client: TestClient, desk: Desk, article_key: str, thread_url: str
) -> None:
    _bulk_publish(desk, article_key, 120)
    more = by_id(parse(client.get(thread_url).text), "thread").find(".//a[@rel='next']")
    assert more is not None
    assert text_of(more) == "Show more comments"
    second = parse(client.get(str(more.get("href"))).text)
    bodies = [text_of(b) for b in with_class(second, "cd-body")]
    assert (bodies[0], bodies[-1]) == ("Comment number 51.", "Comment number 100.")
    back = second.find(".//a[@rel='prev']")
    assert back is not None
    first = parse(client.get(str(back.get("href"))).text)
    assert text_of(with_class(first, "cd-body")[0]) == "Comment number 1."


def test_last_page_has_no_show_more_link(
    client: TestClient, desk: Desk, article_key: str, thread_url: str
) -> None:
    _bulk_publish(desk, article_key, 60)
    page = client.get(f"{thread_url}?after=50").text
    assert len(with_class(parse(page), "cd-comment")) == 10
    assert 'rel="next"' not in page


def test_nonsense_paging_parameters_show_the_first_page(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    publish("first")
    response = client.get(f"{thread_url}?after=x&before=-1&reply_to=%00&notice=<b>")
    assert response.status_code == 200
    assert "first" in response.text
    assert "&lt;b&gt;" not in response.text


def test_each_comment_is_marked_with_the_language_it_is_written_in(
    client: TestClient, publish: Post, thread_url: str
) -> None:
    korean = publish("정부 발표를 꼼꼼히 읽어 보았습니다. 통계의 출처가 궁금합니다.", author="민수")
    english = publish("The figures in the third paragraph do not add up.")
    symbols = publish("👍👍👍")
    document = parse(client.get(thread_url).text)

    def lang(comment_id: int) -> str | None:
        [body] = with_class(by_id(document, f"comment-{comment_id}"), "cd-body")
        return body.get("lang")

    # The site is English: a comment without letters keeps the site's language.
    assert (lang(korean), lang(english), lang(symbols)) == ("ko", "en", "en")
