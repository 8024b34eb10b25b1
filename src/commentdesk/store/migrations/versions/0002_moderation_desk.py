"""moderation desk: sessions, throttling, scopes, bans, terms versions, staff events

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def _fk(table: str, column: str, target: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        [column], [f"{target}.id"], name=op.f(f"fk_{table}_{column}_{target}")
    )


def upgrade() -> None:
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.add_column(sa.Column("author_key", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("commenter_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("email_hash", sa.String(length=64), nullable=True))
        batch_op.create_index(
            batch_op.f("ix_comments_author_key_state"), ["author_key", "state"], unique=False
        )
        batch_op.create_index(
            "ix_comments_state_risk_desc_id",
            ["state", sa.text("risk DESC"), "id"],
            unique=False,
        )
        batch_op.create_index(
            "ix_comments_risk_desc_id", [sa.text("risk DESC"), "id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_comments_author_state"), ["author", "state"], unique=False
        )
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.add_column(sa.Column("resolved_at", sa.DateTime(), nullable=True))
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.add_column(sa.Column("reject_reasons", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("ban_policy", sa.String(length=8), nullable=True))
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moderation", sa.String(length=8), nullable=True))

    op.create_table(
        "console_sessions",
        sa.Column("id_hash", sa.String(length=64), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("seen_at", sa.DateTime(), nullable=False),
        sa.Column("expires_at", sa.DateTime(), nullable=False),
        _fk("console_sessions", "moderator_id", "moderators"),
        sa.PrimaryKeyConstraint("id_hash", name=op.f("pk_console_sessions")),
    )
    with op.batch_alter_table("console_sessions", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_console_sessions_moderator_id"), ["moderator_id"], unique=False
        )

    op.create_table(
        "login_failures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key_hash", sa.String(length=64), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_failures")),
    )
    with op.batch_alter_table("login_failures", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_login_failures_key_hash_at"), ["key_hash", "at"], unique=False
        )

    op.create_table(
        "moderator_sites",
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        _fk("moderator_sites", "moderator_id", "moderators"),
        _fk("moderator_sites", "site_id", "sites"),
        sa.PrimaryKeyConstraint("moderator_id", "site_id", name=op.f("pk_moderator_sites")),
    )

    op.create_table(
        "bans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("commenter_hash", sa.String(length=64), nullable=True),
        sa.Column("email_hash", sa.String(length=64), nullable=True),
        sa.Column("author", sa.String(length=64), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("until", sa.DateTime(), nullable=False),
        sa.Column("lifted_at", sa.DateTime(), nullable=True),
        _fk("bans", "moderator_id", "moderators"),
        _fk("bans", "site_id", "sites"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_bans")),
    )
    with op.batch_alter_table("bans", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_bans_commenter_hash"), ["commenter_hash"])
        batch_op.create_index(batch_op.f("ix_bans_email_hash"), ["email_hash"])

    op.create_table(
        "terms_versions",
        sa.Column("site_id", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        _fk("terms_versions", "moderator_id", "moderators"),
        _fk("terms_versions", "site_id", "sites"),
        sa.PrimaryKeyConstraint("site_id", "version", name=op.f("pk_terms_versions")),
    )

    op.create_table(
        "staff_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.Column("action", sa.String(length=32), nullable=False),
        sa.Column("moderator_id", sa.Integer(), nullable=True),
        sa.Column("comment_id", sa.Integer(), nullable=True),
        sa.Column("site_id", sa.Integer(), nullable=True),
        sa.Column("target", sa.String(length=200), nullable=True),
        sa.Column("from_state", sa.String(length=16), nullable=True),
        sa.Column("to_state", sa.String(length=16), nullable=True),
        sa.Column("reason", sa.Text(), nullable=True),
        sa.Column("before_text", sa.Text(), nullable=True),
        sa.Column("after_text", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["comment_id"], ["comments.id"], name=op.f("fk_staff_events_comment_id_comments")
        ),
        _fk("staff_events", "moderator_id", "moderators"),
        _fk("staff_events", "site_id", "sites"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_events")),
    )
    with op.batch_alter_table("staff_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_events_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_staff_events_comment_id"), ["comment_id"])


def downgrade() -> None:
    op.drop_table("staff_events")
    op.drop_table("terms_versions")
    op.drop_table("bans")
    op.drop_table("moderator_sites")
    op.drop_table("login_failures")
    op.drop_table("console_sessions")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_column("moderation")
    with op.batch_alter_table("sites", schema=None) as batch_op:
        batch_op.drop_column("ban_policy")
        batch_op.drop_column("reject_reasons")
    with op.batch_alter_table("reports", schema=None) as batch_op:
        batch_op.drop_column("resolved_at")
    with op.batch_alter_table("comments", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_comments_author_state"))
        batch_op.drop_index("ix_comments_risk_desc_id")
        batch_op.drop_index("ix_comments_state_risk_desc_id")
        batch_op.drop_index(batch_op.f("ix_comments_author_key_state"))
        batch_op.drop_column("email_hash")
        batch_op.drop_column("commenter_hash")
        batch_op.drop_column("author_key")
