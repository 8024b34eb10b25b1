"""semantic: sentence vectors, their LSH bands beside MinHash's, moderators' exemplars

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A constant default: adding the column rewrites no row on SQLite or PostgreSQL 11+.
    with op.batch_alter_table("lsh_bands", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("kind", sa.SmallInteger(), server_default="0", nullable=False)
        )
    op.create_table(
        "embeddings",
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_embeddings_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_embeddings_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("comment_id", name=op.f("pk_embeddings")),
    )
    with op.batch_alter_table("embeddings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_embeddings_created_at"), ["created_at"], unique=False)
    op.create_table(
        "exemplars",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=16), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"],
            ["comments.id"],
            name=op.f("fk_exemplars_comment_id_comments"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_exemplars_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exemplars")),
    )
    with op.batch_alter_table("exemplars", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_exemplars_comment_id"), ["comment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_exemplars_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_exemplars_site_id_category_created_at"),
            ["site_id", "category", "created_at"],
            unique=False,
        )


def downgrade() -> None:
    with op.batch_alter_table("exemplars", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_exemplars_site_id_category_created_at"))
        batch_op.drop_index(batch_op.f("ix_exemplars_created_at"))
        batch_op.drop_index(batch_op.f("ix_exemplars_comment_id"))
    op.drop_table("exemplars")
    with op.batch_alter_table("embeddings", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_embeddings_created_at"))
    op.drop_table("embeddings")
    with op.batch_alter_table("lsh_bands", schema=None) as batch_op:
        batch_op.drop_column("kind")
