"""The thin read path: public answers served again from bytes made once.

Published threads, counts and the static assets are most of what a server answers, to
readers on slow, censored links. The first read of one goes through the whole app; its
answer is kept here with its gzip and Brotli encodings, and the next reads of the same
thing are answered from those bytes by this pure-ASGI layer: no routing, no thread-pool
hop, no database query, headers prepared once, ``304`` for a tag the reader already has.

Freshness is exact. Every decision, edit and erasure bumps its article's version in the
database, and each kept answer remembers the store's change generation (see
``store/changes.py``) from before it was made. While the generation stands, nothing has
been committed since and the answer holds; once it moves, the next read asks the app
again, which answers from its own thread cache when the version did not move, and the
encodings are made again only if the bytes differ. An open thread's answer also stops
at the moment the thread closes.

Only what the app marks ``Cache-Control: public`` is kept, and never an answer that sets
a cookie: nothing personal can be in a shared entry. Every bound is fixed: entries and
bytes kept (least recently used go first), and the largest answer kept. One answer is
made at a time per key and process: readers who ask while it is made wait for it
rather than make it again (16 readers of a 1,000-comment thread arriving together each
rendered and compressed it, and a worker's peak memory grew by 30 MB).
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
import time
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from commentdesk.desk import Desk
from commentdesk.store.changes import ChangeWatch
from commentdesk.web import csrf
from commentdesk.web.middleware.kept import (
    Entry,
    ReadCache,
    encoding,
    keepable,
    make_entry,
    matches,
)
from commentdesk.web.middleware.observed import access_log
from commentdesk.web.middleware.splice import Blank, SplicedPage

#: A reader's thread page, kept for readers without cookies (see ``web/middleware/splice.py``).
_PAGE = re.compile(r"/articles/[^/]+")
_FRAMED = (b"iframe", b"cross-site")
_READ = (
    b"origin",
    b"if-none-match",
    b"accept-encoding",
    b"accept-language",
    b"sec-fetch-dest",
    b"sec-fetch-site",
)
#: Paths whose GET answers may be kept (each still has to say ``public``).
_DYNAMIC = ("/api/v1/articles/", "/api/v1/counts")
#: Package files: they change only with a new release, i.e. a restart.
_STATIC = ("/static/", "/embed.js", "/embed.css")
#: Where ``scope`` carries the note a view leaves for this layer (see ``ReadNote``).
NOTE = "commentdesk.read"
_CONDITIONAL = {b"if-none-match", b"if-modified-since", b"accept-encoding", b"range"}


@dataclass
class ReadNote:
    """What this layer and a view tell each other about one answer being made.

    ``blank``: set here for a reader's page asked without cookies, the stand-ins to
    render in place of the reader's CSRF token and cookie; ``shared``: set by the view
    when it used them and put nothing else personal in the page; ``fresh_until``: when
    the answer stops being true (the thread closes, a "3 minutes ago" moves on).
    """

    fresh_until: datetime | None = None
    blank: Blank | None = None
    shared: bool = False


class ReadPath:
    """Pure ASGI: answers kept GETs and HEADs itself, passes everything else through.

    It sits in front of the whole app, error handling and middleware included (see
    ``create_app``), so a kept answer costs none of them; it writes the access log's
    line itself, and counts what it answers in ``commentdesk_http_kept_answers``.
    ``state`` is the app's: the desk and the metrics are found there once it starts.
    """

    def __init__(self, app: ASGIApp, *, cache: ReadCache, state: Any) -> None:
        self.app = app
        self.cache = cache
        self.blank = Blank.make()
        self._state = state
        self._watch: ChangeWatch | None = None
        #: Keys whose answer is being made now, each with what its readers wait on.
        self._making: dict[tuple[bytes, ...], asyncio.Event] = {}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        static = path.startswith(_STATIC)
        page = not static and not path.startswith(_DYNAMIC)
        if page and not _PAGE.fullmatch(path):
            await self.app(scope, receive, send)
            return
        asked = Asked.of(scope["headers"])
        if page and asked.cookies:
            await self.app(scope, receive, send)  # the reader's own page: never shared
            return
        key: tuple[bytes, ...] = (path.encode(), scope.get("query_string", b""))
        if page:  # what the page's language and links are chosen by
            key = (*key, asked.language, b"framed" if asked.framed else b"")
        generation = None if static else self._generation(getattr(self._state, "desk", None))
        if await self._answer_kept(scope, send, key, generation, asked):
            return
        making = self._making.get(key)
        if making is not None:  # another reader's answer is being made: it may do
            await making.wait()
            if await self._answer_kept(scope, send, key, generation, asked):
                return
        self.cache.misses += 1
        blank = self.blank if page else None
        ask = _Ask(scope, key, asked.origin, generation, self.cache.get(key), blank)
        mine = self._making.setdefault(key, asyncio.Event())
        try:
            await self._fill(ask, receive, send, asked.accepted, asked.tags)
        finally:
            if self._making.get(key) is mine:
                del self._making[key]
                mine.set()

    async def _answer_kept(
        self,
        scope: Scope,
        send: Send,
        key: tuple[bytes, ...],
        generation: object,
        asked: Asked,
    ) -> bool:
        """Answers from the entry kept for ``key`` if it still holds; whether it did."""
        desk: Desk | None = getattr(self._state, "desk", None)
        entry = self.cache.get(key)
        if entry is None or not _holds(entry, generation, desk):
            return False
        started = time.perf_counter()
        head = scope["method"] == "HEAD"
        if entry.page is not None and desk is not None:
            secret = desk.context.secret
            status = await _answer_page(entry.page, secret, send, asked.accepted, head)
        elif asked.origin in entry.heads:
            chosen = encoding(asked.accepted)
            status = await _answer(entry, asked.origin, send, chosen, asked.tags, head)
        else:
            return False
        self.cache.hits += 1
        self._note(scope, entry, status, started)
        return True

    def _note(self, scope: Scope, entry: Entry, status: int, started: float) -> None:
        """What the access log and the request metrics would have said of this answer."""
        if entry.counted is None:
            metrics = getattr(self._state, "metrics", None)
            template = getattr(entry.route, "path", None) or "unmatched"
            entry.counted = metrics.kept.labels(template) if metrics is not None else False
        if entry.counted:
            entry.counted.inc()
        if access_log.isEnabledFor(logging.INFO):
            elapsed = (time.perf_counter() - started) * 1000
            access_log.info("%s %s %d %.1fms", scope["method"], scope["path"], status, elapsed)

    def _generation(self, desk: Desk | None) -> object:
        if self._watch is None:
            if desk is None:
                return object()  # no desk yet: nothing can be vouched for
            self._watch = desk.context.store.changes()
        return self._watch.generation()

    async def _fill(
        self, ask: _Ask, receive: Receive, send: Send, accepted: bytes, tags: bytes
    ) -> None:
        """Asks the app for the whole answer, keeps it if it may, and answers from it."""
        scope = ask.scope
        note = ReadNote(blank=ask.blank)
        forwarded = {
            **scope,
            "method": "GET",
            "headers": [(n, v) for n, v in scope["headers"] if n not in _CONDITIONAL],
            NOTE: note,
        }
        head = scope["method"] == "HEAD"
        start: Message | None = None
        chunks: list[bytes] = []
        size = 0
        passing = False

        async def capture(message: Message) -> None:
            nonlocal start, size, passing
            if passing:
                await send(_headless(message) if head else message)
            elif message["type"] == "http.response.start":
                start = message
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))
                size += len(chunks[-1])
                too_big = size > self.cache.max_body and ask.blank is None  # pages: bounded
                if too_big and message.get("more_body", False):
                    passing = True  # too big to keep: send on what came and what comes
                    assert start is not None
                    await send(start)
                    sent = b"" if head else b"".join(chunks)
                    await send({"type": "http.response.body", "body": sent, "more_body": True})

        await self.app(forwarded, receive, capture)
        if passing or start is None:
            return
        body = b"".join(chunks)
        if ask.blank is not None and note.shared:
            # Rendered with the blanks: no reader may get them, whatever the status.
            desk: Desk = self._state.desk
            keep = start["status"] == 200
            spliced = SplicedPage.of(start, body, ask.blank, compress=keep)
            if keep:
                route = forwarded.get("route")
                kept = Entry(b"", {}, {}, ask.generation, note.fresh_until, route, spliced)
                self.cache.put(ask.key, kept)
            await _answer_page(spliced, desk.context.secret, send, accepted, head, start["status"])
            return
        if ask.blank is not None or not keepable(start):
            await send(start)
            await send({"type": "http.response.body", "body": b"" if head else body})
            return
        entry = await make_entry(
            start,
            body,
            origin=ask.origin,
            generation=ask.generation,
            stale=ask.stale,
            fresh_until=note.fresh_until,
            route=forwarded.get("route"),
        )
        self.cache.put(ask.key, entry)
        await _answer(entry, ask.origin, send, encoding(accepted), tags, head)


@dataclass(frozen=True)
class Asked:
    """The request headers this layer reads, found in one pass."""

    origin: bytes = b""
    tags: bytes = b""
    accepted: bytes = b""
    language: bytes = b""
    cookies: bool = False
    framed: bool = False  # in another site's frame (see ``reader._cross_site_frame``)

    @classmethod
    def of(cls, headers: list[tuple[bytes, bytes]]) -> Asked:
        found = dict.fromkeys(_READ, b"")
        for name, value in headers:
            if name in found:
                found[name] = value
        return cls(
            origin=found[b"origin"],
            tags=found[b"if-none-match"],
            accepted=found[b"accept-encoding"],
            language=found[b"accept-language"],
            cookies=any(name == b"cookie" for name, _ in headers),
            framed=(found[b"sec-fetch-dest"], found[b"sec-fetch-site"]) == _FRAMED,
        )


@dataclass(frozen=True)
class _Ask:
    """A read the cache could not answer, and what it knew when it was asked."""

    scope: Scope
    key: tuple[bytes, ...]
    origin: bytes
    generation: object  # None for static files
    stale: Entry | None
    blank: Blank | None  # for a reader's page


def _holds(entry: Entry, generation: object, desk: Desk | None) -> bool:
    """Whether a kept answer is still the app's: nothing committed, not yet closed."""
    if generation is not None and entry.generation != generation:
        return False
    if entry.fresh_until is not None:
        return desk is not None and desk.context.clock() < entry.fresh_until
    return True


