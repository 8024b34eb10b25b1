"""subscribers: a site's pinned key for reader tokens; a comment's subscriber mark

Revision ID: 0018
Revises: 0015
"""

import sqlalchemy as sa
from alembic import op

revision = "0018"
# Written beside 0016 and 0017 on other branches; re-chained after them when merged.
down_revision = "0017"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMNs (no batch copy): comments refer to sites and articles.
    op.add_column("sites", sa.Column("subscriber_algorithm", sa.String(length=8), nullable=True))
    op.add_column("sites", sa.Column("subscriber_key", sa.Text(), nullable=True))
    op.add_column("comments", sa.Column("subscriber", sa.Boolean(), nullable=True))


def downgrade() -> None:
    op.drop_column("comments", "subscriber")
    op.drop_column("sites", "subscriber_key")
    op.drop_column("sites", "subscriber_algorithm")
