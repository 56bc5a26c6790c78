"""Meetings and agreements, confirmed by both sides of a mutual interest.

Each side confirms a stage for itself; the stage counts (its `meeting_at`/`agreement_at` is set) only
when both enterprises confirmed it. An agreement can be confirmed only after the meeting counts, and a
meeting only while the interest is mutual, so each stage is reached only through the one before: the
funnel is monotone by construction. Expressing interest again after a withdrawal starts a new round and
clears the old round's confirmations. Every confirmation is ledgered ("exchange.interest").
"""

from __future__ import annotations

from pydantic import BaseModel
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from scobank.access import ledger
from scobank.access.reader import Reader
from scobank.db import utcnow
from scobank.errors import BadRequest, Conflict
from scobank.exchange.messages import OUTCOME_ASKED, OUTCOME_CONFIRMED, Note
from scobank.exchange.models import Interest, OutcomeConfirmation
from scobank.exchange.ownership import require_writer
from scobank.exchange.parties import acting_enterprise, get_interest, other_side, tell
from scobank.exchange.profiles import get_enterprise
from scobank.timestamps import UtcDateTime

STAGES = ("meeting", "agreement")


class OutcomeSide(BaseModel):
    stage: str
    enterprise_id: int
    confirmed_at: UtcDateTime
    mine: bool = False  # confirmed by the reader's side


def confirmations(session: Session, interest: Interest, mine: int | None = None) -> list[OutcomeSide]:
    """Each side's confirmations, oldest first; `mine` (an enterprise id) marks the reader's side."""
    rows = session.scalars(select(OutcomeConfirmation).where(OutcomeConfirmation.interest_id == interest.id)
                           .order_by(OutcomeConfirmation.id))
    return [OutcomeSide(stage=r.stage, enterprise_id=r.enterprise_id, confirmed_at=r.confirmed_at,
                        mine=r.enterprise_id == mine) for r in rows]


def _check(interest: Interest, stage: str) -> None:
    if stage not in STAGES:
        raise BadRequest(f"outcome {stage!r}; expected one of {', '.join(STAGES)}")
    if interest.status != "mutual":
        raise Conflict(f"interest {interest.id} is {interest.status}; meetings and agreements follow mutual interest")
    if stage == "agreement" and interest.meeting_at is None:
        raise Conflict(f"interest {interest.id} has no meeting confirmed by both sides yet; an agreement follows one")


def confirm_outcome(session: Session, *, reader: Reader, interest_id: int, stage: str,
                    enterprise_id: int | None = None) -> Interest:
    """The reader's side confirms a meeting or an agreement; it counts once the other side confirmed it
    too (the other side is asked, then told). Confirming twice changes nothing. Raises BadRequest
    (unknown stage), Conflict (not mutual; an agreement before a confirmed meeting), NotFound (not a side)."""
    require_writer(reader)
    interest = get_interest(session, interest_id)
    mine = acting_enterprise(session, reader, interest, enterprise_id)
    _check(interest, stage)
    sides = {c.enterprise_id for c in confirmations(session, interest) if c.stage == stage}
    if mine in sides:
        return interest
    session.add(OutcomeConfirmation(interest_id=interest.id, stage=stage, enterprise_id=mine, user_id=reader.user_id))
    other = other_side(interest, mine)
    both = other in sides
    if both:
        setattr(interest, f"{stage}_at", utcnow())
    session.flush()
    template = OUTCOME_CONFIRMED if both else OUTCOME_ASKED
    tell(session, get_enterprise(session, enterprise_id=other), "outcome-confirmed" if both else "outcome-asked",
         str(Note(template, {"stage": stage, "listing": str(interest.listing_id)})), interest)
    ledger.record(session, actor=reader, action="exchange.interest",
                  detail={"event": f"confirm-{stage}", "interest_id": interest.id, "listing_id": interest.listing_id,
                          "enterprise_id": mine, "confirmed_by_both": both, "status": interest.status})
    return interest


def start_new_round(session: Session, interest: Interest) -> None:
    """Interest expressed again after a withdrawal: the old round's meeting and agreement no longer hold."""
    session.execute(delete(OutcomeConfirmation).where(OutcomeConfirmation.interest_id == interest.id))
    interest.meeting_at = interest.agreement_at = None
