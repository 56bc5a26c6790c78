"""Loading reference data into the store, from SCOBANK_DATA_DIR or from installed packages."""

from __future__ import annotations

from sqlalchemy.orm import Session


def load_reference(session: Session) -> str:
    """Load whatever reference data is missing; return a one-line summary. (Filled in by reference.)"""
    return "reference data: not loaded yet"
