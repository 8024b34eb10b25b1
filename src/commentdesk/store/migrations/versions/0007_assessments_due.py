"""assessments due: comments stored at once, assessed by the worker in batches

Revision ID: 0007
Revises: 0006
"""

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "assessments_due",
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("post_moderated", sa.Boolean(), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("claim", sa.String(length=32), nullable=True),
        sa.Column("claimed_until", sa.DateTime(), nullable=True),
        sa.Column("last_error", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_assessments_due_comment_id_comments"),
        ),
        sa.PrimaryKeyConstraint("comment_id", name=op.f("pk_assessments_due")),
    )
    with op.batch_alter_table("assessments_due", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_assessments_due_due_at"), ["due_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("assessments_due", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_assessments_due_due_at"))
    op.drop_table("assessments_due")
