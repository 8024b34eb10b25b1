"""The Korean console with nothing left in English: a console world where every page shows
its variable parts (triage reasons of each kind, a campaign, reports, charts, an audit log
with staff and comment events, bans, webhooks, settings), each page read in Korean, and
any Latin word outside what people wrote fails the test, naming the page.

Language does not depend on the database, so this runs on SQLite only.
"""

from __future__ import annotations

import html
import re
from xml.etree import ElementTree

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk, Draft
from commentdesk.desk.audit import StaffAction
from commentdesk.i18n import Catalogs
from commentdesk.model import Action, ActorKind
from commentdesk.notices import NoticeDraft
from commentdesk.web.console.labels import action_name, actor_name
from tests.console.support import Browser, send
from tests.i18n.leftovers import untranslated
from tests.subscribers.tokens import SECRET, token
from tests.support import Post

CAMPAIGN = "이 기사는 거짓입니다. 진실을 알리려면 지금 바로 공유하세요. 번호 {n}"
#: Hosts, numbers and the one Latin-capital body the world needs (content, not interface).
HOSTS = ("spam.example", "bit.ly", "192.0.2.7", "a.example", "b.example", "c.example")
#: Names that stay as they are in Korean: the product, file and protocol names, and the
#: keys printed on a Korean keyboard.
NAMES = ("commentdesk", "CSV", "API", "URL", "IP", "HMAC", "SHA", "JSON", "POST", "Enter", "Esc",
         "HS", "RS", "PEM")  # fmt: skip
SHOUT = "THIS NEWSPAPER NEVER TELLS THE TRUTH ABOUT ANYTHING AT ALL"


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    return sqlite_url


@pytest.fixture
def world(desk: Desk, browser: Browser, post_comment: Post, article_key: str) -> dict[str, int]:
    """Comments with a reason of each kind the text and the crowd can give, a campaign,
    decisions of each kind, reports, a ban, a webhook, a token: as moderators make them."""
    chief = desk.accounts.get("chief")
    ids: dict[str, int] = {}
    ids["plain"] = post_comment("좋은 기사 감사합니다.", author="민아", new_commenter=True)
    ids["suspect"] = post_comment("이 새끼 같은 기사", author="준")
    ids["spam"] = post_comment("카지노 추천합니다", author="준")
    ids["quoted"] = post_comment("'새끼'라는 말은 쓰지 맙시다.", author="샘")
    ids["link"] = post_comment("자세히: https://spam.example/buy", author="링크")
    ids["short"] = post_comment("여기 https://bit.ly/abc 보세요", author="링크")
    ids["ip"] = post_comment("주소 http://192.0.2.7/x 입니다", author="링크")
    links = "https://a.example/1 https://b.example/2 https://c.example/3 https://spam.example/4"
    ids["many"] = post_comment(f"출처 {links}", author="링크")
    ids["phone"] = post_comment("전화 주세요 010-2345-6789", author="전화", new_commenter=True)
    ids["offer"] = post_comment("대출 상담 010-2345-6789 카톡 문의", author="전화")
    ids["shout"] = post_comment(SHOUT, author="큰소리")
    for _ in range(3):  # the same text, one pseudonym: repeated text
        ids["repeat"] = post_comment(
            "똑같은 말을 또 합니다.", author="반복", commenter_key="same-key-1234567890"
        )
    campaign = [  # a campaign: one text from five pseudonyms
        post_comment(
            CAMPAIGN.format(n=n), author=f"애국자{n}", commenter_key=f"key-{n:02d}-abcdefghijkl"
        )
        for n in range(5)
    ]
    ids["campaign"] = campaign[0]  # the cluster is named by its first comment
    approved = post_comment("게시된 댓글입니다.", author="독자", approve_as=chief)
    for n in range(6):  # replies piling onto one comment, from a burst of new commenters
        post_comment(f"답글 {n}입니다.", author=f"답글{n}", parent_id=approved, new_commenter=True)
    desk.comments.report(approved, "spam")
    desk.comments.report(approved, "privacy")
    notice = NoticeDraft(
        "hate",
        "대한민국 형법",
        "특정 집단을 폭력으로 몰아내자고 선동합니다.",
        "지나",
        "jina@news.example",
        False,
        True,
    )
    desk.notices.file(approved, notice, language="ko", address=None)
    rejected = post_comment("반려될 댓글.", author="독자")
    desk.decisions.decide(chief, rejected, Action.REJECT, choice="Off-topic")
    edited = post_comment("제 번호는 010-1111-2222", author="독자")
    desk.decisions.decide(chief, edited, Action.EDIT, choice="Private information", body="[삭제됨]")
    featured = post_comment("추천 댓글.", author="독자", approve_as=chief)
    desk.decisions.decide(chief, featured, Action.FEATURE)
    desk.decisions.decide(chief, featured, Action.UNFEATURE)
    desk.decisions.ban(
        chief,
        ids["spam"],
        days=7,
        by_commenter=True,
        by_email=False,
        reason="광고",
        reject_pending=False,
    )
    ids["reported"], ids["rejected"] = approved, rejected
    admin = browser("chief")
    site = desk.catalog.sites()[0].id
    hook = {"site_id": str(site), "url": "http://127.0.0.1:9/hook", "risk_threshold": "0.5"}
    sent = [
        send(admin, "/console/webhooks", {**hook, "events": ["cluster.detected"]}),
        send(admin, "/console/account/tokens", {"label": "봇"}),
        send(admin, f"/console/settings/sites/{site}/vouched", {"domains": "news.example"}),
        send(
            admin,
            f"/console/settings/sites/{site}/subscribers",
            {"algorithm": "HS256", "key": SECRET},
        ),
    ]
    assert [answer.status_code for answer in sent] == [303, 200, 303, 303]  # the token is shown
    vouched = Draft(
        "",
        "구독자의 댓글.",
        True,
        subscriber_token=token("news", at=desk.context.clock(), name="구독자김"),
    )
    ids["subscriber"] = desk.comments.submit("a1", vouched).comment.id
    return ids


