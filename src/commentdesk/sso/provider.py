"""The console's OpenID Connect client: discovery, the provider's keys, the code exchange.

Authorization code flow with PKCE (S256), ``state`` and ``nonce``. Authlib builds the
authorization request and the token request and checks the ID token's claims (issuer,
audience, expiry, nonce, ``at_hash``); joserfc (Authlib's JOSE) checks its signature with
the provider's published key set. Nothing here writes: it turns a callback into an
:class:`Identity`, or raises a typed error whose message says what to do.

Cached per process: the discovery document for an hour, and the key set until a token
names a key it does not hold; then it is read again once (the provider rotated its keys),
and a token whose key is still missing is refused.
"""

from __future__ import annotations

import logging
import secrets
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from commentdesk.errors import ProviderUnavailable, SignOnFailed
from commentdesk.i18n import N_
from commentdesk.settings import Settings

# Authlib, joserfc (with cryptography, 11 MB a process) and httpx are imported where a
# sign-on uses them: a server without single sign-on never loads them.
if TYPE_CHECKING:
    import httpx
    from joserfc import jwt
    from joserfc.jwk import KeySet

logger = logging.getLogger("commentdesk.sso")

CALLBACK_PATH = "/console/login/sso/callback"
METADATA_TTL = 3600.0
#: Seconds of clock difference forgiven between the provider and this server.
LEEWAY = 60
#: Signature algorithms accepted for ID tokens: asymmetric only, never ``none`` or HS*.
ALGORITHMS = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")

#: The message for an answer that fails a check: ``check`` names which one.
UNTRUSTED = N_(
    "The answer from %(provider)s was not made for this console (its %(check)s does not "
    "match). Start again from the sign-in page; if it happens again, tell the operator."
)
EXPIRED = N_(
    "The sign-in from %(provider)s had expired when it reached the console. Start again "
    "from the sign-in page; if it keeps happening, this server's clock may be wrong."
)


def display_name(settings: Settings) -> str:
    """The provider's name as people see it: as configured, else the issuer's host."""
    issuer = settings.oidc_issuer or ""
    return settings.oidc_provider_name or urlsplit(issuer).hostname or issuer


@dataclass(frozen=True, slots=True)
class Flow:
    """One browser's sign-in under way: kept by that browser (a signed cookie) between
    the redirect to the provider and the way back."""

    state: str
    nonce: str
    verifier: str
    next: str

    @classmethod
    def start(cls, next: str) -> Flow:
        return cls(
            secrets.token_urlsafe(24), secrets.token_urlsafe(24), secrets.token_urlsafe(48), next
        )


@dataclass(frozen=True, slots=True)
class Identity:
    """Who the provider says signed in, with their checked claims (and userinfo's)."""

    issuer: str
    subject: str
    claims: Mapping[str, Any] = field(default_factory=dict)


