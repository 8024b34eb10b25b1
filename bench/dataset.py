"""Generated comment databases for the benchmarks, written by bulk insert (never HTTP).

One generator serves every bench: the queue bench, the scale curve and the triage scale.
Sites, articles and moderators go in through the desk (so they are exactly what the app
makes); comments, their LSH band rows and reports go straight into the tables in big
batches: ``executemany`` on SQLite, ``COPY`` on PostgreSQL, with the secondary indexes
dropped while loading and rebuilt after (the same index definitions, read back from
the database).

Comment texts are random sentences over a plain English vocabulary, so they do not
cluster by accident. Band rows: a comment's 32 LSH bands are 64-bit hashes; for
unrelated texts they are, statistically, independent random numbers, so background
comments get random band values (computing 1,000,000 MinHash signatures in Python
would take longer than the rest of the bench). Campaign comments, a few hundred copies
of a few texts with edits, get their true bands, are clustered like the desk clusters
them, and so the near-duplicate lookup of a submit finds real candidates.
"""

from __future__ import annotations

import functools
import json
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from argon2 import PasswordHasher
from loaders import Loader, PostgresLoader, loader_for, stamp

from commentdesk.desk import Desk
from commentdesk.desk.screening import band_number
from commentdesk.model import Moderation, Role
from commentdesk.settings import Settings
from commentdesk.store import Store
from commentdesk.triage.minhash import band_keys, signature

SECRET = "bench-secret"
PASSWORD = "bench password 1"
BATCH = 50_000
CAMPAIGNS = 20
VARIANTS = 10
#: Cheap password hashing: the benches sign in, they do not measure argon2.
FAST_HASHER = PasswordHasher(time_cost=1, memory_cost=1024)

WORDS = (  # noqa: SIM905 - one string reads better than 268 one-word lines
    "the a this that story report article city council budget school teacher police "
    "minister election vote voters policy plan water road bridge hospital doctor nurse "
    "price prices rent housing market jobs work workers union strike court judge law "
    "journalist newspaper editor reader readers question answer point view opinion fact "
    "facts source sources government people family children parents village river rain "
    "summer winter spring autumn train bus station airport farmers harvest factory energy "
    "power electricity climate weather history museum library music film festival team "
    "match season coach player goal win lost draw fans ticket tickets street corner shop "
    "bakery coffee morning evening night week month year years today yesterday tomorrow "
    "good bad better worse great small large long short new old young clear fair honest "
    "important interesting surprising strange simple difficult easy right wrong true "
    "agree disagree think believe hope wonder remember forget read write explain show ask "
    "tell say said know knew see saw hear heard find found keep kept bring brought and "
    "but or because so if when while after before since until although though maybe "
    "really quite very rather almost always never often sometimes usually again still "
    "here there where why how what who which whose our your their my his her its we you "
    "they it I is are was were be been being have has had do does did will would could "
    "should might must can may about above across after against along among around at "
    "behind below beside between beyond by during for from in inside into near of off on "
    "out outside over past through to toward under up with within without"
).split()


#: Invented Korean comment words, for a share of Korean comments (``Shape.korean_every``).
KOREAN_WORDS = (  # noqa: SIM905 - as WORDS
    "기사 기자 시장 시의회 예산 도서관 운영비 학교 선생님 경찰 장관 선거 투표 정책 계획 "
    "물 도로 다리 병원 의사 간호사 가격 전세 월세 주택 시장 일자리 노동자 노조 파업 법원 "
    "판사 신문 편집자 독자 질문 대답 의견 사실 정부 사람들 가족 아이들 부모 마을 강 비 "
    "여름 겨울 봄 가을 기차 버스 역 공항 농민 수확 공장 에너지 전기 기후 날씨 역사 "
    "박물관 음악 영화 축제 팀 경기 시즌 감독 선수 팬 표 거리 가게 빵집 커피 아침 저녁 "
    "밤 주말 오늘 어제 내일 좋다 나쁘다 중요하다 흥미롭다 이상하다 쉽다 어렵다 맞다 "
    "틀리다 동의합니다 반대합니다 생각합니다 바랍니다 궁금합니다 기억합니다 그리고 "
    "하지만 그래서 만약 왜 어떻게 무엇 누가 우리 여러분 정말 아주 항상 가끔 다시"
).split()


