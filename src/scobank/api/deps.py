"""Named request dependencies: a signature reads as a list of needs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.orm import Session

from scobank.access.reader import ANONYMOUS, Reader
from scobank.db import session_scope
from scobank.access import refusals
from scobank.errors import AccessDenied, ScobankError, Unauthenticated

# One message for every bad credential: it says nothing about which part was wrong.
BAD_CREDENTIALS = "invalid, expired or revoked credentials"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


def db_session() -> Iterator[Session]:
    """One transaction per request: commit when the handler returns, roll back on any error; a
    refusal of the gate is then recorded in the ledger in a transaction of its own."""
    try:
        with session_scope() as session:
            yield session
    except ScobankError as exc:
        refusals.record(exc)
        raise


DbSession = Annotated[Session, Depends(db_session)]


def _purpose(request: Request) -> str | None:
    value = request.headers.get("x-purpose") or request.query_params.get("purpose")
    return value.strip().lower() if value else None


def current_reader(request: Request, session: DbSession) -> Reader:
    """Who is asking: `Authorization: Bearer TOKEN`, else the portal's session cookie, else anonymous.

    A bad, expired or revoked token (or cookie) is 401 with a reason that leaks nothing. A request
    authenticated by the cookie that changes something must carry the CSRF token (X-CSRF-Token).
    The stated purpose comes from the `X-Purpose` header or the `purpose` query parameter.
    """
    from scobank.access import sessions, tokens
    from scobank.access.users import reader_for

    purpose = _purpose(request)
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, secret = header.strip().partition(" ")
        if not secret:  # CKAN clients (ckanapi, harvesters) send the bare token: `Authorization: TOKEN`
            scheme, secret = "bearer", scheme
        found = tokens.resolve_token(session, secret.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            raise Unauthenticated(BAD_CREDENTIALS)
        user, scopes, _row = found
        return reader_for(session, user, scopes=scopes, via="token", purpose=purpose)
    cookie = request.cookies.get(sessions.COOKIE_NAME)
    if cookie is not None:
        user = sessions.resolve_cookie(session, cookie)
        if user is None:
            if request.url.path.startswith("/api/"):
                raise Unauthenticated(BAD_CREDENTIALS)
            return Reader(purpose=purpose)  # a stale cookie on a portal page: browse anonymously
        if request.method in UNSAFE_METHODS and request.url.path.startswith("/api/") and not (
                sessions.check_csrf(cookie, request.headers.get(sessions.CSRF_HEADER))):
            raise AccessDenied("missing or wrong CSRF token (send the X-CSRF-Token header)")
        return reader_for(session, user, via="cookie", purpose=purpose)
    if purpose is not None:
        return Reader(purpose=purpose)
    return ANONYMOUS


CurrentReader = Annotated[Reader, Depends(current_reader)]


def require_user(reader: CurrentReader) -> Reader:
    """A logged-in user (token or cookie): anonymous callers get 401."""
    if reader.user_id is None:
        raise Unauthenticated("log in or send Authorization: Bearer TOKEN")
    return reader


RequireUser = Annotated[Reader, Depends(require_user)]


def require_platform_admin(reader: RequireUser) -> Reader:
    """A platform administrator with an admin-scoped credential: others get 403."""
    if reader.role != "platform-admin" or "admin" not in reader.scopes:
        raise AccessDenied("only a platform administrator may do this")
    return reader


RequirePlatformAdmin = Annotated[Reader, Depends(require_platform_admin)]
