"""Each site's vouched domains and numbers: the shipped starter lists until an admin saves.

A link to a vouched domain or a mention of a vouched number is never a triage reason
(``triage/vouched.py`` says why). The lists are stored on the site's row (NULL: the
starter list); a save is one transaction with its staff event, and drops the site's
compiled triage in this process (other processes rebuild theirs within 30 seconds).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import sqlalchemy as sa

from commentdesk.desk.audit import StaffAction, record_staff_event
from commentdesk.desk.context import Context
from commentdesk.errors import Forbidden, InvalidInput, NotFound
from commentdesk.model import Moderator, Role
from commentdesk.store.tables import sites
from commentdesk.triage.vouched import (
    Vouched,
    VouchedError,
    clean_domains,
    clean_numbers,
    lines_of,
    starter_domains,
    starter_numbers,
    vouched_from,
)

#: Characters of one list as an admin sends it: 2,000 entries of a short line each.
MAX_TEXT = 100_000


@dataclass(frozen=True, slots=True)
class VouchedLists:
    """A site's lists as an admin edits them, one entry a line, in the admin's spelling."""

    domains: tuple[str, ...]
    numbers: tuple[str, ...]

    @property
    def compiled(self) -> Vouched:
        return vouched_from(self.domains, self.numbers)


class VouchedSettings:
    def __init__(self, context: Context, on_change: Callable[[int], None] | None = None) -> None:
        self._context = context
        self._on_change = on_change

    def for_site(self, site_id: int) -> VouchedLists:
        """The lists in force on a site: its own where saved, the starter lists elsewhere
        (also for a site id with no row: screening never fails on a lookup)."""
        query = sa.select(sites.c.vouched_domains, sites.c.vouched_numbers).where(
            sites.c.id == site_id
        )
        with self._context.store.read() as connection:
            row = connection.execute(query).first()
        domains, numbers = row if row is not None else (None, None)
        return VouchedLists(
            tuple(domains) if domains is not None else starter_domains(),
            tuple(numbers) if numbers is not None else starter_numbers(),
        )

    def save(self, actor: Moderator, site_id: int, *, domains: str, numbers: str) -> VouchedLists:
        """Replaces a site's vouched lists (one entry a line, "#" starts a comment); raises
        :class:`InvalidInput` naming the first bad entry, :class:`Forbidden` for a
        moderator. Stored with a ``vouched_changed`` staff event in one transaction."""
        if actor.role is not Role.ADMIN:
            raise Forbidden("Only an admin can change settings.")
        lists = VouchedLists(
            _clean(domains, "vouched_domains", clean_domains),
            _clean(numbers, "vouched_numbers", clean_numbers),
        )
        before = self.for_site(site_id)
        with self._context.store.write() as connection:
            done = connection.execute(
                sites.update()
                .where(sites.c.id == site_id)
                .values(vouched_domains=list(lists.domains), vouched_numbers=list(lists.numbers))
            )
            if done.rowcount == 0:
                raise NotFound("There is no such site.", field="site")
            record_staff_event(
                connection,
                at=self._context.clock(),
                action=StaffAction.VOUCHED,
                moderator_id=actor.id,
                site_id=site_id,
                target=str(site_id),
                before_text=_describe(before),
                after_text=_describe(lists),
            )
        if self._on_change is not None:
            self._on_change(site_id)
        return lists


def _clean(text: str, field: str, clean: Callable[[list[str]], tuple[str, ...]]) -> tuple[str, ...]:
    if len(text) > MAX_TEXT:
        raise InvalidInput(field, f"Keep the list under {MAX_TEXT:,} characters.")
    try:
        return clean(lines_of(text))
    except VouchedError as exc:
        raise InvalidInput(field, str(exc)) from None


def _describe(lists: VouchedLists) -> str:
    return f"domains: {' '.join(lists.domains)}\nnumbers: {', '.join(lists.numbers)}"
