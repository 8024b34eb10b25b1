"""The desk as notify sees it: what the worker and the composer read of the desk.

The desk imports notify (it writes outbox rows, signs tokens, checks webhook URLs), so
notify imports nothing from the desk. The worker is still started with the desk
(``Worker(desk)``, in ``serve`` and in ``commentdesk worker``); these protocols name the
part of it notify uses, and mypy checks at those calls that ``Desk`` has it.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Protocol

from commentdesk.egress import Resolver
from commentdesk.settings import Settings
from commentdesk.store import Store


class Shared(Protocol):
    """The desk's shared context (``desk.context.Context``)."""

    @property
    def store(self) -> Store: ...

    @property
    def settings(self) -> Settings: ...

    @property
    def clock(self) -> Callable[[], datetime]: ...

    @property
    def secret(self) -> bytes: ...

    @property
    def resolve(self) -> Resolver: ...


class Purged(Protocol):
    """What one retention pass removed (``desk.retention.Purged``)."""

    @property
    def texts(self) -> int: ...

    @property
    def addresses(self) -> int: ...

    @property
    def deliveries(self) -> int: ...


class Retention(Protocol):
    def purge(self) -> Purged: ...


class Host(Protocol):
    """The desk that runs the worker: its context, and the retention the worker applies."""

    @property
    def context(self) -> Shared: ...

    @property
    def retention(self) -> Retention: ...
