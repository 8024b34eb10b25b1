"""``export`` writes everything as JSON Lines; ``import jsonl`` rebuilds an identical database."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
import sqlalchemy as sa

from commentdesk.desk import Desk, Draft
from commentdesk.desk.archive import Archive
from commentdesk.model import Action, Role
from commentdesk.porting.records import UnreadableSource
from commentdesk.store.migrate import head_revision
from commentdesk.store.tables import metadata
from tests.porting.support import FIXTURES, run, snapshot
from tests.support import PASSWORD


def populate(desk: Desk, article_key: str) -> None:
    """A little of everything: people, a token, comments decided and edited, a report, an
    import, and a section with its article and its moderator."""
    chief = desk.accounts.add_moderator("chief", PASSWORD, Role.ADMIN)
    desk.accounts.create_token("chief")
    section = desk.sections.add(
        chief, 1, slug="politics", name="Politics", moderation=None, auto_close_days=3
    )
    desk.sections.assign(chief, article_key, "politics")
    desk.staff.add(chief, "sara", PASSWORD, Role.MODERATOR, (), (section.id,))
    ids = [
        desk.comments.submit(
            article_key, Draft(author="Ana", body=f"Comment {n}\nline two", accept_terms=True)
        ).comment.id
        for n in range(4)
    ]
    desk.moderation.decide(chief, ids[0], Action.APPROVE)
    desk.moderation.decide(chief, ids[1], Action.REJECT, reason="spam")
    desk.moderation.decide(chief, ids[2], Action.EDIT, reason="typo", body="Fixed text")
    desk.comments.report(ids[0], "rude")
    run(desk, "disqus", FIXTURES / "isso-tests" / "disqus.xml")


def export_text(desk: Desk) -> str:
    buffer = io.StringIO()
    Archive(desk.context).export(buffer.write)
    return buffer.getvalue()


def empty(desk: Desk) -> None:
    with desk.context.store.write() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())


def test_an_export_restored_into_an_empty_database_is_identical(
    desk: Desk, article_key: str
) -> None:
    populate(desk, article_key)
    before = snapshot(desk)
    text = export_text(desk)
    empty(desk)
    rows = Archive(desk.context).restore(io.StringIO(text))
    assert rows == sum(len(r) for r in before.values())
    assert snapshot(desk) == before


def test_after_a_restore_new_comments_get_new_ids(desk: Desk, article_key: str) -> None:
    populate(desk, article_key)
    text = export_text(desk)
    highest = max(row[0] for row in snapshot(desk)["comments"])
    empty(desk)
    Archive(desk.context).restore(io.StringIO(text))
    draft = Draft(author="Bo", body="After the restore", accept_terms=True)
    assert desk.comments.submit(article_key, draft).comment.id > highest


def test_the_export_starts_with_a_header_naming_the_schema(desk: Desk, site_slug: str) -> None:
    first = export_text(desk).splitlines()[0]
    assert '"format": "commentdesk-export"' in first
    assert f'"schema": "{head_revision()}"' in first


def test_a_database_with_comments_refuses_a_restore(desk: Desk, article_key: str) -> None:
    populate(desk, article_key)
    text = export_text(desk)
    before = snapshot(desk)
    with pytest.raises(UnreadableSource, match="not empty"):
        Archive(desk.context).restore(io.StringIO(text))
    assert snapshot(desk) == before


def test_a_bad_line_restores_nothing_and_names_the_line(desk: Desk, article_key: str) -> None:
    populate(desk, article_key)
    lines = export_text(desk).splitlines(keepends=True)
    lines[5] = '{"table": "comments", "row": {"no_such_column": 1}}\n'
    empty(desk)
    before = snapshot(desk)
    with pytest.raises(UnreadableSource, match="Line 6"):
        Archive(desk.context).restore(iter(lines))
    assert snapshot(desk) == before


def test_an_export_of_another_schema_is_refused(desk: Desk, tmp_path: Path) -> None:
    empty(desk)
    header = '{"format": "commentdesk-export", "version": 1, "schema": "0001"}\n'
    with pytest.raises(UnreadableSource, match="schema 0001"):
        Archive(desk.context).restore(iter([header]))


def test_a_file_that_is_not_an_export_is_refused(desk: Desk) -> None:
    with pytest.raises(UnreadableSource, match="not a commentdesk export"):
        Archive(desk.context).restore(iter(["<disqus/>\n"]))


def test_every_table_is_exported(desk: Desk, article_key: str) -> None:
    populate(desk, article_key)
    text = export_text(desk)
    with desk.context.store.read() as connection:
        filled = {
            t.name
            for t in metadata.sorted_tables
            if connection.execute(sa.select(sa.func.count()).select_from(t)).scalar()
        }
    assert filled <= {name for name in filled if f'"table": "{name}"' in text}
    assert {"sites", "articles", "comments", "events", "moderators", "reports"} <= filled
    assert {"sections", "moderator_sections"} <= filled
