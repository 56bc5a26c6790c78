"""Who is looking at a page, and the CSRF token their forms carry.

The reader is the one the API resolves (token or session cookie), kept on the request so the layout
can show the account menu; pages never decide permissions from it. Forms that change something carry
`csrf_token`: for a logged-in reader the token of their session (`scobank.access.sessions`); before
login, a random value also set as a cookie (double submit), so the login form cannot be posted from
another site.
"""

from __future__ import annotations

import hmac
import secrets
from typing import Annotated

from fastapi import Depends, Form, Request

from scobank.access import sessions
from scobank.access.reader import Reader
from scobank.deps import CurrentReader
from scobank.errors import AccessDenied
from scobank.web.render import PRELOGIN_COOKIE



def page_reader(request: Request, reader: CurrentReader) -> Reader:
    request.state.reader = reader
    cookie = request.cookies.get(sessions.COOKIE_NAME)
    if reader.user_id is not None and cookie:
        request.state.csrf = sessions.csrf_token(cookie)
    else:
        token = request.cookies.get(PRELOGIN_COOKIE) or secrets.token_urlsafe(24)
        request.state.csrf = token
        if token != request.cookies.get(PRELOGIN_COOKIE):
            request.state.new_prelogin_cookie = token
    return reader


PageReader = Annotated[Reader, Depends(page_reader)]


def checked_form(request: Request, reader: PageReader, csrf_token: str = Form("")) -> Reader:
    """A form post whose CSRF token matches the reader's session (or the pre-login cookie).
    Raises AccessDenied otherwise; returns the reader."""
    cookie = request.cookies.get(sessions.COOKIE_NAME)
    if reader.user_id is not None and cookie:
        ok = sessions.check_csrf(cookie, csrf_token)
    else:
        expected = request.cookies.get(PRELOGIN_COOKIE) or ""
        ok = bool(expected) and hmac.compare_digest(expected, csrf_token)
    if not ok:
        raise AccessDenied("this form has expired or did not come from this site; reload the page and try again")
    return reader


FormReader = Annotated[Reader, Depends(checked_form)]
