"""search speed: an index for the open reports, and no pending list in the trigram index

The "reported" tab looks up the comments with an open report first (``desk/queue.py``):
``(resolved_at, comment_id)`` finds them without reading the resolved ones, however many
years of those there are. PostgreSQL: the trigram index of 0012 stops collecting new
entries in a pending list (``fastupdate``), which every search reads from end to end
(up to 4 MB) until a vacuum folds it in; each insert updates the index instead.

Revision ID: 0020
Revises: 0019
"""

from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_reports_resolved_at_comment_id", "reports", ["resolved_at", "comment_id"])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX comments_body_trgm SET (fastupdate = off)")
        # Folds in what the pending list already holds.
        op.execute("SELECT gin_clean_pending_list('comments_body_trgm')")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("ALTER INDEX comments_body_trgm RESET (fastupdate)")
    op.drop_index("ix_reports_resolved_at_comment_id", "reports")
