"""``commentdesk backup FILE``: a consistent copy of a live SQLite database.

SQLite's backup API copies every page inside one read transaction, so the copy is the
database as it was at one instant, while the server goes on writing (WAL lets readers
and writers pass each other). The copy is written beside the target, checked with
``PRAGMA integrity_check``, then renamed into place: a reader of FILE never sees half a
backup. PostgreSQL has ``pg_dump`` for this (see docs/operations.md).
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from commentdesk.porting.records import UnreadableSource


@dataclass(frozen=True, slots=True)
class BackupResult:
    path: Path
    size: int
    comments: int


def sqlite_path(database_url: str) -> Path:
    """The file of an ``sqlite:///FILE`` URL; ``UnreadableSource`` for anything else."""
    url = make_url(database_url)
    if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
        raise UnreadableSource(
            "backup copies an SQLite database; for PostgreSQL use pg_dump "
            "(see 'Backups' in docs/operations.md)."
        )
    return Path(url.database)


def backup_sqlite(database_url: str, target: Path, *, busy_timeout_s: float = 10.0) -> BackupResult:
    """Copies the database to ``target`` atomically; raises ``UnreadableSource`` on failure."""
    source_path = sqlite_path(database_url)
    if not source_path.is_file():
        raise UnreadableSource(f"There is no database file {str(source_path)!r}.")
    if target.resolve() == source_path.resolve():
        raise UnreadableSource("The backup must go to another file than the database itself.")
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    source = sqlite3.connect(source_path, timeout=busy_timeout_s)
    try:
        copy = sqlite3.connect(partial)
        try:
            source.backup(copy)  # all pages in one step: one consistent snapshot
            copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file
            (verdict,) = copy.execute("PRAGMA integrity_check").fetchone()
            (comments,) = copy.execute("SELECT count(*) FROM comments").fetchone()
        finally:
            copy.close()
    except sqlite3.Error as exc:
        partial.unlink(missing_ok=True)
        raise UnreadableSource(f"The backup failed ({exc}); nothing was written.") from None
    finally:
        source.close()
    if verdict != "ok":  # pragma: no cover - a damaged source database
        partial.unlink(missing_ok=True)
        raise UnreadableSource(f"The copy failed its integrity check: {verdict}.")
    _fsync(partial)
    os.replace(partial, target)
    _fsync(target.parent)
    return BackupResult(target, target.stat().st_size, int(comments))


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
