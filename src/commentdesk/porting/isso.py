"""Isso: its SQLite database, or its "generic" JSON import format.

Isso keeps threads by URI (a path, made absolute by the importer with the site's base
URL), comment states as the integers 1 (accepted), 2 (waiting) and 4 (deleted, kept
because it has replies), and text as entered. The database is read with a cursor, so
memory stays flat; the generic format is one JSON document and is read whole.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from commentdesk.model import State
from commentdesk.porting.records import (
    Skipped,
    SourceComment,
    SourceItem,
    SourceThread,
    UnreadableSource,
)
from commentdesk.porting.text import content_ref, parse_utc_naive

SQLITE_MAGIC = b"SQLite format 3\x00"
_MODES = {1: State.APPROVED, 2: State.PENDING, 4: State.DELETED}


def read_isso(path: Path) -> Iterator[SourceItem]:
    """An Isso database, or a generic JSON file (told apart by their first bytes)."""
    with path.open("rb") as probe:
        head = probe.read(len(SQLITE_MAGIC))
    if head == SQLITE_MAGIC:
        yield from read_isso_database(path)
    elif head.lstrip()[:1] == b"[":
        yield from read_isso_generic(path)
    else:
        raise UnreadableSource(
            "This is neither an Isso database (SQLite) nor Isso's generic JSON format."
        )


def read_isso_database(path: Path) -> Iterator[SourceItem]:
    """Threads, then comments in id order, from an Isso SQLite file opened read-only."""
    uri = f"{path.resolve().as_uri()}?mode=ro"
    try:
        connection = sqlite3.connect(uri, uri=True)
    except sqlite3.Error as exc:  # pragma: no cover - the magic bytes were checked
        raise UnreadableSource(f"The Isso database cannot be opened: {exc}.") from None
    try:
        yield from _database_items(connection)
    except sqlite3.Error as exc:
        raise UnreadableSource(
            f"The file is not a readable Isso database ({exc}); nothing was imported."
        ) from None
    finally:
        connection.close()


def _database_items(connection: sqlite3.Connection) -> Iterator[SourceItem]:
    for tid, uri, title in connection.execute("SELECT id, uri, title FROM threads ORDER BY id"):
        yield SourceThread(ref=str(tid), url=str(uri or ""), title=str(title or ""))
    rows = connection.execute(
        "SELECT id, tid, parent, created, mode, text, author, email FROM comments ORDER BY id"
    )
    for cid, tid, parent, created, mode, text, author, email in rows:
        ref = str(cid)
        state = _MODES.get(mode)
        if state is None:
            yield Skipped(ref, f"an unknown Isso mode {mode!r}")
            continue
        try:
            created_at = datetime.fromtimestamp(float(created), UTC)
        except (TypeError, ValueError, OverflowError, OSError):
            yield Skipped(ref, "its date is missing or unreadable")
            continue
        yield SourceComment(
            ref=ref,
            thread=str(tid),
            parent=str(parent) if parent is not None else None,
            author=str(author or ""),
            email=str(email) if email else None,
            body=str(text or ""),
            created_at=created_at,
            state=state,
        )


def read_isso_generic(path: Path) -> Iterator[SourceItem]:
    """``[{"id": URI, "title": T, "comments": [{author, email, created, text, ...}]}]``.

    The format has no replies and ids that need not be unique, so each comment's ref is
    a hash of its thread, time, author and text.
    """
    try:
        threads = json.loads(path.read_bytes())
    except (ValueError, UnicodeError) as exc:
        raise UnreadableSource(
            f"The file is not valid JSON ({exc}); nothing was imported."
        ) from None
    if not isinstance(threads, list) or not all(isinstance(t, dict) for t in threads):
        raise UnreadableSource("Isso's generic format is a JSON list of threads.")
    for thread in threads:
        uri = str(thread.get("id", ""))
        yield SourceThread(ref=uri, url=uri, title=str(thread.get("title") or ""))
        comments = thread.get("comments") or []
        for comment in comments if isinstance(comments, list) else []:
            yield _generic_comment(uri, comment)


def _generic_comment(uri: str, comment: Any) -> SourceComment | Skipped:
    if not isinstance(comment, dict):
        return Skipped(f"{uri}#?", "a comment that is not a JSON object")
    created = str(comment.get("created") or "")
    author = str(comment.get("author") or "")
    text = str(comment.get("text") or "")
    ref = f"{uri}#{content_ref(created, author, text)}"
    created_at = parse_utc_naive(created)
    if created_at is None:
        return Skipped(ref, "its date is missing or unreadable")
    return SourceComment(
        ref=ref,
        thread=uri,
        parent=None,
        author=author,
        email=str(comment.get("email") or "") or None,
        body=text,
        created_at=created_at,
        state=State.APPROVED,
    )
