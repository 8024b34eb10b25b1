"""The webhook address policy: every spelling of an internal address is that address, and
is refused; public addresses pass; the operator's allowance opens exactly what it names."""

from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv4Network, IPv6Address

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commentdesk import egress
from commentdesk.egress import AddressRefused, Allowance, HostUnknown, IPAddress

NOTHING = Allowance()
INTERNAL_V4 = [
    IPv4Network(n)
    for n in (
        "0.0.0.0/8",
        "10.0.0.0/8",
        "100.64.0.0/10",
        "127.0.0.0/8",
        "169.254.0.0/16",
        "172.16.0.0/12",
        "192.168.0.0/16",
        "224.0.0.0/4",
        "240.0.0.0/4",
    )
]
PUBLIC = ["1.1.1.1", "8.8.4.4", "93.184.215.14", "2606:4700:4700::1111"]


def nowhere(host: str, port: int) -> list[IPAddress]:
    raise AssertionError(f"{host} should not have been looked up")


def verdict(url: str, resolve: egress.Resolver = nowhere, allowed: Allowance = NOTHING) -> str:
    try:
        return str(egress.check(egress.target_of(url), resolve, allowed))
    except AddressRefused as refused:
        return f"refused {refused.reason}"


@st.composite
def internal_v4(draw: st.DrawFn) -> IPv4Address:
    network = draw(st.sampled_from(INTERNAL_V4))
    offset = draw(st.integers(0, network.num_addresses - 1))
    return network[offset]


@st.composite
def spelled(draw: st.DrawFn, address: IPv4Address) -> str:
    """``address`` as inet_aton reads it: 1 to 4 parts, each decimal, octal or hex."""
    count = draw(st.integers(1, 4))
    value = int(address)
    widths = [1] * (count - 1) + [5 - count]  # bytes per part; the last takes the rest
    parts, shift = [], 32
    for width in widths:
        shift -= 8 * width
        parts.append((value >> shift) & ((1 << (8 * width)) - 1))
    forms = ("{:d}", "0{:o}", "0x{:x}", "0X{:X}")  # decimal, octal, hex
    return ".".join(draw(st.sampled_from(forms)).format(p) for p in parts)


@given(st.data())
def test_every_spelling_of_an_ipv4_address_is_that_address(data: st.DataObject) -> None:
    address = IPv4Address(data.draw(st.integers(0, 2**32 - 1)))
    assert egress.literal(data.draw(spelled(address))) == address


@given(st.data(), st.sampled_from(["", "."]))
def test_every_spelling_of_an_internal_ipv4_address_is_refused(
    data: st.DataObject, dot: str
) -> None:
    spelling = data.draw(spelled(data.draw(internal_v4())))
    assert verdict(f"http://{spelling}{dot}:8080/hook").startswith("refused")


@given(internal_v4())
def test_ipv6_forms_that_carry_an_internal_ipv4_address_are_refused(address: IPv4Address) -> None:
    n = int(address)
    carriers = [
        IPv6Address(0xFFFF_0000_0000 | n),  # ::ffff:a.b.c.d, mapped
        IPv6Address(n) if n > 1 else IPv6Address(0xFFFF_0000_0000 | n),  # ::a.b.c.d
        IPv6Address((0x2002 << 112) | (n << 80)),  # 6to4
        IPv6Address(int(IPv6Address("64:ff9b::")) | n),  # NAT64
    ]
    for carrier in carriers:
        assert verdict(f"http://[{carrier}]/hook").startswith("refused"), carrier


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1:8025/hook",
        "http://169.254.169.254/latest/meta-data/iam/",
        "http://[::1]/hook",
        "http://[0:0:0:0:0:0:0:1]/hook",
        "http://0x7f000001/hook",
        "http://2130706433/hook",
        "http://0177.0.0.1/hook",
        "http://127.1/hook",
        "http://[::ffff:127.0.0.1]/hook",
        "http://[::ffff:7f00:1]/hook",
        "http://[64:ff9b::a9fe:a9fe]/hook",
        "http://[2002:a9fe:a9fe::]/hook",
        "http://0.0.0.0/hook",
        "http://0/hook",
        "http://[::]/hook",
        "http://localhost/hook",
        "http://LocalHost./hook",
        "http://api.localhost/hook",
        "http://[fe80::1]/hook",
        "http://[fd00::1]/hook",
        "http://[fec0::1]/hook",
        "http://[ff02::1]/hook",
        "https://10.0.0.5/hook",
        "https://192.168.1.1/hook",
    ],
)
def test_internal_addresses_in_any_spelling_are_refused(url: str) -> None:
    assert verdict(url).startswith("refused")


