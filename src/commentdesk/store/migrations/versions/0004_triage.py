"""triage: near-duplicate bands, site word lists

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "word_lists",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("language", sa.String(length=16), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("updated_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["site_id"], ["sites.id"], name=op.f("fk_word_lists_site_id_sites")
        ),
        sa.PrimaryKeyConstraint("site_id", "language", name=op.f("pk_word_lists")),
    )
    op.create_table(
        "lsh_bands",
        sa.Column("band", sa.BigInteger(), nullable=False),
        sa.Column("comment_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comments.id"], name=op.f("fk_lsh_bands_comment_id_comments")
        ),
    )
    with op.batch_alter_table("lsh_bands", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_lsh_bands_band_created_at"), ["band", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_lsh_bands_comment_id"), ["comment_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_lsh_bands_created_at"), ["created_at"], unique=False)

    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_comments_article_id_created_at"),
            ["article_id", "created_at"],
            unique=False,
        )
        batch_op.create_index(
            batch_op.f("ix_comments_author_key_created_at"),
            ["author_key", "created_at"],
            unique=False,
        )
        batch_op.create_index(batch_op.f("ix_comments_cluster_id"), ["cluster_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comments_cluster_id"))
        batch_op.drop_index(batch_op.f("ix_comments_author_key_created_at"))
        batch_op.drop_index(batch_op.f("ix_comments_article_id_created_at"))

    with op.batch_alter_table("lsh_bands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_lsh_bands_created_at"))
        batch_op.drop_index(batch_op.f("ix_lsh_bands_comment_id"))
        batch_op.drop_index(batch_op.f("ix_lsh_bands_band_created_at"))

    op.drop_table("lsh_bands")
    op.drop_table("word_lists")
