"""The readers' JSON API: read threads and counts, submit, fix or withdraw, report."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from starlette.responses import JSONResponse, Response

from commentdesk.desk import Draft
from commentdesk.desk.catalog import is_open
from commentdesk.errors import InvalidInput
from commentdesk.web.api.base import ERRORS
from commentdesk.web.api.schemas import (
    ArticleOut,
    EditIn,
    OwnCommentOut,
    PublicCommentOut,
    ReportIn,
    SubmitIn,
    SubmittedOut,
    ThreadOut,
)
from commentdesk.web.deps import DeskDep
from commentdesk.web.middleware import readpath
from commentdesk.web.reader import commenter
from commentdesk.web.reader.threadcache import ThreadCache

router = APIRouter(prefix="/api/v1", tags=["readers"])
COUNT_KEYS_MAX = 100
#: Anyone may keep it, and must ask again before using it (the ETag makes that cheap).
PUBLIC = "public, max-age=0, must-revalidate"


def thread_etag(article_id: int, version: int, *, is_open: bool = True) -> str:
    # Closing (also by the clock) changes what readers see, so it changes the tag.
    return f'W/"a{article_id}.{version}{"" if is_open else ".closed"}"'


@router.get("/articles/{key}/comments", response_model=ThreadOut, responses=ERRORS)
def read_thread(key: str, request: Request, desk: DeskDep) -> Response:
    """Published comments of one article, flat and oldest first, each with ``parent_id``."""
    article = desk.catalog.article(key)
    still_open = is_open(article, desk.context.clock())
    etag = thread_etag(article.id, article.published_version, is_open=still_open)
    headers = {"ETag": etag, "Cache-Control": PUBLIC}
    note = request.scope.get(readpath.NOTE)
    if still_open and article.closes_at is not None and note is not None:
        note.fresh_until = article.closes_at  # closing changes the answer
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    cache: ThreadCache = request.app.state.thread_cache
    cache_key = (etag, article.title, article.url)
    body = cache.get(article.id, cache_key)
    if body is None:
        thread = ThreadOut(
            article=ArticleOut.of(article, is_open=still_open),
            comments=[PublicCommentOut.of(c) for c in desk.threads.published(article)],
        )
        body = bytes(JSONResponse(thread.model_dump(mode="json")).body)
        cache.put(article.id, cache_key, body)
    return Response(body, media_type="application/json", headers=headers)


@router.post(
    "/articles/{key}/comments", status_code=202, response_model=SubmittedOut, responses=ERRORS
)
def submit(
    key: str,
    payload: SubmitIn,
    request: Request,
    response: Response,
    desk: DeskDep,
    idempotency_key: Annotated[str | None, Header(max_length=200)] = None,
) -> SubmittedOut:
    """Holds a new comment for review; answers only once it is safely stored."""
    # A reader posts once in minutes; a closed connection lets their next request land on
    # whichever server process is free. Kept alive, a flood's connections stayed where
    # they first landed: one process took 3 of 4 posters, the other idled at 30%.
    response.headers["Connection"] = "close"
    draft = Draft(
        author=payload.author,
        body=payload.body,
        email=payload.email,
        parent_id=payload.parent_id,
        accept_terms=payload.accept_terms,
        commenter_key=commenter.commenter_key(request),
        address=commenter.client_address(request),
        subscriber_token=payload.subscriber_token,
    )
    submitted = desk.comments.submit(
        key,
        draft,
        idempotency_key=idempotency_key,
        article_url=payload.url,
        article_title=payload.title,
        article_section=payload.section,
    )
    comment = submitted.comment
    return SubmittedOut(
        id=comment.id,
        state=comment.state.value,
        edit_token=submitted.edit_token,
        editable_until=comment.editable_until,
        publishes_when_assessed=submitted.publishes_when_assessed,
    )


EditToken = Annotated[str | None, Header(alias="X-Edit-Token")]


@router.patch("/comments/{comment_id}", response_model=OwnCommentOut, responses=ERRORS)
def edit_own(
    comment_id: int, payload: EditIn, desk: DeskDep, x_edit_token: EditToken = None
) -> OwnCommentOut:
    """The author fixes their pending comment while the edit window is open."""
    comment = desk.comments.edit_own(comment_id, x_edit_token, payload.body)
    return OwnCommentOut(
        id=comment.id,
        state=comment.state.value,
        body=comment.body,
        editable_until=comment.editable_until,
    )


@router.delete("/comments/{comment_id}", response_model=OwnCommentOut, responses=ERRORS)
def delete_own(comment_id: int, desk: DeskDep, x_edit_token: EditToken = None) -> OwnCommentOut:
    """The author withdraws their pending comment while the edit window is open."""
    comment = desk.comments.delete_own(comment_id, x_edit_token)
    return OwnCommentOut(
        id=comment.id,
        state=comment.state.value,
        body=comment.body,
        editable_until=comment.editable_until,
    )


@router.post("/comments/{comment_id}/reports", status_code=202, responses=ERRORS)
def report(comment_id: int, payload: ReportIn, desk: DeskDep) -> dict[str, str]:
    """A reader asks the moderators to look at a published comment again."""
    desk.comments.report(comment_id, payload.reason)
    return {"status": "received"}


@router.get("/counts", responses=ERRORS, response_model=dict[str, int])
def counts(desk: DeskDep, article: Annotated[list[str], Query(min_length=1)]) -> Response:
    """Published comments per article key, for many articles in one call."""
    if len(article) > COUNT_KEYS_MAX:
        raise InvalidInput("article", f"Ask for at most {COUNT_KEYS_MAX} articles at once.")
    return JSONResponse(desk.threads.counts(article), headers={"Cache-Control": PUBLIC})
