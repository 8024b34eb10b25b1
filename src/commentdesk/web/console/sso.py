"""Console sign-in through the newsroom's identity provider (OpenID Connect).

``/console/login/sso`` sends the browser to the provider; the provider sends it back to
``/console/login/sso/callback``. Between the two the browser keeps its flow (state, nonce,
PKCE verifier) in a cookie signed with the server's secret, under the one cookie policy,
for ten minutes and for these two addresses only. Coming back clears it, so an answer
cannot be used twice. Every refusal is the sign-in page with a message, never an error
page: the desk's typed errors say what to do.
"""

from __future__ import annotations

from dataclasses import asdict

from fastapi import Request
from itsdangerous import BadSignature, URLSafeTimedSerializer
from starlette.responses import RedirectResponse, Response

from commentdesk.desk.sign_on import FLOW_MINUTES
from commentdesk.errors import CommentdeskError
from commentdesk.sso.provider import Flow
from commentdesk.web.console.auth import login_form, signed_in_to
from commentdesk.web.console.base import console_router, safe_back
from commentdesk.web.deps import get_cookies, get_desk
from commentdesk.web.errors import status_for

router = console_router()

FLOW_COOKIE = "cd_sso"
FLOW_PATH = "/console/login/sso"
#: The callback's query parameters the desk reads; anything else is ignored.
ANSWER = ("code", "state", "iss", "error")


def _sealer(request: Request) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_desk(request).context.secret, salt="console-sign-on")


def _flow(request: Request) -> Flow | None:
    """The flow this browser keeps, if its seal holds and it is not too old."""
    sealed = request.cookies.get(FLOW_COOKIE)
    if not sealed or len(sealed) > 1000:
        return None
    try:
        kept = _sealer(request).loads(sealed, max_age=FLOW_MINUTES * 60)
        return Flow(**{name: str(kept[name]) for name in ("state", "nonce", "verifier", "next")})
    except (BadSignature, KeyError, TypeError):
        return None


@router.get("/login/sso")
def start(request: Request, next: str = "/console") -> Response:
    flow, url = get_desk(request).sign_on.begin(safe_back(next))
    response = RedirectResponse(url, status_code=303)
    response.headers["Cache-Control"] = "no-store"
    get_cookies(request).set(
        response,
        FLOW_COOKIE,
        _sealer(request).dumps(asdict(flow)),
        max_age=FLOW_MINUTES * 60,
        path=FLOW_PATH,
    )
    return response


@router.get("/login/sso/callback")
def callback(request: Request) -> Response:
    flow = _flow(request)
    answer = {name: request.query_params.get(name, "")[:2000] for name in ANSWER}
    try:
        signed = get_desk(request).sign_on.finish(flow, answer)
    except CommentdeskError as exc:
        back = flow.next if flow else "/console"
        response = login_form(request, back, error=exc.message, status=status_for(exc))
    else:
        response = signed_in_to(request, signed, safe_back(flow.next if flow else None))
    get_cookies(request).clear(response, FLOW_COOKIE, path=FLOW_PATH)
    return response
