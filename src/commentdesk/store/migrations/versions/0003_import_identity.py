"""import identity: where an imported comment came from, so a re-run adds nothing twice

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("import_source", sa.String(length=16), nullable=True))
        batch_op.add_column(sa.Column("import_id", sa.String(length=300), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_comments_import_source_import_id"),
            ["import_source", "import_id"],
            unique=True,
        )


def downgrade() -> None:
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comments_import_source_import_id"))
        batch_op.drop_column("import_id")
        batch_op.drop_column("import_source")