@pytest.mark.parametrize("url", ["http://256.1.1.1/", "http://1.2.3.4.5/", "http://hooks.08/"])
def test_a_number_that_names_no_address_is_refused_rather_than_looked_up(url: str) -> None:
    assert verdict(url) == "refused unreadable"


@pytest.mark.parametrize("address", PUBLIC)
def test_public_addresses_pass(address: str) -> None:
    host = f"[{address}]" if ":" in address else address
    assert verdict(f"https://{host}/hook") == address


def test_a_name_is_refused_if_any_address_it_resolves_to_is_internal() -> None:
    def mixed(host: str, port: int) -> list[IPAddress]:
        return [IPv4Address("1.1.1.1"), IPv4Address("10.0.0.7")]

    assert verdict("https://hooks.example/hook", mixed) == "refused private"


def test_a_public_name_gives_the_first_address_it_resolves_to() -> None:
    def public(host: str, port: int) -> list[IPAddress]:
        assert (host, port) == ("hooks.example", 8443)
        return [IPv6Address("2606:4700:4700::1111"), IPv4Address("1.1.1.1")]

    assert verdict("https://Hooks.Example.:8443/hook", public) == "2606:4700:4700::1111"


def test_an_unknown_name_is_told_apart() -> None:
    with pytest.raises(HostUnknown):
        egress.check(egress.target_of("https://nowhere.example/"), lambda h, p: [], NOTHING)


def test_a_name_allowed_with_a_port_opens_that_name_and_port_only() -> None:
    allowed = Allowance.parse("hooks.internal:8443")

    def internal(host: str, port: int) -> list[IPAddress]:
        return [IPv4Address("10.1.2.3")]

    assert verdict("https://hooks.internal:8443/h", internal, allowed) == "10.1.2.3"
    assert verdict("https://hooks.internal:8444/h", internal, allowed) == "refused private"
    assert verdict("https://other.internal:8443/h", internal, allowed) == "refused private"


def test_an_allowed_network_opens_the_addresses_inside_it() -> None:
    allowed = Allowance.parse("10.20.0.0/16, [fd00::5]:8443")
    assert verdict("http://10.20.9.9/h", allowed=allowed) == "10.20.9.9"
    assert verdict("http://10.21.0.1/h", allowed=allowed) == "refused private"
    assert verdict("http://[fd00::5]:8443/h", allowed=allowed) == "fd00::5"
    assert verdict("http://[fd00::5]:80/h", allowed=allowed) == "refused private"


def test_unspecified_and_multicast_stay_refused_even_when_allowed() -> None:
    allowed = Allowance.parse("0.0.0.0/0, ::/0")
    assert verdict("http://0.0.0.0/h", allowed=allowed) == "refused unspecified"
    assert verdict("http://224.0.0.1/h", allowed=allowed) == "refused multicast"


@pytest.mark.parametrize("entry", ["hooks internal", "10.0.0.0/33", "host:0", "host:99999", "a@b"])
def test_a_bad_allowance_entry_is_named(entry: str) -> None:
    with pytest.raises(ValueError, match=re.escape(repr(entry))):
        Allowance.parse(f"hooks.internal, {entry}")


def test_the_target_keeps_the_name_for_host_and_tls_and_aims_at_the_address() -> None:
    target = egress.target_of("https://user@Hooks.Example:8443/in?x=1#frag")
    assert target.host_header == "hooks.example:8443"
    assert target.url_for(IPv6Address("2606:4700::1")) == "https://[2606:4700::1]:8443/in?x=1"
    assert egress.target_of("http://hooks.example/").host_header == "hooks.example"
