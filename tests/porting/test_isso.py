"""Isso: its SQLite database (made here with Isso's own schema) and its generic JSON."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest

from commentdesk.desk import Desk
from commentdesk.porting.records import UnreadableSource
from commentdesk.porting.staging import NO_URL
from tests.porting.support import FIXTURES, imported, run

# Isso's schema (isso/db/threads.py and isso/db/comments.py).
ISSO_SCHEMA = """
CREATE TABLE threads (id INTEGER PRIMARY KEY, uri VARCHAR(256) UNIQUE, title VARCHAR(256));
CREATE TABLE comments (
    tid REFERENCES threads(id), id INTEGER PRIMARY KEY, parent INTEGER,
    created FLOAT NOT NULL, modified FLOAT, mode INTEGER, remote_addr VARCHAR,
    text VARCHAR, author VARCHAR, email VARCHAR, website VARCHAR,
    likes INTEGER DEFAULT 0, dislikes INTEGER DEFAULT 0, voters BLOB NOT NULL,
    notification INTEGER NOT NULL DEFAULT 0);
"""
CREATED = datetime(2021, 5, 4, 3, 2, 1, tzinfo=UTC).timestamp()


@pytest.fixture
def isso_db(tmp_path: Path) -> Path:
    path = tmp_path / "comments.db"
    db = sqlite3.connect(path)
    db.executescript(ISSO_SCHEMA)
    db.execute("INSERT INTO threads VALUES (1, '/2021/budget/', 'Budget')")
    rows = [
        (1, 1, None, CREATED, 1, "First!\n\nSecond paragraph.", "Ana", "ana@example.org"),
        (1, 2, 1, CREATED + 60, 1, "A reply", None, None),
        (1, 3, None, CREATED + 120, 2, "Waiting for review", "Bo", None),
        (1, 4, 1, CREATED + 180, 4, "", None, None),
        (1, 5, 4, CREATED + 240, 1, "Reply to a deleted one", "Cy", None),
    ]
    db.executemany(
        "INSERT INTO comments (tid, id, parent, created, mode, remote_addr, text, author, "
        "email, voters) VALUES (?, ?, ?, ?, ?, '127.0.0.1', ?, ?, ?, x'00')",
        [(t, i, p, c, m, text, a, e) for t, i, p, c, m, text, a, e in rows],
    )
    db.commit()
    db.close()
    return path


def test_the_database_is_imported_with_states_threads_and_times(desk: Desk, isso_db: Path) -> None:
    summary = run(desk, "isso", isso_db, base_url="https://paper.example")
    found = imported(desk)
    assert summary.tally.imported == 5
    assert {ref: row["state"] for ref, row in found.items()} == {
        "1": "approved",
        "2": "approved",
        "3": "pending",
        "4": "deleted",
        "5": "approved",
    }
    assert found["2"]["parent_id"] == found["1"]["id"]
    assert found["5"]["parent_id"] == found["4"]["id"]
    assert found["1"]["created_at"] == datetime(2021, 5, 4, 3, 2, 1, tzinfo=UTC)
    assert (found["1"]["body"], found["2"]["author"]) == (
        "First!\n\nSecond paragraph.",
        "Anonymous",
    )


def test_thread_paths_are_made_absolute_with_the_base_url(desk: Desk, isso_db: Path) -> None:
    run(desk, "isso", isso_db, base_url="https://paper.example")
    article = desk.catalog.article("2021-budget")
    assert (article.url, article.title) == ("https://paper.example/2021/budget/", "Budget")


def test_the_sites_origin_is_the_default_base_url(
    desk: Desk, isso_db: Path, site_slug: str
) -> None:
    run(desk, "isso", isso_db)
    assert desk.catalog.article("2021-budget").url == "https://news.example/2021/budget/"


def test_without_any_base_url_the_comments_are_skipped_with_the_reason(
    desk: Desk, isso_db: Path
) -> None:
    summary = run(desk, "isso", isso_db)
    assert summary.tally.imported == 0
    assert summary.tally.skipped == {NO_URL: 5}


def test_the_generic_json_format_is_imported(desk: Desk) -> None:
    summary = run(
        desk, "isso", FIXTURES / "isso-tests" / "generic.json", base_url="https://x.example"
    )
    assert (summary.tally.imported, summary.tally.articles_created) == (2, 2)
    assert desk.catalog.article("posts-0007").published_count == 1


def test_an_sqlite_file_that_is_not_isso_is_refused(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "other.db"
    sqlite3.connect(path).execute("CREATE TABLE t (x)").connection.commit()
    with pytest.raises(UnreadableSource, match="not a readable Isso database"):
        run(desk, "isso", path)


def test_a_file_of_another_kind_is_refused(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello")
    with pytest.raises(UnreadableSource, match="neither an Isso database"):
        run(desk, "isso", path)
