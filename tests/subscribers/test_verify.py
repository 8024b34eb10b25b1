"""A reader token is trusted only when it is the site's own, fresh, and signed as pinned."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
from datetime import timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st
from joserfc.jwk import RSAKey

from commentdesk.errors import InvalidInput, SubscriberTokenInvalid
from commentdesk.subscribers import (
    LEEWAY,
    TOKEN_MAX,
    Algorithm,
    SubscriberKey,
    check_key,
    verify,
)
from tests.subscribers.tokens import NOW, SECRET, claims, hs256, rs256, token

SITE = "daily"
PINNED = SubscriberKey(Algorithm.HS256, SECRET)


@pytest.fixture(scope="module")
def rsa() -> RSAKey:
    return RSAKey.generate_key(2048)


def refused(check: str, text: str, pinned: SubscriberKey | None = PINNED) -> None:
    with pytest.raises(SubscriberTokenInvalid) as caught:
        verify(text, pinned, audience=SITE, now=NOW)
    assert caught.value.check == check
    assert caught.value.field == "subscriber_token"


def test_a_good_token_names_the_subscriber() -> None:
    found = verify(token(SITE), PINNED, audience=SITE, now=NOW)
    assert (found.subject, found.name) == ("reader-42", "Subscriber Kim")


def test_an_rs256_token_is_checked_with_the_public_key(rsa: RSAKey) -> None:
    public = rsa.as_pem(private=False).decode()
    pinned = SubscriberKey(Algorithm.RS256, public)
    assert verify(rs256(claims(SITE), rsa), pinned, audience=SITE, now=NOW).subject == "reader-42"


def test_a_wrong_signature_is_refused() -> None:
    refused("signature", hs256(claims(SITE), secret="another-secret-of-at-least-32-bytes!!"))


def test_an_expired_token_is_refused() -> None:
    refused("expired", token(SITE, at=NOW - timedelta(seconds=600 + LEEWAY + 1)))


def test_a_token_expired_within_the_leeway_is_taken() -> None:
    assert verify(token(SITE, at=NOW - timedelta(seconds=630)), PINNED, audience=SITE, now=NOW)


def test_a_token_issued_in_the_future_is_not_yet_valid() -> None:
    refused("not_yet_valid", token(SITE, at=NOW + timedelta(seconds=LEEWAY + 30)))


def test_a_token_for_another_site_is_refused() -> None:
    refused("audience", token("weekly"))


def test_a_token_living_longer_than_an_hour_is_refused() -> None:
    refused("lifetime", token(SITE, exp=int(NOW.timestamp()) + 3601))


def test_a_subject_that_is_not_a_string_is_refused() -> None:
    refused("claims", token(SITE, sub=42))


@pytest.mark.parametrize("claim", ["sub", "name", "exp", "iat", "aud"])
def test_a_token_without_a_required_claim_is_refused(claim: str) -> None:
    payload = claims(SITE)
    del payload[claim]
    refused("claims", hs256(payload))


def _part(value: bytes) -> str:
    return base64.urlsafe_b64encode(value).rstrip(b"=").decode()


def _unsigned(payload: dict[str, object]) -> str:
    head = json.dumps({"alg": "none", "typ": "JWT"}).encode()
    return f"{_part(head)}.{_part(json.dumps(payload).encode())}."


def _forged_hs256(payload: dict[str, object], secret: bytes) -> str:
    """Signed by hand, as an attacker would: joserfc itself refuses a PEM as a secret."""
    head = _part(json.dumps({"alg": "HS256", "typ": "JWT"}).encode())
    signing = f"{head}.{_part(json.dumps(payload).encode())}"
    mac = hmac.new(secret, signing.encode(), hashlib.sha256).digest()
    return f"{signing}.{_part(mac)}"


def test_alg_none_is_refused() -> None:
    refused("algorithm", _unsigned(claims(SITE)))


def test_an_hs256_token_signed_with_the_public_key_is_refused(rsa: RSAKey) -> None:
    # Algorithm confusion: the public key is public, so it must never work as a secret.
    public = rsa.as_pem(private=False).decode()
    forged = _forged_hs256(claims(SITE), public.encode())
    refused("algorithm", forged, SubscriberKey(Algorithm.RS256, public))


def test_an_oversized_token_is_refused_before_parsing() -> None:
    refused("size", "x" * (TOKEN_MAX + 1))


def test_a_site_without_a_key_refuses_every_token() -> None:
    refused("not_configured", token(SITE), pinned=None)


def test_the_name_is_cleaned_like_a_pseudonym() -> None:
    found = verify(token(SITE, name="  Kim \t Min-ji "), PINNED, audience=SITE, now=NOW)
    assert found.name == "Kim Min-ji"


@pytest.mark.parametrize("name", [" ", "x" * 65, "evil\u202eman", ["Kim"], 42])
def test_a_name_that_is_no_pseudonym_is_refused(name: object) -> None:
    refused("name", token(SITE, name=name))


@given(st.text(max_size=TOKEN_MAX))
def test_any_text_is_refused_with_the_typed_error(text: str) -> None:
    with pytest.raises(SubscriberTokenInvalid):
        verify(text, PINNED, audience=SITE, now=NOW)


def test_a_short_hs256_secret_is_refused() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_key("HS256", "short")
    assert caught.value.field == "subscriber_key"


def test_a_private_rsa_key_is_refused_as_the_public_one(rsa: RSAKey) -> None:
    with pytest.raises(InvalidInput):
        check_key("RS256", rsa.as_pem(private=True).decode())


def test_only_hs256_and_rs256_can_be_pinned() -> None:
    with pytest.raises(InvalidInput) as caught:
        check_key("none", SECRET)
    assert caught.value.field == "subscriber_algorithm"
