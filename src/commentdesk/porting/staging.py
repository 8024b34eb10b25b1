"""The whole file, checked before anything is written: a scratch SQLite file.

An import must either land or leave the database as it was, and memory must stay flat
for a million comments. Holding every comment in memory to check threads and cycles
breaks the second; writing while parsing breaks the first (a cycle or a parse error
can sit on the last line). So pass one copies the file into a throw-away SQLite
database in a temporary folder, cleaned as our rules want; ``finish`` then checks the
threads, parents and cycles with indexed queries; pass two hands the comments out
parents first, in batches, to the desk's ``Importer``.
"""

from __future__ import annotations

import shutil
import sqlite3
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from urllib.parse import urljoin

from commentdesk.errors import InvalidInput
from commentdesk.model import State
from commentdesk.porting.records import (
    Note,
    Skipped,
    SourceComment,
    SourceItem,
    SourceThread,
    UnreadableSource,
)
from commentdesk.porting.text import clean_pseudonym, clean_text, key_for_url
from commentdesk.validation import ARTICLE_KEY, BODY_MAX, clean_email, origin_of

_SCHEMA = """
CREATE TABLE threads (ref TEXT PRIMARY KEY, url TEXT, title TEXT, key TEXT, closed INTEGER);
CREATE TABLE items (
    seq INTEGER PRIMARY KEY, ref TEXT NOT NULL UNIQUE, thread TEXT NOT NULL, parent TEXT,
    author TEXT NOT NULL, email TEXT, body TEXT NOT NULL, created_at TEXT NOT NULL,
    state TEXT NOT NULL, level INTEGER
);
CREATE INDEX items_parent ON items (parent);
CREATE INDEX items_level ON items (level, seq);
"""
NO_THREAD = "its thread is not in the file"
NO_URL = "its thread has no absolute http(s) URL (give --base-url)"
DUPLICATE = "a second comment with the same id"
EMPTY = "it has no text"
TOO_LONG = f"it is longer than {BODY_MAX:,} characters"
ORPHANS = "replies to a comment not imported, kept as top-level comments"
_CYCLE_SHOWN = 6


@dataclass(frozen=True, slots=True)
class StagedThread:
    ref: str
    url: str
    title: str
    key: str
    closed: bool


@dataclass(frozen=True, slots=True)
class StagedComment:
    """A comment ready to write: cleaned, with a thread, and its parent staged before it."""

    ref: str
    thread: StagedThread
    parent: str | None
    level: int
    author: str
    email: str | None
    body: str
    created_at: datetime
    state: State


