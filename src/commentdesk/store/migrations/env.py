"""Alembic environment: always run online, on the connection ``Store.migrate`` passes in."""

from alembic import context

from commentdesk.store.tables import metadata

connection = context.config.attributes.get("connection")
if connection is None:  # pragma: no cover - only reachable from the alembic CLI
    raise SystemExit("Run migrations with `commentdesk init` or `commentdesk serve`.")

context.configure(connection=connection, target_metadata=metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
