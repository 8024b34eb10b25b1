"""Each reliability test's figures, one JSON object a line, for ``docs/reliability.md``.

``make reliability`` names the file in ``COMMENTDESK_RELIABILITY_RESULTS``; without it
nothing is written.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

RESULTS_ENV = "COMMENTDESK_RELIABILITY_RESULTS"
#: The ``record`` fixture: ``record(kind, **figures)``.
Record = Callable[..., None]


def write_result(kind: str, **figures: Any) -> None:
    """Adds one line to the results file, when one is named."""
    target = os.environ.get(RESULTS_ENV)
    if not target:
        return
    with Path(target).open("a", encoding="utf-8") as out:
        out.write(json.dumps({"kind": kind, **figures}, ensure_ascii=False) + "\n")