@dataclass(frozen=True)
class Shape:
    """What to generate: ``comments`` rows over ``articles`` articles, evenly ``spacing``
    apart and ending at ``newest``; bands for those newer than ``window_start``."""

    comments: int
    articles: int = 2_000
    authors: int = 50_000
    newest: datetime = datetime(2026, 1, 1, tzinfo=UTC)
    spacing: timedelta = timedelta(seconds=20)
    #: Comments at least this recent get LSH band rows (None: no band rows at all).
    window_start: datetime | None = None
    #: One comment in this many is a campaign copy (0: no campaigns).
    campaign_every: int = 0
    #: Start bodies with "Comment number N:" (the queue bench searches for one).
    numbered: bool = False
    #: One comment in this many is in Korean (0: none), for the Korean search cases.
    korean_every: int = 0
    reports: int = 0
    seed: int = 1

    @property
    def oldest(self) -> datetime:
        return self.newest - self.spacing * (self.comments - 1)


def sentence(rng: random.Random, low: int = 8, high: int = 30) -> str:
    words = rng.choices(WORDS, k=rng.randint(low, high))
    return " ".join(words).capitalize() + "."


def campaign_texts(rng: random.Random) -> list[list[str]]:
    """``CAMPAIGNS`` texts, each in ``VARIANTS`` versions differing by a couple of words."""
    texts = []
    for _ in range(CAMPAIGNS):
        base = rng.choices(WORDS, k=30)
        variants = []
        for _ in range(VARIANTS):
            edited = list(base)
            for _ in range(2):
                edited[rng.randrange(len(edited))] = rng.choice(WORDS)
            variants.append(" ".join(edited).capitalize() + "!")
        texts.append(variants)
    return texts


@functools.cache
def true_bands(text: str) -> tuple[int, ...]:
    return tuple(band_number(key) for key in band_keys(signature(text)))


# --- Setup through the desk ---------------------------------------------------------


def prepare(url: str, articles: int, *, extra: Sequence[str] = ()) -> dict[str, int]:
    """Migrates, adds two sites, ``articles`` articles (``a0``…) plus ``extra`` keys, an
    admin ``chief`` and a moderator ``otto`` of the second site; returns key → id."""
    store = Store(url)
    store.migrate()
    desk = Desk.open(Settings(database_url=url, secret_key=SECRET), store=store, hasher=FAST_HASHER)
    desk.catalog.ensure_site("news", name="The News", moderation=Moderation.PRE)
    desk.catalog.ensure_site("other", name="Other", moderation=Moderation.PRE)
    ids = {}
    for number, key in enumerate([*(f"a{n}" for n in range(articles)), *extra]):
        site = "news" if number % 2 else "other"
        article = desk.catalog.add_article(
            site, key, url=f"https://news.example/{key}", title=f"Story {key}"
        )
        ids[key] = article.id
    admin = desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
    desk.staff.add(admin, "otto", PASSWORD, Role.MODERATOR, (2,))
    desk.close()
    return ids


# --- Rows ---------------------------------------------------------------------------

STATES = ["pending"] * 33 + ["approved"] * 55 + ["rejected"] * 10 + ["withdrawn"] * 2


def comment_rows(
    shape: Shape, article_ids: Sequence[int], first_id: int
) -> Iterator[tuple[tuple[Any, ...], tuple[int, ...] | None]]:
    """Each comment row, with its true bands when it is a campaign copy."""
    rng = random.Random(shape.seed)
    campaigns = campaign_texts(random.Random(shape.seed + 1))
    seeds: dict[int, int] = {}
    for number in range(shape.comments):
        comment_id = first_id + number
        created = shape.oldest + shape.spacing * number
        state = rng.choice(STATES)
        risk = round(rng.betavariate(1.2, 4.0), 3)
        author = rng.randrange(shape.authors)
        article = article_ids[number % len(article_ids)]
        cluster, bands = None, None
        if shape.campaign_every and number % shape.campaign_every == 0:
            which = rng.randrange(CAMPAIGNS)
            body = rng.choice(campaigns[which])
            cluster = seeds.setdefault(which, comment_id)
            bands = true_bands(body)
        elif shape.korean_every and number % shape.korean_every == 1:
            body = " ".join(rng.choices(KOREAN_WORDS, k=rng.randint(6, 20))) + "."
        else:
            body = sentence(rng)
        if shape.numbered:
            body = f"Comment number {number + 1}: {body}"
        words = {"code": "words", "message": "Contains a word from the list"}
        assessment = json.dumps(
            {"risk": risk, "action": "hold", "reasons": [words] if risk > 0.6 else []}
        )
        row = comment_row(
            comment_id, article, f"Reader {author}", body, state, created, risk, assessment,
            f"author-{author:057d}", cluster,
        )  # fmt: skip
        yield row, bands


