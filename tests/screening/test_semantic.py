"""Campaigns by meaning and across languages, and learning from moderators (real model)."""

from __future__ import annotations

import functools
from collections.abc import Iterator

import pytest
import sqlalchemy as sa

from commentdesk.desk import Desk
from commentdesk.desk.embedder import Usem3, shared_usem3
from commentdesk.desk.erasure import BY_RETENTION, remove_texts
from commentdesk.model import Action, Moderation, Role, State
from commentdesk.settings import Settings
from commentdesk.store.tables import embeddings, exemplars, lsh_bands
from tests.support import FAST_HASHER, PASSWORD, Clock, submit_comment

TALKING_POINT = (
    "The protests were organised by foreign NGOs and the students are being used by them.",
    "Foreign NGOs organised these protests; the students are just being used.",
    "These so-called student protests were set up by foreign NGOs who are using the kids.",
)
IN_KOREAN = "외국 NGO들이 이 시위를 조직했고 학생들은 그냥 이용당하는 것이다."
THREAT = "We know where you live, traitor. Your family will pay for what you wrote."
THREAT_IN_KOREAN = "배신자, 네가 어디 사는지 우리가 알고 있다. 네 가족이 대가를 치르게 될 거다."
THANKS = [
    "Thank you for this report!",
    "Thanks for the great reporting, keep it up",
    "Great article, very informative.",
    "Thank you so much for this important story.",
    "Thanks for writing this, really helpful.",
    "Excellent reporting, thank you.",
    "Thank you for your brave journalism!",
    "Thanks, this was a really useful article.",
    "Great piece, thanks to the whole team.",
    "Thank you for covering this.",
    "좋은 기사 감사합니다",
    "정말 유익한 기사였습니다. 감사합니다!",
    "기자님 수고하셨습니다. 감사합니다.",
    "항상 좋은 보도 감사드립니다",
    "잘 읽었습니다. 고맙습니다.",
    "Thank you, keep up the good work!",
    "Thanks for the excellent reporting on this.",
    "Really appreciate this article, thank you.",
    "Wonderful story, thank you for sharing it.",
    "Thank you for this very informative report.",
]


@pytest.fixture(scope="session")
def model() -> Usem3:
    """The real encoder, loaded once for the session (every desk shares it)."""
    encoder = shared_usem3()
    encoder.embed(["warm up"])
    return encoder


@pytest.fixture
def desk(settings: Settings, clock: Clock, model: Usem3) -> Iterator[Desk]:
    desk = Desk.open(settings, clock=clock, hasher=FAST_HASHER)
    desk.catalog.ensure_site(
        "news", name="The News", origins=("https://news.example",), moderation=Moderation.PRE
    )
    for key in ("a1", "a2"):
        desk.catalog.add_article("news", key, url=f"https://news.example/{key}", title=key)
    yield desk
    desk.close()


#: Each comment from a new reader, fully assessed.
post = functools.partial(submit_comment, new_commenter=True, assess=True)


def reasons(desk: Desk, comment_id: int) -> dict[str, str]:
    [item] = [i for i in desk.moderation.queue(state=None).items if i.comment.id == comment_id]
    return {reason.code: reason.message for reason in item.comment.assessment.reasons}


def cluster_of(desk: Desk, comment_id: int) -> int | None:
    [item] = [i for i in desk.moderation.queue(state=None).items if i.comment.id == comment_id]
    return item.comment.cluster_id


def test_a_korean_copy_of_an_english_talking_point_joins_its_campaign(
    desk: Desk, clock: Clock
) -> None:
    ids = [
        post(desk, text, key=f"a{n % 2 + 1}", author=f"Patriot{n}")
        for n, text in enumerate(TALKING_POINT)
    ]
    clock.advance(minutes=5)
    korean = post(desk, IN_KOREAN, key="a2", author="애국자")
    assert {cluster_of(desk, i) for i in [*ids, korean]} == {ids[0]}
    assert "duplicate_cluster" in reasons(desk, korean)


def test_an_english_copy_of_a_korean_talking_point_joins_its_campaign(desk: Desk) -> None:
    korean = post(desk, IN_KOREAN, key="a1", author="애국자")
    english = post(desk, TALKING_POINT[1], key="a2", author="Patriot")
    assert cluster_of(desk, english) == korean
    assert "duplicate_cluster" in reasons(desk, english)


