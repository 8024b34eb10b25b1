"""notices: notices of illegal content (EU Digital Services Act, article 16)

Revision ID: 0017
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0017"
# Written beside 0016 on another branch; re-chained after it when merged.
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "notices",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=32), nullable=False),
        sa.Column("law", sa.String(length=200), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("exempt", sa.Boolean(), nullable=False),
        sa.Column("notifier_name", sa.String(length=100), nullable=True),
        sa.Column("notifier_email", sa.String(length=254), nullable=True),
        sa.Column("notifier_email_hash", sa.String(length=64), nullable=True),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("decided_at", sa.DateTime(), nullable=True),
        sa.Column("outcome", sa.String(length=12), nullable=True),
        sa.Column("decided_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comments.id"], name=op.f("fk_notices_comment_id_comments")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by_id"], ["moderators.id"], name=op.f("fk_notices_decided_by_id_moderators")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_notices")),
    )
    op.create_index(op.f("ix_notices_comment_id"), "notices", ["comment_id"], unique=False)
    op.create_index(
        op.f("ix_notices_decided_at_comment_id"), "notices", ["decided_at", "comment_id"]
    )
    op.create_index(op.f("ix_notices_created_at"), "notices", ["created_at"], unique=False)
    op.create_index(op.f("ix_notices_notifier_email_hash"), "notices", ["notifier_email_hash"])


def downgrade() -> None:
    op.drop_index(op.f("ix_notices_notifier_email_hash"), table_name="notices")
    op.drop_index(op.f("ix_notices_created_at"), table_name="notices")
    op.drop_index(op.f("ix_notices_decided_at_comment_id"), table_name="notices")
    op.drop_index(op.f("ix_notices_comment_id"), table_name="notices")
    op.drop_table("notices")
