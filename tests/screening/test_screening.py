"""Triage at submission: reasons on held comments, campaigns as clusters, one action for all."""

from __future__ import annotations

import functools
import json
import secrets
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from commentdesk.desk import Desk, Draft, screening
from commentdesk.model import Action, Moderation, Role, State
from commentdesk.store.tables import events, lsh_bands
from commentdesk.triage.classifier import ProfanityCheck, load_classifier
from commentdesk.triage.policy import ClassifierScore
from commentdesk.triage.scoring import Triage
from tests.support import PASSWORD, Clock, auth, submit_comment

CAMPAIGN = (
    "The election was stolen by foreign agents and the newspaper is hiding the truth "
    "from you. Share this before they delete it! Number {n}"
)


#: Each comment from a new reader unless a commenter key is named, fully assessed.
post = functools.partial(submit_comment, new_commenter=True, assess=True)


def codes(desk: Desk, comment_id: int) -> set[str]:
    [item] = [i for i in desk.moderation.queue(state=None).items if i.comment.id == comment_id]
    return {reason.code for reason in item.comment.assessment.reasons}


@pytest.mark.usefixtures("article_key")
def test_a_korean_insult_with_a_particle_is_held_with_its_reason(desk: Desk) -> None:
    comment_id = post(desk, "이 기자 진짜 바보야 ㅋㅋ")
    [item] = desk.moderation.queue().items
    assert item.comment.id == comment_id
    assert item.comment.state is State.PENDING
    messages = [r.message for r in item.comment.assessment.reasons]
    assert any("바보" in m and "바보야" in m for m in messages), messages
    assert item.comment.assessment.risk >= 0.3


@pytest.mark.usefixtures("article_key")
def test_a_clean_comment_carries_no_word_reasons(desk: Desk) -> None:
    comment_id = post(desk, "The budget numbers in the third paragraph do not add up.")
    assert codes(desk, comment_id) <= {"new_commenter"}


def test_under_post_moderation_a_clean_comment_is_published_and_a_rude_one_held(
    desk: Desk,
) -> None:
    desk.catalog.ensure_site("open", name="Open", moderation=Moderation.POST)
    desk.catalog.add_article("open", "p1", url="https://open.example/p1", title="P")
    clean = desk.comments.submit(
        "p1", Draft(author="A", body="Thanks for the careful reporting.", accept_terms=True)
    )
    rude = desk.comments.submit(
        "p1", Draft(author="B", body="Shut up you idiot, nobody cares.", accept_terms=True)
    )
    # Both wait for the full assessment; it publishes the clean one only.
    assert clean.comment.state is rude.comment.state is State.PENDING
    assert clean.publishes_when_assessed
    assert desk.assessor.drain() == 2
    article = desk.catalog.article("p1")
    assert [c.id for c in desk.threads.published(article)] == [clean.comment.id]
    assert article.published_count == 1


def test_a_retried_post_moderated_submission_still_says_it_publishes_when_assessed(
    desk: Desk,
) -> None:
    desk.catalog.ensure_site("open", name="Open", moderation=Moderation.POST)
    desk.catalog.add_article("open", "p1", url="https://open.example/p1", title="P")
    draft = Draft(author="A", body="Thanks for the careful reporting.", accept_terms=True)
    first = desk.comments.submit("p1", draft, idempotency_key="retry-1")
    retried = desk.comments.submit("p1", draft, idempotency_key="retry-1")
    assert retried.comment.id == first.comment.id
    assert first.publishes_when_assessed
    assert retried.publishes_when_assessed
    desk.assessor.drain()
    # Assessed and published: a later retry no longer waits for anything.
    late = desk.comments.submit("p1", draft, idempotency_key="retry-1")
    assert late.comment.state is State.APPROVED
    assert not late.publishes_when_assessed


