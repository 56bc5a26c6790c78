"""API tokens: `Authorization: Bearer scb_...`. The secret is shown once; only its sha256 is stored.

Scopes are cumulative: `read` reads; `write` also publishes and edits; `admin` also changes policies and
decides requests. A token never grants more than its user's role allows.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.access.models import ApiToken, User
from scobank.db import utcnow
from scobank.errors import AccessDenied, BadRequest, NotFound

PREFIX = "scb_"
SCOPE_LEVELS = {"read": ("read",), "write": ("read", "write"), "admin": ("read", "write", "admin")}


def digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    id: int
    token: str  # the secret: shown once
    scope: str
    expires_at: datetime | None


@dataclass(frozen=True)
class TokenPublic:
    id: int
    user: str
    name: str | None
    prefix: str
    scopes: list[str]
    created_at: datetime
    expires_at: datetime | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    def to_dict(self) -> dict:
        data = dict(self.__dict__)
        for key in ("created_at", "expires_at", "revoked_at", "last_used_at"):
            data[key] = data[key].isoformat() + "Z" if data[key] else None
        return data


def create_token(session: Session, *, user: User, scope: str = "read", expires_days: int | None = None,
                 name: str | None = None) -> NewToken:
    """A new token for `user` with `scope` (read|write|admin), valid `expires_days` days (None: no end)."""
    if scope not in SCOPE_LEVELS:
        raise BadRequest(f"scope must be read, write or admin; got {scope!r}")
    if expires_days is not None and expires_days <= 0:
        raise BadRequest("--expires must be a positive number of days")
    secret = PREFIX + secrets.token_urlsafe(32)
    expires_at = utcnow() + timedelta(days=expires_days) if expires_days else None
    row = ApiToken(user_id=user.id, name=name, prefix=secret[:10], token_hash=digest(secret),
                   scopes=",".join(SCOPE_LEVELS[scope]), expires_at=expires_at)
    session.add(row)
    session.flush()
    return NewToken(id=row.id, token=secret, scope=scope, expires_at=expires_at)


def create_own_token(session: Session, *, reader: Reader, scope: str = "read", expires_days: int | None = None,
                     name: str | None = None) -> NewToken:
    """A new token for the reader themself, never wider than the credential they call with (a
    read-scoped token cannot mint a write token). Raises AccessDenied otherwise."""
    if scope not in SCOPE_LEVELS or not set(SCOPE_LEVELS[scope]) <= set(reader.scopes):
        raise AccessDenied(f"your credential may not create a {scope!r} token")
    return create_token(session, user=session.get(User, reader.user_id), scope=scope,
                        expires_days=expires_days, name=name)


def resolve_token(session: Session, secret: str) -> tuple[User, frozenset[str], ApiToken] | None:
    """The user and scopes of a valid token; None for unknown, expired, revoked or inactive."""
    if not secret.startswith(PREFIX) or len(secret) > 200:
        return None
    wanted = digest(secret)
    row = session.scalars(select(ApiToken).where(ApiToken.token_hash == wanted)).first()
    if row is None or not hmac.compare_digest(row.token_hash, wanted):
        return None
    now = utcnow()
    if row.revoked_at is not None or (row.expires_at is not None and row.expires_at <= now):
        return None
    user = session.get(User, row.user_id)
    if user is None or not user.is_active:
        return None
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=5):
        row.last_used_at = now  # coarse, so reads do not each take the write lock
    return user, frozenset(row.scopes.split(",")), row


def _public(row: ApiToken, email: str) -> TokenPublic:
    return TokenPublic(id=row.id, user=email, name=row.name, prefix=row.prefix, scopes=row.scopes.split(","),
                       created_at=row.created_at, expires_at=row.expires_at, revoked_at=row.revoked_at,
                       last_used_at=row.last_used_at)


def list_tokens(session: Session, *, user: User | None = None) -> list[TokenPublic]:
    """Tokens of `user` (every user's when None), newest first; never their secrets."""
    stmt = select(ApiToken, User.email).join(User, User.id == ApiToken.user_id).order_by(ApiToken.id.desc())
    if user is not None:
        stmt = stmt.where(ApiToken.user_id == user.id)
    return [_public(row, email) for row, email in session.execute(stmt)]


def revoke_own_token(session: Session, *, reader: Reader, token_id: int) -> TokenPublic:
    """Revoke one of the reader's tokens (someone else's is NotFound; the operator may revoke any)."""
    owner = None if reader.is_operator else session.get(User, reader.user_id)
    return revoke_token(session, token_id=token_id, owner=owner)


def revoke_token(session: Session, *, token_id: int, owner: User | None = None) -> TokenPublic:
    """Revoke token `token_id` (of `owner` when given: someone else's token is NotFound)."""
    row = session.get(ApiToken, token_id)
    if row is None or (owner is not None and row.user_id != owner.id):
        raise NotFound(f"no token {token_id}")
    if row.revoked_at is None:
        row.revoked_at = utcnow()
    email = session.get(User, row.user_id).email
    return _public(row, email)
