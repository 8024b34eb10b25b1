"""The worker's cost per comment with 10,000 and 1,000,000 prior comments in the index,
the semantic index included (issue 20: within 2x).

Each database holds N prior comments inside the clustering window, each with its 32
MinHash band rows (random values, as ``bench/dataset.py`` makes them), its sentence
vector in ``embeddings`` (a random unit vector, float16) and that vector's 32 random-
hyperplane band rows (``lsh_bands.kind = 1``), all written in bulk: a million texts are
not embedded, their index rows are what a lookup reads. Then comments are submitted
through the desk (fresh sentences, and one in four a copy of a running campaign in
English or Korean, paraphrased) and the worker assesses them batch by batch
(``Assessor.run_batch``, up to 32 comments, one encoder call per batch): the figure is a
batch's wall time divided by its comments, with the model loaded and warm. The same
comments are timed at both sizes.

Usage: ``python bench/semantic_scale.py [--sizes 10000 1000000] [--batches 12]``;
writes ``bench/results-semantic.md``. Databases are cached in ``--cache`` (default
``/tmp/commentdesk-semantic-bench``); building the 1,000,000 one takes several minutes.
"""

from __future__ import annotations

import argparse
import os
import platform
import random
import sqlite3
import statistics
import subprocess  # git describe, for the results' header  # nosec B404
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
from dataset import SECRET, Shape, build, sentence

from commentdesk.desk import Desk, Draft
from commentdesk.settings import Settings
from commentdesk.triage import semantic

NOW = datetime(2026, 1, 1, tzinfo=UTC)
CHUNK = 20_000
HERE = Path(__file__).parent
TALKING_POINTS = [
    (
        "The protests were organised by foreign NGOs and the students are being used.",
        "Foreign NGOs organised these protests; the students are just being used by them.",
        "외국 NGO들이 이 시위를 조직했고 학생들은 그냥 이용당하는 것이다.",
    ),
    (
        "This newspaper is funded by the CIA to destabilise our country, do not trust it.",
        "The CIA pays this paper to destabilise the country. Trust nothing it prints.",
        "이 신문은 우리나라를 불안정하게 만들기 위해 CIA의 자금을 받고 있다.",
    ),
]


#: The indexes of the tables loaded here, as migration 0008 leaves them (recreated after
#: the load; listed so that an interrupted load can resume).
INDEXES = (
    "CREATE INDEX IF NOT EXISTS ix_lsh_bands_band_created_at ON lsh_bands (band, created_at)",
    "CREATE INDEX IF NOT EXISTS ix_lsh_bands_comment_id ON lsh_bands (comment_id)",
    "CREATE INDEX IF NOT EXISTS ix_lsh_bands_created_at ON lsh_bands (created_at)",
    "CREATE INDEX IF NOT EXISTS ix_embeddings_created_at ON embeddings (created_at)",
)


def _semantic_rows(path: Path, site_id: int) -> None:
    """Random unit vectors and their bands for every prior comment, in bulk (resumes)."""
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA synchronous=OFF")
    for (name,) in db.execute(
        "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
        "AND tbl_name IN ('lsh_bands', 'embeddings')"
    ).fetchall():
        db.execute(f'DROP INDEX "{name}"')
    done = db.execute("SELECT coalesce(max(comment_id), 0) FROM embeddings").fetchone()[0]
    db.execute("DELETE FROM lsh_bands WHERE kind = 1 AND comment_id > ?", (done,))
    rng = np.random.default_rng(7 + done)
    ids = db.execute(
        "SELECT id, created_at FROM comments WHERE id > ? ORDER BY id", (done,)
    ).fetchall()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        vectors = rng.standard_normal((len(chunk), semantic.DIMENSIONS)).astype(np.float32)
        vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
        bands = semantic.band_matrix(vectors).tolist()
        db.execute("BEGIN")
        db.executemany(
            "INSERT INTO lsh_bands (band, comment_id, created_at, kind) VALUES (?,?,?,1)",
            ((b, cid, at) for (cid, at), keys in zip(chunk, bands, strict=True) for b in keys),
        )
        db.executemany(
            "INSERT INTO embeddings (comment_id, site_id, vector, created_at) VALUES (?,?,?,?)",
            (
                (cid, site_id, semantic.to_bytes(v), at)
                for (cid, at), v in zip(chunk, vectors, strict=True)
            ),
        )
        db.execute("COMMIT")
        print(f"\r  {done + start + len(chunk):,} vectors", end="", file=sys.stderr, flush=True)
    print("\n  indexes", file=sys.stderr, flush=True)
    for create in INDEXES:
        db.execute(create)
    db.execute("ANALYZE")
    db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    db.close()