@pytest.mark.usefixtures("article_key")
def test_fifty_keys_posting_variants_make_one_cluster_all_held_and_one_action_rejects_them(
    desk: Desk, client: TestClient, moderator_token: str
) -> None:
    ids = [post(desk, CAMPAIGN.format(n=n), author=f"Patriot{n}") for n in range(50)]
    queue = desk.moderation.queue(limit=200).items
    assert {item.comment.id for item in queue} == set(ids)
    assert {item.comment.state for item in queue} == {State.PENDING}
    assert {item.comment.cluster_id for item in queue} == {ids[0]}
    last = next(item for item in queue if item.comment.id == ids[-1])
    campaign = [r.message for r in last.comment.assessment.reasons if r.code == "duplicate_cluster"]
    assert campaign == ["same text as 49 comments from 50 pseudonyms on 1 article in 1 minute"]

    [listed] = client.get("/api/v1/moderation/clusters", headers=auth(moderator_token)).json()
    assert (listed["id"], listed["size"], listed["pending"], listed["pseudonyms"]) == (
        ids[0],
        50,
        50,
        50,
    )

    answer = client.post(
        f"/api/v1/moderation/clusters/{ids[0]}/reject",
        json={"reason": "coordinated campaign"},
        headers=auth(moderator_token),
    ).json()
    assert answer == {"rejected": 50, "authors_banned": 0}
    assert desk.moderation.queue().items == []
    with desk.context.store.read() as connection:
        rejections = connection.execute(
            sa.select(sa.func.count()).where(events.c.action == Action.REJECT.value)
        ).scalar_one()
    assert rejections == 50
    assert client.get("/api/v1/moderation/clusters", headers=auth(moderator_token)).json() == []


@pytest.mark.usefixtures("article_key")
def test_a_cluster_action_leaves_comments_decided_by_others_alone(desk: Desk) -> None:
    ids = [post(desk, CAMPAIGN.format(n=n), author=f"P{n}") for n in range(4)]
    first = desk.accounts.add_moderator("first", PASSWORD, Role.MODERATOR)
    second = desk.accounts.add_moderator("second", PASSWORD, Role.MODERATOR)
    desk.moderation.decide(first, ids[2], Action.APPROVE)
    outcome = desk.clusters.reject(second, ids[0], reason="campaign")
    assert outcome.rejected == 3
    assert desk.moderation.queue(state=State.APPROVED).items[0].comment.decided_by == "first"


@pytest.mark.usefixtures("article_key")
def test_rejecting_a_cluster_can_ban_its_authors(desk: Desk) -> None:
    ids = [
        post(desk, CAMPAIGN.format(n=n), author=f"P{n}", commenter_key=f"key-{n:02d}-xxxxxxxxxxxx")
        for n in range(3)
    ]
    chief = desk.accounts.add_moderator("chief2", PASSWORD, Role.ADMIN)
    outcome = desk.clusters.reject(chief, ids[0], reason="campaign", ban_days=7)
    assert outcome.authors_banned == 3


def test_an_unknown_cluster_is_a_404(client: TestClient, moderator_token: str) -> None:
    response = client.post(
        "/api/v1/moderation/clusters/999/reject",
        json={"reason": "x"},
        headers=auth(moderator_token),
    )
    assert response.status_code == 404


@pytest.mark.usefixtures("article_key")
def test_short_stock_phrases_are_not_clustered(desk: Desk) -> None:
    ids = [post(desk, "Great article!", author=f"R{n}") for n in range(5)]
    assert all(codes(desk, i) <= {"new_commenter"} for i in ids)


@pytest.mark.usefixtures("article_key")
def test_the_same_commenter_posting_fast_is_a_burst(desk: Desk) -> None:
    mine = secrets.token_urlsafe(18)
    ids = [
        post(desk, f"My point number {n} about the tax plan, again.", commenter_key=mine)
        for n in range(6)
    ]
    assert "commenter_burst" in codes(desk, ids[-1])


def test_near_duplicate_bands_are_purged_after_the_window(
    desk: Desk, clock: Clock, article_key: str
) -> None:
    post(desk, CAMPAIGN.format(n=1))
    clock.advance(hours=49)
    # 32 MinHash bands and 32 bands of its meaning; its vector stays for a late rejection.
    assert desk.screening.purge(clock()) == 64
    with desk.context.store.read() as connection:
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(lsh_bands)).scalar_one() == 0
        )


