"""Per-request cost of the reader's routes inside one process, without sockets or load.

Runs the app with starlette's TestClient on the database ``bench/compare.py`` seeded
(``bench/.data/compare/ours.db``) and prints p50 per route; ``/healthz`` is the floor
(the middleware stack, routing and the TestClient's own hop into the app's thread).
The difference between a route and ``/healthz`` is what the route itself costs.

Usage: ``cd bench && ../.venv/bin/python inprocess.py [--calls 300]``.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from dataset import SECRET
from fastapi.testclient import TestClient

from commentdesk.desk import Desk
from commentdesk.settings import Settings
from commentdesk.web import create_app

HERE = Path(__file__).resolve().parent
COUNTS = "/api/v1/counts?" + "&".join(f"article=a{n}" for n in range(10))
PATHS = (
    "/healthz",
    "/api/v1/articles/a0/comments",
    COUNTS,
    "/api/v1/articles/thread-100/comments",
    "/api/v1/articles/thread-1000/comments",
    "/articles/thread-100",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--db", type=Path, default=HERE / ".data" / "compare" / "ours.db")
    args = parser.parse_args()
    settings = Settings(database_url=f"sqlite:///{args.db}", secret_key=SECRET)
    desk = Desk.open(settings)
    with TestClient(create_app(settings, desk=desk)) as client:
        for path in PATHS:
            for _ in range(10):
                client.get(path)
            samples = []
            for _ in range(args.calls):
                started = time.perf_counter()
                answer = client.get(path)
                samples.append((time.perf_counter() - started) * 1000)
            print(f"{statistics.median(samples):8.2f} ms p50  {answer.status_code}  {path[:60]}")
    desk.close()


if __name__ == "__main__":
    main()
