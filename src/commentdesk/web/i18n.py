"""The language of one request, from what the request says.

``commentdesk.i18n`` decides (choice, then site, then ``Accept-Language``, then English);
this module only reads the request for it: a ``?lang=`` link on a reader's page, the
``cd_lang`` cookie that link (or the console's switch) leaves, and the browser's header.
The cookie holds a language code and nothing else; it is not sent to anyone else.
"""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import Response

from commentdesk.i18n import Catalogs, Language
from commentdesk.model import Site
from commentdesk.web.cookies import Cookies

COOKIE = "cd_lang"
#: The query parameter of the reader pages' switch (the console posts a form instead,
#: since its queue already reads ``lang`` as a filter on the comments' language).
PARAM = "lang"
_YEAR = 365 * 24 * 3600


def catalogs(request: Request) -> Catalogs:
    """The app's catalogs, loaded when first asked for (never at import)."""
    state = request.app.state
    found: Catalogs | None = getattr(state, "catalogs", None)
    if found is None:
        found = state.catalogs = Catalogs.load()
    return found


def _choice(request: Request, *, links: bool) -> str | None:
    asked = request.query_params.get(PARAM) if links else None
    return asked or request.cookies.get(COOKIE)


def language_for(request: Request, site: Site | None = None, *, links: bool = True) -> Language:
    """This request's language. ``links``: whether ``?lang=`` is the switch on this page."""
    chosen = _choice(request, links=links)
    return catalogs(request).negotiate(
        choice=chosen,
        site=site.language if site else None,
        accept_language=request.headers.get("accept-language"),
    )


def remember(request: Request, response: Response, language: Language, cookies: Cookies) -> None:
    """Keeps a ``?lang=`` choice in the cookie, so the next page is in it too."""
    asked = request.query_params.get(PARAM)
    if asked and catalogs(request).get(asked) is language:
        choose(response, language, cookies)


def choose(response: Response, language: Language, cookies: Cookies) -> None:
    """Sets the reader's (or moderator's) choice of language for a year."""
    cookies.set(response, COOKIE, language.code, max_age=_YEAR)


def switch_links(request: Request, language: Language) -> list[tuple[Language, str]]:
    """For a reader's page: each other language, with this page's address in it."""
    path = request.url.path
    return [(other, f"{path}?{PARAM}={other.code}") for other in catalogs(request).others(language)]


def template_context(request: Request, language: Language) -> dict[str, object]:
    """What every page's templates need to speak ``language``."""
    return {
        "language": language,
        "lang": language.tag,
        "text_dir": language.direction,
        "other_languages": list(catalogs(request).others(language)),
    }
