"""Users: create, find, list, change (role, name, active), deactivate; and the Reader a user acts as.

Roles inside an organisation: `viewer` < `editor` < `admin`; `steward` manages the whole party's
datasets, policies and requests. A platform administrator (`is_platform_admin`) runs the installation.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.access.models import User
from scobank.access.organisations import organisation_by_id, organisation_by_slug, organisation_ids_of_party
from scobank.access.parties import party_status
from scobank.access.passwords import hash_password
from scobank.errors import BadRequest, Conflict, NotFound

ROLES = ("viewer", "editor", "admin", "steward")
ALL_SCOPES = frozenset({"read", "write", "admin"})
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


@dataclass(frozen=True)
class UserPublic:
    id: int
    email: str
    name: str | None
    organisation: str | None
    party: str | None
    role: str
    platform_admin: bool
    active: bool

    def to_dict(self) -> dict:
        return dict(self.__dict__)


def normalise_email(email: str) -> str:
    email = email.strip().lower()
    if not _EMAIL.match(email):
        raise BadRequest(f"{email!r} is not an e-mail address")
    return email


def create_user(session: Session, *, email: str, organisation: str | None, role: str,
                password: str | None = None, platform_admin: bool = False, name: str | None = None) -> User:
    """Add a user of `organisation` (slug) with `role`. Raises Conflict when the e-mail is taken,
    NotFound for an unknown organisation, BadRequest for a bad role/e-mail/password."""
    email = normalise_email(email)
    if role == "platform-admin":
        role, platform_admin = "admin", True
    if role not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    if organisation is None and not platform_admin:
        raise BadRequest("a user needs an organisation (--org), unless a platform administrator")
    if session.scalars(select(User.id).where(User.email == email)).first() is not None:
        raise Conflict(f"a user {email} already exists")
    org_id = organisation_by_slug(session, organisation).id if organisation else None
    user = User(email=email, organisation_id=org_id, role=role, is_platform_admin=platform_admin, name=name,
                password_hash=hash_password(password) if password else None, is_active=True)
    session.add(user)
    session.flush()
    return user


def user_by_id(session: Session, *, reader: Reader, user_id: int) -> User:
    """The user `user_id`. Only the operator learns that an id does not exist (NotFound); anyone else gets
    the AccessDenied that `change_user` would give, so ids cannot be probed."""
    from scobank.errors import AccessDenied

    user = session.get(User, user_id)
    if user is None:
        if reader.is_operator:
            raise NotFound(f"no user {user_id}")
        raise AccessDenied("you may not manage this user")
    return user


def find_user(session: Session, email: str) -> User:
    user = session.scalars(select(User).where(User.email == email.strip().lower())).first()
    if user is None:
        raise NotFound(f"no user {email.strip().lower()}")
    return user


def set_password(session: Session, *, user: User, password: str) -> None:
    user.password_hash = hash_password(password)


def set_active(session: Session, *, user: User, active: bool) -> None:
    """Deactivate (or reactivate) an account: its tokens and sessions stop working at once."""
    user.is_active = active


def change_user(session: Session, *, reader: Reader, user: User, role: str | None = None,
                active: bool | None = None, name: str | None = None) -> User:
    """Change a user's role, display name or active flag, as `reader`.

    Whoever changes a user must be allowed to manage the user as they are now and as they will be
    (`check_may_manage` for the current and the new role): an organisation admin cannot make an editor a
    steward, nor change another admin. Nobody changes their own role or deactivates themselves (a
    steward cannot lock the party out by mistake). Each change is written to the ledger.
    Raises BadRequest (unknown role), AccessDenied.
    """
    from scobank.access import ledger
    from scobank.errors import AccessDenied

    shown = public(session, user)
    if role is not None and role not in ROLES:
        raise BadRequest(f"role must be one of {', '.join(ROLES)}; got {role!r}")
    check_may_manage(session, reader=reader, organisation=shown.organisation,
                     role="platform-admin" if shown.platform_admin else shown.role)
    if role is not None:
        check_may_manage(session, reader=reader, organisation=shown.organisation, role=role)
    if reader.user_id == user.id and (role not in (None, user.role) or active is False):
        raise AccessDenied("you may not change your own role or deactivate yourself")
    changes = {k: v for k, v in (("role", role), ("active", active), ("name", name))
               if v is not None and v != {"role": user.role, "active": bool(user.is_active), "name": user.name}[k]}
    if not changes:
        return user
    if "role" in changes:
        user.role = role
    if "active" in changes:
        user.is_active = active
    if "name" in changes:
        user.name = name
    ledger.record(session, actor=reader, action="user-change",
                  detail={"user": user.email, "organisation": shown.organisation, **changes})
    return user


def public(session: Session, user: User) -> UserPublic:
    org = organisation_by_id(session, user.organisation_id)
    return UserPublic(id=user.id, email=user.email, name=user.name, organisation=org.slug if org else None,
                      party=org.party if org else None, role=user.role,
                      platform_admin=bool(user.is_platform_admin), active=bool(user.is_active))


def list_users(session: Session, *, party: str | None = None) -> list[UserPublic]:
    stmt = select(User).order_by(User.email)
    if party:
        stmt = stmt.where(User.organisation_id.in_(organisation_ids_of_party(session, party)))
    return [public(session, u) for u in session.scalars(stmt)]


def count_users(session: Session) -> int:
    return session.scalar(select(func.count(User.id))) or 0


def reader_for(session: Session, user: User, *, scopes: frozenset[str] = ALL_SCOPES, via: str = "cli",
               purpose: str | None = None) -> Reader:
    """The Reader that `user` acts as (party and its SCO status resolved now)."""
    org = organisation_by_id(session, user.organisation_id)
    party = org.party if org else None
    return Reader(
        user_id=user.id, email=user.email, organisation_id=user.organisation_id, party=party,
        role="platform-admin" if user.is_platform_admin else user.role, scopes=frozenset(scopes),
        party_status=party_status(session, party), purpose=purpose, via=via,
    )


def check_may_manage(session: Session, *, reader: Reader, organisation: str | None, role: str) -> None:
    """Who may add or change users: the operator and platform administrators anyone; a party steward
    the users of their party's organisations; an organisation admin its editors and viewers.
    Raises AccessDenied otherwise."""
    from scobank.errors import AccessDenied

    if reader.is_operator:
        return
    if organisation is None or role == "platform-admin" or "admin" not in reader.scopes:
        raise AccessDenied("only a platform administrator may do this")
    org = organisation_by_slug(session, organisation)
    if reader.role == "steward" and reader.party == org.party:
        return
    if reader.role == "admin" and reader.organisation_id == org.id and role in ("viewer", "editor"):
        return
    raise AccessDenied(f"you may not manage users of {organisation}")


def check_may_list(reader: Reader) -> str | None:
    """Who may list users: the operator and platform administrators all of them (returns None), a party
    steward the users of their party (returns the party). Raises AccessDenied otherwise."""
    from scobank.errors import AccessDenied

    if reader.is_operator:
        return None
    if reader.role == "steward" and reader.party and "admin" in reader.scopes:
        return reader.party
    raise AccessDenied("only a platform administrator or a party steward may list users")


def check_may_act_for(*, reader: Reader, user: User) -> None:
    """A user manages their own tokens; the operator and platform administrators anyone's."""
    from scobank.errors import AccessDenied

    if reader.is_operator or reader.user_id == user.id:
        return
    raise AccessDenied("you may only manage your own tokens")
