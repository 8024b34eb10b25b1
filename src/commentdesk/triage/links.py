"""Links in plain-text comments: how many, to where, and which ones hide where they go.

Comments are plain text, so a link is whatever a reader's eye (and the renderer) would
take for one: ``https://…``, ``www.…``, or a bare ``name.tld/…``. Bare domains count
only with a path or a top-level domain from a short list of the ones spam really uses,
so "e.g." and "Mr.Smith" are not links. Spammers write "example[.]com" or
"example(.)com" to dodge filters; those brackets are read as dots.

Pure functions: no DNS, no fetching, no clock. Domain rules match a domain and its
subdomains (a rule for ``example.com`` covers ``news.example.com``).
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache
from importlib import resources

_OBFUSCATED_DOT = re.compile(r"\s?[\[\(\{]\s?(?:\.|dot)\s?[\]\)\}]\s?", re.IGNORECASE)
_HOST = r"(?:\[[0-9a-f:.]+\]|[\w\-]+(?:\.[\w\-]+)+|\d{8,10})"
# Every repetition that can be followed by a failing test is bounded, or runs over a
# character class that the next token cannot start with, so each start position costs
# O(1) or scans a stretch that no other failing attempt scans again. An unbounded scheme
# ("[a-z][a-z0-9+.-]*://") scanned the rest of every letter run from each of its
# positions: O(n²), 0.3 s for 5,000 letters. Schemes are short; 32 characters is ample.
MAX_SCHEME = 32
_URL = re.compile(
    rf"(?P<scheme>[a-z][a-z0-9+.\-]{{0,{MAX_SCHEME - 1}}}://)(?P<host>{_HOST})(?::\d{{1,5}})?(?P<rest>[^\s<>\"']*)"
    rf"|(?P<www>www\.[\w\-]+(?:\.[\w\-]+)+)(?::\d{{1,5}})?(?P<wrest>[^\s<>\"']*)"
    rf"|(?<![\w@.\-])(?P<bare>[\w\-]+(?:\.[\w\-]+)*\.(?P<tld>[a-z]{{2,24}}))"
    rf"(?P<brest>/[^\s<>\"']*)?(?![\w@\-])",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)]}'\"…"
# Top-level domains that make a bare "name.tld" a link even without a path.
COMMON_TLDS = frozenset(
    [
        "com",
        "net",
        "org",
        "info",
        "biz",
        "io",
        "co",
        "me",
        "ly",
        "gl",
        "gd",
        "to",
        "tk",
        "ml",
        "ga",
        "cf",
        "gq",
        "xyz",
        "top",
        "site",
        "online",
        "club",
        "shop",
        "store",
        "app",
        "dev",
        "link",
        "click",
        "live",
        "vip",
        "win",
        "bet",
        "casino",
        "loan",
        "kr",
        "ru",
        "cn",
        "jp",
        "uk",
        "de",
        "fr",
        "us",
        "cc",
        "tv",
        "ws",
        "su",
        "pw",
        "icu",
        "buzz",
        "fun",
        "space",
        "website",
        "life",
        "today",
    ]
)


@cache
def known_shorteners() -> frozenset[str]:
    """The URL-shortener domains shipped in ``triage/data/shorteners.txt``."""
    text = resources.files(__package__).joinpath("data").joinpath("shorteners.txt")
    lines = (line.split("#", 1)[0].strip().lower() for line in text.read_text("utf-8").split("\n"))
    return frozenset(line for line in lines if line)


@dataclass(frozen=True, slots=True)
class Link:
    """One link found in the text, at ``text[start:end]``; ``host`` is lower-case."""

    url: str
    host: str
    start: int
    end: int
    is_ip: bool


@dataclass(frozen=True, slots=True)
class LinkPolicy:
    """A site's domain rules. Empty ``allowed`` means "no domain is vouched for"."""

    allowed: frozenset[str] = frozenset()
    denied: frozenset[str] = frozenset()
    shorteners: frozenset[str] = field(default_factory=known_shorteners)