class OpenIdProvider:
    """The newsroom's provider as the console talks to it; one per process (it caches)."""

    def __init__(
        self,
        settings: Settings,
        clock: Callable[[], datetime],
        http: httpx.Client | None = None,
    ) -> None:
        # The settings' own check: these come with oidc_issuer, which brought us here.
        assert settings.oidc_issuer
        assert settings.oidc_client_id
        assert settings.public_url
        self.issuer = settings.oidc_issuer
        self.client_id = settings.oidc_client_id
        secret = settings.oidc_client_secret
        self._secret = secret.get_secret_value() if secret else None
        self.name = display_name(settings)
        self.redirect_uri = settings.public_url.rstrip("/") + CALLBACK_PATH
        self._scopes = settings.oidc_scopes
        self._clock = clock
        if http is None:
            import httpx  # here: a server without single sign-on never loads it (5 MB)

            http = httpx.Client(timeout=settings.oidc_timeout_seconds, follow_redirects=False)
        self._http = http
        self._discovered: dict[str, Any] | None = None
        self._metadata_at = 0.0
        self._keys: KeySet | None = None

    def close(self) -> None:
        self._http.close()

    def authorization_url(self, flow: Flow) -> str:
        """Where to send the browser: the provider's authorization endpoint, with PKCE."""
        from authlib.oauth2.rfc6749.parameters import prepare_grant_uri
        from authlib.oauth2.rfc7636 import create_s256_code_challenge

        uri: str = prepare_grant_uri(
            self._metadata_value("authorization_endpoint"),
            self.client_id,
            "code",
            redirect_uri=self.redirect_uri,
            scope=self._scopes,
            state=flow.state,
            nonce=flow.nonce,
            code_challenge=create_s256_code_challenge(flow.verifier),
            code_challenge_method="S256",
        )
        return uri

    def redeem(self, code: str, flow: Flow) -> Identity:
        """Exchanges ``code`` (with the flow's PKCE verifier) and checks the ID token.

        Raises ``SignOnFailed`` when the provider refuses the code (used before, expired,
        not this client's) or its token fails a check; ``ProviderUnavailable`` when it
        does not answer as a provider should.
        """
        from authlib.oauth2.rfc6749.parameters import prepare_token_request

        body = prepare_token_request(
            "authorization_code",
            code=code,
            redirect_uri=self.redirect_uri,
            code_verifier=flow.verifier,
            **({} if self._secret else {"client_id": self.client_id}),
        )
        answer = self._request(
            "POST",
            self._metadata_value("token_endpoint"),
            content=body,
            headers={"Content-Type": "application/x-www-form-urlencoded"},
            auth=(self.client_id, self._secret) if self._secret else None,
        )
        tokens = self._json(answer)
        if answer.status_code == 400 and tokens.get("error") == "invalid_grant":
            raise SignOnFailed(
                N_(
                    "%(provider)s refused this sign-in: its code was already used or has "
                    "expired. Start again from the sign-in page."
                ),
                check="code",
                provider=self.name,
            )
        id_token = tokens.get("id_token")
        if answer.status_code != 200 or not isinstance(id_token, str):
            logger.warning("token endpoint answered %s: %s", answer.status_code, tokens)
            raise ProviderUnavailable(self.name)
        access_token = tokens.get("access_token")
        claims = self.verify_id_token(id_token, flow.nonce, access_token)
        claims = self._with_userinfo(claims, access_token)
        return Identity(self.issuer, str(claims["sub"]), claims)

    def verify_id_token(
        self, id_token: str, nonce: str, access_token: str | None = None
    ) -> dict[str, Any]:
        """The ID token's claims once its signature, issuer, audience, expiry and nonce
        check out; ``SignOnFailed`` naming the check otherwise."""
        from authlib.oidc.core import CodeIDToken
        from joserfc.errors import ExpiredTokenError, InvalidClaimError, MissingClaimError

        token = self._decode(id_token)
        options = {
            "iss": {"essential": True, "value": self.issuer},
            "aud": {"essential": True, "value": self.client_id},
            "sub": {"essential": True},
            "exp": {"essential": True},
        }
        params = {"nonce": nonce, "client_id": self.client_id}
        if isinstance(access_token, str):
            params["access_token"] = access_token
        checked = CodeIDToken(token.claims, token.header, options, params)
        try:
            checked.validate(now=int(self._clock().timestamp()), leeway=LEEWAY)
        except ExpiredTokenError:
            raise SignOnFailed(EXPIRED, check="expiry", provider=self.name) from None
        except (InvalidClaimError, MissingClaimError) as exc:
            check = {"iss": "issuer", "aud": "audience", "azp": "audience"}.get(
                exc.claim, exc.claim
            )
            logger.warning("ID token refused: %s", exc)
            raise SignOnFailed(UNTRUSTED, check=check, provider=self.name) from None
        return dict(checked)

    def _decode(self, id_token: str) -> jwt.Token:
        """Verifies the signature, reading the key set again once for an unknown key."""
        from joserfc import jwt
        from joserfc.errors import InvalidKeyIdError, JoseError

        for fresh in (False, True):
            try:
                return jwt.decode(id_token, self._key_set(fresh=fresh), algorithms=ALGORITHMS)
            except InvalidKeyIdError:
                if fresh:
                    break
            except (JoseError, ValueError) as exc:  # a bad signature, a malformed token
                logger.warning("ID token signature refused: %s", exc)
                break
        raise SignOnFailed(UNTRUSTED, check="signature", provider=self.name)

    def _key_set(self, *, fresh: bool) -> KeySet:
        from joserfc.errors import JoseError
        from joserfc.jwk import KeySet

        if self._keys is None or fresh:
            answer = self._request("GET", self._metadata_value("jwks_uri"))
            try:
                self._keys = KeySet.import_key_set(self._json(answer))  # type: ignore[arg-type]
            except (JoseError, ValueError, TypeError, KeyError):
                logger.warning("the provider's key set cannot be read: %s", answer.text[:500])
                raise ProviderUnavailable(self.name) from None
        return self._keys

    def _with_userinfo(self, claims: dict[str, Any], access_token: object) -> dict[str, Any]:
        """Adds the userinfo endpoint's claims, which many providers keep out of the ID
        token; a userinfo answer about another subject is refused."""
        endpoint = self._metadata().get("userinfo_endpoint")
        if not endpoint or not isinstance(access_token, str):
            return claims
        answer = self._request("GET", endpoint, headers={"Authorization": f"Bearer {access_token}"})
        info = self._json(answer)
        if answer.status_code != 200:
            logger.warning("userinfo answered %s: %s", answer.status_code, info)
            raise ProviderUnavailable(self.name)
        if info.get("sub") != claims["sub"]:
            raise SignOnFailed(UNTRUSTED, check="subject", provider=self.name)
        return {**info, **claims}  # the signed claims win

    def _metadata(self) -> dict[str, Any]:
        """The discovery document, whose ``issuer`` must be exactly the configured one."""
        if self._discovered is not None and time.monotonic() - self._metadata_at < METADATA_TTL:
            return self._discovered
        url = self.issuer.rstrip("/") + "/.well-known/openid-configuration"
        document = self._json(self._request("GET", url))
        if document.get("issuer") != self.issuer:
            logger.warning("discovery at %s names issuer %r", url, document.get("issuer"))
            raise ProviderUnavailable(self.name)
        self._discovered, self._metadata_at = document, time.monotonic()
        return document

    def _metadata_value(self, name: str) -> str:
        value = self._metadata().get(name)
        if not isinstance(value, str) or not value:
            logger.warning("the provider's discovery document has no %s", name)
            raise ProviderUnavailable(self.name)
        return value

    def _request(self, method: str, url: str, **options: Any) -> httpx.Response:
        import httpx

        try:
            return self._http.request(method, url, **options)
        except httpx.HTTPError as exc:
            logger.warning("%s %s failed: %s", method, url, exc)
            raise ProviderUnavailable(self.name) from None

    def _json(self, answer: httpx.Response) -> dict[str, Any]:
        try:
            data = answer.json()
        except ValueError:
            data = None
        if not isinstance(data, dict):
            logger.warning("%s answered %s, not JSON", answer.url, answer.status_code)
            raise ProviderUnavailable(self.name)
        return data
