"""``backup``: a consistent copy of a live SQLite database; PostgreSQL is pointed to pg_dump."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

import pytest

from commentdesk.desk import Desk, Draft
from commentdesk.porting.backup import backup_sqlite
from commentdesk.porting.records import UnreadableSource
from commentdesk.settings import Settings
from commentdesk.store import Store


@pytest.fixture
def sqlite_url(tmp_path: Path, sqlite_template: Path) -> str:
    path = tmp_path / "live.db"
    path.write_bytes(sqlite_template.read_bytes())
    return f"sqlite:///{path}"


def test_a_backup_taken_while_comments_arrive_is_whole_and_consistent(
    sqlite_url: str, tmp_path: Path
) -> None:
    desk = Desk.open(Settings(database_url=sqlite_url, secret_key="k"), store=Store(sqlite_url))
    desk.catalog.ensure_site("news", name="News")
    desk.catalog.add_article("news", "a1", url="https://news.example/a1", title="A1")
    stop, writing = threading.Event(), threading.Event()

    def write() -> None:
        # Fewer than the default per-article limit (300 a minute), so none is refused.
        for n in range(250):
            if stop.is_set():
                return
            desk.comments.submit("a1", Draft(author="Ana", body=f"c{n}", accept_terms=True))
            if n == 5:
                writing.set()

    writer = threading.Thread(target=write)
    writer.start()
    try:
        assert writing.wait(30)
        copies = [backup_sqlite(sqlite_url, tmp_path / f"copy{n}.db") for n in range(5)]
    finally:
        stop.set()
        writer.join()
        desk.close()
    for copy in copies:
        db = sqlite3.connect(copy.path)
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        comments = db.execute("SELECT count(*) FROM comments").fetchone()[0]
        submits = db.execute("SELECT count(*) FROM events WHERE action = 'submit'").fetchone()[0]
        assert comments == submits == copy.comments  # each comment with its event, or neither
        db.close()
    assert all(copy.comments > 0 for copy in copies)


def test_the_copy_replaces_the_target_only_when_complete(sqlite_url: str, tmp_path: Path) -> None:
    target = tmp_path / "backup.db"
    target.write_bytes(b"an older backup")
    backup_sqlite(sqlite_url, target)
    assert target.read_bytes().startswith(b"SQLite format 3")
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def test_postgresql_is_pointed_to_pg_dump(tmp_path: Path) -> None:
    with pytest.raises(UnreadableSource, match="pg_dump"):
        backup_sqlite("postgresql://db.internal/commentdesk", tmp_path / "x.db")


def test_backing_up_onto_the_database_itself_is_refused(sqlite_url: str) -> None:
    with pytest.raises(UnreadableSource, match="another file"):
        backup_sqlite(sqlite_url, Path(sqlite_url.removeprefix("sqlite:///")))
