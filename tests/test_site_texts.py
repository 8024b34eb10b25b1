"""A site's reasons and terms per language: the migration of existing lists and
decisions, codes stored with decisions, one terms version across languages, fallback."""

from __future__ import annotations

import pytest
import sqlalchemy as sa
from alembic import command

from commentdesk import sitetexts
from commentdesk.desk import Desk
from commentdesk.desk.site_settings import SiteTextsDraft
from commentdesk.desk.site_texts import ReasonDraft
from commentdesk.errors import InvalidInput
from commentdesk.model import Action, Moderation, Moderator, Role, SiteReason
from commentdesk.store import Store
from commentdesk.store.migrate import alembic_config, upgrade
from commentdesk.store.tables import comments, events, sites
from tests.support import PASSWORD, submit_comment


@pytest.fixture
def chief(desk: Desk) -> Moderator:
    return desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)


def _save(desk: Desk, chief: Moderator, site_id: int, **texts: object) -> None:
    """Saves the site with its current policy and ``texts`` changed."""
    policy = desk.site_settings.policy(site_id)
    keep = {
        "reject_reasons": [ReasonDraft(r.code, dict(r.texts)) for r in policy.reject_reasons],
        "edit_reasons": [ReasonDraft(r.code, dict(r.texts)) for r in policy.edit_reasons],
        "terms": policy.terms,
    }
    desk.site_settings.update_site(
        chief,
        site_id,
        moderation=Moderation.PRE,
        auto_close_days=None,
        origins="",
        ban_policy=policy.ban_policy,
        texts=SiteTextsDraft(**(keep | texts)),  # type: ignore[arg-type]
    )


def test_the_migration_keeps_a_sites_reasons_in_its_language_and_codes_its_decisions(
    desk: Desk, database_url: str, chief: Moderator
) -> None:
    own = desk.catalog.ensure_site("ko-news", name="코멘트", language="ko")
    desk.catalog.add_article("ko-news", "k1", url="https://ko.example/1", title="기사")
    plain = desk.catalog.ensure_site("news", name="News")
    desk.catalog.add_article("news", "a1", url="https://news.example/1", title="Story")
    ids = [
        submit_comment(desk, "광고", key="k1"),
        submit_comment(desk, "typed", key="k1"),
        submit_comment(desk, "spam", key="a1"),
    ]
    for comment_id in ids:
        desk.moderation.decide(chief, comment_id, Action.REJECT, reason="x")
    desk.close()
    store = Store(database_url)
    with store.engine.connect() as connection:
        command.downgrade(alembic_config(connection), "0012")
        connection.commit()
        # As the older version stored them: a list of sentences, and words on decisions.
        old = sa.table("sites", sa.column("id"), sa.column("reject_reasons", sa.JSON))
        connection.execute(
            old.update().where(old.c.id == own.id).values(reject_reasons=["광고", "욕설"])
        )
        old_words = ["광고: 세 번째", "typed words", "Spam or advertising"]
        for comment_id, said in zip(ids, old_words, strict=True):
            connection.execute(
                comments.update().where(comments.c.id == comment_id).values(decision_reason=said)
            )
        connection.commit()
        upgrade(connection)
        reasons = dict(connection.execute(sa.select(sites.c.id, sites.c.reasons)).all())
        codes = dict(
            connection.execute(sa.select(comments.c.id, comments.c.decision_reason_code)).all()
        )
        kept = dict(connection.execute(sa.select(comments.c.id, comments.c.decision_reason)).all())
    store.close()
    assert reasons[own.id] == {
        "reject": [
            {"code": "reason", "texts": {"ko": "광고"}},
            {"code": "reason-2", "texts": {"ko": "욕설"}},
        ]
    }
    assert reasons[plain.id] is None  # the defaults, as before
    assert codes == {ids[0]: "reason", ids[1]: None, ids[2]: "spam"}
    assert kept == {ids[0]: "광고: 세 번째", ids[1]: "typed words", ids[2]: "Spam or advertising"}


def test_a_decision_keeps_the_code_of_the_reason_chosen(desk: Desk, chief: Moderator) -> None:
    desk.catalog.ensure_site("news", name="News")
    desk.catalog.add_article("news", "a1", url="https://news.example/1", title="Story")
    comment_id = submit_comment(desk, "cheap watches")
    comment = desk.decisions.decide(chief, comment_id, Action.REJECT, choice="spam", note="bot")
    assert (comment.decision_reason, comment.decision_reason_code) == (
        "Spam or advertising: bot",
        "spam",
    )
    with desk.context.store.read() as connection:
        event = connection.execute(
            sa.select(events.c.reason, events.c.reason_code).where(
                events.c.comment_id == comment_id, events.c.action == "reject"
            )
        ).one()
    assert tuple(event) == ("Spam or advertising: bot", "spam")


