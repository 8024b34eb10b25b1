"""One mapping from errors to HTTP, and one error body.

Every 4xx the API sends is ``{"error": {"code", "message", "field"}}``. HTML pages
get the same information rendered by their own views; this module is for JSON. The
``message`` is in the language the request asks for (``Accept-Language``, or the reader's
chosen language cookie), English by default; ``code`` is the same in every language.
"""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import JSONResponse, Response

from commentdesk import errors
from commentdesk.i18n import Language
from commentdesk.web import i18n

logger = logging.getLogger("commentdesk.web")


class ErrorDetail(BaseModel):
    code: str
    message: str
    field: str | None


class ErrorOut(BaseModel):  # the one error body, as /openapi.json describes it
    error: ErrorDetail


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses, each with the one error body."""
    return {status: {"model": ErrorOut} for status in statuses}


STATUS: dict[type[errors.CommentdeskError], int] = {
    errors.InvalidInput: 422,
    errors.MalformedRequest: 400,
    errors.PayloadTooLarge: 413,
    errors.NotFound: 404,
    errors.NotAuthenticated: 401,
    errors.Forbidden: 403,
    errors.ArticleClosed: 403,
    errors.Conflict: 409,
    errors.EditWindowClosed: 410,
    errors.RateLimited: 429,
    errors.Refused: 422,
    errors.StoreUnavailable: 503,
    errors.ProviderUnavailable: 502,
}

_HTTP_CODES = {
    404: ("not_found", "There is nothing at this address."),
    405: ("method_not_allowed", "This address does not accept that method."),
    406: ("not_acceptable", "This address cannot answer in the format asked for."),
    415: ("unsupported_media_type", "Send the request body as application/json."),
}


def status_for(exc: errors.CommentdeskError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS:
            return STATUS[cls]
    return 400


def retry_headers(exc: errors.CommentdeskError) -> dict[str, str]:
    """``Retry-After`` for errors that pass with time: rate limits and a busy store."""
    if isinstance(exc, errors.RateLimited):
        return {"Retry-After": str(exc.retry_after)}
    if isinstance(exc, errors.StoreUnavailable):
        return {"Retry-After": "5"}
    return {}


def error_body(code: str, message: str, field: str | None = None) -> dict[str, Any]:
    return {"error": {"code": code, "message": message, "field": field}}


def error_response(
    status: int, code: str, message: str, field: str | None = None, **headers: str
) -> JSONResponse:
    return JSONResponse(error_body(code, message, field), status_code=status, headers=headers)


def from_exception(exc: errors.CommentdeskError, language: Language | None = None) -> JSONResponse:
    status = status_for(exc)
    headers = retry_headers(exc)
    message = language.say(exc.message) if language else exc.message
    return error_response(status, exc.code, message, exc.field, **headers)


def _field_of(location: tuple[Any, ...]) -> str | None:
    # The first element says where the value came from (body, query, ...), not which one.
    parts = [str(p) for p in location[1:]]
    return ".".join(parts) or None


def from_validation(exc: RequestValidationError) -> JSONResponse:
    """FastAPI's validation errors, reduced to the first problem, in our body."""
    first = exc.errors()[0]
    if first.get("type") == "json_invalid":
        return error_response(400, "malformed_json", "The request body is not valid JSON.")
    field = _field_of(tuple(first.get("loc", ())))
    message = str(first.get("msg", "This value is not valid."))
    if first.get("type") == "missing":
        message = f"'{field}' is required."
    return error_response(422, "invalid", message, field)


async def _on_desk_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, errors.CommentdeskError)
    return from_exception(exc, i18n.language_for(request, links=False))


async def _on_validation(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, RequestValidationError)
    return from_validation(exc)


async def _on_http(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    code, message = _HTTP_CODES.get(exc.status_code, ("http_error", str(exc.detail)))
    return error_response(exc.status_code, code, message, **(exc.headers or {}))


async def _on_unexpected(request: Request, exc: Exception) -> Response:
    logger.exception("unhandled error on %s %s", request.method, request.url.path)
    return error_response(500, "internal", "Something went wrong on our side; please try again.")


def install(app: FastAPI) -> None:
    app.add_exception_handler(errors.CommentdeskError, _on_desk_error)
    app.add_exception_handler(RequestValidationError, _on_validation)
    app.add_exception_handler(StarletteHTTPException, _on_http)
    app.add_exception_handler(Exception, _on_unexpected)