def database(cache: Path, count: int) -> Path:
    path = cache / f"semantic-{count}.db"
    if path.exists():
        return path
    cache.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    spacing = timedelta(hours=40) / count  # every prior comment inside the 48-hour window
    shape = Shape(comments=count, articles=200, newest=NOW, spacing=spacing)
    shape = Shape(**{**shape.__dict__, "window_start": shape.oldest})
    if not partial.with_suffix(".built").exists():
        build(f"sqlite:///{partial}", shape)
        partial.with_suffix(".built").touch()
    db = sqlite3.connect(partial)
    site_id = db.execute("SELECT site_id FROM articles WHERE key = 'a1'").fetchone()[0]
    db.close()
    _semantic_rows(partial, site_id)
    partial.rename(path)
    partial.with_suffix(".built").unlink()
    return path


def measure(path: Path, batches: int) -> list[float]:
    """Milliseconds per comment of each timed batch (the first batch warms up)."""
    # In place: a run adds its few hundred comments to the cached database (copying the
    # million-comment file, 11 GB, would take longer than the measurement).
    work = path
    with sqlite3.connect(work) as db:  # after any earlier run's comments
        newest = db.execute("SELECT max(created_at) FROM comments").fetchone()[0]
    clock_at = [max(NOW, datetime.fromisoformat(newest).replace(tzinfo=UTC)) + timedelta(minutes=1)]
    settings = Settings(database_url=f"sqlite:///{work}", secret_key=SECRET, rate_site="1000000/1")
    settings = settings.model_copy(
        update={"rate_commenter": "1000000/1", "rate_address": "1000000/1"}
    )
    desk = Desk.open(settings, clock=lambda: clock_at[0])
    rng = random.Random(11)
    samples = []
    try:
        for number in range(batches + 1):
            for n in range(32):
                text = (
                    rng.choice(rng.choice(TALKING_POINTS)) if n % 4 == 0 else sentence(rng, 15, 40)
                )
                draft = Draft(
                    author=f"Reader {rng.randrange(10**6)}",
                    body=text,
                    accept_terms=True,
                    commenter_key=f"key-{rng.randrange(10**9):012d}-bench",
                )
                desk.comments.submit(f"a{rng.randrange(200)}", draft)
                clock_at[0] += timedelta(seconds=1)
            started = time.perf_counter()
            done = desk.assessor.run_batch()
            elapsed = (time.perf_counter() - started) * 1000
            if number:
                samples.append(elapsed / done)
    finally:
        desk.close()
    return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 1_000_000])
    parser.add_argument("--batches", type=int, default=12)
    parser.add_argument("--cache", type=Path, default=Path("/tmp/commentdesk-semantic-bench"))
    parser.add_argument("--output", type=Path, default=HERE / "results-semantic.md")
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        path = database(args.cache, size)
        samples = measure(path, args.batches)
        median, worst = statistics.median(samples), max(samples)
        rows.append((size, median, worst, path.stat().st_size / 2**20))
        print(f"{size:>9,} prior: {median:.2f} ms/comment median, {worst:.2f} max", flush=True)
    write(args.output, rows, args)


def write(output: Path, rows: list[tuple[int, float, float, float]], args: object) -> None:
    commit = subprocess.run(  # nosec B603 B607
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    lines = [
        "# The worker's assessment cost at 10,000 and 1,000,000 prior comments (issue 20)",
        "",
        f"- Machine: {os.cpu_count()} cores, {platform.machine()}, Python "
        f"{platform.python_version()}, SQLite {sqlite3.sqlite_version}",
        f"- Date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC; code: commit {commit}",
        f"- Command: `make bench-semantic` (= `python bench/semantic_scale.py`); {args}",
        f"- Load average at the end: {', '.join(f'{x:.2f}' for x in os.getloadavg())} (the 2 "
        "cores are shared with other runs: compare the ratio, not absolute figures)",
        "- Index: every prior comment inside the clustering window, with 32 MinHash band "
        "rows, a float16 vector and 32 semantic band rows (random unit vectors); each timed "
        "batch is 32 comments submitted through the desk, one in four a campaign copy in "
        "English or Korean, assessed by `Assessor.run_batch` (one encoder call per batch)",
        "",
        "| prior comments | DB MiB | ms per comment, median of batches | worst batch |",
        "| ---: | ---: | ---: | ---: |",
    ]
    lines += [f"| {n:,} | {mib:,.0f} | {med:.2f} | {worst:.2f} |" for n, med, worst, mib in rows]
    if len(rows) >= 2:
        ratio = rows[-1][1] / rows[0][1]
        lines += [
            "",
            f"Ratio {rows[-1][0]:,} / {rows[0][0]:,}: **{ratio:.2f}x** (target within 2x).",
        ]
    output.write_text("\n".join(lines) + "\n")
    print(f"wrote {output}")


if __name__ == "__main__":
    main()
