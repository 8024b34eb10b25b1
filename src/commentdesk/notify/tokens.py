"""Signed links: confirm an address, unsubscribe, prove an address to see one's data, or
read (and contest) the statement of reasons about one's comment.

A link carries the keyed hash of an address (never the address itself), signed with
the server's secret and separated by purpose, so an unsubscribe link cannot be replayed
as a confirmation or as access to someone's data.
"""

from __future__ import annotations

import enum

from itsdangerous import BadSignature, URLSafeTimedSerializer

from commentdesk.errors import Forbidden


class Purpose(enum.StrEnum):
    CONFIRM = "confirm"
    UNSUBSCRIBE = "unsubscribe"
    RIGHTS = "rights"
    STATEMENT = "statement"  # an author's statement of reasons, and their contest


#: How long each kind of link works, in seconds; ``None`` means for as long as the
#: secret does (an unsubscribe link in an old mail must still work).
LIFETIME: dict[Purpose, int | None] = {
    Purpose.CONFIRM: 7 * 24 * 3600,
    Purpose.UNSUBSCRIBE: None,
    Purpose.RIGHTS: 24 * 3600,
    Purpose.STATEMENT: None,  # the author may read and contest it when they come back
}


class LinkInvalid(Forbidden):
    code = "bad_link"

    def __init__(self) -> None:
        super().__init__(
            "This link is not valid or has expired. Ask for a new one; nothing was changed.",
            field="t",
        )


def _serializer(secret: bytes, purpose: Purpose) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt=f"commentdesk-{purpose.value}")


def sign(secret: bytes, purpose: Purpose, email_hash: str) -> str:
    return _serializer(secret, purpose).dumps(email_hash)


def unsign(secret: bytes, purpose: Purpose, token: str) -> str:
    """The address hash the link was made for; ``LinkInvalid`` if forged or expired."""
    if not token or len(token) > 500:
        raise LinkInvalid()
    try:
        value = _serializer(secret, purpose).loads(token, max_age=LIFETIME[purpose])
    except BadSignature:  # SignatureExpired is a BadSignature too
        raise LinkInvalid() from None
    if not isinstance(value, str):
        raise LinkInvalid()
    return value
