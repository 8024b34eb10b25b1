"""A reader's page kept once for everyone, with one hole: the reader's own CSRF token.

The thread page a reader without cookies gets is the same for all of them but for the
token in its forms and the cookie that token is bound to (``web/csrf.py``). So the page
is rendered once with a blank token and a blank cookie, random to this process and
found nowhere else (no comment can contain them), and each reader gets the kept bytes
with a fresh pair spliced in: a new random cookie value and its signature.

The gzip encoding is spliced too, without compressing anything per reader: each part
of the page between tokens is compressed once, up to a full flush, which ends it on a
byte boundary with nothing referring back to it; the token goes between them as a
stored block, and only the checksum of what follows the first token is computed per
reader. Brotli streams cannot be joined that way, so pages are offered in gzip alone.
"""

from __future__ import annotations

import secrets
import struct
import zlib
from dataclasses import dataclass

from starlette.types import Message

#: gzip's header: deflate, no name, no time, unknown system (RFC 1952).
_GZIP_HEADER = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"
_DROPPED = {b"content-length", b"content-encoding", b"etag"}


@dataclass(frozen=True)
class Blank:
    """The stand-ins rendered into a shared page: a cookie value and its token."""

    cookie: str
    token: str

    @classmethod
    def make(cls) -> Blank:
        # The same lengths as the real ones, so a spliced page keeps its length.
        return cls(cookie=secrets.token_urlsafe(24), token=secrets.token_hex(32))


@dataclass(frozen=True)
class SplicedPage:
    """A kept page: its parts between tokens, plain and deflated, and its headers."""

    parts: tuple[bytes, ...]
    deflated: tuple[bytes, ...]
    first_crc: int
    cookie: tuple[bytes, bytes]  # the Set-Cookie value before and after the blank
    headers: tuple[tuple[bytes, bytes], ...]

    @classmethod
    def of(cls, start: Message, body: bytes, blank: Blank, *, compress: bool = True) -> SplicedPage:
        """The page rendered with ``blank``, cut at each of its token and its cookie.

        Any other cookie it sets (a ``?lang=`` choice) is the same for everyone who
        asks the same address, and stays in the headers as it is. Without ``compress``
        (a page sent once, not kept) it has no gzip encoding: none is worth making.
        """
        headers = [(n.lower(), v) for n, v in start.get("headers", [])]
        mine = [v for n, v in headers if n == b"set-cookie" and blank.cookie.encode() in v]
        if len(mine) != 1:
            raise ValueError("a page rendered with the blanks sets their cookie once")
        before, _, after = mine[0].partition(blank.cookie.encode())
        parts = tuple(body.split(blank.token.encode()))
        deflated = []
        for index, part in enumerate(parts if compress else ()):
            compressor = zlib.compressobj(6, zlib.DEFLATED, -15)
            ending = zlib.Z_FINISH if index == len(parts) - 1 else zlib.Z_FULL_FLUSH
            compressed = compressor.compress(part)
            deflated.append(compressed + compressor.flush(ending))
        kept = [
            (n, v)
            for n, v in headers
            if n not in _DROPPED and n != b"vary" and (n, v) != (b"set-cookie", mine[0])
        ]
        vary = [v for n, v in headers if n == b"vary"]
        kept.append((b"vary", b", ".join([*vary, b"Accept-Encoding"])))
        return cls(parts, tuple(deflated), zlib.crc32(parts[0]), (before, after), tuple(kept))

    def plain(self, token: bytes) -> bytes:
        return token.join(self.parts)

    def gzip(self, token: bytes) -> bytes:
        """The gzip encoding with ``token`` in each hole; checksummed past the first."""
        stored = b"\x00" + struct.pack("<HH", len(token), len(token) ^ 0xFFFF) + token
        crc = self.first_crc
        for part in self.parts[1:]:
            crc = zlib.crc32(part, zlib.crc32(token, crc))
        size = sum(len(p) for p in self.parts) + len(token) * (len(self.parts) - 1)
        trailer = struct.pack("<II", crc, size & 0xFFFFFFFF)
        return b"".join((_GZIP_HEADER, stored.join(self.deflated), trailer))

    def set_cookie(self, value: bytes) -> tuple[bytes, bytes]:
        return (b"set-cookie", self.cookie[0] + value + self.cookie[1])

    @property
    def size(self) -> int:
        return sum(len(p) for p in self.parts) + sum(len(d) for d in self.deflated)
