"""Per-site and per-article settings, as an admin changes them in the console."""

from __future__ import annotations

import sqlalchemy as sa

from commentdesk.desk import Desk, Draft
from commentdesk.store.tables import comments
from tests.console.support import Browser, send, site_form

#: Two reasons instead of the defaults: the first six rows replaced, the rest emptied.
REASONS = {"reject_code_0": "", "reject_en_0": "Spam", "reject_code_1": "", "reject_en_1": "Abuse"}
SITE = {"origins": "https://news.example\nhttp://localhost:*"}


def _site(browser: Browser, terms: str | None = None) -> dict[str, str | list[str]]:
    fields = site_form(browser("chief"), 1, **SITE)
    for name in [n for n in fields if n.startswith("reject_")]:
        fields[name] = ""
    fields |= REASONS
    return fields | ({"terms_en": terms} if terms else {})


def test_saving_a_site_keeps_its_reject_reasons_and_origins(browser: Browser, desk: Desk) -> None:
    answer = send(browser("chief"), "/console/settings/sites/1", _site(browser))
    assert answer.status_code == 303
    policy = desk.site_settings.policy(1)
    assert [(r.code, dict(r.texts)) for r in policy.reject_reasons] == [
        ("spam", {"en": "Spam"}),
        ("abuse", {"en": "Abuse"}),
    ]
    assert policy.site.origins == ("https://news.example", "http://localhost:*")


def test_the_sites_reject_reasons_are_offered_in_the_queue(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    send(browser("chief"), "/console/settings/sites/1", _site(browser))
    desk.comments.submit(article_key, Draft("Ann", "text", True))
    html = browser("mina").get("/console").text
    assert "1. Spam</option>" in html
    assert "Off-topic" not in html


def test_new_terms_become_the_next_version_and_the_old_text_is_kept(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    before = desk.catalog.site(1).terms_text
    send(browser("chief"), "/console/settings/sites/1", _site(browser, "New, shorter terms."))
    assert desk.catalog.site(1).terms_version == 2
    kept = {t.version: t.text for t in desk.site_settings.terms_history(1)}
    assert kept == {1: before, 2: "New, shorter terms."}
    comment = desk.comments.submit(article_key, Draft("Ann", "text", True)).comment
    with desk.context.store.read() as connection:
        accepted = connection.execute(
            sa.select(comments.c.terms_version).where(comments.c.id == comment.id)
        ).scalar_one()
    assert accepted == 2  # the comment records the version its author accepted


def test_a_bad_origin_is_named_and_the_form_keeps_what_was_typed(
    browser: Browser, desk: Desk
) -> None:
    data = {**_site(browser), "origins": "news.example without scheme"}
    answer = send(browser("chief"), "/console/settings/sites/1", data)
    assert answer.status_code == 422
    assert "is not an origin" in answer.text
    assert "news.example without scheme" in answer.text


def test_an_article_can_publish_at_once_while_its_site_holds(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    send(
        browser("chief"),
        f"/console/settings/articles/{article_key}",
        {"is_open": "on", "moderation": "post"},
    )
    comment = desk.comments.submit(article_key, Draft("Ann", "live blog", True)).comment
    desk.assessor.drain()
    published = desk.threads.published(desk.catalog.article(article_key))
    assert [c.id for c in published] == [comment.id]


def test_closing_an_article_stops_new_comments(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    send(browser("chief"), f"/console/settings/articles/{article_key}", {"moderation": ""})
    assert desk.catalog.article(article_key).is_open is False


def test_an_article_closes_after_the_days_given(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    send(
        browser("chief"),
        f"/console/settings/articles/{article_key}",
        {"is_open": "on", "close_after_days": "3"},
    )
    article = desk.catalog.article(article_key)
    assert article.closes_at is not None
    assert (article.closes_at - article.created_at).days == 3
