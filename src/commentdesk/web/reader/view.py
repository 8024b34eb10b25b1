"""What a reader's page shows, gathered in one step: the thread, their own comments, the form.

The views in ``reader`` parse the request and pick a status; this module asks the desk
for the data and shapes it for the templates, so templates hold no logic beyond
presentation. Nothing here writes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from markupsafe import Markup

from commentdesk.desk import Desk
from commentdesk.desk.catalog import is_open
from commentdesk.desk.statements import Statement
from commentdesk.errors import NotFound
from commentdesk.i18n import SOURCE, Message
from commentdesk.model import Article, Comment, Site, State
from commentdesk.web.reader.text import absolute_time, linkify, relative_time

#: The form's fields, in the order their errors are read out.
FIELDS = ("author", "body", "email", "accept_terms", "parent_id")


@dataclass(slots=True)
class FormState:
    """The comment form as the reader typed it, and what is wrong with it."""

    author: str = ""
    body: str = ""
    email: str = ""
    parent_id: int | None = None
    accept_terms: bool = False
    errors: dict[str, Message] = field(default_factory=dict)

    @property
    def first_invalid(self) -> str | None:
        """The field to focus: the first one, in form order, with an error."""
        return next((name for name in FIELDS if name in self.errors), None)


@dataclass(frozen=True, slots=True)
class CommentView:
    """A published comment, ready to show, with the replies shown under it."""

    comment: Comment
    body: Markup
    relative: str | None
    absolute: str
    children: tuple[CommentView, ...] = ()
    answers: Comment | None = None  # whom it answers, when not shown under them
    answers_hidden: bool = False  # it answers a comment that is no longer shown


@dataclass(frozen=True, slots=True)
class OwnView:
    """One of the reader's own comments: pending, with its edit box's state; or rejected
    or edited by a moderator, with the statement of reasons and its link."""

    comment: Comment
    body: Markup
    relative: str | None
    absolute: str
    can_change: bool
    until: str
    edit_text: str
    edit_error: str | None
    answers: str | None = None  # the pseudonym it replies to
    statement: Statement | None = None
    statement_token: str = ""  # the signed part of the statement's link


@dataclass(frozen=True, slots=True)
class ThreadView:
    article: Article
    site: Site
    is_open: bool
    comments: tuple[CommentView, ...]
    earlier: int | None
    later: int | None
    first_page: bool
    own: tuple[OwnView, ...]
    reply_to: CommentView | None


@dataclass(frozen=True, slots=True)
class Edit:
    """An edit the reader tried that must be shown again: their text and the problem."""

    text: str
    error: str


def comment_view(
    comment: Comment, now: datetime, children: tuple[CommentView, ...] = (), locale: str = SOURCE
) -> CommentView:
    return CommentView(
        comment=comment,
        body=linkify(comment.body),
        relative=relative_time(comment.created_at, now, locale),
        absolute=absolute_time(comment.created_at, locale),
        children=children,
    )


def build_tree(
    roots: list[Comment],
    replies: list[Comment],
    now: datetime,
    max_depth: int,
    locale: str = SOURCE,
) -> tuple[CommentView, ...]:
    """Nests replies under their parents, ``max_depth`` levels at most.

    The store already caps depth; this also caps what was stored under a deeper setting,
    showing such replies beside their parent with "in reply to" instead.
    """
    known = {c.id: c for c in (*roots, *replies)}
    by_parent: dict[int, list[Comment]] = defaultdict(list)
    for reply in replies:
        if reply.parent_id is not None:
            by_parent[reply.parent_id].append(reply)
    deepest = max_depth - 1

    def level(items: list[Comment], depth: int, under: int | None) -> list[CommentView]:
        shown: list[CommentView] = []
        for comment in items:
            kids = by_parent.get(comment.id, [])
            nested = tuple(level(kids, depth + 1, comment.id)) if depth < deepest else ()
            view = comment_view(comment, now, nested, locale)
            answers_id = comment.reply_to_id or comment.parent_id
            if answers_id is not None and answers_id != under:
                answers = known.get(answers_id)
                view = _with_answer(view, answers)
            shown.append(view)
            if depth >= deepest:
                shown.extend(level(kids, depth, comment.id))
        return shown

    return tuple(level(roots, 0, None))


def _with_answer(view: CommentView, answers: Comment | None) -> CommentView:
    return CommentView(
        comment=view.comment,
        body=view.body,
        relative=view.relative,
        absolute=view.absolute,
        children=view.children,
        answers=answers,
        answers_hidden=answers is None,
    )


def own_views(
    own: list[Comment],
    article: Article,
    now: datetime,
    edits: Mapping[int, Edit],
    authors: Mapping[int, str],
    locale: str = SOURCE,
    statements: Mapping[int, tuple[Statement, str]] | None = None,
) -> tuple[OwnView, ...]:
    """The reader's pending comments on ``article``, and those a moderator rejected or
    edited (with their statement and its link token), newest last.

    ``authors`` names the published comments they reply to, by id.
    """
    views = []
    explained = statements or {}
    for comment in own:
        stated = explained.get(comment.id)
        if comment.article_id != article.id:
            continue
        if comment.state is not State.PENDING and stated is None:
            continue
        edit = edits.get(comment.id)
        answers_id = comment.reply_to_id or comment.parent_id
        views.append(
            OwnView(
                comment=comment,
                body=linkify(comment.body),
                relative=relative_time(comment.created_at, now, locale),
                absolute=absolute_time(comment.created_at, locale),
                can_change=now < comment.editable_until,
                until=absolute_time(comment.editable_until, locale),
                edit_text=edit.text if edit else comment.body,
                edit_error=edit.error if edit else None,
                answers=authors.get(answers_id) if answers_id else None,
                statement=stated[0] if stated else None,
                statement_token=stated[1] if stated else "",
            )
        )
    return tuple(views)


def _replied_to(desk: Desk, article: Article, own: list[Comment]) -> dict[int, str]:
    """Pseudonyms of the published comments the reader's pending replies answer."""
    wanted = {
        answers
        for c in own
        if c.state is State.PENDING
        and c.article_id == article.id
        and (answers := c.reply_to_id or c.parent_id) is not None
    }
    authors = {}
    for comment_id in wanted:
        try:
            authors[comment_id] = desk.threads.published_on(article, comment_id).author
        except NotFound:
            continue  # no longer published: the reply says nothing of it
    return authors


