"""Who the `scobank` command acts as.

By default the local operator of this installation (OPERATOR: full rights). To act as a user (tests,
scripts, checking what a user sees), pass `scobank --as EMAIL ...` or set `SCOBANK_AS=EMAIL`; the
command then has exactly that user's rights (all scopes of their role), and the ledger names them.
"""

from __future__ import annotations

import os
from contextvars import ContextVar

from sqlalchemy.orm import Session

from scobank.access.reader import OPERATOR, Reader

_AS: ContextVar[str | None] = ContextVar("scobank_as", default=None)
_PURPOSE: ContextVar[str | None] = ContextVar("scobank_purpose", default=None)


def act_as(email: str | None) -> None:
    """Set the identity of this command invocation (the root `--as` option calls this)."""
    _AS.set(email or None)


def state_purpose(purpose: str | None) -> None:
    """Set the purpose this command invocation states (the root `--purpose` option calls this)."""
    _PURPOSE.set(purpose.strip().lower() if purpose and purpose.strip() else None)


def acting_as() -> str | None:
    return _AS.get() or os.environ.get("SCOBANK_AS") or None


def cli_reader(session: Session, *, purpose: str | None = None) -> Reader:
    """OPERATOR, or the user named by `--as` / SCOBANK_AS (NotFound when there is no such user).

    The purpose stated with `--purpose` / SCOBANK_PURPOSE wins over a command's default `purpose`."""
    from scobank.access.users import find_user, reader_for

    purpose = _PURPOSE.get() or os.environ.get("SCOBANK_PURPOSE") or purpose

    email = acting_as()
    if not email:
        if purpose:
            from dataclasses import replace

            return replace(OPERATOR, purpose=purpose)
        return OPERATOR
    user = find_user(session, email)
    if not user.is_active:
        from scobank.errors import Unauthenticated

        raise Unauthenticated(f"the account {user.email} is deactivated")
    return reader_for(session, user, via="cli", purpose=purpose)