class KeywordModel:
    """A real, local classifier for the test: certain about one marker word."""

    def score(self, text: str, language: str) -> ClassifierScore | None:
        return ClassifierScore("keyword", "spam", 1.0 if "xyzzy" in text else 0.0)


def test_a_plugged_in_model_can_push_a_comment_to_the_top_of_the_queue(
    settings: object, clock: Clock, site_slug: str
) -> None:
    from commentdesk.settings import Settings

    assert isinstance(settings, Settings)
    desk = Desk.open(settings, clock=clock, classifier=KeywordModel())
    try:
        desk.catalog.add_article(site_slug, "k1", url="https://news.example/k1", title="K")
        desk.comments.submit("k1", Draft(author="C", body="A fair point.", accept_terms=True))
        spam = "xyzzy buy now http://1.2.3.4/pills http://bit.ly/x http://bit.ly/y 바보 idiot"
        spam_id = desk.comments.submit(
            "k1", Draft(author="S", body=spam, accept_terms=True)
        ).comment.id
        desk.assessor.drain()
        [top, _] = desk.moderation.queue().items
        assert top.comment.id == spam_id
        assert top.comment.assessment.action == "refuse"
        assert "classifier" in {reason.code for reason in top.comment.assessment.reasons}
        assert top.comment.state is State.PENDING  # stored and acknowledged: held, never lost
    finally:
        desk.close()


def test_the_english_model_reads_english_only() -> None:
    model = ProfanityCheck()
    rude = model.score("you are a fucking idiot", "en")
    assert rude is not None
    assert rude.probability > 0.9
    assert model.score("바보", "ko") is None


def test_classifiers_are_chosen_by_name() -> None:
    assert load_classifier("off").score("anything", "en") is None
    assert isinstance(load_classifier("profanity-check"), ProfanityCheck)
    loaded = load_classifier("tests.screening.test_screening:KeywordModel")
    assert isinstance(loaded, KeywordModel)
    with pytest.raises(ValueError, match=r"package\.module:factory"):
        load_classifier("nonsense")


def test_an_admin_saves_a_word_list_that_takes_effect(
    client: TestClient, desk: Desk, admin_token: str, article_key: str
) -> None:
    url = "/api/v1/admin/sites/news/wordlists/en"
    document = json.loads(client.get(url, headers=auth(admin_token)).json()["document"])
    document["entries"].append({"text": "flibbertigibbet", "kind": "banned"})
    saved = client.put(url, json={"document": json.dumps(document)}, headers=auth(admin_token))
    assert saved.status_code == 200
    comment_id = post(desk, "What a flibbertigibbet this minister is.")
    assert "banned_word" in codes(desk, comment_id)


def test_a_word_list_saved_through_the_desk_applies_to_the_next_comment(
    desk: Desk, site_slug: str, article_key: str
) -> None:
    post(desk, "A first comment, so the site's lists are loaded and cached.")
    site_id = desk.catalog.article(article_key).site_id
    document = json.loads(desk.word_lists.document(site_id, "en"))
    document["entries"].append({"text": "flibbertigibbet", "kind": "banned"})
    chief = desk.accounts.add_moderator("lists-chief", PASSWORD, Role.ADMIN)
    desk.word_lists.save(chief, site_id, "en", json.dumps(document))
    comment_id = post(desk, "What a flibbertigibbet this minister is.")
    assert "banned_word" in codes(desk, comment_id)


def test_a_broken_word_list_is_refused_with_the_reason(
    client: TestClient, admin_token: str, site_slug: str
) -> None:
    url = "/api/v1/admin/sites/news/wordlists/en"
    response = client.put(
        url, json={"document": '{"language": "en", "entries": [{}]}'}, headers=auth(admin_token)
    )
    assert response.status_code == 422
    assert "entry 0" in response.json()["error"]["message"]


