"""change notify: on PostgreSQL, a commit that changes articles or sites notifies
``commentdesk_changes``, so every server's read cache knows to look again
(``store/changes.py``). SQLite needs nothing: ``PRAGMA data_version`` tells.

Revision ID: 0011
Revises: 0010
"""

from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

TABLES = ("articles", "sites")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    # One notification per statement, and PostgreSQL folds equal ones of a transaction.
    op.execute(
        """
        CREATE FUNCTION commentdesk_notify_change() RETURNS trigger
        LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('commentdesk_changes', TG_TABLE_NAME);
            RETURN NULL;
        END
        $$
        """
    )
    for table in TABLES:
        op.execute(
            f"CREATE TRIGGER {table}_notify_change AFTER INSERT OR UPDATE OR DELETE "
            f"ON {table} FOR EACH STATEMENT EXECUTE FUNCTION commentdesk_notify_change()"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"DROP TRIGGER {table}_notify_change ON {table}")
    op.execute("DROP FUNCTION commentdesk_notify_change()")
