"""Kept answers: their bytes in each encoding, their headers, and the bounded store of them.

What ``web/middleware/readpath.py`` keeps of an answer and how it chooses what to send: the
encodings (made once), the headers for each origin and encoding (made once), the
``Accept-Encoding`` negotiation and the weak ``ETag`` comparison of RFC 9110.
"""

from __future__ import annotations

import gzip
import hashlib
from collections import OrderedDict
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from typing import Any

import anyio.to_thread
import brotli
from starlette.types import Message

from commentdesk.web.middleware.splice import SplicedPage

_COMPRESSIBLE = (b"application/json", b"text/", b"application/javascript", b"image/svg+xml")
#: Smaller answers gain nothing a header does not cost back.
MIN_COMPRESS = 256
_DROPPED = {b"content-length", b"content-encoding", b"etag"}


@dataclass(frozen=True)
class Heads:
    """The first messages for one origin and encoding: the answer's, and a 304's."""

    ok: Message
    not_modified: Message


@dataclass
class Entry:
    """One public answer: its bytes in each encoding, and its headers per origin.

    One entry per path and query, whatever the origin (CORS headers differ, bytes do
    not), so the next read of a thread in any origin replaces every copy of its text.
    """

    tag: bytes  # the opaque part of the ETag, compared weakly
    bodies: dict[str, bytes]  # "identity", and "gzip" and "br" when worth it
    heads: dict[bytes, dict[str, Heads]]  # by Origin header, then by encoding
    generation: object
    fresh_until: datetime | None
    route: Any
    page: SplicedPage | None = None  # a reader's page, with a hole for each token
    counted: Any = None  # its route's counter of kept answers, once known (False: none)

    @property
    def size(self) -> int:
        page = self.page.size if self.page is not None else 0
        return page + sum(len(body) for body in self.bodies.values())


class ReadCache:
    """The kept answers of one app, least recently used first, within fixed bounds."""

    def __init__(
        self,
        *,
        max_entries: int = 4096,
        max_bytes: int = 64 * 1024 * 1024,
        max_body: int = 4 * 1024 * 1024,
    ) -> None:
        self.max_body = max_body
        self._max_entries = max_entries
        self._max_bytes = max_bytes
        self._entries: OrderedDict[tuple[bytes, ...], Entry] = OrderedDict()
        self._bytes = 0
        self.hits = 0
        self.misses = 0

    def get(self, key: tuple[bytes, ...]) -> Entry | None:
        entry = self._entries.get(key)
        if entry is not None:
            self._entries.move_to_end(key)
        return entry

    def put(self, key: tuple[bytes, ...], entry: Entry) -> None:
        old = self._entries.pop(key, None)
        if old is not None:
            self._bytes -= old.size
        if entry.size > self._max_bytes:
            return
        self._entries[key] = entry
        self._bytes += entry.size
        while len(self._entries) > self._max_entries or self._bytes > self._max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self._bytes -= dropped.size

    def clear(self) -> None:
        """Forgets every kept answer (an erasure does, besides moving the generation)."""
        self._entries.clear()
        self._bytes = 0

    def bodies(self) -> list[bytes]:
        """Every body kept, in every encoding (for tests that look for what must go)."""
        found: list[bytes] = []
        for entry in self._entries.values():
            found.extend(entry.bodies.values())
            if entry.page is not None:
                found.extend((*entry.page.parts, *entry.page.deflated))
        return found


async def make_entry(
    start: Message,
    body: bytes,
    *,
    origin: bytes,
    generation: object,
    stale: Entry | None,
    fresh_until: datetime | None,
    route: Any,
) -> Entry:
    """The entry for a fresh answer: the stale one's encodings if the bytes are the same."""
    headers = [(n.lower(), v) for n, v in start.get("headers", [])]
    given = next((v for n, v in headers if n == b"etag"), None)
    digest = hashlib.blake2b(body, digest_size=12).hexdigest().encode()
    tag = opaque(given) if given else digest
    same = stale is not None and stale.tag == tag and stale.bodies["identity"] == body
    if stale is not None and same:
        bodies = stale.bodies
    else:
        bodies = await encode(headers, body, static=generation is None)
    heads = heads_for(headers, bodies, tag)
    if stale is not None and same and stale.generation == generation:
        # The same answer for another origin: keep the origins already prepared.
        stale.heads[origin] = heads
        return stale
    return Entry(tag, bodies, {origin: heads}, generation, fresh_until, route)


