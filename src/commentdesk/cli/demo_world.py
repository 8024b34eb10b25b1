"""The demo's small world: two articles in two sections, published threads in English
and Korean, and a queue with something of everything, so a newcomer sees each part of
the product at once.

Every name and sentence is invented. It is written through the desk like any reader's
comment and moderator's decision (so the audit log shows it too), and only into a
database that holds no comment yet: ``serve --demo`` never adds it to a real one.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import sqlalchemy as sa

from commentdesk.desk import Desk, Draft
from commentdesk.model import Action, Moderator
from commentdesk.store.tables import comments

KOREAN_ARTICLE = "library-budget"
CAMPAIGN = (
    "The election was stolen and this paper is hiding the truth from you. "
    "Share this before they delete it!"
)
CAMPAIGN_VOICES = (
    ("patriot_77", "welcome", ""),
    ("TruthSeeker", "welcome", " Wake up, people."),
    ("Marek", KOREAN_ARTICLE, " Everyone must know."),
    ("J. Doe", "welcome", " They can't silence all of us."),
    ("freedomfan", KOREAN_ARTICLE, ""),
)

SECTIONS = (("city", "City hall"), ("transit", "Transit"))
CITY_TERMS = {
    "en": "City hall: discuss the budget and the council's decisions, not council members' "
    "families or private lives. Posts that name private people are removed.",
    "ko": "시청 섹션: 예산과 시의회의 결정에 대해 이야기하고, 의원의 가족이나 사생활은 다루지 "
    "마세요. 일반인의 실명을 밝힌 글은 삭제됩니다.",
}


@dataclass(frozen=True, slots=True)
class Seeded:
    published: int
    pending: int


def is_fresh(desk: Desk) -> bool:
    """True while the database holds no comment at all: the only place for the demo's."""
    with desk.context.store.read() as connection:
        return connection.execute(sa.select(comments.c.id).limit(1)).first() is None


def seed_world(desk: Desk, site: str, moderator: Moderator, base: str) -> Seeded:
    """Writes the demo's articles, threads and queue (call only when ``is_fresh``)."""
    _sections(desk, site, moderator)
    desk.catalog.add_article(
        site,
        KOREAN_ARTICLE,
        url=f"{base}/articles/{KOREAN_ARTICLE}",
        title="시 예산안, 도서관 운영비 20% 삭감",
        section="city",
    )
    desk.sections.assign(moderator, "welcome", "transit")
    world = _World(desk, moderator)
    world.english_thread()
    world.korean_thread()
    world.queue()
    return Seeded(world.published, world.pending)


def _sections(desk: Desk, site: str, moderator: Moderator) -> None:
    """Two sections, so the queue's section filter and names show; "city" has its own
    terms of use in both languages."""
    site_id = next(s.id for s in desk.catalog.sites() if s.slug == site)
    made = {s.slug for s in desk.sections.of_site(site_id)}  # by an earlier demo run
    for slug, name in SECTIONS:
        if slug not in made:
            desk.sections.add(
                moderator, site_id, slug=slug, name=name, moderation=None, auto_close_days=None
            )
    city = next(s for s in desk.sections.of_site(site_id) if s.slug == "city")
    desk.sections.set_terms(moderator, city.id, CITY_TERMS)


class _World:
    def __init__(self, desk: Desk, moderator: Moderator) -> None:
        self._desk = desk
        self._moderator = moderator
        self.published = 0
        self.pending = 0

    def post(self, key: str, author: str, body: str, *, parent: int | None = None) -> int:
        draft = Draft(
            author=author,
            body=body,
            accept_terms=True,
            parent_id=parent,
            commenter_key=hashlib.sha256(author.encode()).hexdigest()[:32],  # one per name
        )
        self.pending += 1
        return self._desk.comments.submit(key, draft).comment.id

    def decide(
        self, comment_id: int, action: Action, *, reason: str | None = None, body: str | None = None
    ) -> None:
        self._desk.moderation.decide(self._moderator, comment_id, action, reason=reason, body=body)
        if action is Action.APPROVE:
            self.pending -= 1
            self.published += 1

    def english_thread(self) -> None:
        figures = self.post(
            "welcome",
            "Mara Lind",
            "The figures in the third paragraph don't add up: 1.2 million plus 800,000 is "
            "2 million, not 2.2 million. Could the desk check?",
        )
        self.decide(figures, Action.APPROVE)
        reply = self.post(
            "welcome",
            "Jun",
            "Good catch. The table at the end of the article has the right total.",
            parent=figures,
        )
        self.decide(reply, Action.APPROVE)
        praise = self.post(
            "welcome",
            "Tomás",
            "The clearest explanation of the new transit fares I have read. Thank you for the map.",
        )
        self.decide(praise, Action.APPROVE)
        self.decide(praise, Action.FEATURE)
        heated = self.post(
            "welcome",
            "Ellie R.",
            "I disagree with the editorial: the fares hit night workers hardest. And Jun, "
            "you clearly never take a bus, you clueless snob.",
        )
        self.decide(
            heated,
            Action.EDIT,
            body="I disagree with the editorial: the fares hit night workers hardest. "
            "[Removed by the moderators: a personal attack on another reader.]",
            reason="Terms of use, rule 3: no personal attacks",
        )
        self.decide(heated, Action.APPROVE)
        self._desk.comments.report(heated, "It still goes after another reader by name.")

    def korean_thread(self) -> None:
        budget = self.post(
            KOREAN_ARTICLE,
            "김하늘",
            "도서관 운영비를 줄이면 방과 후에 아이들이 갈 곳이 없어집니다. "
            "다른 항목부터 검토해야 하지 않을까요?",
        )
        self.decide(budget, Action.APPROVE)
        agree = self.post(
            KOREAN_ARTICLE,
            "박민수",
            "동의합니다. 작년 시의회 회의록을 보면 다른 대안도 나와 있었어요.",
            parent=budget,
        )
        self.decide(agree, Action.APPROVE)
        question = self.post(
            KOREAN_ARTICLE,
            "Lee Soo-jin",
            "Is there an English summary of the budget? My parents read the Korean "
            "article, I only read this one.",
        )
        self.decide(question, Action.APPROVE)

    def queue(self) -> None:
        self.post("welcome", "angry_reader", "You are all idiots and this paper is garbage.")
        self.post(KOREAN_ARTICLE, "익명", "이 기자 진짜 바보야 ㅋㅋ")
        self.post(
            "welcome",
            "Work From Home",
            "Earn $500 a day from home! Message me on Telegram @quickcash_jobs_now",
        )
        self.post(
            KOREAN_ARTICLE,
            "급전",
            "급전 필요하신 분 당일 대출 가능 카톡 문의 money77 또는 010-3456-7890",
        )
        self.post(
            "welcome",
            "Noor",
            "Will the night buses keep running during the works next month?",
        )
        for author, key, tail in CAMPAIGN_VOICES:
            self.post(key, author, CAMPAIGN + tail)
