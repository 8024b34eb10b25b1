"""Turning other systems' values into ours: HTML to plain text, names, keys and times.

Pure functions. Other systems store HTML (Disqus) or text with a little inline HTML
(WordPress); commentdesk stores plain text only, so tags go and links keep their
address as text, where the renderer can make them clickable again.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from datetime import UTC, datetime
from html.parser import HTMLParser
from urllib.parse import quote, unquote, urlsplit

from commentdesk.validation import AUTHOR_MAX, BIDI_CONTROLS, strip_unsafe

ANONYMOUS = "Anonymous"
KEY_MAX = 200
_BLOCKS = frozenset({"p", "div", "blockquote", "li", "ul", "ol", "pre", "h1", "h2", "h3", "h4"})
_KEY_UNSAFE = re.compile(r"[^A-Za-z0-9._~-]+")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_AUTHOR_CATEGORIES = ("L", "M", "N", "P", "Zs")
# What strip_unsafe changes: control characters but newline (Cc), CR and tab, lone
# surrogates (Cs) and bidi controls.
_UNSAFE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


class _TextCollector(HTMLParser):
    """Collects text; blocks and ``<br>`` become newlines, links keep their address."""

    def __init__(self, *, markup_newlines: bool) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._markup_newlines = markup_newlines
        self._links: list[tuple[str | None, int]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCKS and self._markup_newlines:
            self.parts.append("\n\n")
        elif tag == "a":
            self._links.append((dict(attrs).get("href"), len(self.parts)))

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS and self._markup_newlines:
            self.parts.append("\n\n")
        elif tag == "a" and self._links:
            href, start = self._links.pop()
            shown = "".join(self.parts[start:]).strip()
            if href and href.startswith(("http://", "https://")) and href not in shown:
                self.parts.append(f" ({href})" if shown else href)

    def handle_data(self, data: str) -> None:
        self.parts.append(data)


def html_to_text(markup: str, *, markup_newlines: bool = True) -> str:
    """Plain text of an HTML fragment.

    ``markup_newlines``: paragraphs come from ``<p>``/``<br>`` and source newlines are
    mere spacing (Disqus). Without it, newlines in the source are the paragraphs and
    tags are inline decoration (WordPress).
    """
    collector = _TextCollector(markup_newlines=markup_newlines)
    collector.feed(markup)
    collector.close()
    text = "".join(collector.parts)
    if markup_newlines:
        text = re.sub(r"[ \t]*\n[ \t]*", "\n", text.replace("\r", ""))
        lines = [_SPACES.sub(" ", line).strip() for line in text.split("\n")]
        text = "\n".join(lines)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def clean_text(value: str) -> str:
    """A body as stored: NFC, unsafe characters stripped, trimmed (may be empty).

    The same result as ``validation.strip_unsafe``; most imported text has nothing to
    strip, and one regular-expression search is much cheaper than a look at each
    character of a million comments.
    """
    text = unicodedata.normalize("NFC", value)
    if _UNSAFE.search(text):
        text = strip_unsafe(text)
    return text.strip()


def clean_pseudonym(value: str | None) -> str:
    """A pseudonym our rules accept, made from whatever name the other system kept.

    Unlike a reader's form, an import cannot ask again: characters a pseudonym may not
    hold are dropped, the name is cut at 64 characters, and nothing left means
    "Anonymous".
    """
    text = unicodedata.normalize("NFC", value or "")
    kept = "".join(
        ch
        for ch in text
        if ch not in BIDI_CONTROLS and unicodedata.category(ch).startswith(_AUTHOR_CATEGORIES)
    )
    kept = _SPACES.sub(" ", kept).strip()[:AUTHOR_MAX].strip()
    return kept or ANONYMOUS


def key_for_url(url: str) -> str:
    """An article key made from a URL's path and query: stable, readable, unique enough.

    ``https://paper.example/2014/budget/`` → ``2014-budget``; ``/?p=4`` → ``p-4``; the
    site's root → ``home``. Non-ASCII paths keep their percent-encoding (``%`` as ``~``),
    so two different slugs never fold into one key.
    """
    parts = urlsplit(url.strip())
    path = quote(unquote(parts.path), safe="/").replace("%", "~")
    raw = path.strip("/") + (f"-{parts.query}" if parts.query else "")
    key = _KEY_UNSAFE.sub("-", raw).strip("-") or "home"
    if len(key) > KEY_MAX:
        digest = hashlib.sha256(key.encode()).hexdigest()[:16]
        key = f"{key[: KEY_MAX - 17]}-{digest}"
    return key


def parse_iso(value: str) -> datetime | None:
    """``2013-10-10T19:20:29Z`` (or with an offset) as aware UTC; None if unreadable."""
    text = value.strip()
    if text.endswith("Z"):
        text = text[:-1] + "+00:00"
    try:
        parsed = datetime.fromisoformat(text)
    except ValueError:
        return None
    return (parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)).astimezone(UTC)


def parse_utc_naive(value: str) -> datetime | None:
    """``2014-04-29 15:21:27`` read as UTC; None for empty, zero or unreadable dates."""
    text = value.strip()
    if not text or text.startswith("0000-00-00"):
        return None
    try:
        return datetime.strptime(text, "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None


def content_ref(*parts: str) -> str:
    """A stable id for a comment the file gives none: a hash of what it says."""
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).hexdigest()
    return f"sha256:{digest[:24]}"
