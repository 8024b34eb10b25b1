"""Reader tokens as a publisher's site would sign them, for the tests."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey

SECRET = "a-publisher-secret-of-at-least-32-bytes!"
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def claims(slug: str, *, at: datetime = NOW, **changes: Any) -> dict[str, Any]:
    """A valid set of claims for a reader of ``slug``, issued at ``at`` for ten minutes."""
    issued = int(at.timestamp())
    return {"sub": "reader-42", "name": "Subscriber Kim", "iat": issued, "exp": issued + 600,
            "aud": slug} | changes  # fmt: skip


def hs256(payload: dict[str, Any], secret: str = SECRET) -> str:
    return jwt.encode({"alg": "HS256"}, payload, OctKey.import_key(secret))


def rs256(payload: dict[str, Any], key: RSAKey) -> str:
    return jwt.encode({"alg": "RS256"}, payload, key)


def token(slug: str, *, at: datetime = NOW, **changes: Any) -> str:
    """A valid HS256 token for a reader of ``slug``, signed with ``SECRET``."""
    return hs256(claims(slug, at=at, **changes))
