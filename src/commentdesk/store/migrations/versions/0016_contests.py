"""contests: an author contests a moderator's rejection or edit, once per decision

Revision ID: 0016
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0016"
# Written beside other 0016s on other branches; re-chained after them when merged.
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "contests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("outcome", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("reviewed_by_id", sa.Integer(), nullable=True),
        sa.Column("reviewed_at", sa.DateTime(), nullable=True),
        sa.Column("resolution_event_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comments.id"], name=op.f("fk_contests_comment_id_comments")
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_contests_event_id_events")
        ),
        sa.ForeignKeyConstraint(
            ["reviewed_by_id"],
            ["moderators.id"],
            name=op.f("fk_contests_reviewed_by_id_moderators"),
        ),
        sa.ForeignKeyConstraint(
            ["resolution_event_id"],
            ["events.id"],
            name=op.f("fk_contests_resolution_event_id_events"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contests")),
        sa.UniqueConstraint("event_id", name=op.f("uq_contests_event_id")),
    )
    op.create_index(op.f("ix_contests_comment_id"), "contests", ["comment_id"], unique=False)
    op.create_index(op.f("ix_contests_outcome_id"), "contests", ["outcome", "id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_contests_outcome_id"), table_name="contests")
    op.drop_index(op.f("ix_contests_comment_id"), table_name="contests")
    op.drop_table("contests")
