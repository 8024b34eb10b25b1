"""Rendered thread bodies, kept per process and keyed by what readers can see change.

A published thread only changes when its article's ``published_version`` moves (every
decision, edit and erasure bumps it) or it closes, which is exactly what its ETag names;
the title and URL are part of the key too. So a read of an unchanged thread is one
indexed lookup of the article plus a dictionary hit, and nothing stale is ever served:
another process's decision bumps the version in the database, and the next read here
misses the cache.

One body per article: a new version replaces the old one instead of sitting beside it,
so an erased text does not outlive the next read of its thread in any process (and the
process that erased it drops every body at once, see ``web/reader/rights.py``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict

Key = tuple[str, str, str]


class ThreadCache:
    """A small thread-safe LRU of response bodies, one per article."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._bodies: OrderedDict[int, tuple[Key, bytes]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, article_id: int, key: Key) -> bytes | None:
        """The article's body if it was rendered for ``key``; None otherwise."""
        with self._lock:
            found = self._bodies.get(article_id)
            if found is None or found[0] != key:
                return None
            self._bodies.move_to_end(article_id)
            return found[1]

    def put(self, article_id: int, key: Key, body: bytes) -> None:
        """Keeps ``body`` as the article's, in place of any older version."""
        with self._lock:
            self._bodies[article_id] = (key, body)
            self._bodies.move_to_end(article_id)
            while len(self._bodies) > self._size:
                self._bodies.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._bodies.clear()

    def bodies(self) -> list[bytes]:
        """Every body held (for tests that look for what must not be there)."""
        with self._lock:
            return [body for _, body in self._bodies.values()]
