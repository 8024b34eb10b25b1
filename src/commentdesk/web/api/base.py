"""What every JSON endpoint shares: the error answers it documents in /openapi.json."""

from __future__ import annotations

from typing import Any

from commentdesk.web.api.schemas import ErrorOut


def documented(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI ``responses`` for these error statuses, each with the one error body."""
    return {status: {"model": ErrorOut} for status in statuses}


ERRORS = documented(400, 403, 404, 409, 410, 413, 422, 429, 503)
#: Moderators' endpoints also answer 401, with the same body.
AUTH_ERRORS = {**ERRORS, 401: ERRORS[400]}
