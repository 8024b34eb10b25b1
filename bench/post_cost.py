"""What one post costs the desk, in CPU, without HTTP or concurrency (issue 14).

Copies the database ``bench/compare.py`` seeded (``bench/.data/compare/ours.db``), opens
the desk on it as ``serve`` would (assessment off: that is the worker's cost, not the
request's), submits ``--posts`` comments of 18 random words to the posting article one
after another and prints the process CPU time per post. ``--profile`` adds cProfile's
top entries by cumulative time.

Usage: ``.venv/bin/python bench/post_cost.py [--posts 1000] [--profile]``.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import random
import shutil
import tempfile
import time
from pathlib import Path

from compare import POSTING, RATE_ENV, SECRET

from commentdesk.desk import Desk, Draft
from commentdesk.settings import Settings

HERE = Path(__file__).resolve().parent
WORDS = (
    "the",
    "a",
    "government",
    "news",
    "reader",
    "comment",
    "policy",
    "election",
    "market",
    "city",
    "school",
    "health",
    "water",
    "road",
    "people",
    "minister",
    "report",
    "press",
    "freedom",
)


def draft(n: int) -> Draft:
    body = f"{n} " + " ".join(random.choice(WORDS) for _ in range(18))  # nosec B311
    return Draft(author="Reader", body=body, accept_terms=True, address="127.0.0.1")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--posts", type=int, default=1000)
    parser.add_argument("--profile", action="store_true")
    parser.add_argument("--db", type=Path, default=HERE / ".data" / "compare" / "ours.db")
    args = parser.parse_args()
    os.environ.update(RATE_ENV)
    with tempfile.TemporaryDirectory() as folder:
        database = Path(folder) / "posts.db"
        shutil.copyfile(args.db, database)
        settings = Settings(
            database_url=f"sqlite:///{database}", secret_key=SECRET, assess_in_server=False
        )
        desk = Desk.open(settings)
        try:
            for n in range(30):  # the site's lists compiled, the caches warm
                desk.comments.submit(POSTING, draft(n))
            started = time.process_time()
            for n in range(args.posts):
                desk.comments.submit(POSTING, draft(1000 + n))
            each = (time.process_time() - started) / args.posts * 1000
            print(f"desk CPU per post: {each:.2f} ms over {args.posts} posts")
            if args.profile:
                profile = cProfile.Profile()
                profile.enable()
                for n in range(args.posts):
                    desk.comments.submit(POSTING, draft(10_000 + n))
                profile.disable()
                pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        finally:
            desk.close()


if __name__ == "__main__":
    main()
