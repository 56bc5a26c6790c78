"""Refused attempts land in the ledger too, so an owner sees someone probing their data.

The gate marks the error it raises (`mark`) with who asked for what of which dataset and why not.
The caller's transaction then rolls back (nothing of the refused work stays), and the surface that
owns the transaction (the API's request dependency, the CLI's error handler) calls `record` after
the rollback: one `refused` entry in a transaction of its own, with the reader, the dataset, the
action asked, the purpose stated and the reason given.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from scobank.access.reader import Reader
from scobank.errors import ScobankError


@dataclass(frozen=True)
class Refusal:
    reader: Reader
    dataset_id: int
    action: str
    purpose: str | None


def mark(exc: ScobankError, *, reader: Reader, dataset_id: int | None, action: str,
         purpose: str | None) -> ScobankError:
    """Attach the refusal to `exc` (once: the innermost gate decision wins); returns `exc`."""
    if dataset_id is not None and getattr(exc, "refusal", None) is None:
        exc.refusal = Refusal(reader, dataset_id, str(action), purpose)
    return exc


def record(exc: BaseException) -> None:
    """Write the refusal carried by `exc`, if any, in its own transaction (after the caller's rollback)."""
    refusal = getattr(exc, "refusal", None)
    if refusal is None:
        return
    from scobank.access import ledger
    from scobank.db import session_scope

    exc.refusal = None  # recorded once, however many handlers see it
    try:
        with session_scope() as session:
            ledger.record(session, actor=refusal.reader, action="refused", dataset_id=refusal.dataset_id,
                          purpose=refusal.purpose, detail={"asked": refusal.action, "status": exc.status,
                                                           "reason": exc.message})
    except Exception:  # the refusal itself still reaches the caller; say that its record failed
        logging.getLogger("scobank.ledger").exception("a refused attempt could not be recorded")