@dataclass(frozen=True, slots=True)
class LinkReport:
    """Every link, and which of them are allowed, denied, shortened or raw addresses."""

    links: tuple[Link, ...] = ()
    allowed: tuple[Link, ...] = ()
    denied: tuple[Link, ...] = ()
    shortened: tuple[Link, ...] = ()
    raw_ip: tuple[Link, ...] = ()

    @property
    def count(self) -> int:
        return len(self.links)

    @property
    def unvouched(self) -> tuple[Link, ...]:
        """Links to domains that the site's allow list does not cover. O(links)."""
        allowed = frozenset(self.allowed)
        return tuple(link for link in self.links if link not in allowed)


def extract_links(text: str) -> tuple[Link, ...]:
    """Every link in ``text``, in order, with offsets into ``text`` itself.

    O(n x (MAX_SCHEME + 24)): the regular expressions' repetitions are bounded or
    cannot overlap a failed attempt (see :data:`_URL`), the rest is one pass.
    """
    searchable, offsets = _reveal_dots(text)
    found = (_link(match, offsets) for match in _URL.finditer(searchable))
    return tuple(link for link in found if link is not None)


def assess_links(text: str, policy: LinkPolicy) -> LinkReport:
    """Extract the links of ``text`` and sort them by ``policy``.

    O(n x D) where D is the most labels of a domain in the policy: see :func:`domain_in`.
    """
    links = extract_links(text)
    return LinkReport(
        links=links,
        allowed=tuple(link for link in links if domain_in(link.host, policy.allowed)),
        denied=tuple(link for link in links if domain_in(link.host, policy.denied)),
        shortened=tuple(link for link in links if domain_in(link.host, policy.shorteners)),
        raw_ip=tuple(link for link in links if link.is_ip),
    )


def domain_in(host: str, domains: Iterable[str]) -> bool:
    """Whether ``host`` is one of ``domains`` or a subdomain of one.

    Looks up the host's last 1, 2, ... D labels in the set, D being the most labels of a
    listed domain: O(D x len(host)), whether the list holds ten domains or ten thousand
    (comparing with every listed domain made a thousand links cost a million compares).
    """
    listed = domains if isinstance(domains, frozenset) else frozenset(domains)
    cut = len(host)
    for _ in range(_most_labels(listed)):
        dot = host.rfind(".", 0, cut)
        if host[dot + 1 :] in listed:
            return True
        if dot < 0:
            return False
        cut = dot
    return False


@lru_cache(maxsize=64)
def _most_labels(domains: frozenset[str]) -> int:
    return max((domain.count(".") + 1 for domain in domains), default=0)


def _reveal_dots(text: str) -> tuple[str, list[int]]:
    """NFKC (full-width dots and letters) and "[.]" -> ".", with offsets back to ``text``.

    ``offsets[i]`` is the original index of character ``i`` of the result; it has one
    extra item, ``len(text)``, so an end offset maps too.
    """
    folded = "".join(_nfkc_char(char) for char in text)  # one character per character
    pieces: list[str] = []
    offsets: list[int] = []
    position = 0
    for match in _OBFUSCATED_DOT.finditer(folded):
        pieces.append(folded[position : match.start()] + ".")
        offsets.extend(range(position, match.start()))
        offsets.append(match.start())
        position = match.end()
    pieces.append(folded[position:])
    offsets.extend(range(position, len(folded) + 1))
    return "".join(pieces), offsets


def _nfkc_char(char: str) -> str:
    folded = unicodedata.normalize("NFKC", char)
    if folded == "。":
        return "."
    return folded if len(folded) == 1 else char


def _link(match: re.Match[str], offsets: list[int]) -> Link | None:
    if match.group("scheme"):
        host, rest = match.group("host"), match.group("rest")
    elif match.group("www"):
        host, rest = match.group("www"), match.group("wrest")
    else:
        host, rest = match.group("bare"), match.group("brest") or ""
        if not rest and match.group("tld").lower() not in COMMON_TLDS:
            return None
    url = match.group()
    trimmed = len(url) - len(url.rstrip(_TRAILING)) if rest or not match.group("bare") else 0
    url = url[: len(url) - trimmed]
    host = host.lower().strip("[]").rstrip(".")
    end = offsets[match.end() - trimmed - 1] + 1
    return Link(url, host, offsets[match.start()], end, _is_ip(host))


def _is_ip(host: str) -> bool:
    """Dotted IPv4, bracketed IPv6, and the all-digits forms browsers also accept."""
    candidate: str | int = int(host) if host.isdigit() else host
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        return False
    return True
