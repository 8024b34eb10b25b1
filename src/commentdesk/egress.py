"""Where webhooks may go: the address policy, pure (the only I/O is the resolver passed in).

A webhook is a request the server makes to an address an admin typed, from inside the
server's own network. Left open, it reaches what trusts that position: services on
loopback, the private network, a cloud's metadata address (169.254.169.254). So a host
must resolve only to public addresses, every spelling of an address counts as that
address (``127.1``, ``2130706433``, ``0x7f000001``, ``0177.0.0.1``, ``[::ffff:127.0.0.1]``,
6to4 and NAT64 forms), and the sender connects to the very address checked here, so a
second DNS answer cannot swap it. The operator names internal receivers that are
wanted in ``webhook_allow_internal`` (``Allowance``).

Three layers use it, so it sits below them all and imports nothing of ours: the settings
check ``webhook_allow_internal`` when they load, the desk checks a URL when it is saved,
and ``notify.webhooks`` checks again at each send.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network, ip_address, ip_network
from urllib.parse import urlsplit

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network
#: Host name and port to addresses; an empty answer means the name is unknown.
Resolver = Callable[[str, int], Sequence[IPAddress]]

DEFAULT_PORTS = {"http": 80, "https": 443}
# Where IPv6 carries an IPv4 address in its last 32 bits: NAT64 (well-known and local).
_NAT64 = (IPv6Network("64:ff9b::/96"), IPv6Network("64:ff9b:1::/48"))
_IPV4_COMPATIBLE = IPv6Network("::/96")
# One part of an IPv4 address as a C resolver (inet_aton) reads it: hex, octal, decimal.
_NUMBER = re.compile(r"0[xX][0-9a-fA-F]*|0[0-7]*|[1-9][0-9]*")
_ENDS_IN_NUMBER = re.compile(r"(?:^|\.)(?:[0-9]+|0[xX][0-9a-fA-F]*)$")
_LABEL = r"[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?"
_NAME = re.compile(rf"{_LABEL}(?:\.{_LABEL})*")
_BRACKETED = re.compile(r"\[([^\]]+)\](?::([0-9]{1,5}))?")


class AddressRefused(Exception):
    """The host is, or resolves to, an address webhooks may not reach; ``reason`` says
    which kind (``loopback``, ``private``...), for the log and tests, not for display."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class HostUnknown(Exception):
    """The host name resolves to no address."""


@dataclass(frozen=True, slots=True)
class Target:
    """Where a webhook URL points: ``host`` lower-case ASCII without brackets or final dot."""

    scheme: str
    host: str
    port: int
    path: str
    explicit_port: bool

    @property
    def host_header(self) -> str:
        """The ``Host`` header (and the name TLS checks the certificate against)."""
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}" if self.explicit_port else host

    def url_for(self, address: IPAddress) -> str:
        """The same URL aimed at ``address``, so the connection goes where it was checked."""
        host = f"[{address}]" if address.version == 6 else str(address)
        return f"{self.scheme}://{host}:{self.port}{self.path}"


def target_of(url: str) -> Target:
    """Parses a webhook URL; raises ``AddressRefused("unreadable")`` if it names no host."""
    try:
        parts = urlsplit(url)
        port = parts.port
        host = (parts.hostname or "").rstrip(".")
        host = host.encode("idna").decode("ascii").lower()
    except (ValueError, UnicodeError):
        raise AddressRefused("unreadable") from None
    if parts.scheme not in DEFAULT_PORTS or not host or port == 0:
        raise AddressRefused("unreadable")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(parts.scheme, host, port or DEFAULT_PORTS[parts.scheme], path, port is not None)


def literal(host: str) -> IPAddress | None:
    """The address ``host`` spells by itself, or None when it is a name to resolve.

    IPv4 is read as C resolvers read it (1 to 4 parts, each decimal, 0-octal or 0x-hex;
    the last fills the remaining bytes), because that is what a connect would reach. A
    host whose last label is a number but that names no address (``256.1.1.1``) raises
    ``AddressRefused("unreadable")`` rather than going to DNS.
    """
    host = host.strip("[]").rstrip(".").lower()
    if ":" in host:
        try:
            return ip_address(host)
        except ValueError:
            raise AddressRefused("unreadable") from None
    if not _ENDS_IN_NUMBER.search(host):
        return None
    found = _ipv4(host.split("."))
    if found is None:
        raise AddressRefused("unreadable")
    return found


