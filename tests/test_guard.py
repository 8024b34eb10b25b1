"""The request guard's pure helpers."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from commentdesk.web.middleware.guard import (
    MAX_JSON_DEPTH,
    json_problem,
    lone_surrogate_at,
    too_deep,
)

json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=10),
    lambda children: (
        st.lists(children, max_size=3) | st.dictionaries(st.text(max_size=5), children, max_size=3)
    ),
    max_leaves=20,
)


def depth_of(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((depth_of(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((depth_of(v) for v in value.values()), default=0)
    return 0


@given(json_values)
def test_depth_counting_agrees_with_the_parsed_value(value: object) -> None:
    text = json.dumps(value)
    assert too_deep(text, limit=3) == (depth_of(value) > 3)


def test_brackets_inside_strings_do_not_count() -> None:
    assert not too_deep(json.dumps({"a": "[[[[[[[[" * 10 + '\\"'}), limit=2)


def test_nesting_at_the_limit_is_fine() -> None:
    assert not too_deep("[" * MAX_JSON_DEPTH + "]" * MAX_JSON_DEPTH)
    assert too_deep("[" * (MAX_JSON_DEPTH + 1) + "]" * (MAX_JSON_DEPTH + 1))


def test_a_lone_surrogate_is_found_with_its_path() -> None:
    assert lone_surrogate_at({"a": [1, {"b": "x\ud800"}]}) == "a.1.b"
    assert lone_surrogate_at({"a": "fine 😀"}) is None


def test_a_valid_pair_of_surrogate_escapes_is_fine() -> None:
    assert json_problem(b'{"a": "\\ud83d\\ude00"}') is None