def test_twenty_readers_thanking_the_reporter_make_no_campaign(desk: Desk) -> None:
    ids = [
        post(desk, text, key=f"a{n % 2 + 1}", author=f"Reader{n}") for n, text in enumerate(THANKS)
    ]
    assert {cluster_of(desk, i) for i in ids} == {None}
    assert not any("duplicate_cluster" in reasons(desk, i) for i in ids)


def test_one_pseudonym_repeating_itself_on_one_article_is_not_a_campaign(desk: Desk) -> None:
    ids = [post(desk, TALKING_POINT[0], author="Patriot") for _ in range(3)]
    found = reasons(desk, ids[-1])
    assert "repeated_text" in found
    assert "duplicate_cluster" not in found


def test_one_pseudonym_restating_its_point_on_one_article_is_not_a_copy(desk: Desk) -> None:
    ids = [post(desk, text, author="Patriot") for text in TALKING_POINT]
    assert {cluster_of(desk, i) for i in ids} == {None}


def test_a_rejected_threat_flags_its_translation_until_the_threat_is_erased(
    desk: Desk, clock: Clock
) -> None:
    chief = desk.accounts.add_moderator("chief", PASSWORD, Role.MODERATOR)
    threat = post(desk, THREAT, author="Anon")
    desk.decisions.decide(chief, threat, Action.REJECT, choice="Personal attack", note="threat")
    clock.advance(hours=1)
    korean = post(desk, THREAT_IN_KOREAN, key="a2", author="익명")
    assert reasons(desk, korean)["exemplar_threat"] == (
        "close to 1 comment rejected for threats this week"
    )

    with desk.context.store.write() as connection:  # the retention policy's own path
        remove_texts(connection, [threat], why=BY_RETENTION)
    again = post(desk, THREAT_IN_KOREAN, key="a1", author="익명2")
    assert "exemplar_threat" not in reasons(desk, again)
    with desk.context.store.read() as connection:
        for table in (embeddings, exemplars, lsh_bands):
            left = sa.select(sa.func.count()).where(table.c.comment_id == threat)
            assert connection.execute(left).scalar_one() == 0


def test_an_undone_rejection_teaches_nothing(desk: Desk, clock: Clock) -> None:
    chief = desk.accounts.add_moderator("chief", PASSWORD, Role.MODERATOR)
    threat = post(desk, THREAT, author="Anon")
    desk.decisions.decide(chief, threat, Action.REJECT, choice="Personal attack")
    desk.decisions.undo(chief)
    copy = post(desk, THREAT_IN_KOREAN, key="a2", author="익명")
    assert not any(code.startswith("exemplar_") for code in reasons(desk, copy))


def test_a_reversed_rejection_teaches_nothing(desk: Desk) -> None:
    chief = desk.accounts.add_moderator("chief", PASSWORD, Role.MODERATOR)
    threat = post(desk, THREAT, author="Anon")
    desk.decisions.decide(chief, threat, Action.REJECT, choice="Personal attack")
    desk.decisions.decide(
        chief, threat, Action.APPROVE, note="Quoted from a court ruling", reversing=State.REJECTED
    )
    copy = post(desk, THREAT_IN_KOREAN, key="a2", author="익명")
    assert not any(code.startswith("exemplar_") for code in reasons(desk, copy))


def test_a_rejection_for_another_reason_teaches_nothing(desk: Desk) -> None:
    chief = desk.accounts.add_moderator("chief", PASSWORD, Role.MODERATOR)
    first = post(desk, TALKING_POINT[0], author="Anon")
    desk.decisions.decide(chief, first, Action.REJECT, choice="Off-topic")
    with desk.context.store.read() as connection:
        assert (
            connection.execute(sa.select(sa.func.count()).select_from(exemplars)).scalar_one() == 0
        )


def test_with_the_model_off_triage_works_by_characters_alone(
    settings: Settings, clock: Clock
) -> None:
    off = settings.model_copy(update={"semantic_model": "off"})
    desk = Desk.open(off, clock=clock)
    try:
        desk.catalog.ensure_site(
            "news", name="The News", origins=("https://news.example",), moderation=Moderation.PRE
        )
        desk.catalog.add_article("news", "a1", url="https://news.example/a1", title="a1")
        english = post(desk, TALKING_POINT[0], author="Patriot")
        korean = post(desk, IN_KOREAN, author="애국자")
        exact = post(desk, TALKING_POINT[0], author="Patriot2")
        assert cluster_of(desk, korean) is None
        assert cluster_of(desk, exact) == english
        with desk.context.store.read() as connection:
            stored = sa.select(sa.func.count()).select_from(embeddings)
            assert connection.execute(stored).scalar_one() == 0
    finally:
        desk.close()