async def _answer(
    entry: Entry, origin: bytes, send: Send, chosen: str, tags: bytes, head: bool
) -> int:
    """Sends the kept answer (or a 304); returns its status."""
    name = chosen if chosen in entry.bodies else "identity"
    heads = entry.heads[origin][name]
    if tags and matches(tags, entry.tag):
        await send(heads.not_modified)
        await send({"type": "http.response.body", "body": b""})
        return 304
    await send(heads.ok)
    await send({"type": "http.response.body", "body": b"" if head else entry.bodies[name]})
    return 200


async def _answer_page(
    page: SplicedPage, secret: bytes, send: Send, accepted: bytes, head: bool, status: int = 200
) -> int:
    """The kept page with a new cookie and its token in place of the blanks."""
    value = secrets.token_urlsafe(24).encode()
    token = csrf.token_of(secret, value.decode()).encode()
    if page.deflated and encoding(accepted, ("gzip",)) == "gzip":
        body, coding = page.gzip(token), [(b"content-encoding", b"gzip")]
    else:
        body, coding = page.plain(token), []
    length = (b"content-length", str(len(body)).encode())
    headers = [*page.headers, *coding, length, page.set_cookie(value)]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": b"" if head else body})
    return status


def _headless(message: Message) -> Message:
    if message["type"] == "http.response.body":
        return {"type": "http.response.body", "body": b"", "more_body": message.get("more_body")}
    return message
