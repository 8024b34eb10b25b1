"""How long a large Disqus import takes, and how much memory it needs.

Generates (or reuses) a Disqus export of ``--comments`` comments (50 per thread, about a
third of them replies, some deleted or spam), imports it into a fresh database (SQLite
by default, or ``--database URL``), then imports it again to time the idempotent re-run.
Peak memory is the process's maximum resident set size (``getrusage``), taken after
each phase, so it covers the parser, the scratch staging database and the writes.

Writes the figures to ``bench/results-import.md`` with the date, machine and command.
Usage: ``python bench/import_bench.py [--comments N] [--database URL] [--file PATH] [--append]``.
Not part of ``make test``.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import sqlite3
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # for tests.porting.generate

from tests.porting.generate import write_disqus

from commentdesk.desk import Desk
from commentdesk.desk.porting import Importer
from commentdesk.porting.run import ImportSummary, run_import
from commentdesk.settings import Settings
from commentdesk.store import Store

RESULTS = Path(__file__).with_name("results-import.md")


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def timed_import(desk: Desk, path: Path) -> tuple[ImportSummary, float]:
    started = time.perf_counter()
    summary = run_import(Importer(desk.context), "disqus", path)
    return summary, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--comments", type=int, default=1_000_000)
    parser.add_argument("--database", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--file", type=Path, help="reuse or keep the generated export here")
    parser.add_argument("--no-write", action="store_true", help="print, do not write results")
    parser.add_argument("--append", action="store_true", help="add to the results file")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="import-bench-"))
    export = args.file or work / f"disqus-{args.comments}.xml"
    if not export.exists():
        started = time.perf_counter()
        write_disqus(export, args.comments)
        print(f"generated {export} in {time.perf_counter() - started:.1f} s", flush=True)
    url = args.database or f"sqlite:///{work / 'bench.db'}"
    store = Store(url)
    store.migrate()
    desk = Desk.open(Settings(database_url=url, secret_key="bench"), store=store)
    baseline = peak_mib()
    load_before = os.getloadavg()[0]
    first, first_s = timed_import(desk, export)
    first_peak = peak_mib()
    again, again_s = timed_import(desk, export)
    again_peak = peak_mib()
    desk.close()
    load = (load_before, os.getloadavg()[0])
    rows = [
        ("first import", first, first_s, first_peak),
        ("same file again", again, again_s, again_peak),
    ]
    report = render(args, url, export, baseline, load, rows)
    print(report)
    if args.append and RESULTS.exists():
        report = RESULTS.read_text() + "\n" + report.replace("# Import benchmark", "## Another run")
    if not args.no_write:
        RESULTS.write_text(report)


def render(
    args: argparse.Namespace,
    url: str,
    export: Path,
    baseline: float,
    load: tuple[float, float],
    rows: list[tuple[str, ImportSummary, float, float]],
) -> str:
    database = "PostgreSQL" if url.startswith("postgres") else f"SQLite {sqlite3.sqlite_version}"
    command = " ".join(["python", "bench/import_bench.py", *sys.argv[1:]])
    lines = [
        "# Import benchmark",
        "",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- Command: `{command}`",
        f"- Machine: {platform.machine()}, {_cores()} cores, Python {platform.python_version()}, "
        f"{database}",
        f"- File: generated Disqus export, {args.comments:,} comments, "
        f"{export.stat().st_size / 2**20:,.0f} MiB",
        f"- Memory before importing (interpreter, libraries, the desk): {baseline:,.0f} MiB",
        f"- Load average (1 min) at start and end: {load[0]:.1f}, {load[1]:.1f} (other work "
        "on the machine slows the figures)",
        "",
        "| run | imported | already there | articles created | seconds | comments/s | "
        "peak RSS MiB |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for name, summary, seconds, peak in rows:
        tally = summary.tally
        rate = (tally.imported + tally.already) / seconds if seconds else 0
        lines.append(
            f"| {name} | {tally.imported:,} | {tally.already:,} | {tally.articles_created:,} | "
            f"{seconds:,.1f} | {rate:,.0f} | {peak:,.0f} |"
        )
    lines.append("")
    return "\n".join(lines)


def _cores() -> int:
    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
