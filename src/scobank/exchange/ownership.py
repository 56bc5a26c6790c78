"""Who may act for an enterprise: its owner user, members of its organisation, the local operator."""

from __future__ import annotations

from scobank.access.gate import WRITER_ROLES
from scobank.access.reader import Reader
from scobank.errors import AccessDenied, Unauthenticated
from scobank.exchange.models import Enterprise


def require_user(reader: Reader) -> None:
    """Raise Unauthenticated for anonymous readers (posting, interest and alerts need an account)."""
    if reader.is_anonymous:
        raise Unauthenticated("sign in to use the cooperation exchange")


def require_writer(reader: Reader) -> None:
    """Changing the exchange needs an account with a writing role and, through a token, the write scope."""
    require_user(reader)
    if reader.is_operator:
        return
    if reader.scopes and "write" not in reader.scopes:
        raise AccessDenied("this token may only read; use a token with the write scope")
    if reader.role not in WRITER_ROLES:
        raise AccessDenied(f"the {reader.role} role may only read the exchange")


def owns(reader: Reader, enterprise: Enterprise) -> bool:
    if reader.is_operator:
        return True
    if reader.user_id is not None and enterprise.owner_user_id == reader.user_id:
        return True
    return reader.organisation_id is not None and enterprise.organisation_id == reader.organisation_id


def require_owner(reader: Reader, enterprise: Enterprise) -> None:
    """The reader may change this enterprise and its listings (write access and ownership)."""
    require_writer(reader)
    if not owns(reader, enterprise):
        raise AccessDenied(f"enterprise {enterprise.id} belongs to another user or organisation")


def is_steward_of(reader: Reader, party: str) -> bool:
    return reader.is_operator or (reader.role == "steward" and reader.party == party)
