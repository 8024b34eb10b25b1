"""vouched: each site's vouched domains and phone numbers (NULL: the starter lists)

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("vouched_domains", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("vouched_numbers", sa.JSON(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_column("vouched_numbers")
        batch_op.drop_column("vouched_domains")
