"""What a site vouches for: domains whose links and numbers whose mention are no reason.

A link to a wire agency or a UN page in a first comment, or a helpline passed on to a
reader in distress, is what good comments do; the starter lists in ``triage/data/``
(``vouched_domains.txt``, ``vouched_numbers.txt``) say so out of the box, and each site
edits its own copy (``desk/vouched.py``). Pure: parsing and cleaning only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

from commentdesk.triage.phones import national_form

#: Entries per list and characters per entry an admin may save.
MAX_ENTRIES = 2000
MAX_ENTRY = 100
_DOMAIN = re.compile(
    r"(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)*[a-z0-9][a-z0-9\-]{0,61}[a-z0-9]"
)
_NUMBER = re.compile(r"\+?[0-9][0-9 ()\-.]{1,30}")


class VouchedError(ValueError):
    """An entry that is not a domain or not a number; the message names it."""


@dataclass(frozen=True, slots=True)
class Vouched:
    """A site's vouched domains (as :func:`commentdesk.triage.links.domain_in` reads
    them) and numbers (in :func:`commentdesk.triage.phones.national_form`)."""

    domains: frozenset[str]
    numbers: frozenset[str]


def lines_of(text: str) -> list[str]:
    """Non-empty lines with "#" comments removed."""
    lines = (line.split("#", 1)[0].strip() for line in text.splitlines())
    return [line for line in lines if line]


def clean_domains(lines: list[str]) -> tuple[str, ...]:
    """Lower-cased domains, "*." and a scheme or path dropped, duplicates folded; raises
    :class:`VouchedError` naming the first entry that is not a domain."""
    _check_sizes(lines)
    domains: dict[str, None] = {}
    for line in lines:
        domain = line.lower().removeprefix("https://").removeprefix("http://")
        domain = domain.split("/", 1)[0].removeprefix("*.").removeprefix("www.").rstrip(".")
        if not _DOMAIN.fullmatch(domain):
            raise VouchedError(f"{line[:MAX_ENTRY]!r} is not a domain like reuters.com or *.gov")
        domains[domain] = None
    return tuple(domains)


def clean_numbers(lines: list[str]) -> tuple[str, ...]:
    """Numbers as written (the admin's spelling is kept for the form), duplicates folded;
    raises :class:`VouchedError` naming the first entry that is not a number."""
    _check_sizes(lines)
    numbers: dict[str, None] = {}
    for line in lines:
        if not _NUMBER.fullmatch(line) or len(national_form(line)) < 3:
            raise VouchedError(f"{line[:MAX_ENTRY]!r} is not a phone number like 1577-1366")
        numbers[line] = None
    return tuple(numbers)


def vouched_from(domains: tuple[str, ...], numbers: tuple[str, ...]) -> Vouched:
    return Vouched(frozenset(domains), frozenset(national_form(number) for number in numbers))


@cache
def starter_domains() -> tuple[str, ...]:
    return clean_domains(lines_of(_data("vouched_domains.txt")))


@cache
def starter_numbers() -> tuple[str, ...]:
    return clean_numbers(lines_of(_data("vouched_numbers.txt")))


@cache
def starter_vouched() -> Vouched:
    return vouched_from(starter_domains(), starter_numbers())


def _check_sizes(lines: list[str]) -> None:
    if len(lines) > MAX_ENTRIES:
        raise VouchedError(f"Keep to {MAX_ENTRIES} entries (this list has {len(lines)}).")
    for line in lines:
        if len(line) > MAX_ENTRY:
            raise VouchedError(f"{line[:40]!r}… is longer than {MAX_ENTRY} characters.")


def _data(name: str) -> str:
    return resources.files(__package__).joinpath("data").joinpath(name).read_text("utf-8")
