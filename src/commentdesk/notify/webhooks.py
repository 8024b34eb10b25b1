"""Webhook deliveries: a signed JSON POST to a checked public address, no redirects followed.

The receiver checks ``X-Commentdesk-Signature: sha256=HEX``, an HMAC-SHA256 under the
webhook's secret of ``TIMESTAMP.BODY`` (the timestamp from ``X-Commentdesk-Timestamp``),
and should refuse old timestamps so a captured request cannot be replayed. Any 2xx
answer counts as delivered; anything else (or no answer in time) is retried, and is
recorded as a category only (``HTTP 4xx``, ``could not connect``...). Where a webhook may
go is ``commentdesk.egress``'s policy, applied again at each send.
"""

from __future__ import annotations

import hashlib
import hmac
import socket
import ssl
from ipaddress import ip_address
from typing import Protocol

from commentdesk import egress
from commentdesk.egress import Allowance, IPAddress, Resolver

USER_AGENT = "commentdesk-webhook/1"
# What a failed delivery records (``last_error``, shown to admins): fixed categories,
# never what the endpoint or the network said, so the record cannot map a network.
REFUSED = "refused: address not allowed"
UNKNOWN_HOST = "could not resolve the host"
NO_CONNECTION = "could not connect"
TIMED_OUT = "timed out"


class DeliveryFailed(Exception):
    """The endpoint did not take the delivery; the worker retries later."""


class Poster(Protocol):
    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> None: ...


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def headers_for(
    secret: str, event: str, delivery_id: int, timestamp: str, body: bytes
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Commentdesk-Event": event,
        "X-Commentdesk-Delivery": str(delivery_id),
        "X-Commentdesk-Timestamp": timestamp,
        "X-Commentdesk-Signature": signature(secret, timestamp, body),
    }


def resolve_system(host: str, port: int) -> list[IPAddress]:
    """The system resolver's TCP addresses for ``host``; empty when the name is unknown."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        return []
    return [ip_address(str(info[4][0]).partition("%")[0]) for info in found]


class HttpPoster:
    """Posts to the address the policy checked (``egress.check``), never to a second DNS
    answer: the URL is aimed at that address while ``Host`` and TLS (SNI and the
    certificate check) keep the name. No redirects, no proxies from the environment, no
    kept connections (one to an address could otherwise serve another name on it)."""

    def __init__(self, resolve: Resolver, allowed: Allowance) -> None:
        self._resolve = resolve
        self._allowed = allowed
        self._tls = ssl.create_default_context()

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> None:
        try:
            target = egress.target_of(url)
            address = egress.check(target, self._resolve, self._allowed)
        except egress.AddressRefused:
            raise DeliveryFailed(REFUSED) from None
        except egress.HostUnknown:
            raise DeliveryFailed(UNKNOWN_HOST) from None
        status = self._send(target, address, body, {**headers, "Host": target.host_header}, timeout)
        if not 200 <= status < 300:
            # The class only: the code, reason and body are the receiver's words.
            raise DeliveryFailed(f"HTTP {status // 100}xx")

    def _send(
        self,
        target: egress.Target,
        address: IPAddress,
        body: bytes,
        headers: dict[str, str],
        timeout: float,
    ) -> int:
        import httpx  # here: a server that sends no webhook never loads it (5 MB)

        limits = httpx.Limits(max_keepalive_connections=0)
        try:
            with (
                httpx.Client(verify=self._tls, trust_env=False, limits=limits) as client,
                client.stream(
                    "POST",
                    target.url_for(address),
                    content=body,
                    headers=headers,
                    timeout=timeout,
                    extensions={"sni_hostname": target.host},
                ) as answer,
            ):
                return answer.status_code  # the body is never read
        except httpx.TimeoutException:
            raise DeliveryFailed(TIMED_OUT) from None
        except (httpx.HTTPError, httpx.InvalidURL, OSError, ValueError):
            raise DeliveryFailed(NO_CONNECTION) from None
