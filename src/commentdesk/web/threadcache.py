"""Rendered thread bodies, kept per process and keyed by what readers can see change.

A published thread only changes when its article's ``published_version`` moves (every
decision, edit and erasure bumps it) or it closes, which is exactly what its ETag names;
the title and URL are part of the key too. So a read of an unchanged thread is one
indexed lookup of the article plus a dictionary hit, and nothing stale is ever served:
another process's decision bumps the version in the database, and the next read here
misses the cache.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

Key = tuple[str, str, str]


class ThreadCache:
    """A small thread-safe LRU of response bodies."""

    def __init__(self, size: int = 256) -> None:
        self._size = size
        self._bodies: OrderedDict[Key, bytes] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Key) -> bytes | None:
        with self._lock:
            body = self._bodies.get(key)
            if body is not None:
                self._bodies.move_to_end(key)
            return body

    def put(self, key: Key, body: bytes) -> None:
        with self._lock:
            self._bodies[key] = body
            self._bodies.move_to_end(key)
            while len(self._bodies) > self._size:
                self._bodies.popitem(last=False)
