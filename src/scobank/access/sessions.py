"""Portal logins: password check with lockout, signed session cookies, CSRF tokens.

The cookie `scobank_session` holds `<secret>.<hmac>`; the table keeps sha256(secret), so logout and
deactivation end a session at once. CSRF tokens are HMAC(secret key, "csrf:" + session secret): a
form or an API call authenticated by the cookie must send it back (form field `csrf_token` or header
`X-CSRF-Token`).

Throttling, never a lock a stranger can turn on: LOCK_AFTER failed attempts for one e-mail from one
client address (and ADDRESS_LOCK_AFTER from one address over all e-mails) make that address wait
BACKOFF_FIRST, doubling with each further failure up to BACKOFF_MAX; the owner logging in from
elsewhere is not slowed. Counted whether or not the account exists (the answer reveals nothing).
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access.models import LoginFailure, User, WebSession
from scobank.access.passwords import check_password
from scobank.access.secret_key import secret_key
from scobank.db import utcnow
from scobank.errors import RateLimited, Unauthenticated

COOKIE_NAME = "scobank_session"
CSRF_HEADER = "X-CSRF-Token"
CSRF_FIELD = "csrf_token"
SESSION_LIFETIME = timedelta(hours=12)
# Login throttling (per account and client address, and per address): back-off, never a hard lock.
LOCK_AFTER = 5  # failures of one account from one address before it must wait
ADDRESS_LOCK_AFTER = 20  # failures from one address over every account (password spraying)
WINDOW = timedelta(minutes=15)
BACKOFF_FIRST = timedelta(seconds=30)
BACKOFF_MAX = timedelta(minutes=15)
BAD_LOGIN = "wrong e-mail or password"


@dataclass(frozen=True)
class Login:
    user: User
    cookie_value: str  # set as COOKIE_NAME
    csrf_token: str
    expires_at: datetime


def _sign(value: str) -> str:
    return hmac.new(secret_key(), value.encode(), hashlib.sha256).hexdigest()


def cookie_attributes(*, secure: bool) -> dict:
    """Keyword arguments for Starlette's `response.set_cookie`."""
    return {"httponly": True, "samesite": "lax", "secure": secure, "path": "/",
            "max_age": int(SESSION_LIFETIME.total_seconds())}


def _failure(session: Session, key: str) -> LoginFailure:
    row = session.get(LoginFailure, key)
    if row is None:
        row = LoginFailure(email=key, count=0, window_start=utcnow())
        session.add(row)
    return row


def throttle_keys(email: str, address: str | None) -> list[tuple[str, int]]:
    """(key, failures allowed before back-off): the account from this address, and this address over
    every account. Never the account alone: a stranger elsewhere cannot lock its owner out."""
    where = (address or "unknown")[:64]
    return [(f"{email[:180]} from {where}", LOCK_AFTER), (f"* from {where}", ADDRESS_LOCK_AFTER)]


def check_lockout(session: Session, email: str, address: str | None = None) -> None:
    """Raise RateLimited while this account from this address (or this address) must wait."""
    now = utcnow()
    for key, _ in throttle_keys(email, address):
        row = session.get(LoginFailure, key)
        if row is not None and row.locked_until is not None and row.locked_until > now:
            wait = int((row.locked_until - now).total_seconds()) + 1
            raise RateLimited(f"too many failed logins from this address; try again in {wait} s")


def record_failure(session: Session, email: str, address: str | None = None) -> None:
    """Count one failed login per key; past its allowance each further failure doubles the wait
    (BACKOFF_FIRST, 2x, 4x ... at most BACKOFF_MAX). The window restarts after WINDOW of quiet."""
    now = utcnow()
    for key, allowed in throttle_keys(email, address):
        row = _failure(session, key)
        if now - (row.window_start or now) > WINDOW and (row.locked_until is None or row.locked_until < now):
            row.count, row.window_start = 0, now
        row.count = (row.count or 0) + 1
        if row.count >= allowed:
            row.locked_until = now + min(BACKOFF_MAX, BACKOFF_FIRST * 2 ** (row.count - allowed))


def authenticate(session: Session, *, email: str, password: str, address: str | None = None) -> User:
    """The active user with this e-mail and password. Raises Unauthenticated (same message for an
    unknown e-mail and a wrong password) or RateLimited while this account from this `address` (the
    client's) or this address must wait. A failure is counted in the caller's transaction: commit it
    even when this raises (the API route does)."""
    email = email.strip().lower()
    check_lockout(session, email, address)
    user = session.scalars(select(User).where(User.email == email)).first()
    ok = check_password(user.password_hash if user else None, password)
    if not ok or user is None or not user.is_active:
        record_failure(session, email, address)
        raise Unauthenticated(BAD_LOGIN)
    row = session.get(LoginFailure, throttle_keys(email, address)[0][0])
    if row is not None:
        session.delete(row)
    return user


def start_session(session: Session, *, user: User) -> Login:
    """A new portal session for `user` (already authenticated)."""
    raw = secrets.token_urlsafe(32)
    expires_at = utcnow() + SESSION_LIFETIME
    session.add(WebSession(user_id=user.id, token_hash=hashlib.sha256(raw.encode()).hexdigest(),
                           expires_at=expires_at))
    session.flush()
    return Login(user=user, cookie_value=f"{raw}.{_sign(raw)}", csrf_token=csrf_token(f"{raw}.{_sign(raw)}"),
                 expires_at=expires_at)


def login(session: Session, *, email: str, password: str, address: str | None = None) -> Login:
    """authenticate + start_session."""
    return start_session(session, user=authenticate(session, email=email, password=password, address=address))


def _raw(cookie_value: str | None) -> str | None:
    if not cookie_value or "." not in cookie_value or len(cookie_value) > 300:
        return None
    raw, signature = cookie_value.rsplit(".", 1)
    return raw if hmac.compare_digest(signature, _sign(raw)) else None


def resolve_cookie(session: Session, cookie_value: str | None) -> User | None:
    """The active user of a valid, unexpired, not logged-out session cookie; else None."""
    raw = _raw(cookie_value)
    if raw is None:
        return None
    row = session.scalars(select(WebSession).where(
        WebSession.token_hash == hashlib.sha256(raw.encode()).hexdigest())).first()
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    user = session.get(User, row.user_id)
    return user if user is not None and user.is_active else None


def logout(session: Session, cookie_value: str | None) -> None:
    """End the session of this cookie (nothing happens for an invalid one)."""
    raw = _raw(cookie_value)
    if raw is None:
        return
    row = session.scalars(select(WebSession).where(
        WebSession.token_hash == hashlib.sha256(raw.encode()).hexdigest())).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()


def csrf_token(cookie_value: str) -> str:
    """The CSRF token that belongs to this session cookie (put it in forms / the X-CSRF-Token header)."""
    return _sign("csrf:" + cookie_value.rsplit(".", 1)[0])


def check_csrf(cookie_value: str | None, submitted: str | None) -> bool:
    """True when `submitted` is the CSRF token of this (validly signed) session cookie."""
    raw = _raw(cookie_value)
    if raw is None or not submitted:
        return False
    return hmac.compare_digest(submitted, _sign("csrf:" + raw))
