"""Every cookie the product sets or clears, under one policy.

All of them are ``HttpOnly`` (no script of ours reads a cookie) and ``SameSite=Lax``,
and ``Secure`` whenever the settings say the site is served over HTTPS
(``cookie_secure``). A cookie is cleared with the same attributes it was set with, or
browsers keep it.
"""

from __future__ import annotations

from dataclasses import dataclass

from starlette.responses import Response


@dataclass(frozen=True, slots=True)
class Cookies:
    secure: bool

    def set(
        self, response: Response, name: str, value: str, *, max_age: int, path: str = "/"
    ) -> None:
        response.set_cookie(
            name,
            value,
            max_age=max_age,
            path=path,
            secure=self.secure,
            httponly=True,
            samesite="lax",
        )

    def clear(self, response: Response, name: str, *, path: str = "/") -> None:
        response.delete_cookie(name, path=path, secure=self.secure, httponly=True, samesite="lax")
