"""Hostile requests, not just hostile text: every JSON route and every form refuse bodies
that are not text (invalid UTF-8, lone surrogates, JSON nested 100,000 deep, oversized)
with a clean 4xx in the one error format, and never a 5xx.

The JSON routes are read from ``/openapi.json``, so a route added later is swept too.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from tests.reliability.outputs import html_findings, parse_html
from tests.reliability.world import World

DEEP = "[" * 100_000 + "]" * 100_000
#: (name, raw body, expected status, expected error code)
BAD_JSON: tuple[tuple[str, bytes, int, str], ...] = (
    ("invalid UTF-8", b'{"body": "caf\xe9 \xff\xfe"}', 400, "invalid_utf8"),
    # 200 kB: over the size cap, so refused before it is even parsed
    ("nested 100,000 deep", DEEP.encode(), 413, "too_large"),
    ("nested 20,000 deep", ("[" * 20_000 + "]" * 20_000).encode(), 400, "too_deep"),
    ("objects nested 5,000 deep", ('{"a":' * 5_000 + "1" + "}" * 5_000).encode(), 400,
     "too_deep"),
    ("a lone surrogate", b'{"body": "\\ud800", "reason": "\\udfff", "document": "\\ud800"}', 400,
     "invalid_text"),
    ("not JSON", b"{'body': 1,}", 400, "malformed_json"),
    ("too large", b'{"body": "' + b"x" * 70_000 + b'"}', 413, "too_large"),
)  # fmt: skip
_PARAM = re.compile(r"\{[^}]+\}")


def _json_routes(world: World) -> list[tuple[str, str]]:
    schema = world.reader.get("/openapi.json").json()
    routes = []
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                routes.append((method.upper(), _PARAM.sub("1", path)))
    return routes


def _assert_error_body(answer: Any, status: int, code: str) -> None:
    assert answer.status_code == status, answer.text[:300]
    error = answer.json()["error"]
    assert error["code"] == code
    assert set(error) == {"code", "message", "field"}
    assert error["message"]


@pytest.mark.parametrize(("name", "raw", "status", "code"), BAD_JSON, ids=[b[0] for b in BAD_JSON])
def test_every_json_route_refuses_a_body_that_is_not_text_with_a_clean_4xx(
    world: World, name: str, raw: bytes, status: int, code: str
) -> None:
    routes = _json_routes(world)
    assert len(routes) >= 5, routes
    for method, path in routes:
        answer = world.reader.request(
            method,
            path,
            content=raw,
            headers={"Content-Type": "application/json", **world.auth()},
        )
        _assert_error_body(answer, status, code)


def test_a_lone_surrogate_names_the_field_it_was_in(world: World) -> None:
    key = world.new_article("surrogate")
    raw = json.dumps({"author": "Ann", "body": "ok \ud800", "accept_terms": True}).encode()
    answer = world.reader.post(
        f"/api/v1/articles/{key}/comments",
        content=raw,
        headers={"Content-Type": "application/json"},
    )
    _assert_error_body(answer, 400, "invalid_text")
    assert answer.json()["error"]["field"] == "body"


def _form_page(world: World, key: str) -> tuple[Any, str]:
    reader = world.client()
    page = reader.get(f"/articles/{key}").text
    token = re.search(r'name="csrf" value="([^"]+)"', page)
    assert token
    return reader, token.group(1)


@pytest.mark.parametrize(
    ("raw_body", "kept"),
    [
        (b"caf%E9 %FF%FE end", None),
        (b"nul %00 inside", "nul  inside"),
        (b"bidi %E2%80%AE reversed", "bidi  reversed"),
        (b"%EF%BF%BE noncharacter", None),
    ],
    ids=["invalid UTF-8", "NUL", "bidi override", "noncharacter"],
)
def test_the_reader_form_takes_bytes_that_are_not_clean_text_without_a_5xx(
    world: World, raw_body: bytes, kept: str | None
) -> None:
    """Bytes a browser would never send still get a page (303, or 422 keeping the text),
    never a 5xx; control and bidi characters are stripped from what is stored."""
    key = world.new_article("form-bytes")
    reader, token = _form_page(world, key)
    body = b"author=Ann&accept_terms=yes&csrf=" + token.encode() + b"&body=" + raw_body
    answer = reader.post(
        f"/articles/{key}/comments",
        content=body,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        follow_redirects=False,
    )
    assert answer.status_code in (303, 422), answer.text[:300]
    if answer.status_code == 422:
        assert html_findings(*parse_html(answer.text)) == []
    if kept is not None:
        assert answer.status_code == 303
        thread = world.reader.get("/api/v1/moderation/queue?state=all", headers=world.auth())
        assert kept in [item["body"] for item in thread.json()["items"]]


@pytest.mark.parametrize(
    "author",
    ["Ann\x00", "Ann\u202e", "<script>", "\x1b[31mAnn", "A" * 65, " ", "Ann\ud800"],
    ids=["NUL", "bidi", "markup", "escape", "too long", "blank", "surrogate"],
)
def test_a_pseudonym_that_breaks_the_rules_is_a_422_naming_author(
    world: World, author: str
) -> None:
    key = world.new_article("pseudonym")
    raw = json.dumps({"author": author, "body": "Fine text.", "accept_terms": True}).encode()
    answer = world.reader.post(
        f"/api/v1/articles/{key}/comments",
        content=raw,
        headers={"Content-Type": "application/json"},
    )
    assert answer.status_code in (400, 422), answer.text
    assert answer.json()["error"]["field"] == "author"


@pytest.mark.parametrize(
    "path",
    [
        "/articles/%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "/articles/%00",
        "/articles/a1?after=%3Cscript%3E&before=-1&reply_to=999999999999999999999&notice=%22%3E",
        "/articles/x/comments/99999999999999999999/report",
        "/articles/x/terms",
        "/console/login?next=javascript:alert(1)",
        "/console/login?next=//evil.example/",
        "/api/v1/articles/%3Cscript%3E/comments",
        "/api/v1/counts?article=%3Cscript%3E&article=%00",
        "/api/v1/comments/1e9/reports",
    ],
)
def test_hostile_addresses_get_a_clean_page_or_error(world: World, path: str) -> None:
    answer = world.client().get(path, follow_redirects=False)
    assert answer.status_code < 500, answer.text[:300]
    if answer.headers.get("content-type", "").startswith("text/html"):
        assert html_findings(*parse_html(answer.text)) == []
        assert "<script>alert" not in answer.text


@pytest.mark.parametrize(
    "cookies",
    [
        {"cd_own": "1.x~2.<script>~" + "9" * 5000},
        {"cd_csrf": "x" * 5000},
        {"cd_session": "'; DROP TABLE sessions; --"},
        {"cd_commenter": "%E2%80%AE" * 10 + "\\x00"},
    ],
    ids=["edit tokens", "csrf", "session", "commenter"],
)
def test_junk_cookies_are_ignored(world: World, cookies: dict[str, str]) -> None:
    key = world.new_article("cookies")
    client = world.client()
    for name, value in cookies.items():
        client.cookies.set(name, value)
    for path in (f"/articles/{key}", "/console", f"/api/v1/articles/{key}/comments"):
        answer = client.get(path, follow_redirects=False)
        assert answer.status_code in (200, 303), (path, answer.status_code)


HUGE = "99999999999999999999"  # past 2**63: no SQLite or PostgreSQL row can have it


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("DELETE", f"/api/v1/comments/{HUGE}", None),
        ("PATCH", f"/api/v1/comments/{HUGE}", {"body": "x"}),
        ("POST", f"/api/v1/comments/{HUGE}/reports", {"reason": "x"}),
        ("POST", f"/api/v1/moderation/comments/{HUGE}/approve", {}),
        ("GET", f"/api/v1/moderation/comments/{HUGE}/events", None),
        ("POST", f"/api/v1/moderation/clusters/{HUGE}/reject", {"reason": "x"}),
        ("GET", f"/console/comments/{HUGE}", None),
    ],
)
def test_an_id_too_large_for_the_database_is_not_found_not_a_5xx(
    world: World, method: str, path: str, body: dict[str, str] | None
) -> None:
    """Found by schemathesis: ``Python int too large to convert to SQLite INTEGER``."""
    headers = {**world.auth(), "X-Edit-Token": "x" * 32}
    client = world.console if path.startswith("/console") else world.reader
    answer = client.request(method, path, json=body, headers=headers)
    assert answer.status_code == 404, answer.text[:300]


@pytest.mark.parametrize("title", [" ", "\u3000\t", ""])
def test_a_blank_title_from_the_host_page_falls_back_to_the_article_key(
    world: World, title: str
) -> None:
    """Found by the full corpus (the Big List's " "): the article was created untitled."""
    world.desk.catalog.ensure_site(
        "blank", name="Blank", origins=("https://blank.example",), auto_create_articles=True
    )
    key = f"blank-{len(title)}-{ord(title[0]) if title else 0}"
    payload = {"author": "Ann", "body": "First!", "accept_terms": True,
               "url": f"https://blank.example/{key}", "title": title}  # fmt: skip
    answer = world.reader.post(f"/api/v1/articles/{key}/comments", json=payload)
    assert answer.status_code == 202, answer.text
    assert world.desk.catalog.article(key).title == key


@pytest.mark.parametrize(
    ("title", "stored"),
    [
        ("a\x00b", "ab"),
        ("Budget\r\nvote\u202e", "Budget vote"),
        ("  two   spaces\u2066  ", "two spaces"),
    ],
    ids=["NUL", "line break and bidi", "spaces and isolate"],
)
def test_a_title_from_the_host_page_is_stored_as_one_clean_line(
    desk: Desk, client: TestClient, title: str, stored: str
) -> None:
    """Found by the full corpus: titles were stored raw, NUL and bidi controls included
    (PostgreSQL refuses NUL in text, so there it was a 500)."""
    desk.catalog.ensure_site(
        "auto", name="Auto", origins=("https://auto.example",), auto_create_articles=True
    )
    payload = {"author": "Ann", "body": "First!", "accept_terms": True,
               "url": "https://auto.example/t", "title": title}  # fmt: skip
    answer = client.post("/api/v1/articles/t/comments", json=payload)
    assert answer.status_code == 202, answer.text
    assert desk.catalog.article("t").title == stored
