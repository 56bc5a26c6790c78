"""Meetings and agreements count only when both sides confirm them, in order, and the funnel stays
monotone through withdrawals and new rounds (the Chinese case of issue 16: one mutual interest, two
meetings)."""

from __future__ import annotations

import pytest

from scobank.errors import Conflict, NotFound
from scobank.exchange import alerts, interest
from scobank.exchange.funnel import STAGES, funnel
from scobank.exchange.outcomes import confirm_outcome
from tests.exchange.conftest import CHN_STEWARD, KAZ_FIRM, STRANGER, make_enterprise, post

pytestmark = pytest.mark.db


def _mutual(s):
    seller, buyer = make_enterprise(s, KAZ_FIRM), make_enterprise(s, CHN_STEWARD)
    offer = post(s, KAZ_FIRM, seller, "product_offer", {"hs_code": "720838", "volume_per_year": 10})
    need = post(s, CHN_STEWARD, buyer, "product_request", {"hs_code": "720838", "volume_per_year": 5})
    row = interest.express_interest(s, reader=CHN_STEWARD, listing_id=offer.id, from_enterprise_id=buyer.id,
                                    source_listing_id=need.id)
    interest.accept_interest(s, reader=KAZ_FIRM, interest_id=row.id)
    return row


def _chain(s) -> list[int]:
    total = funnel(s, by="party").total
    return [getattr(total, stage) for stage in STAGES]


def test_a_stage_counts_only_once_both_sides_confirmed_it_and_an_agreement_needs_a_meeting(bank):
    with bank.session() as s:
        row = _mutual(s)
        with pytest.raises(Conflict, match="no meeting confirmed by both sides"):
            confirm_outcome(s, reader=KAZ_FIRM, interest_id=row.id, stage="agreement")
        confirm_outcome(s, reader=KAZ_FIRM, interest_id=row.id, stage="meeting")
        confirm_outcome(s, reader=KAZ_FIRM, interest_id=row.id, stage="meeting")  # twice: still one side
        assert row.meeting_at is None and _chain(s) == [2, 2, 2, 0, 0]
        with pytest.raises(NotFound):
            confirm_outcome(s, reader=STRANGER, interest_id=row.id, stage="meeting")
        confirm_outcome(s, reader=CHN_STEWARD, interest_id=row.id, stage="meeting")
        assert row.meeting_at is not None and _chain(s) == [2, 2, 2, 2, 0]
        confirm_outcome(s, reader=CHN_STEWARD, interest_id=row.id, stage="agreement")
        assert row.agreement_at is None
        confirm_outcome(s, reader=KAZ_FIRM, interest_id=row.id, stage="agreement")
        assert row.agreement_at is not None and _chain(s) == [2, 2, 2, 2, 2]
        shown = interest.public(s, row, reader=KAZ_FIRM)
        assert [(c.stage, c.enterprise_id) for c in shown.confirmations] == [
            ("meeting", row.to_enterprise_id), ("meeting", row.from_enterprise_id),
            ("agreement", row.from_enterprise_id), ("agreement", row.to_enterprise_id)]
        topics = [n.topic for n in alerts.list_notifications(s, reader=CHN_STEWARD)]
        assert topics.count("outcome-asked") == 1 and topics.count("outcome-confirmed") == 1


def test_withdrawing_and_expressing_again_starts_a_new_round_without_the_old_meeting(bank):
    with bank.session() as s:
        row = _mutual(s)
        for reader in (KAZ_FIRM, CHN_STEWARD):
            confirm_outcome(s, reader=reader, interest_id=row.id, stage="meeting")
        interest.withdraw_interest(s, reader=CHN_STEWARD, interest_id=row.id)
        with pytest.raises(Conflict, match="withdrawn"):
            confirm_outcome(s, reader=KAZ_FIRM, interest_id=row.id, stage="agreement")
        assert _chain(s) == [2, 2, 2, 2, 0]  # what was reached stays reached
        again = interest.express_interest(s, reader=CHN_STEWARD, listing_id=row.listing_id,
                                          from_enterprise_id=row.from_enterprise_id)
        assert again.meeting_at is None and interest.public(s, again, reader=KAZ_FIRM).confirmations == []
        chain = _chain(s)
        assert chain == [2, 1, 0, 0, 0]  # pending again, and no longer from the need (no source named)


def test_the_operator_confirms_for_the_side_it_names(bank):
    from scobank.access.reader import OPERATOR

    with bank.session() as s:
        row = _mutual(s)
        for side in (row.from_enterprise_id, row.to_enterprise_id):
            confirm_outcome(s, reader=OPERATOR, interest_id=row.id, stage="meeting", enterprise_id=side)
        assert row.meeting_at is not None
