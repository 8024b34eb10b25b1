"""The reader's own comments without script: their edit tokens, kept in one cookie.

A comment's edit token is the only proof that a browser wrote it. The server-rendered
page keeps ``id.token`` pairs in an ``HttpOnly`` cookie (never readable by script) so the
reader alone sees their pending comments and can fix or withdraw them. The cookie holds
at most ``KEEP`` pairs, newest last, and forgets comments that are no longer pending
(unless a moderator rejected or edited them: the author can read why, and contest it):
on a shared or seized device it should say as little as possible.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response

from commentdesk.web.cookies import Cookies

COOKIE = "cd_own"
PATH = "/articles"
KEEP = 20
MAX_AGE = 7 * 24 * 3600
_PAIR = re.compile(r"(\d{1,12})\.([A-Za-z0-9_-]{20,100})")


def read(request: Request) -> dict[int, str]:
    """The ``{comment id: edit token}`` pairs the browser holds; junk is ignored."""
    pairs: dict[int, str] = {}
    for item in request.cookies.get(COOKIE, "").split("~"):
        match = _PAIR.fullmatch(item)
        if match:
            pairs[int(match.group(1))] = match.group(2)
    return dict(list(pairs.items())[-KEEP:])


def _encode(pairs: dict[int, str]) -> str:
    return "~".join(f"{comment_id}.{token}" for comment_id, token in pairs.items())


def write(response: Response, pairs: dict[int, str], cookies: Cookies) -> None:
    """Stores ``pairs`` (the newest ``KEEP``), or deletes the cookie when there are none."""
    kept = dict(list(pairs.items())[-KEEP:])
    if not kept:
        cookies.clear(response, COOKIE, path=PATH)
        return
    cookies.set(response, COOKIE, _encode(kept), max_age=MAX_AGE, path=PATH)


def with_added(pairs: dict[int, str], comment_id: int, token: str) -> dict[int, str]:
    """``pairs`` plus one, newest last, keeping only the newest ``KEEP``."""
    added = {k: v for k, v in pairs.items() if k != comment_id} | {comment_id: token}
    return dict(list(added.items())[-KEEP:])
