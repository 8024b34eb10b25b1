"""Client addresses, hashed under a random salt that lives for one day.

The raw address is never stored or logged. Its keyed hash is good for one day of rate
limits and throttles; at midnight (UTC) the salt is replaced and forgotten, so
yesterday's hashes can no longer be linked to anything, even by someone holding the
secret key.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import threading
from typing import Any

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from commentdesk.desk.context import Context
from commentdesk.store.tables import meta

SALT_KEY = "address-salt"


class AddressHasher:
    """``hasher(address)`` → hex digest; thread-safe, one database read per day.

    ``purpose`` separates uses (``hasher(address, "login-pair:" + name)``), so one
    use's hashes cannot be matched against another's.
    """

    def __init__(self, context: Context) -> None:
        self._context = context
        self._lock = threading.Lock()
        self._day = ""
        self._salt = b""

    def __call__(self, address: str, purpose: str = "") -> str:
        salt = self._salt_for(self._context.clock().strftime("%Y-%m-%d"))
        message = f"{purpose}\x00{address}" if purpose else address
        return hmac.new(salt, message.encode("utf-8", "replace"), hashlib.sha256).hexdigest()

    def rotate(self) -> None:
        """Replaces a salt left from an earlier day, even when nobody needs a hash today.

        Called by the hourly retention run, so an idle server does not keep yesterday's
        salt on disk until its first visitor of the day.
        """
        self._salt_for(self._context.clock().strftime("%Y-%m-%d"))

    def _salt_for(self, day: str) -> bytes:
        with self._lock:
            if self._day != day:
                self._salt = self._load_or_rotate(day)
                self._day = day
            return self._salt

    def _load_or_rotate(self, day: str) -> bytes:
        """Today's salt: the stored one if it is today's, else a new one replacing it."""
        # Locked, so two processes crossing midnight together agree on one salt.
        query = sa.select(meta.c.value).where(meta.c.key == SALT_KEY).with_for_update()
        try:
            value = self._swap(query, day)
        except IntegrityError:  # another process stored the first salt just now
            value = self._swap(query, day)
        # The secret is mixed in so a leaked database alone does not give the salt's use.
        return hmac.new(self._context.secret, value.encode(), hashlib.sha256).digest()

    def _swap(self, query: sa.Select[Any], day: str) -> str:
        with self._context.store.write() as connection:
            stored: str | None = connection.execute(query).scalar_one_or_none()
            if stored is not None and stored.startswith(day + ":"):
                value = stored
            else:
                value = f"{day}:{secrets.token_hex(32)}"
                if stored is None:
                    connection.execute(meta.insert().values(key=SALT_KEY, value=value))
                else:
                    connection.execute(
                        meta.update().where(meta.c.key == SALT_KEY).values(value=value)
                    )
        return value
