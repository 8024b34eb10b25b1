"""Checks the unseen triage set (bench/data/triage-unseen) before anyone measures on it.

A figure is only as good as its set: a duplicated id, a campaign cut in two by the split
or a label without its fields would skew every number silently. This checks the schema
of each line, ids unique across both parts, every campaign on one side only with at least
two copies, the sizes the set was written to (issue 20), and that the split is roughly
even. Prints each problem and exits 1 if there is any.

Usage: ``python bench/triage_unseen_check.py [FOLDER]``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

FOLDER = Path(__file__).resolve().parent / "data" / "triage-unseen"
PARTS = ("dev", "test")
LANGS = frozenset({"en", "ko", "mixed"})
LABELS = frozenset({"clean", "spam", "abusive", "campaign"})
DISGUISES = frozenset(
    {
        "spaced", "jamo", "vowel_stretch_ko", "keyboard_ko", "latin_jamo", "number_pun",
        "leet", "homoglyph", "vowel_stretch_en", "letter_swap", "other",
    }
)  # fmt: skip
KINDS = {
    "clean": frozenset(
        {
            "plain",
            "reputable_link",
            "innocent_compound",
            "quoted_slur",
            "courtesy",
            "helpline",
            "correction",
            "repeat_author",
            "after_flood",
        }
    ),
    "spam": frozenset({"link", "phone", "messenger", "phone+messenger"}),
    "abusive": frozenset({"insult", "slur", "threat", "implicit_threat", "implicit_insult"}),
    "campaign": frozenset({"first", "exact", "edited", "paraphrase"}),
}
FIELDS: dict[str, type | tuple[type, ...]] = {
    "id": int, "lang": str, "label": str, "kind": str, "disguise": (str, type(None)),
    "campaign": (str, type(None)), "author": str, "article": str, "minute": int, "text": str,
}  # fmt: skip
#: The least of each thing the set was written to hold, over both parts.
MINIMUMS = {
    "items": 640, "spam": 100, "abusive": 130, "disguised": 90, "implicit": 10,
    "campaign items": 200, "campaigns": 25, "bilingual campaigns": 12, "clean": 280,
    "courtesy": 25, "mixed": 40, "same-language pairs": 400, "cross-language pairs": 400,
}  # fmt: skip
HARD_NEGATIVE_MINIMUM = 12


def read(path: Path) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def row_problems(row: dict[str, Any]) -> list[str]:
    """What is wrong with one line on its own."""
    where = f"id {row.get('id')}"
    if set(row) != set(FIELDS):
        return [f"{where}: fields {sorted(row)} are not {sorted(FIELDS)}"]
    found = [
        f"{where}: {k} is {type(row[k]).__name__}"
        for k, t in FIELDS.items()
        if not isinstance(row[k], t)
    ]
    if found:
        return found
    if row["lang"] not in LANGS:
        found.append(f"{where}: lang {row['lang']!r}")
    if row["label"] not in LABELS:
        return [*found, f"{where}: label {row['label']!r}"]
    if row["kind"] not in KINDS[row["label"]]:
        found.append(f"{where}: kind {row['kind']!r} for {row['label']}")
    if row["disguise"] is not None and (
        row["label"] != "abusive" or row["disguise"] not in DISGUISES
    ):
        found.append(f"{where}: disguise {row['disguise']!r} on {row['label']}")
    if (row["label"] == "campaign") != (row["campaign"] is not None):
        found.append(f"{where}: campaign id and label disagree")
    if not 20 <= len(row["text"]) <= 600:
        found.append(f"{where}: text of {len(row['text'])} characters")
    if not 0 <= row["minute"] < 3 * 24 * 60:
        found.append(f"{where}: minute {row['minute']} outside the three days")
    return found


def pair_counts(rows: list[dict[str, Any]]) -> tuple[int, int]:
    """(same-language, cross-language) pairs of copies within each campaign."""
    langs: dict[str, Counter[str]] = {}
    for row in rows:
        if row["campaign"]:
            langs.setdefault(row["campaign"], Counter())[row["lang"]] += 1
    same = sum(n * (n - 1) // 2 for c in langs.values() for lang, n in c.items() if lang != "mixed")
    cross = sum(c["en"] * c["ko"] for c in langs.values())
    return same, cross


def problems(folder: Path = FOLDER) -> list[str]:
    """Every problem with the set in ``folder``; empty when it is sound."""
    parts = {name: read(folder / f"{name}.jsonl") for name in PARTS}
    rows = [row for part in parts.values() for row in part]
    found = [p for row in rows for p in row_problems(row)]
    if found:
        return found
    ids = Counter(row["id"] for row in rows)
    found += [f"id {i} appears {n} times" for i, n in ids.items() if n > 1]
    sides: dict[str, set[str]] = {}
    for name, part in parts.items():
        for row in part:
            if row["campaign"]:
                sides.setdefault(row["campaign"], set()).add(name)
    found += [f"campaign {c} is in both parts" for c, s in sides.items() if len(s) > 1]
    copies = Counter(row["campaign"] for row in rows if row["campaign"])
    found += [f"campaign {c} has one copy" for c, n in copies.items() if n < 2]
    same, cross = pair_counts(rows)
    bilingual = {
        c for c in copies if {"en", "ko"} <= {r["lang"] for r in rows if r["campaign"] == c}
    }
    have = {
        "items": len(rows),
        "spam": sum(r["label"] == "spam" for r in rows),
        "abusive": sum(r["label"] == "abusive" for r in rows),
        "disguised": sum(r["disguise"] is not None for r in rows),
        "implicit": sum(r["kind"].startswith("implicit") for r in rows),
        "campaign items": sum(r["label"] == "campaign" for r in rows),
        "campaigns": len(copies),
        "bilingual campaigns": len(bilingual),
        "clean": sum(r["label"] == "clean" for r in rows),
        "courtesy": sum(r["kind"] == "courtesy" for r in rows),
        "mixed": sum(r["lang"] == "mixed" for r in rows),
        "same-language pairs": same,
        "cross-language pairs": cross,
    }
    found += [f"{k}: {have[k]} < {m}" for k, m in MINIMUMS.items() if have[k] < m]
    clean_kinds = Counter(r["kind"] for r in rows if r["label"] == "clean")
    found += [
        f"clean {kind}: {clean_kinds[kind]} < {HARD_NEGATIVE_MINIMUM}"
        for kind in KINDS["clean"]
        if clean_kinds[kind] < HARD_NEGATIVE_MINIMUM
    ]
    dev, test = len(parts["dev"]), len(parts["test"])
    if abs(dev - test) > 0.1 * (dev + test):
        found.append(f"split uneven: dev {dev}, test {test}")
    return found


def main() -> None:
    folder = Path(sys.argv[1]) if len(sys.argv) > 1 else FOLDER
    found = problems(folder)
    for problem in found:
        print(problem)
    print(f"{folder}: {'sound' if not found else f'{len(found)} problems'}")
    sys.exit(1 if found else 0)


if __name__ == "__main__":
    main()
