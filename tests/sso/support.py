"""A real OpenID provider (oidc-provider, run by node) and a person who signs in through it.

``Provider`` starts ``tests/sso/provider.mjs`` on a free loopback port and stops it; a
restart on the same port is a key rotation (each start makes a new signing key).
``Person`` is one browser: a TestClient for the console and an httpx client for the
provider (each site keeps its own cookies), following the redirects between them and
filling in the provider's own login and consent forms.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import subprocess
import time
from pathlib import Path
from urllib.parse import parse_qs, urlencode, urljoin, urlsplit

import httpx2
import pytest
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from fastapi.testclient import TestClient

from tests.livesrv import free_port

HERE = Path(__file__).parent
SCRIPT = HERE / "provider.mjs"
PACKAGE = HERE / "node_modules" / "oidc-provider"
CLIENT_SECRET = "a-test-client-secret"
APP = "http://testserver"
CALLBACK = f"{APP}/console/login/sso/callback"
REQUIRE = os.environ.get("COMMENTDESK_REQUIRE_BROWSER") == "1"
_FORM = re.compile(r'<form[^>]*action="([^"]+)"[^>]*method="post"', re.IGNORECASE)
_HIDDEN = re.compile(r'<input type="hidden" name="([^"]+)" value="([^"]*)"')


def node_or_skip() -> str:
    """node, or a one-line skip (a failure when CI requires it)."""
    node = shutil.which("node")
    reason = None
    if node is None:
        reason = "single sign-on tests skipped: node is not installed (apt-get install nodejs)"
    elif not PACKAGE.is_dir():
        reason = "single sign-on tests skipped: run `npm ci --prefix tests/sso` (make does)"
    if reason is None:
        assert node is not None
        return node
    if REQUIRE:
        pytest.fail(reason.replace("skipped", "required, but"))
    pytest.skip(reason)


class Provider:
    """oidc-provider on 127.0.0.1:PORT, its output in ``log``."""

    def __init__(self, node: str, log: Path, callback: str = CALLBACK) -> None:
        self._node = node
        self.log = log
        self.callback = callback
        self.port = free_port()
        self.issuer = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None
        self.start()

    def start(self) -> None:
        env = {
            **os.environ,
            "SSO_PORT": str(self.port),
            "SSO_REDIRECT_URI": self.callback,
            "SSO_CLIENT_SECRET": CLIENT_SECRET,
        }
        with self.log.open("wb") as output:
            self._process = subprocess.Popen(
                [self._node, str(SCRIPT)], cwd=HERE, env=env, stdout=output, stderr=output
            )
        deadline = time.monotonic() + 30
        while f"ready {self.issuer}" not in self.log.read_text():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the OpenID provider did not start:\n{self.log.read_text()}")
            time.sleep(0.05)

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            self._process.wait(timeout=10)
        self._process = None

    def rotate(self) -> None:
        """Restarts on the same port, so with a new signing key (and a new key id)."""
        self.stop()
        self.start()

    def key_set_reads(self) -> int:
        """How often this start's key set was read (``/jwks``)."""
        return self.log.read_text().splitlines().count("jwks")


class Person:
    """One browser, signing in to the console through the provider."""

    def __init__(self, console: TestClient) -> None:
        self.console = console
        self.provider = httpx2.Client(timeout=10)

    def close(self) -> None:
        self.provider.close()

    def leave_for_provider(self, next: str = "/console") -> str:
        """Clicks "Sign in with ...": the provider's address the console sends us to."""
        answer = self.console.get(
            f"/console/login/sso?{urlencode({'next': next})}", follow_redirects=False
        )
        assert answer.status_code == 303, answer.text
        location: str = answer.headers["location"]
        return location

    def log_in_at_provider(self, url: str, login: str) -> str:
        """Logs in and consents at the provider; the console address it sends us back to."""
        answer = self.provider.get(url)
        for _ in range(10):
            while answer.is_redirect:
                target = urljoin(str(answer.url), answer.headers["location"])
                if target.startswith(APP):
                    return target
                answer = self.provider.get(target)
            form = _FORM.search(answer.text)
            assert form, f"no form at the provider:\n{answer.text[:2000]}"
            fields = dict(_HIDDEN.findall(answer.text))
            if fields.get("prompt") == "login":
                fields |= {"login": login, "password": "anything"}
            answer = self.provider.post(urljoin(str(answer.url), form.group(1)), data=fields)
        raise AssertionError("the provider never sent us back")

    def come_back(self, callback: str) -> httpx2.Response:
        """Follows the provider's redirect back to the console."""
        parts = urlsplit(callback)
        return self.console.get(f"{parts.path}?{parts.query}", follow_redirects=False)

    def sign_in(self, login: str, next: str = "/console") -> httpx2.Response:
        """The whole round: the console's answer to the way back."""
        return self.come_back(self.log_in_at_provider(self.leave_for_provider(next), login))


def tokens_for(provider: Provider, client_id: str, login: str, nonce: str) -> dict[str, str]:
    """The provider's token answer to a whole code flow made as ``client_id`` (another
    application of the newsroom's, say), outside the console."""
    verifier = secrets.token_urlsafe(48)
    query = {
        "response_type": "code",
        "client_id": client_id,
        "redirect_uri": CALLBACK,
        "scope": "openid profile groups",
        "state": "s",
        "nonce": nonce,
        "code_challenge": create_s256_code_challenge(verifier),
        "code_challenge_method": "S256",
    }
    walker = Person.__new__(Person)
    walker.provider = httpx2.Client(timeout=10)
    try:
        back = walker.log_in_at_provider(f"{provider.issuer}/auth?{urlencode(query)}", login)
        code = parse_qs(urlsplit(back).query)["code"][0]
        answer = walker.provider.post(
            f"{provider.issuer}/token",
            data={
                "grant_type": "authorization_code",
                "code": code,
                "redirect_uri": CALLBACK,
                "code_verifier": verifier,
            },
            auth=(client_id, CLIENT_SECRET),
        )
    finally:
        walker.close()
    assert answer.status_code == 200, answer.text
    tokens: dict[str, str] = answer.json()
    return tokens
