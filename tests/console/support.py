"""Console helpers: signing in through the real form, and posting its forms with CSRF."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping

import httpx2
from fastapi.testclient import TestClient

from tests.support import PASSWORD

SESSION = "cd_session"
CSRF = re.compile(r'name="csrf" value="([^"]+)"')
#: The ``browser`` fixture: ``browser(name)`` gives a TestClient signed in as ``name``.
Browser = Callable[[str | None], TestClient]


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "the page has no CSRF field"
    return found.group(1)


def sign_in(client: TestClient, name: str, password: str = PASSWORD) -> TestClient:
    token = csrf_of(client.get("/console/login").text)
    answer = client.post(
        "/console/login",
        data={"csrf": token, "name": name, "password": password},
        follow_redirects=False,
    )
    assert answer.status_code == 303, answer.text
    return client


def token_of(client: TestClient) -> str:
    """The CSRF token for this browser's forms (bound to its cookie)."""
    return csrf_of(client.get("/console/help").text)


def send(
    client: TestClient,
    path: str,
    data: Mapping[str, str | list[str]] | None = None,
    *,
    headers: dict[str, str] | None = None,
    csrf: str | None = None,
) -> httpx2.Response:
    """Posts a console form the way a browser would: with the page's CSRF token."""
    fields: dict[str, str | list[str]] = {"csrf": token_of(client) if csrf is None else csrf}
    fields |= data or {}
    return client.post(path, data=fields, headers=headers, follow_redirects=False)


CONFIRM_FORM = re.compile(
    r'<form method="post" action="([^"]+)" class="confirm-form">(.*?)</form>', re.S
)
HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)">')


def confirm(client: TestClient, page: str) -> httpx2.Response:
    """Presses the confirmation page's button: its form, every hidden field as shown."""
    found = CONFIRM_FORM.search(page)
    assert found, "the page asks for no confirmation"
    fields: dict[str, list[str]] = {}
    for name, value in HIDDEN.findall(found.group(2)):
        fields.setdefault(name, []).append(html.unescape(value))
    data = {k: v[0] if len(v) == 1 else v for k, v in fields.items()}
    return client.post(html.unescape(found.group(1)), data=data, follow_redirects=False)


def form_values(html: str, action: str) -> dict[str, str]:
    """What a browser would send from the page's form posting to ``action``, untouched:
    text inputs, hidden fields, checked boxes and radios, textareas, chosen options."""
    from tests.reader.pages import parse

    form = next(
        (f for f in parse(html).iter("form") if f.get("action") == action and f.get("method")),
        None,
    )
    assert form is not None, f"no form posting to {action}"
    values: dict[str, str] = {}
    for element in form.iter():
        name = element.get("name")
        if not name:
            continue
        if element.tag == "input":
            kind = element.get("type", "text")
            if kind in ("checkbox", "radio") and element.get("checked") is None:
                continue
            values[name] = element.get("value", "on" if kind in ("checkbox", "radio") else "")
        elif element.tag == "textarea":
            values[name] = element.text or ""
        elif element.tag == "select":
            options = list(element.iter("option"))
            chosen = [o for o in options if o.get("selected") is not None] or options[:1]
            values[name] = chosen[0].get("value", "") if chosen else ""
    return values


def site_form(client: TestClient, site_id: int, **changes: str) -> dict[str, str | list[str]]:
    """The site settings form as its page fills it, with ``changes`` made."""
    path = f"/console/settings/sites/{site_id}"
    fields: dict[str, str | list[str]] = {**form_values(client.get(path).text, path)}
    fields.pop("csrf", None)
    return fields | changes
