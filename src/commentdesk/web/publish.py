"""Published threads as static files: ``commentdesk publish DIR``, or after every change.

Comments never appear in real time, so a thread can be served as a file by nginx or a
CDN at static-file speed. For each article this writes

    DIR/articles/KEY.json   the same bytes GET /api/v1/articles/KEY/comments answers
    DIR/articles/KEY.html   an HTML fragment, rendered by the app's Jinja environment

each atomically (a temporary file in the same folder, then ``os.replace``), so a reader
gets the old file or the new one, never half of one. ``Watcher`` keeps the folder
current: it republishes every article whose published version moved, whichever
process (or path: decisions, undo, imports, post-moderated posts) moved it.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from commentdesk.desk import Desk
from commentdesk.model import Article, Comment
from commentdesk.web.api.schemas import ArticleOut, PublicCommentOut, ThreadOut
from commentdesk.web.templating import make_templates

logger = logging.getLogger("commentdesk.publish")
FOLDER = "articles"


@dataclass(slots=True)
class Node:
    """A comment with its replies, and its text as paragraphs of lines, for the template."""

    comment: Comment
    children: list[Node] = field(default_factory=list)

    @property
    def paragraphs(self) -> list[list[str]]:
        blocks = [block for block in self.comment.body.split("\n\n") if block.strip()]
        return [block.split("\n") for block in blocks]


def thread_json(article: Article, published: list[Comment]) -> bytes:
    """The API's body for this thread, byte for byte (as Starlette's JSONResponse renders)."""
    thread = ThreadOut(
        article=ArticleOut.of(article), comments=[PublicCommentOut.of(c) for c in published]
    )
    return json.dumps(
        thread.model_dump(mode="json"),
        ensure_ascii=False,
        allow_nan=False,
        indent=None,
        separators=(",", ":"),
    ).encode("utf-8")


def tree(published: list[Comment]) -> list[Node]:
    """Replies under their parents; a reply whose parent is not published stands alone."""
    nodes = {c.id: Node(c) for c in published}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.comment.parent_id or 0)
        (parent.children if parent else roots).append(node)
    return roots


class Publisher:
    """Writes threads into one folder; safe to run in several processes at once."""

    def __init__(self, desk: Desk, directory: Path) -> None:
        self._desk = desk
        self.directory = directory
        self._template = make_templates().env.get_template("publish/thread.html")

    def publish(self, article: Article) -> None:
        """Writes one article's JSON and HTML (the published comments as of now)."""
        published = self._desk.threads.published(article)
        folder = self.directory / FOLDER
        folder.mkdir(parents=True, exist_ok=True)
        html = self._template.render(article=article, nodes=tree(published))
        _write_atomically(folder / f"{article.key}.json", thread_json(article, published))
        _write_atomically(folder / f"{article.key}.html", html.encode("utf-8"))

    def publish_all(self) -> int:
        """Every article; returns how many."""
        count = 0
        for article in self._desk.catalog.articles():
            self.publish(article)
            count += 1
        return count

    @property
    def desk(self) -> Desk:
        return self._desk


class Watcher:
    """Republishes changed threads soon after a commit, in a daemon thread.

    It looks every ``interval`` seconds, and sooner when the store's change watch
    (``store/changes.py``, a few microseconds a look) says something was committed:
    at most ``QUICK`` seconds after it, and never twice within ``QUICK``. Cheap when
    nothing happens: it compares the newest event ids first and reads the articles'
    versions only when they moved. A database that does not answer is logged and tried
    again at the next tick.
    """

    #: How often the change watch is read, and the least time between two ticks.
    QUICK = 0.1

    def __init__(self, publisher: Publisher, interval: float) -> None:
        self._publisher = publisher
        self._interval = interval
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="commentdesk-publish", daemon=True)
        self._versions: dict[int, int] = {}
        self._marker: tuple[int, int] | None = None

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=10)

    def _run(self) -> None:
        changes = self._publisher.desk.context.store.changes()
        while True:
            seen = changes.generation()
            try:
                self.tick()
            except Exception:
                logger.exception("publishing threads failed; trying again")
            deadline = time.monotonic() + self._interval
            while True:
                if self._stop.wait(min(self.QUICK, self._interval)):
                    return
                if time.monotonic() >= deadline or changes.generation() != seen:
                    break

    def tick(self) -> int:
        """Republishes what changed since the last tick; returns how many articles."""
        desk = self._publisher.desk
        marker = desk.threads.last_change()
        if marker == self._marker:
            return 0
        written = 0
        for article in desk.catalog.articles():
            if self._versions.get(article.id) != article.published_version:
                self._publisher.publish(article)
                self._versions[article.id] = article.published_version
                written += 1
        self._marker = marker
        return written


def _write_atomically(path: Path, data: bytes) -> None:
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, 0o644)  # mkstemp makes 0600; the web server must read it
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
