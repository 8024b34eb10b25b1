"""Webhook deliveries: a signed JSON POST, no redirects followed.

The receiver checks ``X-Commentdesk-Signature: sha256=HEX``, an HMAC-SHA256 under the
webhook's secret of ``TIMESTAMP.BODY`` (the timestamp from ``X-Commentdesk-Timestamp``),
and should refuse old timestamps so a captured request cannot be replayed. Any 2xx
answer counts as delivered; anything else (or no answer in time) is retried.
"""

from __future__ import annotations

import hashlib
import hmac
import urllib.error
import urllib.request
from typing import Protocol

USER_AGENT = "commentdesk-webhook/1"


class DeliveryFailed(Exception):
    """The endpoint did not take the delivery; the worker retries later."""


class Poster(Protocol):
    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> None: ...


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256)
    return f"sha256={digest.hexdigest()}"


def headers_for(
    secret: str, event: str, delivery_id: int, timestamp: str, body: bytes
) -> dict[str, str]:
    return {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "X-Commentdesk-Event": event,
        "X-Commentdesk-Delivery": str(delivery_id),
        "X-Commentdesk-Timestamp": timestamp,
        "X-Commentdesk-Signature": signature(secret, timestamp, body),
    }


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is an answer, not an instruction: it counts as a failed delivery."""

    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


class UrllibPoster:
    def __init__(self) -> None:
        self._opener = urllib.request.build_opener(_NoRedirects())

    def post(self, url: str, body: bytes, headers: dict[str, str], timeout: float) -> None:
        request = urllib.request.Request(url, data=body, headers=headers, method="POST")  # noqa: S310 - admins give http(s) URLs only
        try:
            with self._opener.open(request, timeout=timeout) as answer:
                status = answer.status
        except urllib.error.HTTPError as exc:
            raise DeliveryFailed(f"HTTP {exc.code}") from None
        except (urllib.error.URLError, OSError, ValueError) as exc:
            raise DeliveryFailed(f"{type(exc).__name__}: {exc}") from None
        if not 200 <= status < 300:
            raise DeliveryFailed(f"HTTP {status}")
