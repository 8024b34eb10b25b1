"""Precision and recall of automated triage on the labelled comments in tests/data.

Replays tests/data/triage_eval.jsonl in time order, the way comments arrive: each one is
checked against the near-duplicate index of the comments before it (so the first copy
of a campaign is never caught, as in production), assessed with the starter word lists
and default policy, then indexed. The assessment's reasons are mapped to one predicted
label:

- campaign: a ``duplicate_cluster`` reason;
- spam: a spam-list match or a shortened, denied or raw-IP link, or too many links;
- abusive: an abuse, slur or threat word (banned or suspect);
- clean: anything else.

Usage: ``python bench/triage_eval.py [--show-errors]``.
"""

from __future__ import annotations

import argparse
import json
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from commentdesk.model import Assessment
from commentdesk.triage.minhash import LSHIndex, signature, significant
from commentdesk.triage.policy import Cluster, Context
from commentdesk.triage.scoring import Triage
from commentdesk.triage.wordlists import starter_lists

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "triage_eval.jsonl"
LABELS = ("clean", "abusive", "spam", "campaign")
SPAM_CODES = frozenset(
    {"banned_spam", "suspect_spam", "shortened_link", "denied_link", "ip_link", "many_links"}
)
ABUSE_CODES = frozenset({"banned_word", "suspect_word"})


@dataclass(frozen=True)
class Row:
    id: int
    lang: str
    label: str
    author: str
    article: str
    minute: int
    text: str


def load(path: Path = DATA) -> list[Row]:
    rows = []
    for line in path.read_text("utf-8").splitlines():
        if line.strip():
            data = json.loads(line)
            data.pop("campaign", None)
            rows.append(Row(**data))
    return sorted(rows, key=lambda row: (row.minute, row.id))


def predict(assessment: Assessment) -> str:
    codes = {reason.code for reason in assessment.reasons}
    if "duplicate_cluster" in codes:
        return "campaign"
    if codes & SPAM_CODES:
        return "spam"
    if codes & ABUSE_CODES:
        return "abusive"
    return "clean"


def replay(rows: list[Row]) -> tuple[list[tuple[Row, str, Assessment]], list[float]]:
    triage = Triage.from_lists(starter_lists())
    index: LSHIndex[int] = LSHIndex()
    by_id = {row.id: row for row in rows}
    seen_authors: set[str] = set()
    results, timings = [], []
    for row in rows:
        started = time.perf_counter()
        sig = signature(row.text)
        members = [by_id[key] for key, _ in index.query(sig)] if significant(row.text) else []
        cluster = None
        if members:
            cluster = Cluster(
                size=len(members),
                pseudonyms=len({m.author for m in members} | {row.author}),
                articles=len({m.article for m in members} | {row.article}),
                minutes=row.minute - min(m.minute for m in members),
            )
        context = Context(cluster=cluster, new_commenter=row.author not in seen_authors)
        assessment = triage.assess(row.text, context)
        timings.append(time.perf_counter() - started)
        seen_authors.add(row.author)
        if significant(row.text):
            index.add(row.id, sig)
        results.append((row, predict(assessment), assessment))
    return results, timings


def report(results: list[tuple[Row, str, Assessment]], languages: tuple[str, ...]) -> None:
    chosen = [(row, guess) for row, guess, _ in results if row.lang in languages]
    print(f"\n{'/'.join(languages)}: {len(chosen)} comments")
    print(f"{'label':<10}{'n':>5}{'precision':>11}{'recall':>9}")
    for label in LABELS:
        truth = sum(row.label == label for row, _ in chosen)
        predicted = sum(guess == label for _, guess in chosen)
        hits = sum(row.label == label and guess == label for row, guess in chosen)
        precision = hits / predicted if predicted else float("nan")
        recall = hits / truth if truth else float("nan")
        print(f"{label:<10}{truth:>5}{precision:>11.2f}{recall:>9.2f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--show-errors", action="store_true", help="list every misprediction")
    args = parser.parse_args()
    rows = load()
    results, timings = replay(rows)
    report(results, ("en", "ko"))
    report(results, ("en",))
    report(results, ("ko",))
    confusion = Counter((row.label, guess) for row, guess, _ in results)
    print("\nconfusion (true -> predicted):")
    for (truth, guess), count in sorted(confusion.items()):
        print(f"  {truth:>8} -> {guess:<8} {count}")
    actions = Counter((row.label, assessment.action) for row, _, assessment in results)
    print("\nsuggested actions per label:")
    for label in LABELS:
        counts = ", ".join(
            f"{a} {actions[(label, a)]}" for a in ("publish", "hold", "flag", "refuse")
        )
        print(f"  {label:<9} {counts}")
    timings.sort()
    p50, p99 = timings[len(timings) // 2], timings[int(len(timings) * 0.99)]
    print(f"\nassess incl. signature and lookup: p50 {p50 * 1000:.2f} ms, p99 {p99 * 1000:.2f} ms")
    if args.show_errors:
        print("\nmispredictions:")
        for row, guess, assessment in results:
            if guess != row.label:
                codes = ",".join(reason.code for reason in assessment.reasons) or "-"
                print(f"  [{row.label}->{guess}] ({codes}) {row.text[:90]}")


if __name__ == "__main__":
    main()
