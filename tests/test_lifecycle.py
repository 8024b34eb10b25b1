"""The lifecycle's rules, as pure functions."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from commentdesk import lifecycle
from commentdesk.errors import TransitionRefused
from commentdesk.model import Action, State


def test_a_pending_comment_can_be_approved_rejected_or_deleted_by_its_author() -> None:
    assert lifecycle.next_state(State.PENDING, Action.APPROVE) is State.APPROVED
    assert lifecycle.next_state(State.PENDING, Action.REJECT) is State.REJECTED
    assert lifecycle.next_state(State.PENDING, Action.DELETE_OWN) is State.DELETED


def test_only_an_approved_comment_can_be_withdrawn() -> None:
    assert lifecycle.next_state(State.APPROVED, Action.WITHDRAW) is State.WITHDRAWN
    with pytest.raises(TransitionRefused):
        lifecycle.next_state(State.PENDING, Action.WITHDRAW)


def test_final_states_allow_nothing() -> None:
    for state in (State.REJECTED, State.WITHDRAWN, State.DELETED):
        assert lifecycle.allowed_actions(state) == frozenset()


def test_post_moderation_publishes_at_once() -> None:
    assert lifecycle.initial_state(post_moderated=True) is State.APPROVED
    assert lifecycle.initial_state(post_moderated=False) is State.PENDING


@given(st.sampled_from(State), st.sampled_from(Action))
def test_every_move_is_allowed_exactly_when_listed(state: State, action: Action) -> None:
    if action in lifecycle.allowed_actions(state):
        assert isinstance(lifecycle.next_state(state, action), State)
    else:
        with pytest.raises(TransitionRefused):
            lifecycle.next_state(state, action)


@given(st.lists(st.sampled_from(Action), max_size=20))
def test_no_sequence_of_actions_leaves_a_final_state(actions: list[Action]) -> None:
    state = State.PENDING
    for action in actions:
        try:
            state = lifecycle.next_state(state, action)
        except TransitionRefused:
            continue
    if state in (State.REJECTED, State.WITHDRAWN, State.DELETED):
        assert lifecycle.allowed_actions(state) == frozenset()


@given(st.lists(st.sampled_from(Action), max_size=20))
def test_a_comment_becomes_public_only_through_approval(actions: list[Action]) -> None:
    state = State.PENDING
    for action in actions:
        try:
            new = lifecycle.next_state(state, action)
        except TransitionRefused:
            continue
        if lifecycle.is_public(new) and not lifecycle.is_public(state):
            assert action is Action.APPROVE
        state = new


def test_a_rejection_or_a_withdrawal_is_reversed_by_approving_it() -> None:
    assert lifecycle.reversed_state(State.REJECTED, Action.APPROVE) is State.APPROVED
    assert lifecycle.reversed_state(State.WITHDRAWN, Action.APPROVE) is State.APPROVED
    assert lifecycle.reversals(State.REJECTED) == {Action.APPROVE}


@given(st.sampled_from(State), st.sampled_from(Action))
def test_a_reversal_only_ever_publishes_a_settled_comment(state: State, action: Action) -> None:
    if action in lifecycle.reversals(state):
        assert state in (State.REJECTED, State.WITHDRAWN)
        assert lifecycle.reversed_state(state, action) is State.APPROVED
    else:
        with pytest.raises(TransitionRefused):
            lifecycle.reversed_state(state, action)
