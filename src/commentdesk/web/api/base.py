"""What every JSON endpoint of the API shares: the errors it documents in /openapi.json."""

from __future__ import annotations

from commentdesk.web.errors import documented

ERRORS = documented(400, 403, 404, 409, 410, 413, 422, 429, 503)
#: Moderators' endpoints also answer 401, with the same body.
AUTH_ERRORS = {**ERRORS, 401: ERRORS[400]}
