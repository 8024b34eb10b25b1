"""bench/triage_eval.py: the desk replay and the campaign pair arithmetic it reports."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from bench.triage_eval import Figure, Outcome, Row, figures, load, main, pair_figures, replay

TALKING_POINT = (
    "The drills are a provocation planned by Washington. Our government is just a puppet "
    "following orders and the press will never tell you."
)
TRANSLATION = (
    "이번 훈련은 미국이 계획한 도발이다. "
    "우리 정부는 명령을 따르는 꼭두각시일 뿐이고 언론은 절대 말하지 않는다."
)


def _row(id: int, lang: str, label: str, campaign: str | None = None) -> Row:
    return Row(id, lang, label, f"reader{id}", "a1", id, "text", campaign=campaign)


def _outcome(row: Row, cluster: int | None) -> Outcome:
    return Outcome(row, 0.0, (), cluster)


def _by_name(found: list[Figure]) -> dict[str, tuple[int, int]]:
    return {figure.name: (figure.hits, figure.total) for figure in found}


def test_pairs_are_counted_by_language_and_precision_over_every_clustered_pair() -> None:
    outcomes = [
        _outcome(_row(1, "en", "campaign", "A"), 1),
        _outcome(_row(2, "en", "campaign", "A"), 1),
        _outcome(_row(3, "ko", "campaign", "A"), 1),
        _outcome(_row(4, "ko", "campaign", "A"), None),
        _outcome(_row(5, "en", "campaign", "B"), 2),
        _outcome(_row(6, "en", "campaign", "B"), 2),
        _outcome(_row(7, "en", "clean"), 1),
        _outcome(_row(8, "mixed", "campaign", "B"), None),
    ]
    found = _by_name(pair_figures(outcomes))
    # A: en1-en2 joined, ko3-ko4 not; B: en5-en6 joined (the mixed copy is in neither count).
    assert found["same-language pairs joined"] == (2, 3)
    # A: en1-ko3 and en2-ko3 joined; en1-ko4 and en2-ko4 not.
    assert found["cross-language pairs joined"] == (2, 4)
    # Cluster 1 has 4 members (6 pairs, 3 within A, 3 with the clean item); cluster 2 one pair.
    assert found["pair precision"] == (4, 7)


def test_a_replay_through_the_desk_joins_exact_copies_and_counts_every_pair(
    tmp_path: Path,
) -> None:
    rows: list[dict[str, Any]] = [
        {"id": 1, "lang": "en", "label": "campaign", "campaign": "c1", "text": TALKING_POINT},
        {"id": 2, "lang": "en", "label": "campaign", "campaign": "c1", "text": TALKING_POINT},
        {"id": 3, "lang": "ko", "label": "campaign", "campaign": "c1", "text": TRANSLATION},
        {"id": 4, "lang": "en", "label": "campaign", "campaign": "c1", "text": TALKING_POINT},
        {"id": 5, "lang": "en", "label": "clean", "text": "Thank you for this careful report."},
        {"id": 6, "lang": "ko", "label": "clean", "text": "좋은 기사 감사합니다. 잘 읽었어요."},
    ]
    path = tmp_path / "tiny.jsonl"
    lines = [
        json.dumps({"author": f"reader{r['id']}", "article": "drills", "minute": 10 * r["id"]} | r)
        for r in rows
    ]
    path.write_text("\n".join(lines) + "\n", "utf-8")
    outcomes, rate = replay(load(path), tmp_path)
    found = _by_name(figures(outcomes))
    assert found["same-language pairs joined"] == (3, 3)
    assert found["cross-language pairs joined"][1] == 3
    hits, together = found["pair precision"]
    assert hits == together >= 3
    assert rate > 0


def test_errors_are_never_shown_for_the_test_part() -> None:
    with pytest.raises(SystemExit) as refused:
        main(["--part", "test", "--show-errors"])
    assert refused.value.code == 2


def test_a_comment_refused_at_the_door_counts_as_flagged(tmp_path: Path) -> None:
    refused = "fuck you cunt http://10.0.0.1/x http://10.0.0.2/y http://10.0.0.3/z"
    row = {"id": 1, "lang": "en", "label": "abusive", "text": refused}
    path = tmp_path / "refused.jsonl"
    path.write_text(json.dumps({"author": "r1", "article": "a", "minute": 1} | row) + "\n")
    [outcome] = replay(load(path), tmp_path)[0]
    assert (outcome.risk, outcome.codes, outcome.cluster) == (1.0, ("refused",), None)
    assert _by_name(figures([outcome]))["abusive flagged"] == (1, 1)
