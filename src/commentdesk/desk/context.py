"""What every part of the desk shares: the store, the settings, the clock, the secret and
the resolver (host names to addresses, for webhooks; tests pass their own)."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from commentdesk.egress import Resolver
from commentdesk.notify.webhooks import resolve_system
from commentdesk.settings import Settings
from commentdesk.store import Store
from commentdesk.store.tables import meta

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    return datetime.now(UTC)


def token_hash(token: str) -> str:
    """Tokens we hand out are 192+ random bits, so a plain SHA-256 is a safe way to keep them."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


@dataclass(frozen=True, slots=True)
class Context:
    store: Store
    settings: Settings
    clock: Clock
    secret: bytes
    resolve: Resolver = field(default=resolve_system)

    def keyed_hash(self, purpose: str, value: str) -> str:
        """An HMAC of ``value`` under our secret, separated by ``purpose``."""
        message = f"{purpose}\x00{value}".encode("utf-8", "surrogatepass")
        return hmac.new(self.secret, message, hashlib.sha256).hexdigest()


def load_secret(store: Store, settings: Settings) -> bytes:
    """The configured secret, or the one made on first start and kept in the database."""
    if settings.secret_key is not None:
        return settings.secret_key.get_secret_value().encode()
    query = sa.select(meta.c.value).where(meta.c.key == "secret_key")
    with store.read() as connection:
        found = connection.execute(query).scalar_one_or_none()
    if found is not None:
        return str(found).encode()
    try:
        with store.write() as connection:
            connection.execute(meta.insert().values(key="secret_key", value=secrets.token_hex(32)))
    except IntegrityError:
        pass  # another process made it first; use theirs
    with store.read() as connection:
        return str(connection.execute(query).scalar_one()).encode()
