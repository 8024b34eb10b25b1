"""The comment lifecycle as pure functions: which action may move which state where.

    pending  --approve-->    approved --withdraw--> withdrawn
    pending  --reject-->     rejected
    pending  --delete_own--> deleted
    approved --edit / feature / unfeature--> approved   (moderators)
    pending  --edit / edit_own-->            pending

A settled decision can be reversed, deliberately: the moderator names the state being
reversed, so a second moderator racing on a pending comment still gets a conflict.

    rejected  --approve (reversing rejected)-->  approved
    withdrawn --approve (reversing withdrawn)--> approved   (restored)

No I/O: the desk asks, this module answers or raises ``TransitionRefused``.
"""

from __future__ import annotations

from types import MappingProxyType
from typing import Literal, get_args

from commentdesk.errors import TransitionRefused
from commentdesk.model import Action, State

#: What a moderator may do to one comment, by name (the API's path takes these).
Decision = Literal["approve", "reject", "edit", "feature", "unfeature", "withdraw"]
#: The same, as actions: the one list the API, the console and the desk all use.
MODERATOR_ACTIONS: tuple[Action, ...] = tuple(Action(name) for name in get_args(Decision))

_MOVES: MappingProxyType[tuple[State, Action], State] = MappingProxyType(
    {
        (State.PENDING, Action.APPROVE): State.APPROVED,
        (State.PENDING, Action.REJECT): State.REJECTED,
        (State.PENDING, Action.DELETE_OWN): State.DELETED,
        (State.PENDING, Action.EDIT): State.PENDING,
        (State.PENDING, Action.EDIT_OWN): State.PENDING,
        (State.APPROVED, Action.WITHDRAW): State.WITHDRAWN,
        (State.APPROVED, Action.EDIT): State.APPROVED,
        (State.APPROVED, Action.FEATURE): State.APPROVED,
        (State.APPROVED, Action.UNFEATURE): State.APPROVED,
    }
)

_REVERSALS: MappingProxyType[tuple[State, Action], State] = MappingProxyType(
    {
        (State.REJECTED, Action.APPROVE): State.APPROVED,
        (State.WITHDRAWN, Action.APPROVE): State.APPROVED,
    }
)

#: Actions that settle a pending comment; a second one on the same comment is a conflict.
DECISIONS = frozenset({Action.APPROVE, Action.REJECT})

#: States a reader can see.
PUBLIC_STATES = frozenset({State.APPROVED})


def next_state(state: State, action: Action) -> State:
    """The state after ``action``; raises ``TransitionRefused`` when it is not allowed."""
    try:
        return _MOVES[(state, action)]
    except KeyError:
        raise TransitionRefused(state, action) from None


def reversed_state(state: State, action: Action) -> State:
    """The state after ``action`` reverses the decision that left the comment in
    ``state``; raises ``TransitionRefused`` when that decision cannot be reversed so."""
    try:
        return _REVERSALS[(state, action)]
    except KeyError:
        raise TransitionRefused(state, action) from None


def reversals(state: State) -> frozenset[Action]:
    """The actions that may deliberately reverse a comment's settled ``state``."""
    return frozenset(action for (from_state, action) in _REVERSALS if from_state is state)


def allowed_actions(state: State) -> frozenset[Action]:
    """Every action that may be taken on a comment in ``state``."""
    return frozenset(action for (from_state, action) in _MOVES if from_state is state)


def initial_state(*, post_moderated: bool) -> State:
    """A new comment waits for review unless the article is post-moderated."""
    return State.APPROVED if post_moderated else State.PENDING


def after_triage(state: State, action: str) -> State:
    """Triage may hold a comment that would have been published; it never publishes one.

    ``refuse`` is not a state: the desk refuses the submission before anything is stored.
    """
    if action in ("hold", "flag"):
        return State.PENDING
    return state


def is_public(state: State) -> bool:
    return state in PUBLIC_STATES
