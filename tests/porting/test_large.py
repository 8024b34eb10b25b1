"""A generated file of 5,000 comments (the million-comment run is bench/import_bench.py)."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import sqlalchemy as sa

from commentdesk.desk import Desk
from commentdesk.porting.disqus import read_disqus
from commentdesk.porting.xmlstream import LeadingJunkSkipped
from commentdesk.store.tables import comments, events
from tests.porting.generate import write_disqus
from tests.porting.support import run


def peak_while_reading(path: Path) -> int:
    """Peak Python memory while reading the file item by item (nothing kept)."""
    tracemalloc.start()
    with path.open("rb") as stream:
        for _ in read_disqus(LeadingJunkSkipped(stream)):
            pass
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak


def test_five_thousand_comments_are_imported_with_their_threads(desk: Desk, tmp_path: Path) -> None:
    path = tmp_path / "large.xml"
    write_disqus(path, 5000)
    summary = run(desk, "disqus", path, batch=700)
    assert summary.tally.imported == 5000
    assert summary.tally.articles_created == 100
    with desk.context.store.read() as connection:
        replies = connection.execute(
            sa.select(sa.func.count()).where(comments.c.reply_to_id.is_not(None))
        ).scalar()
        logged = connection.execute(sa.select(sa.func.count()).select_from(events)).scalar()
    assert (replies or 0) > 1000
    assert logged == 5000


def test_reading_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    small, large = tmp_path / "small.xml", tmp_path / "large.xml"
    write_disqus(small, 1000)
    write_disqus(large, 10000)
    assert peak_while_reading(large) < 2 * peak_while_reading(small) + 256 * 1024
