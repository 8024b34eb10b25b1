"""The unseen triage set (bench/data/triage-unseen) is sound, and its check notices damage."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from bench.triage_unseen_check import FOLDER, problems, read


def test_the_committed_set_has_no_problems() -> None:
    assert problems() == []


def test_a_campaign_moved_partly_into_the_other_part_is_a_problem(tmp_path: Path) -> None:
    shutil.copytree(FOLDER, tmp_path, dirs_exist_ok=True)
    dev, test = read(tmp_path / "dev.jsonl"), read(tmp_path / "test.jsonl")
    moved = next(row for row in dev if row["campaign"])
    dev.remove(moved)
    test.append(moved)
    for name, rows in (("dev", dev), ("test", test)):
        lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        (tmp_path / f"{name}.jsonl").write_text(lines, "utf-8")
    assert f"campaign {moved['campaign']} is in both parts" in problems(tmp_path)


def test_a_repeated_id_is_a_problem(tmp_path: Path) -> None:
    shutil.copytree(FOLDER, tmp_path, dirs_exist_ok=True)
    test = read(tmp_path / "test.jsonl")
    test[0]["id"] = read(tmp_path / "dev.jsonl")[0]["id"]
    lines = "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in test)
    (tmp_path / "test.jsonl").write_text(lines, "utf-8")
    assert any(p.endswith("appears 2 times") for p in problems(tmp_path))
