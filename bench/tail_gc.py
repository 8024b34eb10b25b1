"""Where the old ~100 ms tail of a thread read at c=16 came from (issue 18, part 5).

Serves "thread of 100, JSON" from one ``commentdesk serve`` process with the read path
turned off (every read through the whole app, as before the read path), and compares
the collector as it was (no freeze), as it is now (the startup heap frozen,
``memory.freeze_startup_heap``) and switched off. The switches are made by a
``sitecustomize`` module this script writes to a temporary folder on ``PYTHONPATH``:
they exist only for this measurement. Writes ``bench/results-tail.md``.

Usage: ``.venv/bin/python bench/tail_gc.py [--rounds 3] [--seconds 6]``.
"""

from __future__ import annotations

import argparse
import shutil
import tempfile
from pathlib import Path

import compare
import load
import report

HERE = Path(__file__).resolve().parent

SITECUSTOMIZE = """
import os
if os.environ.get("BENCH_NO_READPATH"):
    import commentdesk.web.middleware.readpath as readpath
    async def through(self, scope, receive, send):
        await self.app(scope, receive, send)
    readpath.ReadPath.__call__ = through
if os.environ.get("BENCH_GC") in ("unfrozen", "off"):
    import commentdesk.memory as memory
    memory.freeze_startup_heap = lambda: 0
if os.environ.get("BENCH_GC") == "off":
    import gc
    gc.disable()
    gc.enable = lambda: None
"""

CONFIGS = {
    "collector as before (startup heap not frozen)": "unfrozen",
    "startup heap frozen (as served now)": "frozen",
    "collector off": "off",
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--seconds", type=float, default=6.0)
    parser.add_argument("--output", type=Path, default=HERE / "results-tail.md")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="tail-"))
    (work / "site").mkdir()
    (work / "site" / "sitecustomize.py").write_text(SITECUSTOMIZE)
    seeded = work / "seed.db"
    compare.seed_ours(f"sqlite:///{seeded}")
    case = compare.our_cases()["thread of 100, JSON"]
    lines = []
    try:
        for name, gc_mode in CONFIGS.items():
            database = work / "ours.db"
            shutil.copyfile(seeded, database)
            server = compare.our_server(work, f"sqlite:///{database}", workers=1)
            server.env.update(
                PYTHONPATH=str(work / "site"), BENCH_NO_READPATH="1", BENCH_GC=gc_mode
            )
            server.start()
            try:
                load.run(server.base, case, concurrency=16, duration=2, max_requests=10**7)
                for round_ in range(1, args.rounds + 1):
                    found, _ = load.run(
                        server.base,
                        case,
                        concurrency=16,
                        duration=args.seconds,
                        max_requests=10**7,
                    )
                    lines.append(
                        f"| {name} | {round_} | {found.rps:,.0f} | {found.p50_ms:.1f} "
                        f"| {found.p99_ms:.1f} |"
                    )
                    print(lines[-1], flush=True)
            finally:
                server.stop()
                for leftover in work.glob("ours.db*"):
                    leftover.unlink()
    finally:
        shutil.rmtree(work, ignore_errors=True)
    args.output.write_text(
        "# The tail of a thread read without the read path (issue 18)\n\n"
        f"`.venv/bin/python bench/tail_gc.py --rounds {args.rounds} --seconds {args.seconds:g}`"
        f' at {report.git_revision()}: "thread of 100, JSON" at c=16 from one'
        " `commentdesk serve` process, every read through the whole app (the read path"
        " switched off for this run only), wrk, one line per round.\n\n"
        "| collector | round | req/s | p50 ms | p99 ms |\n| --- | ---: | ---: | ---: | ---: |\n"
        + "\n".join(lines)
        + "\n"
    )


if __name__ == "__main__":
    main()
