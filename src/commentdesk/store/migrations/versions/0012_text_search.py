"""text search: an index for free-text search over comments, kept by the database itself.

SQLite: an FTS5 table with the trigram tokenizer (any substring of three characters or
more, Korean as well as English, case folded) over ``comments.body``, filled and kept by
triggers, so every insert, edit and erasure changes it in the same transaction.
PostgreSQL: ``pg_trgm`` and a GIN trigram index on ``comments.body``, which ``ILIKE``
uses. See ``store/search.py``.

Revision ID: 0012
Revises: 0011
"""

from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        # A trusted extension since PostgreSQL 13: the database's owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute("CREATE INDEX comments_body_trgm ON comments USING gin (body gin_trgm_ops)")
        return
    op.execute(
        "CREATE VIRTUAL TABLE comments_text USING fts5("
        "body, content='comments', content_rowid='id', tokenize='trigram')"
    )
    op.execute(
        "CREATE TRIGGER comments_text_insert AFTER INSERT ON comments BEGIN "
        "INSERT INTO comments_text(rowid, body) VALUES (new.id, new.body); END"
    )
    op.execute(
        "CREATE TRIGGER comments_text_delete AFTER DELETE ON comments BEGIN "
        "INSERT INTO comments_text(comments_text, rowid, body) "
        "VALUES ('delete', old.id, old.body); END"
    )
    op.execute(
        "CREATE TRIGGER comments_text_update AFTER UPDATE OF body ON comments BEGIN "
        "INSERT INTO comments_text(comments_text, rowid, body) "
        "VALUES ('delete', old.id, old.body); "
        "INSERT INTO comments_text(rowid, body) VALUES (new.id, new.body); END"
    )
    op.execute("INSERT INTO comments_text(comments_text) VALUES ('rebuild')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX comments_body_trgm")
        return
    for trigger in ("insert", "delete", "update"):
        op.execute(f"DROP TRIGGER comments_text_{trigger}")
    op.execute("DROP TABLE comments_text")
