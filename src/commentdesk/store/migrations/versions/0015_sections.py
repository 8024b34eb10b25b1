"""sections: a site's sections, an article's section, moderators scoped to sections

Revision ID: 0015
Revises: 0014
"""

import sqlalchemy as sa
from alembic import op

revision = "0015"
# Written beside 0013 and 0014 on other branches; re-chained after them when merged.
down_revision = "0014"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("slug", sa.String(length=64), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("moderation", sa.String(length=8), nullable=True),
        sa.Column("auto_close_days", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.ForeignKeyConstraint(["site_id"], ["sites.id"], name=op.f("fk_sections_site_id_sites")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sections")),
        sa.UniqueConstraint("site_id", "slug", name=op.f("uq_sections_site_id_slug")),
    )
    op.create_table(
        "moderator_sections",
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("section_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["moderator_id"],
            ["moderators.id"],
            name=op.f("fk_moderator_sections_moderator_id_moderators"),
        ),
        sa.ForeignKeyConstraint(
            ["section_id"],
            ["sections.id"],
            name=op.f("fk_moderator_sections_section_id_sections"),
        ),
        sa.PrimaryKeyConstraint("moderator_id", "section_id", name=op.f("pk_moderator_sections")),
    )
    if op.get_bind().dialect.name == "sqlite":
        # In place: a batch copy of ``articles`` would drop the old table while comments
        # refer to it, which SQLite refuses with its foreign keys on and rows present.
        op.execute(
            "ALTER TABLE articles ADD COLUMN section_id INTEGER "
            "CONSTRAINT fk_articles_section_id_sections REFERENCES sections (id)"
        )
    else:
        op.add_column("articles", sa.Column("section_id", sa.Integer(), nullable=True))
        op.create_foreign_key(
            op.f("fk_articles_section_id_sections"), "articles", "sections", ["section_id"], ["id"]
        )
    op.create_index(op.f("ix_articles_section_id"), "articles", ["section_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_articles_section_id"), table_name="articles")
    if op.get_bind().dialect.name == "sqlite":
        op.execute("ALTER TABLE articles DROP COLUMN section_id")  # in place, as added
    else:
        op.drop_constraint(op.f("fk_articles_section_id_sections"), "articles", type_="foreignkey")
        op.drop_column("articles", "section_id")
    op.drop_table("moderator_sections")
    op.drop_table("sections")
