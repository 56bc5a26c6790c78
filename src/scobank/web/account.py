"""Account pages: log in, log out, the reader's account (who they are, API tokens, language).

Passwords, sessions, lockout and tokens are the access area's (`scobank.access.sessions`, `.tokens`);
these handlers parse the form, call them and render.
"""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scobank.access import sessions, tokens, users
from scobank.deps import DbSession, RowId
from scobank.config import get_settings
from scobank.errors import RateLimited, Unauthenticated
from scobank.web.render import render
from scobank.web.visitor import FormReader, PageReader

router = APIRouter()


def safe_next(target: str | None) -> str:
    """Only a path on this site (no scheme, no //host) may be a place to return to after logging in."""
    if target and target.startswith("/") and not target.startswith("//") and "\\" not in target:
        return target
    return "/"


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, reader: PageReader, next: str = "/") -> HTMLResponse:
    return render(request, "account/login.html", next=safe_next(next), failure=None)


@router.post("/login", response_model=None)
def login(request: Request, session: DbSession, reader: FormReader, email: str = Form(...),
          password: str = Form(...), next: str = Form("/")) -> Response:
    """Start a session and go back where the reader came from; a wrong password or a locked account
    shows the form again with the reason."""
    try:
        started = sessions.login(session, email=email, password=password,
                                 address=request.client.host if request.client else None)
    except (Unauthenticated, RateLimited) as exc:
        failure = "locked" if isinstance(exc, RateLimited) else "wrong"
        return render(request, "account/login.html", next=safe_next(next), failure=failure,
                      email=email)
    response = RedirectResponse(safe_next(next), status_code=303)
    response.set_cookie(sessions.COOKIE_NAME, started.cookie_value,
                        **sessions.cookie_attributes(secure=get_settings().session_cookie_secure))
    return response


@router.post("/logout")
def logout(request: Request, session: DbSession, reader: FormReader) -> RedirectResponse:
    sessions.logout(session, request.cookies.get(sessions.COOKIE_NAME))
    response = RedirectResponse("/", status_code=303)
    response.delete_cookie(sessions.COOKIE_NAME, path="/")
    return response


@router.get("/account", response_class=HTMLResponse)
def account_page(request: Request, session: DbSession, reader: PageReader) -> Response:
    if reader.user_id is None:
        return RedirectResponse("/login?next=/account", status_code=303)
    user = users.find_user(session, reader.email)
    return render(request, "account/account.html", section="account", user=users.public(session, user),
                  reader_status=reader, tokens=tokens.list_tokens(session, user=user), new_token=None,
                  json_url="/api/v1/auth/me")


@router.post("/account/tokens", response_class=HTMLResponse)
def create_token(request: Request, session: DbSession, reader: FormReader, scope: str = Form("read"),
                 name: str = Form(""), expires_days: int | None = Form(None)) -> HTMLResponse:
    """A new API token; its secret is shown once, on the page that answers this post."""
    if reader.user_id is None:
        raise Unauthenticated("log in to manage your tokens")
    new = tokens.create_own_token(session, reader=reader, scope=scope, expires_days=expires_days, name=name or None)
    user = users.find_user(session, reader.email)
    return render(request, "account/account.html", section="account", user=users.public(session, user),
                  reader_status=reader, tokens=tokens.list_tokens(session, user=user), new_token=new,
                  json_url="/api/v1/auth/me")


@router.post("/account/tokens/{token_id}/revoke")
def revoke_token(token_id: RowId, session: DbSession, reader: FormReader) -> RedirectResponse:
    if reader.user_id is None:
        raise Unauthenticated("log in to manage your tokens")
    tokens.revoke_own_token(session, reader=reader, token_id=token_id)
    return RedirectResponse("/account", status_code=303)
