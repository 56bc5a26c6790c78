"""Named request dependencies: a signature reads as a list of needs."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Annotated

from fastapi import Depends
from sqlalchemy.orm import Session

from scobank.access.gate import ANONYMOUS, Reader
from scobank.db import session_factory


def db_session() -> Iterator[Session]:
    """One transaction per request: commit when the handler returns, roll back on any error."""
    session = session_factory()()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()


def current_reader() -> Reader:
    """Interim: anonymous until the access area resolves tokens and session cookies."""
    return ANONYMOUS


DbSession = Annotated[Session, Depends(db_session)]
CurrentReader = Annotated[Reader, Depends(current_reader)]
