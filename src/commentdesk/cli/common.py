"""What every command shares: ``--database``, the settings, the desk, and how to fail.

A command that cannot do its job ends with ``fail``: one sentence on stderr, status 1.

A mistake the operator makes in setting up (a wrong database URL, a database that does
not answer, a folder that cannot be written, a bad setting, a port in use) ends instead
in one or two lines and status 2, because a 400-line traceback hides the one line that
says so: ``main`` asks ``explain``, which names the mistake and the fix. Anything
``explain`` does not recognise is a bug and keeps its traceback; ``--debug`` keeps the
traceback for all.
"""

from __future__ import annotations

import errno
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import sqlalchemy as sa
import typer
from rich.console import Console
from sqlalchemy.engine import make_url

from commentdesk.desk import Desk
from commentdesk.errors import CommentdeskError, StoreUnavailable
from commentdesk.settings import Settings, SettingsError, load_settings
from commentdesk.store import Store

DatabaseOption = Annotated[
    str | None,
    typer.Option("--database", help="Database URL (default: COMMENTDESK_DATABASE_URL or sqlite)."),
]
#: The exit status of every mistake ``explain`` recognises (click's own usage errors use 2).
USAGE_STATUS = 2
out = Console()
err = Console(stderr=True)


class Invocation:
    """What ``main`` needs to know when a command fails: set by the app's callback
    (``--debug``) and by ``read_settings`` (the database it was pointed at)."""

    debug = False
    database_url: str | None = None


def read_settings(database: str | None) -> Settings:
    """The settings, ``--database`` over the environment over the file; a bad one ends the
    command with status 2, naming it."""
    try:
        settings = load_settings(database_url=database)
    except SettingsError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(USAGE_STATUS) from None
    Invocation.database_url = settings.database_url
    return settings


def open_desk(settings: Settings) -> Desk:
    """Creates or migrates the database, then opens the desk on it."""
    store = Store(
        settings.database_url,
        busy_timeout_ms=settings.sqlite_busy_timeout_ms,
        statement_timeout_ms=settings.statement_timeout_ms,
    )
    store.migrate()
    return Desk.open(settings, store=store)


def desk_for(database: str | None) -> Desk:
    """The desk on ``--database`` (or the configured one), created or migrated first."""
    return open_desk(read_settings(database))


def fail(exc: CommentdeskError) -> typer.Exit:
    """Says why on stderr; the caller raises what it returns (exit status 1)."""
    typer.echo(f"error: {exc.message}", err=True)
    return typer.Exit(1)


@contextmanager
def failing(kind: type[CommentdeskError] = CommentdeskError) -> Iterator[None]:
    """Ends the command with ``fail`` when the block raises ``kind``."""
    try:
        yield
    except kind as exc:
        raise fail(exc) from None


def say(text: str, *, error: bool = False) -> None:
    """One plain line (no markup, no wrapping) on stdout, or stderr for errors."""
    (err if error else out).print(text, markup=False, highlight=False, soft_wrap=True)


def explain(exc: BaseException, database_url: str | None = None) -> str | None:
    """A short message saying what is wrong and what to do, or ``None`` for a bug."""
    if isinstance(exc, SettingsError):
        return str(exc)
    if isinstance(exc, sa.exc.ArgumentError | sa.exc.NoSuchModuleError):
        return (
            f"the database URL is not one commentdesk can use ({exc}).\n"
            "Write sqlite:///path/to/file.db or postgresql://user@host/database."
        )
    if isinstance(exc, StoreUnavailable) and isinstance(exc.__cause__, sa.exc.OperationalError):
        exc = exc.__cause__
    if isinstance(exc, sa.exc.OperationalError):
        return _unreachable(exc, database_url)
    if isinstance(exc, OSError):
        return _os_problem(exc)
    return None


def _unreachable(exc: sa.exc.OperationalError, database_url: str | None) -> str:
    reason = str(exc.orig).strip().splitlines()[0] if str(exc.orig).strip() else "no answer"
    if database_url is None:
        return f"cannot open the database: {reason}."
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        return (
            f"cannot open the SQLite database {url.database!r}: {reason}.\n"
            "Check that its folder exists and that this user may write there."
        )
    where = url.render_as_string(hide_password=True)
    return (
        f"cannot reach the database at {where}: {reason}.\n"
        "Check that the server is running and that the URL, user and database are right."
    )


def _os_problem(exc: OSError) -> str:
    if exc.errno == errno.EADDRINUSE:
        return (
            f"cannot listen: {exc.strerror}.\n"
            "Another program holds that port: stop it, or choose another with --port."
        )
    if exc.errno in (errno.EACCES, errno.EPERM):
        return (
            f"not allowed: {exc}.\n"
            "Ports below 1024 need privileges; files and folders need write permission."
        )
    if exc.errno == errno.EADDRNOTAVAIL:
        return f"cannot listen: {exc.strerror}.\nChoose an address of this machine with --host."
    return f"{exc}."
