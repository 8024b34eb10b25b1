"""moderator identities: who a moderator is at the newsroom's OpenID Connect provider

Revision ID: 0014
Revises: 0013
"""

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "moderator_identities",
        sa.Column("issuer", sa.String(length=300), nullable=False),
        sa.Column("subject", sa.String(length=255), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("linked_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["moderators.id"],
            name=op.f("fk_moderator_identities_moderator_id_moderators"),
        ),
        sa.PrimaryKeyConstraint("issuer", "subject", name=op.f("pk_moderator_identities")),
    )
    with op.batch_alter_table("moderator_identities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_moderator_identities_moderator_id"), ["moderator_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("moderator_identities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_moderator_identities_moderator_id"))
    op.drop_table("moderator_identities")