def test_a_code_the_site_does_not_offer_is_refused(desk: Desk, chief: Moderator) -> None:
    desk.catalog.ensure_site("news", name="News")
    desk.catalog.add_article("news", "a1", url="https://news.example/1", title="Story")
    comment_id = submit_comment(desk, "text")
    with pytest.raises(InvalidInput) as refused:
        desk.decisions.decide(chief, comment_id, Action.REJECT, choice="Nope")
    assert refused.value.field == "choice"


def test_the_default_reasons_speak_every_language_there_is_a_catalog_for() -> None:
    [off_topic, *_] = sitetexts.defaults("reject")
    assert off_topic.code == "off-topic"
    assert off_topic.text("ko", "en") == "주제와 무관"
    assert off_topic.text("en", "en") == "Off-topic"


def test_a_stored_reason_reads_in_the_readers_language_and_falls_back_to_the_sites() -> None:
    reasons = (SiteReason("link", (("en", "Removed a link"), ("ko", "링크 삭제"))),)
    only_english = (SiteReason("link", (("en", "Removed a link"),)),)
    stored = "Removed a link: spam site"
    assert sitetexts.localized(stored, "link", reasons, "ko", "en") == "링크 삭제: spam site"
    assert sitetexts.localized(stored, "link", only_english, "ko", "en") == stored
    assert sitetexts.localized(stored, None, reasons, "ko", "en") == stored  # typed: as is
    # Reworded since: the words it was made with, rather than a guess.
    reworded = (SiteReason("link", (("en", "Link removed"), ("ko", "링크 삭제"))),)
    assert sitetexts.localized(stored, "link", reworded, "ko", "en") == stored


def test_a_terms_change_in_one_language_is_the_next_version_of_all(
    desk: Desk, chief: Moderator
) -> None:
    site = desk.catalog.ensure_site("news", name="News")
    english = desk.catalog.site(site.id).terms_text
    _save(desk, chief, site.id, terms={"en": english, "ko": "서로 존중해 주세요."})
    _save(desk, chief, site.id, terms={"en": english, "ko": "서로 존중해 주세요."})  # unchanged
    _save(desk, chief, site.id, terms={"en": english, "ko": "광고는 지웁니다."})
    now = desk.catalog.site(site.id)
    assert now.terms_version == 3
    assert now.terms_in("ko") == ("ko", "광고는 지웁니다.")
    assert now.terms_in("ja") == ("en", english)  # no text of its own: the site's
    history = {t.version: dict(t.translations) for t in desk.site_settings.terms_history(site.id)}
    assert history == {1: {}, 2: {"ko": "서로 존중해 주세요."}, 3: {"ko": "광고는 지웁니다."}}


def test_every_reason_needs_a_sentence_in_the_sites_language(desk: Desk, chief: Moderator) -> None:
    site = desk.catalog.ensure_site("news", name="News")
    with pytest.raises(InvalidInput) as refused:
        _save(desk, chief, site.id, reject_reasons=[ReasonDraft("", {"ko": "광고"})])
    assert refused.value.field == "reject_reasons"
    with pytest.raises(InvalidInput) as refused:
        _save(desk, chief, site.id, terms={"ko": "약관"})
    assert refused.value.field == "terms_en"


def test_a_renamed_reason_keeps_its_code_and_a_new_one_gets_one(
    desk: Desk, chief: Moderator
) -> None:
    site = desk.catalog.ensure_site("news", name="News")
    _save(
        desk,
        chief,
        site.id,
        reject_reasons=[
            ReasonDraft("spam", {"en": "Advertising", "ko": "광고"}),
            ReasonDraft("", {"en": "Off topic!", "ko": "주제 밖"}),
            ReasonDraft("", {"en": "", "ko": ""}),  # an empty row: none
        ],
    )
    reasons = desk.site_settings.policy(site.id).reject_reasons
    assert [(r.code, r.text("ko", "en")) for r in reasons] == [
        ("spam", "광고"),
        ("off-topic", "주제 밖"),
    ]