def still_pending(
    own: list[Comment], tokens: Mapping[int, str], explained: Iterable[int] = ()
) -> dict[int, str]:
    """The tokens worth keeping: those of the reader's comments still pending, and of
    those with a statement of reasons (``explained``) the reader may want to read."""
    pending = {c.id for c in own if c.state is State.PENDING} | set(explained)
    return {comment_id: token for comment_id, token in tokens.items() if comment_id in pending}


#: How long a kept page's "3 minutes ago" may stand, by the age of its youngest comment:
#: about the label's own precision, so a kept page is re-rendered at most every 30 s.
_LABEL_STEPS = (
    (timedelta(hours=1), timedelta(seconds=30)),
    (timedelta(days=1), timedelta(minutes=5)),
)
_LABEL_STEP_OLDER = timedelta(hours=1)


def page_holds_until(view: ThreadView, now: datetime) -> datetime | None:
    """Until when a kept copy of this page says what a fresh one would, give or take
    the precision of its relative times: the thread's closing, or the moment its
    youngest "… ago" may read differently, whichever comes first."""
    holds = [view.article.closes_at] if view.is_open and view.article.closes_at else []
    shown = [*view.comments, *((view.reply_to,) if view.reply_to else ())]
    times = []
    while shown:
        item = shown.pop()
        times.append(item.comment.created_at)
        shown.extend(item.children)
    if times:
        age = now - max(times)
        step = next((s for limit, s in _LABEL_STEPS if age < limit), _LABEL_STEP_OLDER)
        holds.append(now + step)
    return min(holds, default=None)


def gather(
    desk: Desk,
    article: Article,
    *,
    tokens: Mapping[int, str],
    after: int | None = None,
    before: int | None = None,
    reply_to: int | None = None,
    edits: Mapping[int, Edit] | None = None,
    site: Site | None = None,
    locale: str = SOURCE,
) -> tuple[ThreadView, dict[int, str]]:
    """The page's data, and the edit tokens the browser should keep.

    ``site``: the article's, when the caller has it already; ``locale``: the language
    times are written in.
    """
    settings = desk.context.settings
    now = desk.context.clock()
    page = desk.threads.thread(article, limit=settings.thread_page_size, after=after, before=before)
    own = desk.threads.own(tokens)
    authors = _replied_to(desk, article, own)
    statements = {
        comment_id: (statement, desk.statements.token(comment_id))
        for comment_id, statement in desk.statements.for_comments(own, locale).items()
    }
    replying = None
    if reply_to is not None:
        try:
            replying = comment_view(
                desk.threads.published_on(article, reply_to), now, locale=locale
            )
        except NotFound:
            replying = None
    view = ThreadView(
        article=article,
        site=site or desk.catalog.site(article.site_id),
        is_open=is_open(article, now),
        comments=build_tree(page.roots, page.replies, now, settings.max_reply_depth, locale),
        earlier=page.earlier,
        later=page.later,
        first_page=after is None and before is None,
        own=own_views(own, article, now, edits or {}, authors, locale, statements),
        reply_to=replying,
    )
    return view, still_pending(own, tokens, statements)
