"""The console's checks of the provider's ID tokens, with real tokens from the real
provider: one it issued to another client, and one whose signature was changed."""

from __future__ import annotations

import pytest

from commentdesk.desk import Desk
from commentdesk.errors import SignOnFailed
from tests.sso.support import Provider, tokens_for


def test_an_id_token_made_for_another_client_is_refused(provider: Provider, desk: Desk) -> None:
    """The wrong audience: a real token the provider issued to "other-app"."""
    tokens = tokens_for(provider, "other-app", "jane", nonce="n-1")
    assert desk.sign_on.provider is not None
    with pytest.raises(SignOnFailed) as refused:
        desk.sign_on.provider.verify_id_token(tokens["id_token"], "n-1", tokens["access_token"])
    assert refused.value.check == "audience"


def test_the_same_token_made_for_the_console_passes(provider: Provider, desk: Desk) -> None:
    tokens = tokens_for(provider, "commentdesk", "jane", nonce="n-2")
    assert desk.sign_on.provider is not None
    claims = desk.sign_on.provider.verify_id_token(tokens["id_token"], "n-2")
    assert claims["sub"] == "jane"


def test_a_token_whose_signature_was_changed_is_refused(provider: Provider, desk: Desk) -> None:
    head, body, signature = tokens_for(provider, "commentdesk", "jane", "n")["id_token"].split(".")
    tampered = f"{head}.{body}.{signature[:-4]}AAAA"
    assert desk.sign_on.provider is not None
    with pytest.raises(SignOnFailed) as refused:
        desk.sign_on.provider.verify_id_token(tampered, "n")
    assert refused.value.check == "signature"
