"""Believing ``X-Forwarded-For`` and ``X-Forwarded-Proto`` only from our own proxies.

Behind nginx or a load balancer every request comes from the proxy's address, and the
reader's address (which rate limits need, as a keyed hash) is in ``X-Forwarded-For``.
Anybody can send that header, so it is believed only when the connection comes from an
address in ``trusted_proxies``; the client is then the rightmost address in the chain
that is not itself one of our proxies. The address only ever lives in the ASGI scope:
nothing here stores or logs it.
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_networks(value: str) -> tuple[Network, ...]:
    """``"10.0.0.5, 10.1.0.0/16"`` → networks (the setting was validated at start)."""
    entries = (part.strip() for part in value.split(","))
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries if entry)


def _address(value: str) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address(value.strip().strip("[]"))
    except ValueError:
        return None


class TrustedProxies:
    """ASGI middleware: rewrites the scope's client and scheme for trusted proxies only."""

    def __init__(self, app: ASGIApp, *, trusted: str) -> None:
        self.app = app
        self.networks = parse_networks(trusted)

    def trusts(self, host: str) -> bool:
        address = _address(host)
        return address is not None and any(address in net for net in self.networks)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] in ("http", "websocket") and self.networks:
            peer = scope.get("client")
            if peer and self.trusts(peer[0]):
                self._rewrite(scope)
        await self.app(scope, receive, send)

    def _rewrite(self, scope: Scope) -> None:
        forwarded = _values(scope["headers"], b"x-forwarded-for")
        client = self.client_of(forwarded)
        if client is not None:
            scope["client"] = (client, 0)
        protos = _values(scope["headers"], b"x-forwarded-proto")
        if protos and protos[-1].lower() in ("http", "https"):
            scope["scheme"] = protos[-1].lower()

    def client_of(self, chain: list[str]) -> str | None:
        """The rightmost address of the chain that is not one of our proxies."""
        client = None
        for hop in reversed(chain):
            address = _address(hop)
            if address is None:
                break  # garbage: believe nothing further left
            client = str(address)
            if not any(address in net for net in self.networks):
                break
        return client


def _values(headers: Iterable[tuple[bytes, bytes]], name: bytes) -> list[str]:
    """Every comma-separated value of a header that may be sent several times."""
    joined = ",".join(v.decode("latin-1") for k, v in headers if k.lower() == name)
    return [part.strip() for part in joined.split(",") if part.strip()]
