"""A platform administrator changes a country's SCO status: the reference area keeps the periods, the
ledger records who changed what (the reference area does not write the ledger itself)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import OPERATOR, Reader
from scobank.reference.parties import set_status

if TYPE_CHECKING:
    from scobank.reference.models import PartyStatus


def set_party_status(session: Session, *, iso3: str, status: str, valid_from: date, valid_to: date | None = None,
                     source: str = "edited by an administrator", actor: Reader | None = None) -> PartyStatus:
    """Give `iso3` `status` over [valid_from, valid_to) (see reference.parties.set_status) and record the
    change in the ledger as `actor`'s (the caller has checked that actor is an administrator)."""
    row = set_status(session, iso3=iso3, status=status, valid_from=valid_from, valid_to=valid_to, source=source)
    ledger.record(session, actor=actor or OPERATOR, action="set-party-status",
                  detail={"iso3": iso3, "status": status, "valid_from": valid_from.isoformat(),
                          "valid_to": valid_to.isoformat() if valid_to else None, "source": source})
    return row
