"""Atom feeds of published comments: ``/articles/{key}/feed.atom``, ``/sites/{slug}/feed.atom``.

The data comes from ``desk.feeds`` (published, not erased, newest 50); the document
from ``notify.feeds``. Feeds are public and cacheable: an ``ETag`` derived from the
threads' published versions, so an erasure or a decision shows at the next poll.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from starlette.responses import Response

from commentdesk.desk.feeds import FeedData
from commentdesk.notify.feeds import MEDIA_TYPE, Entry, Feed, render
from commentdesk.web.deps import get_desk, get_settings
from commentdesk.web.errors import documented

router = APIRouter(tags=["feeds"])
CACHE = "public, max-age=60, must-revalidate"
#: ``updated`` of an empty site feed (Atom requires one).
SITE_EPOCH = datetime(2020, 1, 1, tzinfo=UTC)
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"application/atom+xml": {}}, "description": "An Atom 1.0 feed."},
    304: {"description": "Not modified since the ETag given in If-None-Match."},
    **documented(404, 503),
}


def _base(request: Request) -> str:
    """Where the feed's links point: ``public_url``, else this server's own address.

    Never the Host header: feeds are cached publicly, and links built from a Host that a
    stranger sent would be cached and served to every reader.
    """
    configured = get_settings(request).public_url
    if configured:
        return configured.rstrip("/")
    scheme = request.scope.get("scheme", "http")  # believed from trusted proxies only
    host, port = request.scope.get("server") or ("localhost", None)
    netloc = f"[{host}]" if ":" in host else host
    if port is not None and port != {"http": 80, "https": 443}.get(scheme):
        netloc += f":{port}"
    return f"{scheme}://{netloc}"


def _feed(data: FeedData, base: str, self_path: str) -> Feed:
    entries = [
        Entry(
            id=f"{base}/articles/{item.article.key}#comment-{item.comment.id}",
            title=f"{item.comment.author} — {item.article.title}",
            author=item.comment.author,
            text=item.comment.body,
            link=f"{base}/articles/{item.article.key}#comment-{item.comment.id}",
            published=item.comment.created_at,
            updated=item.comment.updated_at,
        )
        for item in data.items
    ]
    if data.article is not None:
        title = f"{data.site.name}: {data.article.title}"
        page = f"{base}/articles/{data.article.key}"
        oldest: datetime = data.article.created_at
    else:
        # A site has no page of its own here: its first origin is its home page.
        title = data.site.name
        page = next((o for o in data.site.origins if "*" not in o), base)
        oldest = SITE_EPOCH
    updated = max((e.updated for e in entries), default=oldest)
    return Feed(
        id=f"{base}{self_path}",
        title=title,
        self_url=f"{base}{self_path}",
        page_url=page,
        updated=updated,
        entries=entries,
    )


def _answer(request: Request, data: FeedData) -> Response:
    etag = f'W/"{data.version}"'
    headers = {"ETag": etag, "Cache-Control": CACHE}
    if etag in request.headers.get("if-none-match", ""):
        return Response(status_code=304, headers=headers)
    body = render(_feed(data, _base(request), request.url.path))
    return Response(body, media_type=MEDIA_TYPE, headers=headers)


@router.get("/articles/{key}/feed.atom", response_class=Response, responses=RESPONSES)
def article_feed(key: str, request: Request) -> Response:
    """The newest published comments of one article, as Atom."""
    return _answer(request, get_desk(request).feeds.article(key))


@router.get("/sites/{slug}/feed.atom", response_class=Response, responses=RESPONSES)
def site_feed(slug: str, request: Request) -> Response:
    """The newest published comments of a whole site, as Atom."""
    return _answer(request, get_desk(request).feeds.site(slug))
