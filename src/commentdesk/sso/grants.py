"""What the provider's groups give in the console: a role, and the sites and sections
to work on.

Pure: the claim's values and the ``oidc_groups`` table in, a :class:`Grant` out. Several
groups add up: admin wins over moderator, and a moderator's sites and sections are the
union of their groups', or every site when any of their groups names neither.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from commentdesk.model import Role
from commentdesk.settings import GroupGrant


@dataclass(frozen=True, slots=True)
class Grant:
    role: Role
    #: Site slugs; ``None`` for every site.
    sites: frozenset[str] | None
    #: ``(site slug, section slug)`` pairs; empty for an admin and for every site.
    sections: frozenset[tuple[str, str]] = frozenset()


def claim_values(claims: Mapping[str, object], name: str) -> tuple[str, ...]:
    """The claim as a list of strings: providers send a list, or one string."""
    value = claims.get(name)
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list | tuple):
        return tuple(v for v in value if isinstance(v, str))
    return ()


def grant_for(values: tuple[str, ...], table: Mapping[str, GroupGrant]) -> Grant | None:
    """The role, sites and sections ``values`` give; ``None`` when no value is in ``table``."""
    matched = [table[value] for value in values if value in table]
    if not matched:
        return None
    if any(grant.role == "admin" for grant in matched):
        return Grant(Role.ADMIN, None)
    if any(not grant.sites and not grant.sections for grant in matched):
        return Grant(Role.MODERATOR, None)
    return Grant(
        Role.MODERATOR,
        frozenset(slug for grant in matched for slug in grant.sites),
        frozenset(_pair(path) for grant in matched for path in grant.sections),
    )


def _pair(path: str) -> tuple[str, str]:
    site, _, section = path.partition("/")
    return site, section
