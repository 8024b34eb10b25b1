"""What a reader yields: threads, comments and skips, as plain values."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from commentdesk.errors import CommentdeskError
from commentdesk.model import State


class UnreadableSource(CommentdeskError):
    """The file cannot be imported as a whole (malformed, hostile, or inconsistent).

    Raised before the first write, so the database is left as it was.
    """

    code = "unreadable_import"


@dataclass(frozen=True, slots=True)
class SourceThread:
    """A page that carries comments in the other system.

    ``ref`` is the thread's id in the file; ``key`` a publisher-chosen identifier when
    the file has one; ``url`` may be a path (Isso) that the importer makes absolute.
    """

    ref: str
    url: str
    title: str
    key: str | None = None
    closed: bool = False


@dataclass(frozen=True, slots=True)
class SourceComment:
    """One comment as the other system kept it; ``body`` is already plain text."""

    ref: str
    thread: str
    parent: str | None
    author: str
    email: str | None
    body: str
    created_at: datetime
    state: State


@dataclass(frozen=True, slots=True)
class Skipped:
    """Something in the file that will not be imported, and why (shown in the summary)."""

    ref: str
    reason: str


@dataclass(frozen=True, slots=True)
class Note:
    """Something the reader tolerated, worth telling the operator once."""

    message: str


SourceItem = SourceThread | SourceComment | Skipped | Note
