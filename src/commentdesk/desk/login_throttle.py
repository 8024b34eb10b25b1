"""Failed console sign-ins: who must wait, and for how long.

Failures are counted per (account, address) pair. A pair may fail ``PAIR_FREE`` times;
after that each further failure makes it wait twice as long as the one before, from
``FIRST_WAIT`` up to ``WAIT_CAP``. So a stranger guessing at someone's account is
slowed, while the owner, signing in from an address with no failures of its own for
that account, is never kept out. Two wider counts slow, never lock: an account failing
from many addresses at once (``ACCOUNT_BUSY`` in ``RECENT``) gives every pair that has
already failed no free tries, and one address failing on many accounts
(``ADDRESS_FAILURES_MAX`` in ``RECENT``) waits until its failures age out.

No address is ever stored, not even as a hash that outlives the day: pair and address
keys are HMACs under the daily, forgotten salt of ``desk/addresses.py``, and every write
here deletes the rows of earlier days (as does the hourly retention run, for an idle
server). A pair's count therefore starts afresh at midnight UTC.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from commentdesk.desk.addresses import AddressHasher
from commentdesk.desk.context import Context
from commentdesk.errors import Forbidden
from commentdesk.store.tables import login_failures

PAIR_FREE = 3
FIRST_WAIT = timedelta(seconds=30)
WAIT_CAP = timedelta(hours=1)
RECENT = timedelta(minutes=15)
ACCOUNT_BUSY = 10
ADDRESS_FAILURES_MAX = 20


class LoginThrottled(Forbidden):
    code = "login_throttled"

    def __init__(self, wait: timedelta) -> None:
        seconds = max(1, -int(-wait.total_seconds() // 1))  # rounded up
        when = f"{seconds} seconds" if seconds < 120 else f"{-(-seconds // 60)} minutes"
        super().__init__(
            f"Too many failed sign-ins from here. Please wait {when} and try again, "
            "or ask an admin to reset your password.",
            field="password",
        )
        self.seconds = seconds


def pair_wait(failures: int, *, free: int) -> timedelta:
    """How long a pair waits after its latest failure, given how many it made today."""
    beyond = failures - free
    if beyond <= 0:
        return timedelta(0)
    return min(FIRST_WAIT * (1 << min(beyond - 1, 20)), WAIT_CAP)


def start_of_day(at: datetime) -> datetime:
    return datetime(at.year, at.month, at.day, tzinfo=UTC)


@dataclass(frozen=True, slots=True)
class Keys:
    """One attempt's three counters: the account (a name, not an address), and the
    address and the (account, address) pair under today's salt."""

    account: str
    address: str
    pair: str


class LoginThrottle:
    def __init__(self, context: Context, addresses: AddressHasher) -> None:
        self._context = context
        self._addresses = addresses

    def keys(self, name: str, address: str) -> Keys:
        """Call outside a write transaction: hashing may read (once a day, write) the salt."""
        account = name.strip().lower()
        return Keys(
            account=self._context.keyed_hash("login-account", account),
            address=self._addresses(address, "login-address"),
            pair=self._addresses(address, f"login-pair:{account}"),
        )

    def check(self, keys: Keys) -> None:
        """Raises ``LoginThrottled`` when this attempt must wait; reads only."""
        now = self._context.clock()
        with self._context.store.read() as connection:
            busy = _count(connection, keys.account, now - RECENT) >= ACCOUNT_BUSY
            crowded = _count(connection, keys.address, now - RECENT) >= ADDRESS_FAILURES_MAX
            failures, last = _pair(connection, keys.pair, start_of_day(now))
        wait = pair_wait(failures, free=0 if busy else PAIR_FREE) - (now - last)
        if crowded:
            wait = max(wait, RECENT)
        if wait > timedelta(0):
            raise LoginThrottled(wait)

    def note_failure(self, connection: Connection, keys: Keys) -> None:
        """Counts one failure, in the caller's transaction."""
        now = self._context.clock()
        prune(connection, now)
        connection.execute(
            login_failures.insert(),
            [{"key_hash": key, "at": now} for key in (keys.account, keys.address, keys.pair)],
        )

    def note_success(self, connection: Connection, keys: Keys) -> None:
        """The pair starts afresh; the account's and address's counts still age out."""
        prune(connection, self._context.clock())
        connection.execute(login_failures.delete().where(login_failures.c.key_hash == keys.pair))


def prune(connection: Connection, now: datetime) -> int:
    """Deletes every failure from before today: their salt is gone or going."""
    old = login_failures.c.at < start_of_day(now)
    return int(connection.execute(login_failures.delete().where(old)).rowcount)


def _count(connection: Connection, key: str, since: datetime) -> int:
    query = sa.select(sa.func.count()).where(
        login_failures.c.key_hash == key, login_failures.c.at > since
    )
    return int(connection.execute(query).scalar_one())


def _pair(connection: Connection, key: str, since: datetime) -> tuple[int, datetime]:
    query = sa.select(sa.func.count(), sa.func.max(login_failures.c.at)).where(
        login_failures.c.key_hash == key, login_failures.c.at >= since
    )
    count, last = connection.execute(query).one()
    return int(count), last or since
