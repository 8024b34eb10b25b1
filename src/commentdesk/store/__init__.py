"""Storage: SQLAlchemy Core tables, the ``Store`` that owns connections, and queries."""

from commentdesk.store.database import Store

__all__ = ["Store"]
