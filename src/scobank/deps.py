"""Named request dependencies shared by the API (`scobank.api`) and the portal (`scobank.web`): a
signature reads as a list of needs. Neither surface imports the other; both import this.

Also the types that validate identifiers and query parameters at the edge (a database integer is
signed 64-bit: a larger id is a 422 naming the parameter, never a 500 from the driver)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends, Header, Path, Query, Request
from fastapi.security import APIKeyCookie, HTTPAuthorizationCredentials, HTTPBearer
from sqlalchemy.orm import Session

from scobank.access.reader import ANONYMOUS, Reader
from scobank.access.sessions import COOKIE_NAME
from scobank.db import MAX_ID, session_scope
from scobank.access import refusals
from scobank.errors import AccessDenied, ScobankError, Unauthenticated

# One message for every bad credential: it says nothing about which part was wrong.
BAD_CREDENTIALS = "invalid, expired or revoked credentials"
UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})

# Path identifiers: rows of our tables (positive, within BIGINT) and version numbers.
RowId = Annotated[int, Path(ge=1, le=MAX_ID, description="a numeric id")]
# `?version=N`: one version of a dataset (none: the latest).
VersionQuery = Annotated[int | None, Query(ge=1, le=MAX_ID, description="a version number; none: the latest")]

# The two credentials, declared so that OpenAPI lists them as security schemes; current_reader reads
# the raw header and cookie itself (a malformed header is 401, never ignored).
bearer_scheme = HTTPBearer(auto_error=False, scheme_name="bearerToken",
                           description="an API token: `scobank tokens create EMAIL` or POST /api/v1/tokens")
cookie_scheme = APIKeyCookie(name=COOKIE_NAME, auto_error=False, scheme_name="sessionCookie",
                             description="the portal's session cookie (POST /api/v1/auth/login); "
                                         "changes also need the X-CSRF-Token header")


def db_session() -> Iterator[Session]:
    """One transaction per request: commit when the handler returns, roll back on any error; a
    refusal of the gate is then recorded in the ledger in a transaction of its own."""
    try:
        with session_scope() as session:
            yield session
    except ScobankError as exc:
        refusals.record(exc)
        raise


# scope="function": the transaction (and the ledger entries it appends at commit) ends before the
# response is sent, so no answer leaves without its entry committed.
DbSession = Annotated[Session, Depends(db_session, scope="function")]

PurposeHeader = Annotated[str | None, Header(
    alias="X-Purpose", max_length=100,
    description="why you read (statistics, research, commercial, ...): the gate checks it against the "
                "dataset's policy and the ledger records it")]
PurposeQuery = Annotated[str | None, Query(
    alias="purpose", max_length=100, description="the same as the X-Purpose header, for links")]


def _purpose(header: str | None, query: str | None) -> str | None:
    value = header or query
    return value.strip().lower() if value and value.strip() else None


def current_reader(
    request: Request, session: DbSession, x_purpose: PurposeHeader = None, purpose: PurposeQuery = None,
    _bearer: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer_scheme)] = None,
    _cookie: Annotated[str | None, Depends(cookie_scheme)] = None,
) -> Reader:
    """Who is asking: `Authorization: Bearer TOKEN`, else the portal's session cookie, else anonymous.

    A bad, expired or revoked token (or cookie) is 401 with a reason that leaks nothing. A request
    authenticated by the cookie that changes something must carry the CSRF token (X-CSRF-Token).
    The stated purpose comes from the `X-Purpose` header or the `purpose` query parameter.
    """
    from scobank.access import sessions, tokens
    from scobank.access.users import reader_for

    stated = _purpose(x_purpose, purpose)
    header = request.headers.get("authorization")
    if header is not None:
        scheme, _, secret = header.strip().partition(" ")
        if not secret:  # CKAN clients (ckanapi, harvesters) send the bare token: `Authorization: TOKEN`
            scheme, secret = "bearer", scheme
        found = tokens.resolve_token(session, secret.strip()) if scheme.lower() == "bearer" else None
        if found is None:
            raise Unauthenticated(BAD_CREDENTIALS)
        user, scopes, _row = found
        return reader_for(session, user, scopes=scopes, via="token", purpose=stated)
    cookie = request.cookies.get(COOKIE_NAME)
    if cookie is not None:
        user = sessions.resolve_cookie(session, cookie)
        if user is None:
            if request.url.path.startswith("/api/"):
                raise Unauthenticated(BAD_CREDENTIALS)
            return Reader(purpose=stated)  # a stale cookie on a portal page: browse anonymously
        if request.method in UNSAFE_METHODS and request.url.path.startswith("/api/") and not (
                sessions.check_csrf(cookie, request.headers.get(sessions.CSRF_HEADER))):
            raise AccessDenied("missing or wrong CSRF token (send the X-CSRF-Token header)")
        return reader_for(session, user, via="cookie", purpose=stated)
    if stated is not None:
        return Reader(purpose=stated)
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
