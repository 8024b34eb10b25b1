"""Profiles our server under one wrk case with py-spy: where a missed target's time goes.

Starts ``commentdesk serve`` on a database made by ``bench/compare.py`` (reused), drives
one case at concurrency 16 while ``py-spy record`` samples the server, and prints the
functions with the most samples (own and cumulative). py-spy comes from PyPI into the
venv (``pip install py-spy``); it is not a dependency of the project.

Usage: ``python bench/profile_server.py CASE [--seconds N] [--no-assess]`` where CASE is a case name
from bench/compare.py, e.g. "thread of 100, JSON".
"""

from __future__ import annotations

import argparse
import collections
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import compare
import load

HERE = Path(__file__).resolve().parent


def summarise(collapsed: Path, top: int) -> str:
    own: collections.Counter[str] = collections.Counter()
    total: collections.Counter[str] = collections.Counter()
    samples = 0
    for line in collapsed.read_text().splitlines():
        stack, _, count = line.rpartition(" ")
        frames = stack.split(";")
        samples += int(count)
        own[frames[-1]] += int(count)
        for frame in set(frames):
            total[frame] += int(count)
    lines = [f"{samples} samples", "", "own time:"]
    lines += [f"  {100 * n / samples:5.1f}%  {frame}" for frame, n in own.most_common(top)]
    lines += ["", "cumulative (in the stack):"]
    lines += [f"  {100 * n / samples:5.1f}%  {frame}" for frame, n in total.most_common(top * 3)]
    return "\n".join(lines)


def py_spy() -> str:
    """py-spy beside this Python, else the one on ``PATH`` (e.g. a venv of its own)."""
    own = Path(sys.executable).parent / "py-spy"
    return str(own) if own.exists() else shutil.which("py-spy") or str(own)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("case")
    parser.add_argument("--seconds", type=float, default=15)
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--work", type=Path, default=HERE / ".data" / "compare")
    parser.add_argument("--database", help="a database URL seeded by compare.seed_ours")
    parser.add_argument("--seed", action="store_true", help="seed --database first")
    parser.add_argument(
        "--no-assess",
        action="store_true",
        help="without the assessment worker in the server (COMMENTDESK_ASSESS_IN_SERVER=false)",
    )
    args = parser.parse_args()
    work = args.work.resolve()
    url = args.database or f"sqlite:///{work / 'ours.db'}"
    if args.seed or not (args.database or (work / "ours.db").exists()):
        compare.seed_ours(url)
    server = compare.our_server(work, url)
    if args.no_assess:
        server.env["COMMENTDESK_ASSESS_IN_SERVER"] = "false"
    case = compare.our_cases()[args.case]
    out = work / "profile.txt"
    server.start()
    try:
        compare.warm(server, compare.our_cases()["post a comment (with triage)"])
        assert server.process is not None
        spy = subprocess.Popen(
            [
                py_spy(),
                "record",
                "--threads",
                "--pid",
                str(server.process.pid),
                "--format",
                "raw",
                "--output",
                str(out),
                "--duration",
                str(int(args.seconds)),
                "--rate",
                "200",
                "--nonblocking",
            ],
        )
        driver = threading.Thread(
            target=load.run,
            args=(server.base, case),
            kwargs={"concurrency": 16, "duration": args.seconds, "max_requests": 10**7},
        )
        driver.start()
        driver.join()
        spy.wait()
    finally:
        server.stop()
    print(summarise(out, args.top))


if __name__ == "__main__":
    main()
