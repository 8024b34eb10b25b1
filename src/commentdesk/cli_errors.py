"""What a command-line mistake becomes: one or two lines and exit status 2.

A wrong database URL, a database that does not answer, a folder that cannot be written, a
bad setting or a port in use are the operator's to fix, and a 400-line traceback hides the
one line that says so. ``explain`` names the mistake and the fix; anything it does not
recognise is a bug and keeps its traceback. ``--debug`` keeps the traceback for all.
"""

from __future__ import annotations

import errno

import sqlalchemy as sa
from sqlalchemy.engine import make_url

from commentdesk.errors import StoreUnavailable
from commentdesk.settings import SettingsError

#: The exit status of every mistake ``explain`` recognises (click's own usage errors use 2).
USAGE_STATUS = 2


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
