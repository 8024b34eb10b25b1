"""Readers a publisher vouches for: the short-lived token its page passes, checked.

A publisher whose subscribers are signed in on its own site signs a JWT for the one
reading the article (claims ``sub``, ``name``, ``iat``, ``exp``, ``aud`` = our site's
slug) with the algorithm pinned in the site's settings: HS256 with a shared secret, or
RS256 with the publisher's public key. joserfc checks it; nothing here is hand-rolled
JOSE. Pure: the clock is a parameter, and no key is ever fetched from anywhere.

Every failure is one ``SubscriberTokenInvalid`` naming the check; the caller never
falls back to posting anonymously, which would hide a host page's mistake.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from commentdesk.errors import InvalidInput, SubscriberTokenInvalid
from commentdesk.validation import clean_author

# joserfc (and the cryptography it loads, 11 MB a process) is imported where a key or a
# token is checked: a server whose sites vouch for nobody never loads it.
if TYPE_CHECKING:
    from joserfc.errors import InvalidClaimError, JoseError
    from joserfc.jwk import OctKey, RSAKey

#: Checked before any parsing; small enough to travel in one cookie (the no-script path).
TOKEN_MAX = 3072
#: A token may live at most this long (``exp - iat``): it is a pass for one page view.
LIFETIME_MAX = 3600
#: How far the publisher's clock and ours may disagree.
LEEWAY = 60
SUBJECT_MAX = 255
SECRET_MIN = 32  # bytes of an HS256 secret: RFC 7518 asks for at least the hash's size
KEY_MAX = 8192  # characters of a PEM public key


class Algorithm(StrEnum):
    HS256 = "HS256"
    RS256 = "RS256"


@dataclass(frozen=True, slots=True)
class SubscriberKey:
    """What a site verifies reader tokens with: one algorithm, one key, nothing else."""

    algorithm: Algorithm
    key: str  # the HS256 secret, or the RS256 public key as PEM


@dataclass(frozen=True, slots=True)
class Subscriber:
    subject: str  # the publisher's id for the reader; the desk keeps only a keyed hash
    name: str  # the display name, cleaned like a pseudonym
    expires_at: int  # the token's ``exp`` (seconds since the epoch)


def check_key(algorithm: str, key: str) -> SubscriberKey:
    """A key an admin typed, checked; ``InvalidInput`` names the field."""
    try:
        pinned = Algorithm(algorithm)
    except ValueError:
        raise InvalidInput("subscriber_algorithm", "Choose HS256 or RS256.") from None
    text = key.strip()
    if pinned is Algorithm.HS256:
        if not SECRET_MIN <= len(text.encode()) <= KEY_MAX:
            raise InvalidInput(
                "subscriber_key",
                "An HS256 secret is %(low)s to %(high)s characters; make a long random one.",
                low=SECRET_MIN,
                high=KEY_MAX,
            )
        return SubscriberKey(pinned, text)
    if len(text) > KEY_MAX or not _is_public_rsa(text):
        raise InvalidInput(
            "subscriber_key",
            "Paste the RSA public key as PEM (-----BEGIN PUBLIC KEY-----), not a private key.",
        )
    return SubscriberKey(pinned, text)


def _is_public_rsa(pem: str) -> bool:
    from joserfc.errors import JoseError
    from joserfc.jwk import RSAKey

    try:
        imported = RSAKey.import_key(pem)
    except (JoseError, ValueError, TypeError):
        return False
    return not imported.is_private


def _verifying_key(pinned: SubscriberKey) -> OctKey | RSAKey:
    from joserfc.jwk import OctKey, RSAKey

    if pinned.algorithm is Algorithm.HS256:
        return OctKey.import_key(pinned.key)
    return RSAKey.import_key(pinned.key)


def verify(token: str, pinned: SubscriberKey | None, *, audience: str, now: datetime) -> Subscriber:
    """The subscriber ``token`` vouches for, on the site whose slug is ``audience``.

    Raises ``SubscriberTokenInvalid`` for a token over ``TOKEN_MAX``, a site without a
    key, any algorithm but the pinned one (``none`` and HS/RS confusion included), a bad
    signature, a missing claim, expiry, ``iat`` in the future, a lifetime over
    ``LIFETIME_MAX``, another site's ``aud``, or a name that is no pseudonym.
    """
    if len(token) > TOKEN_MAX:
        raise SubscriberTokenInvalid("size")
    if pinned is None:
        raise SubscriberTokenInvalid("not_configured")
    from joserfc import jwt
    from joserfc.errors import JoseError

    try:
        decoded = jwt.decode(token, _verifying_key(pinned), algorithms=[pinned.algorithm.value])
    except JoseError as exc:
        raise SubscriberTokenInvalid(_failed_decode(exc)) from None
    except (ValueError, TypeError, UnicodeError):
        raise SubscriberTokenInvalid("format") from None
    claims = decoded.claims
    _check_claims(claims, audience=audience, now=int(now.timestamp()))
    if not isinstance(claims["name"], str):
        raise SubscriberTokenInvalid("name")
    try:
        name = clean_author(claims["name"])
    except InvalidInput:
        raise SubscriberTokenInvalid("name") from None
    return Subscriber(str(claims["sub"]), name, int(claims["exp"]))


def _failed_decode(exc: JoseError) -> str:
    kind = type(exc).__name__
    if kind == "BadSignatureError":
        return "signature"
    if kind in {"UnsupportedAlgorithmError", "MissingAlgorithmError"}:
        return "algorithm"
    return "format"


def _check_claims(claims: dict[str, Any], *, audience: str, now: int) -> None:
    from joserfc import jwt
    from joserfc.errors import ExpiredTokenError, InvalidClaimError, JoseError, MissingClaimError

    registry = jwt.JWTClaimsRegistry(
        now=now,
        leeway=LEEWAY,
        sub={"essential": True},
        name={"essential": True},
        exp={"essential": True},
        iat={"essential": True},
        aud={"essential": True, "value": audience},
    )
    try:
        registry.validate(claims)
    except ExpiredTokenError:
        raise SubscriberTokenInvalid("expired") from None
    except MissingClaimError:
        raise SubscriberTokenInvalid("claims") from None
    except InvalidClaimError as exc:
        raise SubscriberTokenInvalid(_failed_claim(exc)) from None
    except JoseError:
        raise SubscriberTokenInvalid("claims") from None
    subject, issued, expires = claims["sub"], claims["iat"], claims["exp"]
    if not isinstance(subject, str) or not 1 <= len(subject) <= SUBJECT_MAX:
        raise SubscriberTokenInvalid("claims")
    if issued > now + LEEWAY:
        raise SubscriberTokenInvalid("not_yet_valid")
    if expires - issued > LIFETIME_MAX:
        raise SubscriberTokenInvalid("lifetime")


def _failed_claim(exc: InvalidClaimError) -> str:
    return {"aud": "audience", "iat": "not_yet_valid", "nbf": "not_yet_valid"}.get(
        exc.claim, "claims"
    )
