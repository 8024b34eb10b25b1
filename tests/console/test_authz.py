"""The authorisation matrix: every console and moderation route × who is asking.

Who: nobody, a reader's browser (only reader cookies), a moderator, an admin, a
moderator of another site, a moderator of the article's own section ("politics" of the
news site), a moderator of another section of the same site ("sport"), and a signed-in
moderator whose form has a missing or a wrong CSRF token. Each row says what each of
them gets; a refused call changes nothing. Authorisation does not depend on the
database, so this runs on SQLite only.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field

import httpx2
import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from commentdesk.desk import Desk, Draft
from commentdesk.model import Action, Role, State
from commentdesk.web import console
from commentdesk.web.api import bans as bans_api
from commentdesk.web.api import contests as contests_api
from commentdesk.web.api import moderators as moderation_api
from commentdesk.web.api import notices as notices_api
from tests.console.support import Browser, token_of
from tests.support import PASSWORD

PERSONAS = ("anonymous", "reader", "moderator", "admin", "other_site", "section",
            "other_section", "no_csrf", "bad_csrf")  # fmt: skip
NAMES = {"moderator": "mina", "admin": "chief", "other_site": "otto"}
NAMES |= {"section": "sara", "other_section": "sven"}
NAMES |= {"no_csrf": "nora", "bad_csrf": "nora"}
#: The sign-in form, signing out, and single sign-on's way out to the provider and back
#: (tests/sso covers those two).
PUBLIC = frozenset(
    {"/console/login", "/console/logout", "/console/login/sso", "/console/login/sso/callback"}
)
#: A webhook receiver that is never there (loopback, discard port): nothing leaves the machine.
NOWHERE = "http://127.0.0.1:9/hook"


@pytest.fixture
def database_url(sqlite_url: str) -> str:
    """SQLite only: who may do what is decided above the database."""
    return sqlite_url


@pytest.fixture
def people(people: dict[str, int], desk: Desk, article_key: str) -> dict[str, int]:
    """The console's people, and two section moderators of the news site: ``sara`` has
    "politics" (the section of the article a1), ``sven`` has "sport"."""
    chief = desk.accounts.get("chief")
    politics = desk.sections.add(
        chief, 1, slug="politics", name="Politics", moderation=None, auto_close_days=None
    )
    sport = desk.sections.add(
        chief, 1, slug="sport", name="Sport", moderation=None, auto_close_days=None
    )
    desk.sections.assign(chief, "a1", "politics")
    desk.staff.add(chief, "sara", PASSWORD, Role.MODERATOR, (), (politics.id,))
    desk.staff.add(chief, "sven", PASSWORD, Role.MODERATOR, (), (sport.id,))
    return {p.moderator.name: p.moderator.id for p in desk.staff.people()}


@dataclass(frozen=True)
class Route:
    method: str
    path: str  # {c}: a fresh pending comment on the news site; {b} ban, {t} token, {s} site,
    # {w} webhook, {d} webhook delivery, {k} a fresh campaign (cluster) on the news site,
    # {l} a word list's language, {v} a fresh contest of a rejection made by "dora"
    expect: dict[str, int]
    data: dict[str, str | list[str]] = field(default_factory=dict)
    #: A JSON body sent as it is (one with an object inside, which ``data`` cannot hold).
    json: dict[str, object] | None = None

    @property
    def api(self) -> bool:
        return self.path.startswith("/api/")


def _sections(expect: dict[str, int], other_section: int | None) -> dict[str, int]:
    """A section moderator is a moderator; one of another section of the same site gets
    what a moderator of another site gets, unless the route says otherwise (bans are a
    whole site's, so they are also the site's section moderators')."""
    other = expect["other_site"] if other_section is None else other_section
    return {**expect, "section": expect["moderator"], "other_section": other}


def page(
    ok: int = 200,
    other_site: int = 200,
    admin_only: bool = False,
    other_section: int | None = None,
) -> dict[str, int]:
    staff = 403 if admin_only else ok
    return _sections({
        "anonymous": 303, "reader": 303, "moderator": staff, "admin": ok,
        "other_site": 403 if admin_only else other_site, "no_csrf": staff, "bad_csrf": staff,
    }, other_section)  # fmt: skip


def form(
    ok: int = 303,
    other_site: int | None = None,
    admin_only: bool = False,
    other_section: int | None = None,
) -> dict[str, int]:
    return _sections({
        "anonymous": 401, "reader": 401, "moderator": 403 if admin_only else ok, "admin": ok,
        "other_site": 403 if admin_only else (ok if other_site is None else other_site),
        "no_csrf": 403, "bad_csrf": 403,
    }, other_section)  # fmt: skip


def api(
    ok: int = 200,
    other_site: int | None = None,
    get: bool = False,
    other_section: int | None = None,
) -> dict[str, int]:
    refused = ok if get else 403  # reads need no CSRF token
    return _sections({
        "anonymous": 401, "reader": 401, "moderator": ok, "admin": ok,
        "other_site": ok if other_site is None else other_site,
        "no_csrf": refused, "bad_csrf": refused,
    }, other_section)  # fmt: skip


ROUTES = [
    Route("GET", "/console", page()),
    Route("GET", "/console/help", page()),
    Route("GET", "/console/comments/{c}", page(other_site=404)),
    Route("GET", "/console/bans", page()),
    Route("GET", "/console/account", page()),
    Route("GET", "/console/dashboard", page()),
    Route("GET", "/console/charts/hourly.svg", page()),
    Route("GET", "/console/transparency.csv?month=2026-11", page()),
    Route("GET", "/console/audit", page(admin_only=True)),
    Route("GET", "/console/audit.csv", page(admin_only=True)),
    Route("GET", "/console/settings", page(admin_only=True)),
    Route("GET", "/console/settings/sites/{s}", page(admin_only=True)),
    Route("GET", "/console/settings/articles/a1", page(admin_only=True)),
    Route("GET", "/console/people", page(admin_only=True)),
    Route("POST", "/console/comments/{c}/decide", form(other_site=404), {"action": "approve"}),
    Route("POST", "/console/bulk", form(other_site=409), {"action": "approve", "ids": ["{c}"]}),
    Route("POST", "/console/undo", form(ok=409)),
    Route(
        "POST",
        "/console/comments/{c}/ban",
        form(other_site=404),
        {"days": "7", "by_commenter": "on", "reason": "abuse"},
    ),
    Route("POST", "/console/comments/{c}/dismiss", form(other_site=404)),
    Route("POST", "/console/bans/{b}/lift", form(other_site=404, other_section=303)),
    Route(
        "POST",
        "/console/bans/lift",
        form(other_site=404, other_section=303),
        {"ids": ["{b}"], "reason": "over"},
    ),
    Route("POST", "/console/account/tokens", form(ok=200), {"label": "script"}),
    # Someone else's token (mina's): not about sites or sections at all.
    Route("POST", "/console/tokens/{t}/revoke", {**form(other_site=404), "section": 404}),
    Route(
        "POST",
        "/console/account/password",
        form(),
        {
            "current_password": PASSWORD,
            "password": "a new long password",
            "password_again": "a new long password",
        },
    ),
    Route(
        "POST",
        "/console/settings/sites/{s}",
        form(admin_only=True),
        {
            "moderation": "pre",
            "origins": "",
            "reject_code_0": "",
            "reject_en_0": "Spam",
            "ban_policy": "hold",
            "terms_en": "Be kind.",
        },
    ),
    Route("POST", "/console/settings/articles/a1", form(admin_only=True), {"is_open": "on"}),
    Route(
        "POST",
        "/console/people",
        form(admin_only=True),
        {"name": "{new}", "password": "a long password", "role": "moderator"},
    ),
    Route("POST", "/console/people/{m}", form(admin_only=True), {"role": "moderator"}),
    Route("GET", "/console/webhooks", page(admin_only=True)),
    Route(
        "POST",
        "/console/webhooks",
        form(admin_only=True),
        {"site_id": "1", "url": NOWHERE, "events": ["report.created"], "risk_threshold": "0.5"},
    ),
    Route("POST", "/console/webhooks/{w}/active", form(admin_only=True)),
    Route("POST", "/console/webhooks/deliveries/{d}/retry", form(admin_only=True)),
    Route("GET", "/console/clusters", page()),
    Route(
        "POST",
        "/console/clusters/{k}/reject",
        form(other_site=404),
        {"note": "campaign", "confirmed": "1"},
    ),
    Route("POST", "/console/clusters/{k}/lift-bans", form(other_site=404), {"reason": "mistake"}),
    Route("GET", "/console/settings/sites/{s}/wordlists/{l}", page(admin_only=True)),
    Route(
        "POST",
        "/console/settings/sites/{s}/wordlists/{l}",
        form(admin_only=True),
        {"document": '{"language": "en", "entries": []}'},
    ),
    Route(
        "POST",
        "/console/settings/sites/{s}/wordlists/{l}/add",
        form(admin_only=True),
        {"text": "flibbertigibbet", "kind": "suspect", "mode": "word"},
    ),
    Route("GET", "/console/settings/sites/{s}/vouched", page(admin_only=True)),
    Route(
        "POST",
        "/console/settings/sites/{s}/vouched",
        form(admin_only=True),
        {"domains": "reuters.com", "numbers": "1393"},
    ),
    Route("GET", "/console/settings/sites/{s}/subscribers", page(admin_only=True)),
    Route(
        "POST",
        "/console/settings/sites/{s}/subscribers",
        form(admin_only=True),
        {"algorithm": "HS256", "key": "a-publisher-secret-of-at-least-32-bytes!"},
    ),
    Route("GET", "/console/settings/sites/{s}/sections", page(admin_only=True)),
    Route(
        "POST",
        "/console/settings/sites/{s}/sections",
        form(admin_only=True),
        {"slug": "{new}", "name": "New section", "moderation": "", "auto_close_days": ""},
    ),
    Route(
        "POST",
        "/console/settings/sections/{n}",
        form(admin_only=True),
        {"name": "Politics", "moderation": "post", "auto_close_days": "3"},
    ),
    Route(
        "POST",
        "/console/settings/sections/{n}/terms",
        form(admin_only=True),
        {"terms_en": "Keep to the topic.", "terms_ko": "주제를 지켜 주세요."},
    ),
    Route("POST", "/console/settings/articles/a1/section", form(admin_only=True), {"section": ""}),
    Route("GET", "/api/v1/moderation/queue", api(get=True)),
    Route("GET", "/api/v1/moderation/queue?section={n}", api(get=True)),
    Route("GET", "/api/v1/moderation/sections", api(get=True)),
    Route("GET", "/api/v1/moderation/comments/{c}/events", api(get=True, other_site=404)),
    Route("POST", "/api/v1/moderation/comments/{c}/approve", api(other_site=404)),
    Route("GET", "/api/v1/moderation/bans", api(get=True)),
    Route("GET", "/console/contests", page()),
    Route("POST", "/console/contests/{v}/uphold", form(other_site=404), {"note": "kept"}),
    Route("GET", "/api/v1/moderation/contests", api(get=True)),
    Route("POST", "/api/v1/moderation/contests/{v}/reverse", api(other_site=404), {"note": "x"}),
    Route("GET", "/api/v1/moderation/notices?state=all", api(get=True)),
    Route(
        "POST",
        "/api/v1/moderation/bans/lift",
        api(other_site=404, other_section=200),
        {"ids": ["{b}"], "reason": "x"},
    ),
    Route(
        "POST", "/api/v1/moderation/clusters/{k}/lift-bans", api(other_site=404), {"reason": "x"}
    ),
    Route(
        "POST",
        "/api/v1/admin/articles",
        {**api(ok=201, other_site=403), "moderator": 403, "section": 403},
        {"site": "news", "key": "{new}", "url": "https://news.example/x", "title": "X"},
    ),
    Route(
        "PUT",
        "/api/v1/admin/articles/a1/section",
        {**api(other_site=403), "moderator": 403, "section": 403, "other_section": 403},
        {"section": "sport"},
    ),
    Route(
        "PUT",
        "/api/v1/admin/sections/{n}/terms",
        {**api(other_site=403), "moderator": 403, "section": 403, "other_section": 403},
        json={"terms": {"en": "Keep to the topic.", "ko": "주제를 지켜 주세요."}},
    ),
]


class World:
    """Fresh objects for each call, so one persona's success never changes another's."""

    def __init__(self, desk: Desk, people: dict[str, int]) -> None:
        self.desk, self.people, self.count = desk, people, 0

    def fill(self, text: str) -> str:
        desk, self.count = self.desk, self.count + 1
        if "{c}" in text:
            draft = Draft(author="Reader", body="text", accept_terms=True, commenter_key="k")
            self.comment = desk.comments.submit("a1", draft).comment.id
            text = text.replace("{c}", str(self.comment))
        if "{b}" in text:
            draft = Draft(author="Troll", body="x", accept_terms=True, commenter_key="t")
            troll = desk.comments.submit("a1", draft).comment.id
            ban = desk.bans.ban(
                desk.accounts.get("mina"), troll, days=1, by_commenter=True,
                by_email=False, reason="r",
            )  # fmt: skip
            text = text.replace("{b}", str(ban))
        if "{t}" in text:
            desk.accounts.create_token("mina", f"t{self.count}")
            token_id = desk.staff.tokens(desk.accounts.get("chief"))[0].id
            text = text.replace("{t}", str(token_id))
        if "{w}" in text or "{d}" in text:
            chief, event = desk.accounts.get("chief"), "comment.pending_risky"
            hook = desk.webhooks.add(chief, 1, NOWHERE, [event], risk_threshold=0)
            desk.comments.submit("a1", Draft(author="Reader", body="text", accept_terms=True))
            desk.assessor.drain()  # the assessment queues the webhook
            delivery = desk.webhooks.deliveries()[0].id
            text = text.replace("{w}", str(hook.id)).replace("{d}", str(delivery))
        if "{k}" in text:
            words = " ".join(secrets.token_hex(4) for _ in range(16))
            for n in range(2):  # two pseudonyms posting one text make a campaign
                draft = Draft(author=f"Copy{n}", body=f"{words} {n}", accept_terms=True)
                copy = desk.comments.submit("a1", draft).comment.id
            desk.assessor.drain()  # the assessment makes the cluster
            [cluster] = {i.comment.cluster_id for i in desk.moderation.queue(limit=200).items
                         if i.comment.id == copy}  # fmt: skip
            text = text.replace("{k}", str(cluster))
        if "{v}" in text:  # decided by someone no persona is: any of them may review it
            if "dora" not in self.people:
                self.people["dora"] = desk.accounts.add_moderator("dora", PASSWORD, Role.ADMIN).id
            draft = Draft(author="Reader", body="text", accept_terms=True, commenter_key="k")
            rejected = desk.comments.submit("a1", draft).comment.id
            desk.decisions.decide(desk.accounts.get("dora"), rejected, Action.REJECT, choice="spam")
            token = desk.statements.token(rejected)
            text = text.replace("{v}", str(desk.statements.contest(token, "please").id))
        if "{n}" in text:  # the section "politics" of the news site
            [politics] = [s for s in self.desk.sections.of_site(1) if s.slug == "politics"]
            text = text.replace("{n}", str(politics.id))
        text = text.replace("{s}", "1").replace("{m}", str(self.people["mina"]))
        text = text.replace("{l}", "en")
        return text.replace("{new}", f"new{self.count}")


def _client(persona: str, browser: Browser) -> TestClient:
    if persona == "reader":
        client = browser(None)
        client.get("/articles/a1")  # the reader's page sets its own cookies
        return client
    return browser(NAMES.get(persona))


def _call(route: Route, persona: str, client: TestClient, world: World) -> httpx2.Response:
    path = world.fill(route.path)
    if route.method == "GET":
        return client.get(path, follow_redirects=False)
    token = {"no_csrf": "", "bad_csrf": "bad" * 10}.get(persona)
    if token is None:
        token = token_of(client)
    if route.api:
        headers = {"X-CSRF-Token": token} if token else {}
        body = route.json or {
            k: [int(world.fill(x)) for x in v] if isinstance(v, list) else world.fill(str(v))
            for k, v in route.data.items()
        }
        return client.request(
            route.method, path, json=body, headers=headers, follow_redirects=False
        )
    data = {k: [world.fill(x) for x in v] if isinstance(v, list) else world.fill(v)
            for k, v in route.data.items()}  # fmt: skip
    return client.post(path, data={"csrf": token, **data}, follow_redirects=False)


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{r.method} {r.path}")
def test_each_route_admits_exactly_the_people_it_should(
    route: Route, browser: Browser, desk: Desk, people: dict[str, int], article_key: str
) -> None:
    world = World(desk, people)
    clients = {persona: _client(persona, browser) for persona in PERSONAS}  # before any change
    got = {p: _call(route, p, clients[p], world).status_code for p in PERSONAS}
    assert got == route.expect


@pytest.mark.parametrize(
    "persona", ["anonymous", "reader", "other_site", "other_section", "no_csrf", "bad_csrf"]
)
def test_a_refused_decision_changes_nothing(
    persona: str, browser: Browser, desk: Desk, people: dict[str, int], article_key: str
) -> None:
    route = next(r for r in ROUTES if r.path == "/console/comments/{c}/decide")
    world = World(desk, people)
    _call(route, persona, _client(persona, browser), world)
    assert [e.to_state for e in desk.moderation.history(world.comment)] == [State.PENDING]


def test_the_matrix_covers_every_console_and_moderation_route() -> None:
    listed = {(r.method, _generic(r.path.split("?")[0])) for r in ROUTES}
    routers = [area.router for area in console.AREAS]
    routers += [moderation_api.router, bans_api.router, contests_api.router, notices_api.router]
    served = {
        (method, _generic(route.path))
        for router in routers
        for route in router.routes
        if isinstance(route, APIRoute) and route.path not in PUBLIC
        for method in route.methods or ()
    }
    assert served - listed == set()


def _generic(path: str) -> str:
    """A path with every parameter or example value as ``{x}``."""
    path = re.sub(r"\{[^}]+\}", "{x}", path)
    path = re.sub(r"/(\d+|a1|hourly|approve|uphold|reverse)(?=/|$|\.)", "/{x}", path)
    return path


#: Every route that takes a comment id, with what it sends; ``{c}`` is the id tried.
BY_COMMENT_ID = [r for r in ROUTES if "{c}" in r.path and r.path != "/console/bulk"]
#: A reject reason the site does not offer must not be judged before the scope is.
BY_COMMENT_ID.append(
    Route("POST", "/console/comments/{c}/decide", {}, {"action": "reject", "choice": "made up"})
)


@pytest.mark.parametrize("persona", ["other_site", "other_section"])
@pytest.mark.parametrize("route", BY_COMMENT_ID, ids=lambda r: f"{r.method} {r.path}")
def test_another_sites_comment_answers_exactly_like_a_missing_one(
    route: Route,
    persona: str,
    browser: Browser,
    desk: Desk,
    people: dict[str, int],
    article_key: str,
) -> None:
    """Otherwise a moderator of one site (or one section) could probe ids to learn which
    exist elsewhere."""
    world, otto = World(desk, people), browser(NAMES[persona])
    theirs = _call(route, persona, otto, world)
    missing_id = world.comment + 1000
    gone = _call(Route(route.method, route.path.replace("{c}", str(missing_id)), {}, route.data),
                 persona, otto, world)  # fmt: skip
    assert theirs.status_code == gone.status_code == 404

    def masked(text: str) -> str:  # the two ids differ, and so may a page's other numbers
        return re.sub(r"\d+", "N", text)

    assert masked(theirs.text) == masked(gone.text)
