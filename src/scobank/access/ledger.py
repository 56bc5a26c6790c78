"""The ledger: append-only, hash-chained record of every use of data. (Filled in by the access area.)"""

from __future__ import annotations

from sqlalchemy.orm import Session

from scobank.access.gate import Reader


def record(session: Session, *, actor: Reader, action: str, dataset_id: int | None = None,
           version_id: int | None = None, purpose: str | None = None, agreement_id: int | None = None,
           query_fingerprint: str | None = None, rows: int | None = None, cells: int | None = None,
           detail: dict | None = None) -> None:
    """Append one entry in the caller's transaction. Interim: nothing is stored yet."""
    return None