def _ipv4(parts: list[str]) -> IPv4Address | None:
    if not 1 <= len(parts) <= 4 or not all(_NUMBER.fullmatch(p) for p in parts):
        return None
    numbers = [_number(p) for p in parts]
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (5 - len(numbers)):
        return None
    value = last
    for index, number in enumerate(head):
        value += number << (8 * (3 - index))
    return IPv4Address(value)


def _number(part: str) -> int:
    if part[:2].lower() == "0x":
        return int(part[2:] or "0", 16)
    if len(part) > 1 and part.startswith("0"):
        return int(part, 8)
    return int(part)


def refusal(address: IPAddress) -> str | None:
    """Why webhooks may not go to ``address`` (its kind), or None when it is public."""
    kinds = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("site-local", isinstance(address, IPv6Address) and address.is_site_local),
        ("not public", not address.is_global),
    )
    for kind, applies in kinds:
        if applies:
            return kind
    inner = embedded(address) if isinstance(address, IPv6Address) else None
    return None if inner is None else refusal(inner)


def embedded(address: IPv6Address) -> IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, compatible, 6to4, Teredo, NAT64)."""
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address.sixtofour is not None:
        return address.sixtofour
    if address.teredo is not None:
        return address.teredo[1]
    if any(address in net for net in _NAT64) or address in _IPV4_COMPATIBLE:
        return IPv4Address(int(address) & 0xFFFFFFFF)
    return None


def is_localhost(host: str) -> bool:
    """``localhost`` and its subdomains are loopback by definition (RFC 6761)."""
    return host == "localhost" or host.endswith(".localhost")


@dataclass(frozen=True, slots=True)
class Allowance:
    """Internal receivers the operator allows: host names, or addresses and networks,
    each with an optional port. A name matches the URL's host as written; a network
    matches the address the host resolved to."""

    names: tuple[tuple[str, int | None], ...] = ()
    networks: tuple[tuple[IPNetwork, int | None], ...] = ()

    @classmethod
    def parse(cls, text: str) -> Allowance:
        """Reads ``hooks.internal, hooks.internal:8443, 10.0.0.0/8, 127.0.0.1:9000,
        [fd00::1]:8443, fd00::/8``; raises ``ValueError`` naming a bad entry."""
        names: list[tuple[str, int | None]] = []
        networks: list[tuple[IPNetwork, int | None]] = []
        for entry in filter(None, (part.strip() for part in text.split(","))):
            host, port = _split_entry(entry)
            network = _network(host)
            if network is not None:
                networks.append((network, port))
            elif _NAME.fullmatch(host.lower().rstrip(".")):
                names.append((host.lower().rstrip("."), port))
            else:
                raise ValueError(f"{entry!r} is not a host name, address or network")
        return cls(tuple(names), tuple(networks))

    def allows(self, host: str, address: IPAddress, port: int) -> bool:
        named = any(name == host and p in (None, port) for name, p in self.names)
        return named or any(
            address.version == net.version and address in net and p in (None, port)
            for net, p in self.networks
        )


def _split_entry(entry: str) -> tuple[str, int | None]:
    bracketed = _BRACKETED.fullmatch(entry)
    if bracketed:
        host, port = bracketed.group(1), bracketed.group(2)
    elif entry.count(":") == 1:
        host, _, port = entry.partition(":")
    else:
        host, port = entry, None
    if port is None:
        return host, None
    if not port.isdigit() or not 1 <= int(port) <= 65535:
        raise ValueError(f"{entry!r} has no port between 1 and 65535")
    return host, int(port)


def _network(host: str) -> IPNetwork | None:
    try:
        return ip_network(host, strict=False)
    except ValueError:
        pass
    try:
        found = literal(host)
    except AddressRefused:
        raise ValueError(f"{host!r} is not an address") from None
    return None if found is None else ip_network(found)


def check(target: Target, resolve: Resolver, allowed: Allowance) -> IPAddress:
    """The address to connect to: the first one the host stands for, once every one of
    them is public or allowed. Raises ``AddressRefused`` or ``HostUnknown``.

    Unspecified and multicast addresses are refused even when allowed: neither is a
    receiver, and 0.0.0.0 reaches this machine.
    """
    found = literal(target.host)
    if found is not None:
        addresses: Sequence[IPAddress] = [found]
    elif is_localhost(target.host):
        addresses = [IPv4Address("127.0.0.1")]
    else:
        addresses = resolve(target.host, target.port)
    if not addresses:
        raise HostUnknown(target.host)
    for address in addresses:
        reason = refusal(address)
        if reason in ("unspecified", "multicast") or (
            reason is not None and not allowed.allows(target.host, address, target.port)
        ):
            raise AddressRefused(reason or "")
    return addresses[0]
