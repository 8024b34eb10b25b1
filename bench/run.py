"""``make bench``: commentdesk beside Isso and nginx, the scale curve, the triage scale.

Writes bench/results.md. Not part of ``make test``. About 25 minutes on 2 cores when the
databases are cached in bench/.data/ (the first run also builds them).

Usage: ``python bench/run.py [--rounds 3] [--duration 4] [--skip-compare] [--skip-scale]
[--skip-postgres] [--skip-triage] [--skip-assess] [--calls 300] [--case NAME ...]``;
``--case`` limits the side by side to the named cases of bench/compare.py.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import assess_latency
import compare
import load
import peers
import publish_latency
import report
import scale

HERE = Path(__file__).resolve().parent
#: The last run's raw figures, so ``--report-only`` can re-render results.md.
LAST_RUN = HERE / ".data" / "last-run.json"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--duration", type=float, default=4.0, help="seconds per wrk run")
    parser.add_argument("--max-requests", type=int, default=1_000_000, help="per wrk run")
    parser.add_argument("--calls", type=int, default=400, help="assess() calls per level")
    parser.add_argument("--skip-compare", action="store_true")
    parser.add_argument("--skip-scale", action="store_true")
    parser.add_argument("--skip-postgres", action="store_true")
    parser.add_argument("--skip-triage", action="store_true")
    parser.add_argument(
        "--skip-assess", action="store_true", help="no time-to-assessment measurement"
    )
    parser.add_argument(
        "--skip-publish", action="store_true", help="no decision-to-static-file measurement"
    )
    parser.add_argument("--assess-rate", type=float, default=20.0, help="posts a second")
    parser.add_argument("--assess-seconds", type=float, default=60.0)
    parser.add_argument(
        "--case",
        action="append",
        default=[],
        help="only this side-by-side case (repeatable), e.g. 'post a comment (with triage)'",
    )
    parser.add_argument(
        "--ours-workers",
        type=int,
        default=os.cpu_count() or 1,
        help="`commentdesk serve --workers N` for the side-by-side cases (default: one a core,"
        " as Isso's gunicorn uses every core)",
    )
    parser.add_argument("--output", type=Path, default=HERE / "results.md")
    parser.add_argument(
        "--report-only", action="store_true", help="re-render from the last run's figures"
    )
    args = parser.parse_args()
    if args.report_only:
        render(args.output, **restore(json.loads(LAST_RUN.read_text())))
        return
    load_start = os.getloadavg()
    revision = report.git_revision()
    bounds = {"rounds": args.rounds, "duration": args.duration, "max_requests": args.max_requests}
    rows: list[compare.Row] = []
    commands: list[str] = []
    wire: list[compare.Wire] = []
    if not args.skip_compare:
        print("side by side:", flush=True)
        rows, commands, wire = compare.run(
            HERE / ".data" / "compare", **bounds, only=tuple(args.case), workers=args.ours_workers
        )
    levels: list[scale.ScaleRow] = []
    if not args.skip_scale:
        backends = ("sqlite",) if args.skip_postgres else ("sqlite", "postgresql")
        for backend in backends:
            print(f"scale: {backend}", flush=True)
            levels.append(scale.scale_curve(backend, **bounds))
    triage: list[scale.TriageRow] = []
    if not args.skip_triage:
        for count in scale.TRIAGE_LEVELS:
            print(f"triage scale: {count:,} prior comments", flush=True)
            triage.append(scale.triage_level(count, args.calls))
    assess: assess_latency.AssessLatency | None = None
    if not args.skip_assess:
        print("time to assessment:", flush=True)
        assess = assess_latency.measure(
            HERE / ".data" / "assess", rate=args.assess_rate, seconds=args.assess_seconds
        )
    published: publish_latency.PublishLatency | None = None
    if not args.skip_publish:
        print("time to the published file:", flush=True)
        published = publish_latency.measure(HERE / ".data" / "publish")
    load_end = os.getloadavg()
    command = " ".join(["python", "bench/run.py", *sys.argv[1:]])
    header = [
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC (end of the run)",
        f"- Command: `make bench` (= `.venv/bin/{command}`); rounds {args.rounds}, "
        f"{args.duration:g} s (three times that for the 1,000-comment thread) and at most "
        f"{args.max_requests:,} requests per wrk run, then a wait until the server is idle",
        f"- Code: commit {revision} of this checkout when the run started",
        f"- Load average (1, 5, 15 min) at start {_load(load_start)}, at end {_load(load_end)} "
        "(the 2 cores are shared with other engineers' test runs; compare ratios from the "
        "same run, not absolute figures across runs)",
        f"- Isso {peers.ISSO_VERSION} under gunicorn, {peers.isso_workers()} sync workers, "
        "--preload (see bench/peers.py for why); ours: `commentdesk serve --workers "
        f"{args.ours_workers}` (uvicorn processes on one port, each with its assessment "
        "child process in SCHED_IDLE); nginx: Debian's, "
        "worker_processes auto, the same bytes as static files",
    ]
    figures = {
        "header": header,
        "rows": rows,
        "commands": commands,
        "wire": wire,
        "scale": levels,
        "triage": triage,
        "assess": assess,
        "published": published,
    }
    LAST_RUN.parent.mkdir(parents=True, exist_ok=True)
    LAST_RUN.write_text(json.dumps(figures, default=dataclasses.asdict, indent=1))
    render(
        args.output,
        header=header,
        rows=rows,
        commands=commands,
        wire=wire,
        scale=levels,
        triage=triage,
        assess=assess,
        published=published,
    )


def render(
    output: Path,
    *,
    header: list[str],
    rows: list[compare.Row],
    commands: list[str],
    scale: list[scale.ScaleRow],
    triage: list[scale.TriageRow],
    assess: assess_latency.AssessLatency | None = None,
    wire: list[compare.Wire] | None = None,
    published: publish_latency.PublishLatency | None = None,
) -> None:
    """Writes results.md, with bench/analysis.md (the profiles, by hand) at its end."""
    analysis_file = HERE / "analysis.md"
    analysis = analysis_file.read_text() if analysis_file.exists() else ""
    print(
        report.write(
            output,
            header=header,
            rows=rows,
            commands=commands,
            scale=scale,
            triage=triage,
            assess=assess,
            wire=wire or [],
            published=published,
            analysis=analysis,
        )
    )


def _row(data: dict[str, Any]) -> compare.Row:
    results = {
        server: [load.Result(**run) for run in runs] for server, runs in data["results"].items()
    }
    shares = data.get("shares", [])
    return compare.Row(data["case"], data["concurrency"], results, data["peaks"], shares)


def restore(data: dict[str, Any]) -> dict[str, Any]:
    """The keyword arguments of ``render`` from a saved run."""
    return {
        "header": data["header"],
        "rows": [_row(row) for row in data["rows"]],
        "commands": data["commands"],
        "wire": [tuple(w) for w in data.get("wire", [])],
        "scale": [
            scale.ScaleRow(
                s["backend"], [_row(r) for r in s["rows"]], s["peaks_mib"], s["start_mib"]
            )
            for s in data["scale"]
        ],
        "triage": [
            scale.TriageRow(
                t["comments"],
                t["band_rows"],
                tuple(t["fresh"]),
                tuple(t["campaign"]),
                tuple(t["fresh_assess"]),
                tuple(t["campaign_assess"]),
            )
            for t in data["triage"]
        ],
        "assess": assess_latency.AssessLatency(**data["assess"]) if data.get("assess") else None,
        "published": (
            publish_latency.PublishLatency(**data["published"]) if data.get("published") else None
        ),
    }


def _load(values: tuple[float, float, float]) -> str:
    return ", ".join(f"{v:.2f}" for v in values)


if __name__ == "__main__":
    main()
