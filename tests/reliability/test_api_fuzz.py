"""Schemathesis against ``/openapi.json``, in process: no 5xx, every answer as documented.

Bounded for ``make test``: ``EXAMPLES`` generated requests per operation, valid and
invalid ones, derandomised so a failure reproduces; ``make reliability`` runs more
(``COMMENTDESK_FUZZ_EXAMPLES``). Requests carry an admin's bearer token, so the
moderators' routes are reached past authentication. Schemathesis's pytest plugin is not
used (its lazy loader does not run on pytest 9): each operation's strategy is driven by
Hypothesis here, and every failure of every operation is reported together.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Ok
from schemathesis.python import asgi as schemathesis_asgi
from schemathesis.specs.openapi.checks import positive_data_acceptance

from tests.reliability.results import Record
from tests.reliability.world import World

EXAMPLES = int(os.environ.get("COMMENTDESK_FUZZ_EXAMPLES", "5"))
#: "Schema-valid data must be accepted" cannot hold here: the desk's rules go past what a
#: JSON schema says (a pseudonym's characters, ``accept_terms`` true, a body not blank after
#: cleaning), and such requests get a 422 naming the field, as the API documents.
EXCLUDED = [positive_data_acceptance]


def _seed(world: World) -> None:
    """An article and a few comments, so generated ids sometimes land on something."""
    key = world.new_article("fuzz")
    for n in range(5):
        comment_id = world.benign(key, n)
        if n % 2:
            world.approve(comment_id)


def _fuzz(operation: Any, mode: GenerationMode, world: World, tally: dict[str, int]) -> None:
    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(
        max_examples=EXAMPLES,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    def run(case: Any) -> None:
        response = case.call(headers=world.auth())
        tally["cases"] += 1
        tally["server_errors"] += response.status_code >= 500
        case.validate_response(response, headers=world.auth(), excluded_checks=EXCLUDED)

    run()


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_every_operation_answers_generated_requests_without_5xx_as_its_schema_says(
    world: World, record: Record, mode: GenerationMode
) -> None:
    _seed(world)
    schema = schemathesis.openapi.from_asgi("/openapi.json", world.app)
    tally = {"cases": 0, "server_errors": 0}
    failures: dict[str, str] = {}
    operations = unsatisfiable = 0
    try:
        for result in schema.get_all_operations():
            assert isinstance(result, Ok), result
            operation = result.ok()
            operations += 1
            try:
                _fuzz(operation, mode, world, tally)
            except Unsatisfiable:
                unsatisfiable += 1  # nothing invalid can be said to it (no parameters, no body)
            except Exception as exc:  # one operation's failure must not hide the next one's
                failures[operation.label] = str(exc)[:2000]
    finally:
        # schemathesis keeps one event-loop thread, and the app's lifespan (our workers),
        # for the whole process, until exit; end both with the test that started them.
        schemathesis_asgi._shutdown()
    record(
        "fuzz",
        mode=mode.value,
        operations=operations,
        without_such_cases=unsatisfiable,
        examples_per_operation=EXAMPLES,
        failing_operations=len(failures),
        **tally,
    )
    assert operations >= 10
    assert not failures, "\n\n".join(f"{label}:\n{why}" for label, why in failures.items())
    assert tally["server_errors"] == 0
