"""Input rules for what readers and moderators type: pure functions, no I/O.

Each ``clean_*`` returns the value as it will be stored, or raises ``InvalidInput``
naming the field and saying what to change (a catalog sentence, values as keywords).
"""

from __future__ import annotations

import re
import unicodedata
from urllib.parse import urlsplit

from commentdesk.errors import InvalidInput

AUTHOR_MAX = 64
BODY_MAX = 5000
EMAIL_MAX = 254
REASON_MAX = 500
ARTICLE_KEY = re.compile(r"[A-Za-z0-9._~-]{1,200}")

# Explicit embeddings, overrides and isolates: they can make text display in a
# different order from the order it is stored in ("Trojan Source").
BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

# Pseudonyms: letters and marks of any script, digits, spaces, ordinary punctuation.
_AUTHOR_CATEGORIES = ("L", "M", "N", "P", "Zs")
_EMAIL = re.compile(r"[^@\s]{1,64}@[^@\s.]+(\.[^@\s.]+)+")
_SPACES = re.compile(r"[ \u00a0\u3000\t]+")


def _fail(field: str, message: str, **params: object) -> InvalidInput:
    return InvalidInput(field, message, code=None, **params)


def _refuse_surrogates(field: str, text: str) -> None:
    # A JSON "\ud800" decodes to a lone surrogate that no UTF-8 store can hold.
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        raise _fail(field, "The text contains an invalid character (a lone surrogate).")


def clean_author(value: str) -> str:
    """A pseudonym: 1–64 characters after trimming; refuses control and bidi characters."""
    _refuse_surrogates("author", value)
    text = _SPACES.sub(" ", unicodedata.normalize("NFC", value)).strip()
    if not text:
        raise _fail("author", "Please give a pseudonym (any name you like, 1 to 64 characters).")
    if len(text) > AUTHOR_MAX:
        raise _fail(
            "author",
            "Please shorten your pseudonym to %(limit)s characters or fewer.",
            limit=AUTHOR_MAX,
        )
    for ch in text:
        if ch in BIDI_CONTROLS or not unicodedata.category(ch).startswith(_AUTHOR_CATEGORIES):
            raise _fail(
                "author",
                "A pseudonym may use letters of any script, digits, spaces and ordinary "
                "punctuation; please remove %(character)s (%(codepoint)s).",
                character=unicodedata.name(ch, repr(ch)),
                codepoint=f"U+{ord(ch):04X}",
            )
    return text


def strip_unsafe(text: str) -> str:
    """Drops control (but newline), NUL, surrogate and bidi-control characters."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\t", " ")
    return "".join(
        ch
        for ch in text
        if ch == "\n" or (ch not in BIDI_CONTROLS and unicodedata.category(ch) not in ("Cc", "Cs"))
    )


def clean_body(value: str, *, field: str = "body") -> str:
    """A comment's text: NFC, unsafe characters stripped, 1–5,000 characters after trimming."""
    text = strip_unsafe(unicodedata.normalize("NFC", value)).strip()
    if not text:
        raise _fail(field, "Please write a comment before sending it.")
    if len(text) > BODY_MAX:
        raise _fail(
            field,
            "Your comment is %(length)s characters long; the limit is %(limit)s. "
            "Please shorten it.",
            length=format(len(text), ","),
            limit=format(BODY_MAX, ","),
        )
    return text


def clean_email(value: str | None) -> str | None:
    """An optional address for notifications; empty means none."""
    if value is None:
        return None
    _refuse_surrogates("email", value)
    text = value.strip()
    if not text:
        return None
    if len(text) > EMAIL_MAX or not _EMAIL.fullmatch(text):
        raise _fail(
            "email", "This does not look like an email address; leave it empty if you like."
        )
    return text


def clean_reason(value: str | None, *, required: bool) -> str | None:
    """A moderator's reason: one line of at most 500 characters."""
    text = strip_unsafe(unicodedata.normalize("NFC", value or "")).replace("\n", " ").strip()
    if not text:
        if required:
            raise _fail("reason", "Please give a reason; it is kept with the decision.")
        return None
    if len(text) > REASON_MAX:
        raise _fail("reason", "Please keep the reason to %(limit)s characters.", limit=REASON_MAX)
    return text


def clean_article_key(value: str) -> str:
    """A publisher-chosen key: 1–200 of ``A-Z a-z 0-9 . _ ~ -``."""
    if not ARTICLE_KEY.fullmatch(value):
        raise _fail("key", "An article key is 1 to 200 letters A-Z, digits, '.', '_', '~' or '-'.")
    return value


def origin_of(url: str) -> str | None:
    """``scheme://host[:port]`` of an absolute http(s) URL, lower-cased; else None."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.netloc or "@" in parts.netloc:
        return None
    return f"{parts.scheme}://{parts.netloc}".lower()
