"""A site's reasons and terms per language, through the console's site page (JavaScript
off) and as readers and moderators read them in their own language."""

from __future__ import annotations

from collections.abc import Mapping

import sqlalchemy as sa
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.model import Action
from commentdesk.store.tables import staff_events
from tests.console.support import Browser, form_values, send, site_form
from tests.reader.pages import parse, text_of, with_class
from tests.support import submit_comment

PAGE = "/console/settings/sites/1"


def _row(fields: Mapping[str, str | list[str]], kind: str, code: str) -> int:
    """The index of the form's row for the reason ``code``."""
    return next(
        int(name.rsplit("_", 1)[1])
        for name, value in fields.items()
        if name.startswith(f"{kind}_code_") and value == code
    )


def _korean(browser: Browser, **changes: str) -> dict[str, str | list[str]]:
    """The site form with Korean words for "link" and the terms, and ``changes``."""
    fields = site_form(browser("chief"), 1)
    fields[f"edit_ko_{_row(fields, 'edit', 'link')}"] = "링크를 지웠습니다"
    fields["terms_ko"] = "서로 존중해 주세요."
    return fields | changes


def test_the_site_page_saves_each_languages_reasons_and_terms_and_shows_them_again(
    browser: Browser, desk: Desk
) -> None:
    before = desk.catalog.site(1).terms_version
    answer = send(browser("chief"), PAGE, _korean(browser))
    assert answer.status_code == 303
    shown = form_values(browser("chief").get(PAGE).text, PAGE)
    assert shown[f"edit_ko_{_row(shown, 'edit', 'link')}"] == "링크를 지웠습니다"
    assert shown["terms_ko"] == "서로 존중해 주세요."
    assert desk.catalog.site(1).terms_version == before + 1
    with desk.context.store.read() as connection:
        actions = list(connection.execute(sa.select(staff_events.c.action)).scalars())
    assert {"site_settings", "terms_changed"} <= set(actions)  # audited as any settings change


def test_a_refused_site_form_comes_back_with_every_language_as_typed(
    browser: Browser, desk: Desk
) -> None:
    fields = _korean(browser)
    row = _row(fields, "reject", "spam")
    fields |= {f"reject_en_{row}": "", f"reject_ko_{row}": "광고만 올리는 글"}
    answer = send(browser("chief"), PAGE, fields)
    assert answer.status_code == 422
    assert "Give every reason a sentence in the site" in answer.text
    kept = form_values(answer.text, PAGE)
    assert kept[f"reject_ko_{row}"] == "광고만 올리는 글"
    assert kept["terms_ko"] == "서로 존중해 주세요."
    assert dict(desk.site_settings.policy(1).terms) == {"en": desk.catalog.site(1).terms_text}


def _edited(desk: Desk, article_key: str) -> int:
    chief = desk.accounts.get("chief")
    comment_id = submit_comment(desk, "see spam.example", key=article_key, approve_as=chief)
    desk.decisions.decide(
        chief, comment_id, Action.EDIT, choice="link", note="spam.example", body="see [link]"
    )
    return comment_id


def _thread(reader: TestClient, article_key: str, lang: str) -> str:
    return reader.get(f"/articles/{article_key}?lang={lang}").text


def test_a_korean_reader_reads_the_edit_reason_and_the_terms_in_korean(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    send(browser("chief"), PAGE, _korean(browser))
    _edited(desk, article_key)
    reader = browser(None)
    assert "링크를 지웠습니다: spam.example" in _thread(reader, article_key, "ko")
    assert "Link removed: spam.example" in _thread(reader, article_key, "en")
    [terms] = with_class(
        parse(reader.get(f"/articles/{article_key}/terms?lang=ko").text), "cd-terms"
    )
    assert (terms.get("lang"), text_of(terms)) == ("ko", "서로 존중해 주세요.")


def test_a_language_with_no_words_of_its_own_reads_the_sites_language(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    fields = site_form(browser("chief"), 1)  # no Korean terms; every Korean sentence emptied
    send(browser("chief"), PAGE, {n: "" if "_ko_" in n else v for n, v in fields.items()})
    _edited(desk, article_key)
    reader = browser(None)
    assert "Link removed: spam.example" in _thread(reader, article_key, "ko")
    [terms] = with_class(
        parse(reader.get(f"/articles/{article_key}/terms?lang=ko").text), "cd-terms"
    )
    assert (terms.get("lang"), text_of(terms)) == ("en", desk.catalog.site(1).terms_text)


def test_a_korean_moderator_picks_and_reads_the_sites_reasons_in_korean(
    browser: Browser, desk: Desk, article_key: str
) -> None:
    comment_id = submit_comment(desk, "off topic", key=article_key)
    moderator = browser("mina")
    moderator.headers["Accept-Language"] = "ko"
    assert '<option value="off-topic">1. 주제와 무관</option>' in moderator.get("/console").text
    decision: dict[str, str | list[str]] = {
        "action": "reject",
        "choice": "off-topic",
        "note": "두 번째",
    }
    assert send(moderator, f"/console/comments/{comment_id}/decide", decision).status_code == 303
    assert "주제와 무관: 두 번째" in moderator.get(f"/console/comments/{comment_id}").text
    assert "Off-topic: 두 번째" in browser("chief").get(f"/console/comments/{comment_id}").text
