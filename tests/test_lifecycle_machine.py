"""Random sequences of reader and moderator actions through the desk keep the invariants:
only approved comments are public, every change writes exactly one event, refused
actions write none, and the article's public count matches what is shown."""

from __future__ import annotations

import itertools

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from commentdesk.desk import Desk, Draft
from commentdesk.errors import CommentdeskError
from commentdesk.model import Action, Moderator, Role, State
from commentdesk.store.tables import assessments_due, events
from tests.support import PASSWORD, Clock

_articles = itertools.count()


def run_machine(desk: Desk, clock: Clock, site_slug: str) -> None:
    moderator = desk.accounts.add_moderator("machine", PASSWORD, Role.MODERATOR)

    class DeskMachine(RuleBasedStateMachine):
        """One fresh article per example; the model tracks what we expect."""

        def __init__(self) -> None:
            super().__init__()
            self.mod: Moderator = moderator
            self.tokens: dict[int, str] = {}
            self.expected_events: dict[int, int] = {}

        @initialize()
        def new_article(self) -> None:
            self.key = f"m{next(_articles)}"
            desk.catalog.add_article(site_slug, self.key, url="https://news.example/m", title="M")

        def _events(self) -> dict[int, int]:
            query = (
                sa.select(events.c.comment_id, sa.func.count())
                .where(events.c.comment_id.in_(list(self.tokens)))
                .group_by(events.c.comment_id)
            )
            with desk.context.store.read() as connection:
                return {row[0]: row[1] for row in connection.execute(query)}

        def _attempt(self, comment_id: int, change: object) -> None:
            try:
                assert callable(change)
                change()
            except CommentdeskError:
                return
            self.expected_events[comment_id] += 1

        @rule(text=st.text(min_size=1, max_size=30))
        def submit(self, text: str) -> None:
            try:
                submitted = desk.comments.submit(
                    self.key, Draft(author="Reader", body=text, accept_terms=True)
                )
            except CommentdeskError:
                return
            self.tokens[submitted.comment.id] = submitted.edit_token
            self.expected_events[submitted.comment.id] = 1

        @rule(data=st.data(), action=st.sampled_from(list(Action)))
        def moderate(self, data: st.DataObject, action: Action) -> None:
            if not self.tokens:
                return
            comment_id = data.draw(st.sampled_from(sorted(self.tokens)))
            self._attempt(
                comment_id,
                lambda: desk.moderation.decide(
                    self.mod, comment_id, action, reason="because", body="moderated text"
                ),
            )

        @rule(data=st.data(), delete=st.booleans(), text=st.text(min_size=1, max_size=10))
        def author_changes(self, data: st.DataObject, delete: bool, text: str) -> None:
            if not self.tokens:
                return
            comment_id = data.draw(st.sampled_from(sorted(self.tokens)))
            token = self.tokens[comment_id]
            if delete:
                self._attempt(comment_id, lambda: desk.comments.delete_own(comment_id, token))
            else:
                self._attempt(comment_id, lambda: desk.comments.edit_own(comment_id, token, text))

        @rule()
        def the_worker_assesses(self) -> None:
            """The full assessment: one `assess` event each, and never publishes a comment
            of this pre-moderated site."""
            with desk.context.store.read() as connection:
                waiting = set(connection.execute(sa.select(assessments_due.c.comment_id)).scalars())
            desk.assessor.drain()
            for comment_id in waiting & set(self.tokens):
                self.expected_events[comment_id] += 1

        @rule(minutes=st.integers(0, 20))
        def time_passes(self, minutes: int) -> None:
            clock.advance(minutes=minutes)

        @invariant()
        def only_approved_comments_are_public(self) -> None:
            article = desk.catalog.article(self.key) if hasattr(self, "key") else None
            if article is None:
                return
            public = desk.threads.published(article)
            assert all(c.state is State.APPROVED for c in public)
            own = desk.threads.own(self.tokens)
            assert {c.id for c in public} == {c.id for c in own if c.state is State.APPROVED}
            assert article.published_count == len(public)

        @invariant()
        def every_change_wrote_exactly_one_event(self) -> None:
            assert self._events() == self.expected_events

    DeskMachine.TestCase.settings = settings(
        max_examples=15,
        stateful_step_count=12,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
    )
    DeskMachine.TestCase().runTest()


def test_random_action_sequences_keep_the_lifecycle_invariants(
    desk: Desk, clock: Clock, site_slug: str
) -> None:
    run_machine(desk, clock, site_slug)


@pytest.mark.usefixtures("article_key")
def test_a_refused_action_writes_no_event(desk: Desk) -> None:
    mod = desk.accounts.add_moderator("m2", PASSWORD, Role.MODERATOR)
    comment = desk.comments.submit("a1", Draft(author="R", body="x", accept_terms=True)).comment
    with pytest.raises(CommentdeskError):
        desk.moderation.decide(mod, comment.id, Action.WITHDRAW)
    assert len(desk.moderation.history(comment.id)) == 1