async def encode(
    headers: list[tuple[bytes, bytes]], body: bytes, *, static: bool
) -> dict[str, bytes]:
    bodies = {"identity": body}
    kind = next((v for n, v in headers if n == b"content-type"), b"")
    if len(body) >= MIN_COMPRESS and kind.startswith(_COMPRESSIBLE):
        # Static files once per process: the best Brotli; threads once per version.
        quality = 11 if static else 5
        gzipped, brotlied = await anyio.to_thread.run_sync(_compress, body, quality)
        if len(gzipped) < len(body):
            bodies["gzip"] = gzipped
        if len(brotlied) < len(body):
            bodies["br"] = brotlied
    return bodies


def heads_for(
    headers: list[tuple[bytes, bytes]], bodies: dict[str, bytes], tag: bytes
) -> dict[str, Heads]:
    kept = [(n, v) for n, v in headers if n not in _DROPPED]
    if len(bodies) > 1:
        kept = with_vary(kept, b"Accept-Encoding")
    # Weak: the encodings of one answer are the same answer, byte for byte or not.
    etag = (b"etag", b'W/"' + tag + b'"')
    heads = {}
    for name, encoded in bodies.items():
        coding = [] if name == "identity" else [(b"content-encoding", name.encode())]
        length = (b"content-length", str(len(encoded)).encode())
        ok = {
            "type": "http.response.start",
            "status": 200,
            "headers": [*kept, *coding, etag, length],
        }
        unchanged = [(n, v) for n, v in kept if n != b"content-type"]
        not_modified = {"type": "http.response.start", "status": 304, "headers": [*unchanged, etag]}
        heads[name] = Heads(ok, not_modified)
    return heads


def keepable(start: Message) -> bool:
    if start["status"] != 200:
        return False
    control = b""
    for name, value in start.get("headers", []):
        lowered = name.lower()
        if lowered == b"set-cookie":
            return False
        if lowered == b"cache-control":
            control = value.lower()
    return b"public" in control and b"private" not in control and b"no-store" not in control


def opaque(etag: bytes) -> bytes:
    """``W/"x"`` and ``"x"`` name the same tag for If-None-Match (RFC 9110, weak compare)."""
    return etag.removeprefix(b"W/").strip(b'"')


def matches(header: bytes, tag: bytes) -> bool:
    if header.strip() == b"*":
        return True
    return any(opaque(part.strip()) == tag for part in header.split(b","))


def with_vary(headers: list[tuple[bytes, bytes]], name: bytes) -> list[tuple[bytes, bytes]]:
    for index, (key, value) in enumerate(headers):
        if key == b"vary":
            if name.lower() not in value.lower():
                headers = [*headers]
                headers[index] = (key, value + b", " + name)
            return headers
    return [*headers, (b"vary", name)]


def _compress(body: bytes, quality: int) -> tuple[bytes, bytes]:
    return gzip.compress(body, compresslevel=6, mtime=0), brotli.compress(body, quality=quality)


@lru_cache(maxsize=256)
def encoding(accepted: bytes, offered: tuple[str, ...] = ("br", "gzip")) -> str:
    """The encoding to send for an ``Accept-Encoding`` value: the first of ``offered``
    it accepts (br, then gzip), else none.

    A coding with ``q=0`` is refused; ``*`` accepts any coding not named.
    """
    weights: dict[bytes, float] = {}
    for part in accepted.lower().split(b","):
        name, _, params = part.strip().partition(b";")
        weight = 1.0
        params = params.strip()
        if params.startswith(b"q="):
            try:
                weight = float(params[2:])
            except ValueError:
                weight = 0.0
        if name:
            weights[name.strip()] = weight
    for coding in offered:
        if weights.get(coding.encode(), weights.get(b"*", 0.0)) > 0:
            return coding
    return "identity"
