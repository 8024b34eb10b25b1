"""event batch: the decisions of one bulk or campaign action share a token, so undo
reverts the whole action

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.add_column(sa.Column("batch", sa.String(length=16), nullable=True))
        batch_op.create_index(batch_op.f("ix_events_batch"), ["batch"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_batch"))
        batch_op.drop_column("batch")