class Staging:
    """A scratch copy of one import file. Use as a context manager; it deletes itself."""

    def __init__(self, *, base_url: str | None = None) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="commentdesk-import-"))
        self._db = sqlite3.connect(self._folder / "staging.db", isolation_level=None)
        self._db.executescript("PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF;" + _SCHEMA)
        self._db.execute("BEGIN")
        self._base_url = base_url
        self.skipped: Counter[str] = Counter()
        self.notes: Counter[str] = Counter()
        self.count = 0

    def __enter__(self) -> Staging:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def close(self) -> None:
        self._db.close()
        shutil.rmtree(self._folder, ignore_errors=True)

    def add(self, item: SourceItem) -> None:
        """Keeps one reader item (a thread, a comment, a skip or a note)."""
        if isinstance(item, SourceComment):
            self._add_comment(item)
        elif isinstance(item, SourceThread):
            self._add_thread(item)
        elif isinstance(item, Skipped):
            self.skipped[item.reason] += 1
        elif isinstance(item, Note):
            self.notes[item.message] += 1

    def _add_thread(self, thread: SourceThread) -> None:
        url = thread.url.strip()
        if url and origin_of(url) is None and self._base_url:
            url = urljoin(self._base_url.rstrip("/") + "/", url.lstrip("/"))
        if origin_of(url) is None:
            url = ""
        key = thread.key if thread.key and ARTICLE_KEY.fullmatch(thread.key) else None
        key = key or (key_for_url(url) if url else "")
        title = clean_text(thread.title).replace("\n", " ")[:300]
        self._db.execute(
            "INSERT OR IGNORE INTO threads VALUES (?, ?, ?, ?, ?)",
            (thread.ref, url, title or key, key, int(thread.closed)),
        )

    def _add_comment(self, comment: SourceComment) -> None:
        body = clean_text(comment.body)
        if not body and comment.state is not State.DELETED:
            self.skipped[EMPTY] += 1
            return
        if len(body) > BODY_MAX:
            self.skipped[TOO_LONG] += 1
            return
        try:
            email = clean_email(comment.email)
        except InvalidInput:
            email = None  # only ever used for notifications; a bad one is dropped
        inserted = self._db.execute(
            "INSERT OR IGNORE INTO items (ref, thread, parent, author, email, body, "
            "created_at, state) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                comment.ref,
                comment.thread,
                comment.parent,
                clean_pseudonym(comment.author),
                email,
                body,
                comment.created_at.isoformat(),
                comment.state.value,
            ),
        ).rowcount
        if inserted:
            self.count += 1
        else:
            self.skipped[DUPLICATE] += 1

    def finish(self) -> None:
        """Checks threads, parents and cycles; raises ``UnreadableSource`` on a cycle."""
        db = self._db
        self._drop("thread NOT IN (SELECT ref FROM threads)", NO_THREAD)
        self._drop("thread IN (SELECT ref FROM threads WHERE url = '')", NO_URL)
        orphans = db.execute(
            "UPDATE items SET parent = NULL WHERE parent IS NOT NULL AND NOT EXISTS "
            "(SELECT 1 FROM items AS p WHERE p.ref = items.parent AND p.thread = items.thread)"
        ).rowcount
        if orphans:
            self.notes[ORPHANS] += orphans
        db.execute("UPDATE items SET level = 0 WHERE parent IS NULL")
        level = 0
        while db.execute(
            "UPDATE items SET level = ? WHERE level IS NULL AND parent IN "
            "(SELECT ref FROM items WHERE level = ?)",
            (level + 1, level),
        ).rowcount:
            level += 1
        stuck = db.execute("SELECT ref FROM items WHERE level IS NULL LIMIT 1").fetchone()
        if stuck is not None:
            raise UnreadableSource(self._cycle_message(stuck[0]))
        db.execute("COMMIT")

    def _drop(self, condition: str, reason: str) -> None:
        dropped = self._db.execute(f"DELETE FROM items WHERE {condition}").rowcount  # noqa: S608 - our constants  # nosec B608
        if dropped:
            self.skipped[reason] += dropped
            self.count -= dropped

    def _cycle_message(self, start: str) -> str:
        seen: list[str] = []
        ref: str | None = start
        while ref is not None and ref not in seen:
            seen.append(ref)
            row = self._db.execute("SELECT parent FROM items WHERE ref = ?", (ref,)).fetchone()
            ref = row[0] if row else None
        loop = seen[seen.index(ref) :] if ref in seen else seen
        more = " → …" if len(loop) > _CYCLE_SHOWN else f" → {loop[0]}"
        shown = " → ".join(loop[:_CYCLE_SHOWN]) + more
        return (
            f"Replies in the file form a cycle ({shown}): a comment cannot answer itself. "
            "Nothing was imported."
        )

    def batches(self, size: int) -> Iterator[list[StagedComment]]:
        """Every staged comment, parents before replies, ``size`` at a time."""
        last = (-1, -1)
        query = (
            "SELECT i.level, i.seq, i.ref, i.parent, i.author, i.email, i.body, i.created_at, "
            "i.state, t.ref, t.url, t.title, t.key, t.closed FROM items AS i "
            "JOIN threads AS t ON t.ref = i.thread WHERE (i.level, i.seq) > (?, ?) "
            "ORDER BY i.level, i.seq LIMIT ?"
        )
        while True:
            rows = self._db.execute(query, (*last, size)).fetchall()
            if not rows:
                return
            last = (rows[-1][0], rows[-1][1])
            yield [_staged(row) for row in rows]


def _staged(row: tuple[object, ...]) -> StagedComment:
    (level, _, ref, parent, author, email, body, created, state, tref, url, title, key, closed) = (
        row
    )
    return StagedComment(
        ref=str(ref),
        thread=StagedThread(str(tref), str(url), str(title), str(key), bool(closed)),
        parent=str(parent) if parent is not None else None,
        level=int(str(level)),
        author=str(author),
        email=str(email) if email is not None else None,
        body=str(body),
        created_at=datetime.fromisoformat(str(created)),
        state=State(str(state)),
    )