def test_word_lists_exist_for_english_and_korean_only(
    client: TestClient, admin_token: str, site_slug: str
) -> None:
    response = client.get("/api/v1/admin/sites/news/wordlists/fr", headers=auth(admin_token))
    assert response.status_code == 422
    assert (
        client.get("/api/v1/admin/sites/nope/wordlists/en", headers=auth(admin_token)).status_code
        == 404
    )


def test_moderators_cannot_edit_word_lists(
    client: TestClient, moderator_token: str, site_slug: str
) -> None:
    response = client.get("/api/v1/admin/sites/news/wordlists/en", headers=auth(moderator_token))
    assert response.status_code == 403


@pytest.mark.usefixtures("article_key")
def test_the_queue_splits_by_the_language_of_the_comment(desk: Desk) -> None:
    from commentdesk.desk.queue import QueueFilter

    korean = post(desk, "오늘 기사 잘 읽었습니다. 정부 예산 이야기가 흥미롭네요.")
    english = post(desk, "This is a thoughtful piece about the budget and the schools.")
    admin = desk.accounts.add_moderator("langs", PASSWORD, Role.ADMIN)
    ko = desk.moderation.queue(filters=QueueFilter(language="ko"), moderator=admin).items
    en = desk.moderation.queue(filters=QueueFilter(language="en"), moderator=admin).items
    assert [i.comment.id for i in ko] == [korean]
    assert [i.comment.id for i in en] == [english]


class BrokenModel:
    """A model whose every call fails, as a plugged-in model with a missing file would."""

    def score(self, text: str, language: str) -> ClassifierScore | None:
        raise RuntimeError("model file missing")


def test_a_failing_model_costs_triage_its_signal_not_the_readers_comment(
    settings: object, clock: Clock, site_slug: str, caplog: pytest.LogCaptureFixture
) -> None:
    from commentdesk.settings import Settings

    assert isinstance(settings, Settings)
    desk = Desk.open(settings, clock=clock, classifier=BrokenModel())
    try:
        desk.catalog.add_article(site_slug, "b1", url="https://news.example/b1", title="B")
        with caplog.at_level("WARNING", logger="commentdesk.desk.screening"):
            first, second = (
                desk.comments.submit(
                    "b1", Draft(author="R", body=f"A fair point {n}.", accept_terms=True)
                ).comment
                for n in range(2)
            )
            assert desk.assessor.drain() == 2
        assert desk.assessor.due_count() == 0  # assessed without the model, not retried
        assert first.state is State.PENDING
        assert second.state is State.PENDING
        warnings = [r for r in caplog.records if "triage model failed" in r.getMessage()]
        assert len(warnings) == 1  # once a minute, not once a comment
    finally:
        desk.close()


def site_of(desk: Desk, article_key: str) -> int:
    return desk.catalog.article(article_key).site_id


def test_threads_that_need_a_sites_lists_together_build_them_once(
    desk: Desk, article_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    built: list[int] = []
    build = Triage.from_lists

    def slow_build(*args: Any, **kwargs: Any) -> Triage:
        built.append(1)
        time.sleep(0.05)  # long enough for every thread to arrive meanwhile
        return build(*args, **kwargs)

    monkeypatch.setattr(Triage, "from_lists", slow_build)
    site_id = site_of(desk, article_key)
    with ThreadPoolExecutor(max_workers=8) as pool:
        lists = list(pool.map(lambda _: desk.screening.triage_for(site_id), range(8)))
    assert built == [1]
    assert all(each is lists[0] for each in lists)


def test_stale_lists_serve_while_another_thread_rebuilds_them(
    desk: Desk, article_key: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    site_id = site_of(desk, article_key)
    first = desk.screening.triage_for(site_id)
    monkeypatch.setattr(screening, "LISTS_TTL_SECONDS", 0.0)  # stale from now on
    with desk.screening._building:  # another thread is rebuilding them
        assert desk.screening.triage_for(site_id) is first
    assert desk.screening.triage_for(site_id) is not first  # then rebuilt