def korean(client: TestClient) -> TestClient:
    client.headers["Accept-Language"] = "ko-KR,ko;q=0.9"
    return client


def content(desk: Desk) -> set[str]:
    """What people wrote: names, titles, comment texts and the site's own reasons."""
    written = {*HOSTS, "news.example", "127.0.0.1:9/hook", "http", "https"}
    written |= {p.moderator.name for p in desk.staff.people()}
    for site in desk.catalog.sites():
        policy = desk.site_settings.policy(site.id)
        reasons = (*policy.reject_reasons, *policy.edit_reasons)
        written |= {site.name, site.slug, *(text for r in reasons for _, text in r.texts)}
    for notice in desk.notices.listed(desk.accounts.get("chief"), open_only=False):
        written |= {notice.law, notice.explanation, notice.notifier_name or ""}
        written |= {notice.notifier_email or ""}
    for item in desk.moderation.queue(state=None, limit=200).items:
        written |= {item.comment.body, item.comment.author, item.article_title, item.article_key}
    return written


def svg_words(svg: bytes) -> str:
    """The words a chart shows: its ``<text>`` elements, for the same check as a page."""
    tree = ElementTree.fromstring(svg)
    texts = [e.text or "" for e in tree.iter() if str(e.tag).endswith("text")]
    shown = html.escape(" / ".join(texts))
    return f'<!DOCTYPE html><html lang="ko"><title>차트</title><p>{shown}</p></html>'


def test_no_english_is_left_on_the_korean_console(
    browser: Browser, desk: Desk, world: dict[str, int]
) -> None:
    chief = korean(browser("chief"))
    site = desk.catalog.sites()[0].id
    admin = desk.accounts.get("chief")
    desk.sections.add(admin, site, slug="s1", name="스포츠", moderation=None, auto_close_days=None)
    desk.sections.assign(admin, "a1", "s1")  # its name on the queue's items
    paths = {
        "queue": "/console?sort=age&limit=200",
        "reported": "/console?tab=reported",
        "notices": "/console?tab=notices",
        "rejected": "/console?tab=rejected",
        "all": "/console?tab=all&limit=200",
        "campaign queue": f"/console?tab=pending&cluster={world['campaign']}",
        "comment": f"/console/comments/{world['plain']}",
        "reported comment": f"/console/comments/{world['reported']}",
        "rejected comment": f"/console/comments/{world['rejected']}",
        "help": "/console/help",
        "campaigns": "/console/clusters",
        "dashboard": "/console/dashboard",
        "audit": "/console/audit",
        "settings": "/console/settings",
        "site": f"/console/settings/sites/{site}",
        "article": "/console/settings/articles/a1",
        "sections": f"/console/settings/sites/{site}/sections",
        "word lists": f"/console/settings/sites/{site}/wordlists/ko",
        "vouched": f"/console/settings/sites/{site}/vouched",
        "subscribers": f"/console/settings/sites/{site}/subscribers",
        "subscriber": f"/console/comments/{world['subscriber']}",
        "webhooks": "/console/webhooks",
        "bans": "/console/bans",
        "people": "/console/people",
        "account": "/console/account",
    }
    done = ("approve", "reject", "edit", "feature", "unfeature", "withdraw", "undo", "dismiss")
    paths |= {f"done {d}": f"/console?done={d}&id={world['plain']}" for d in done}
    paths |= {"done bulk": "/console?done=bulk&n=2", "done ban": "/console?done=ban&n=1&id=1"}
    paths |= {"bans lifted": "/console/bans?done=lifted", "missing": "/console/comments/99999"}
    pages = {name: chief.get(path).text for name, path in paths.items()}
    confirm: dict[str, str | list[str]] = {"choice": "Spam or advertising", "note": "광고"}
    asked = send(chief, f"/console/clusters/{world['campaign']}/reject", confirm)
    assert asked.status_code == 200  # the confirmation step, not a refusal
    pages["campaign confirm"] = asked.text
    for chart in ("hourly", "moderators", "articles"):
        pages[f"{chart} chart"] = svg_words(chief.get(f"/console/charts/{chart}.svg").content)
    edit: dict[str, str | list[str]] = {"action": "edit", "body": "고친 글", "note": ""}
    pages["refused edit"] = send(chief, f"/console/comments/{world['plain']}/decide", edit).text
    bulk: dict[str, str | list[str]] = {
        "action": "reject",
        "ids": [str(world["link"]), str(world["short"])],
        "note": "",
    }
    pages["refused bulk"] = send(chief, "/console/bulk", bulk).text
    pages["login"] = korean(browser(None)).get("/console/login").text

    written = content(desk)
    found = {name: untranslated(page, written, NAMES) for name, page in pages.items()}
    leftovers = {name: sorted(set(words)) for name, words in found.items() if words}
    assert not leftovers, "\n".join(f"{n}: {w}" for n, w in leftovers.items())


def test_every_audit_action_and_actor_has_a_korean_name() -> None:
    ko = Catalogs.load().languages["ko"]
    names = {code: ko.say(action_name(code)) for code in [*Action, *StaffAction]}
    names |= {kind: ko.say(actor_name(kind)) for kind in ActorKind}
    english = {code: words for code, name in names.items() if (words := latin_words(name))}
    assert english == {}


def latin_words(text: str) -> list[str]:
    return [word for word in re.findall("[A-Za-z]{2,}", text) if word not in NAMES]