def comment_row(
    comment_id: int,
    article_id: int,
    author: str,
    body: str,
    state: str,
    created: datetime,
    risk: float,
    assessment: str,
    author_key: str,
    cluster: int | None,
) -> tuple[Any, ...]:
    """One ``comments`` row in the column order the bulk insert uses: top level, never
    edited, in English, its edit-token hash derived from its id."""
    return (
        comment_id, article_id, author, body, state, False, created, created, created,
        f"{comment_id:064x}", 1, False, risk, assessment, author_key, 0, cluster, "en",
    )  # fmt: skip


def thread_rows(
    article_id: int, count: int, first_id: int, newest: datetime
) -> list[tuple[Any, ...]]:
    """``count`` published comments on one article, a minute apart, for the read benches."""
    rng = random.Random(article_id)
    rows = []
    for number in range(count):
        created = newest - timedelta(minutes=count - number)
        comment_id = first_id + number
        assessment = json.dumps({"risk": 0.05, "action": "hold", "reasons": []})
        row = comment_row(
            comment_id, article_id, f"Reader {number}", sentence(rng), "approved", created,
            0.05, assessment, f"thread-{number:057d}", None,
        )  # fmt: skip
        rows.append(row)
    return rows


def build(url: str, shape: Shape, *, threads: dict[str, int] | None = None) -> dict[str, int]:
    """A migrated database holding ``shape``; ``threads`` adds articles with that many
    published comments each. Returns article key → id."""
    threads = threads or {}
    ids = prepare(url, shape.articles, extra=list(threads))
    article_ids = [ids[f"a{n}"] for n in range(shape.articles)]
    started = time.perf_counter()
    loader = loader_for(url)
    try:
        loader.drop_indexes(["comments", "lsh_bands"])
        rows: list[tuple[Any, ...]] = []
        campaign_bands: list[tuple[int, int, datetime]] = []
        for done, (row, bands) in enumerate(comment_rows(shape, article_ids, 1), start=1):
            rows.append(row)
            in_window = shape.window_start is not None and row[6] >= shape.window_start
            if bands and in_window:
                campaign_bands.extend((band, row[0], row[6]) for band in bands)
            if len(rows) == BATCH:
                loader.comments(rows)
                rows.clear()
                _progress(f"{done:,} comments")
        next_id = shape.comments + 1
        for key, count in threads.items():
            rows += thread_rows(ids[key], count, next_id, shape.newest)
            next_id += count
        loader.comments(rows)
        loader.bands(campaign_bands)
        if shape.window_start is not None:
            loader.random_bands(shape.window_start)
        _reports(loader, shape)
        _progress("indexes")
        loader.restore_indexes()
        loader.finish()
    finally:
        loader.close()
    _progress(f"{shape.comments:,} comments in {time.perf_counter() - started:.0f} s\n")
    return ids


def _reports(loader: Loader, shape: Shape) -> None:
    rng = random.Random(shape.seed + 3)
    when = shape.oldest.astimezone(UTC).replace(tzinfo=None)
    text = when if isinstance(loader, PostgresLoader) else stamp(shape.oldest)
    for _ in range(shape.reports):
        loader.execute(
            "INSERT INTO reports (comment_id, reason, created_at) VALUES (%s, %s, %s)",
            (rng.randrange(1, shape.comments), "Reported for the bench", text),
        )


def _progress(text: str) -> None:
    print(f"\r  {text}        ", end="", file=sys.stderr, flush=True)
