"""Double opt-in, the anonymity rule, saved-search alerts and the outcome funnel, at the service level."""

from __future__ import annotations

import pytest

from scobank.errors import AccessDenied, Conflict
from scobank.exchange import alerts, interest
from scobank.exchange.funnel import funnel
from scobank.exchange.matching.service import find_matches
from tests.exchange.conftest import CHN_STEWARD, KAZ_FIRM, RUS_FIRM, UZB_FIRM, make_enterprise, post


def test_contacts_stay_hidden_until_both_accept_and_hide_again_after_withdrawal(bank):
    with bank.session() as s:
        seller = make_enterprise(s, KAZ_FIRM, contacts={"email": "sales@steppe.kz"})
        buyer = make_enterprise(s, CHN_STEWARD, contacts={"email": "buy@xj.cn"})
        offer = post(s, KAZ_FIRM, seller, "product_offer", {"hs_code": "720838", "volume_per_year": 10})
        row = interest.express_interest(s, reader=CHN_STEWARD, listing_id=offer.id, from_enterprise_id=buyer.id)
        with pytest.raises(AccessDenied, match="only after both sides accept"):
            interest.reveal_contacts(s, reader=CHN_STEWARD, interest_id=row.id)
        with pytest.raises(Conflict):
            interest.express_interest(s, reader=CHN_STEWARD, listing_id=offer.id, from_enterprise_id=buyer.id)
        interest.accept_interest(s, reader=KAZ_FIRM, interest_id=row.id)
        assert interest.reveal_contacts(s, reader=CHN_STEWARD, interest_id=row.id).contacts == {"email": "sales@steppe.kz"}
        interest.withdraw_interest(s, reader=CHN_STEWARD, interest_id=row.id)
        with pytest.raises(AccessDenied):
            interest.reveal_contacts(s, reader=KAZ_FIRM, interest_id=row.id)
        # Expressing again starts a new round: pending, contacts hidden until accepted again.
        again = interest.express_interest(s, reader=CHN_STEWARD, listing_id=offer.id, from_enterprise_id=buyer.id)
        assert again.id == row.id and again.status == "pending"
        with pytest.raises(AccessDenied):
            interest.reveal_contacts(s, reader=CHN_STEWARD, interest_id=row.id)
        from scobank.access.ledger import LedgerFilter, entries, entry_dict

        logged = [entry_dict(e) for e in entries(s, where=LedgerFilter(action="exchange.interest"))][::-1]
    assert [(e["actor"], e["detail"]["event"], e["detail"]["status"]) for e in logged] == [
        ("steward@mofcom.cn", "express", "pending"), ("sales@steppe-steel.kz", "accept", "mutual"),
        ("steward@mofcom.cn", "contacts", "mutual"), ("steward@mofcom.cn", "withdraw", "withdrawn"),
        ("steward@mofcom.cn", "express", "pending")]


def test_a_saved_search_raises_a_notification_and_an_email_when_a_matching_listing_is_published(bank):
    from sqlalchemy import select

    from scobank.mail.models import OutboxMessage

    with bank.session() as s:
        alerts.save_search(s, reader=CHN_STEWARD, name="Steel from the bloc",
                           criteria=alerts.Criteria(side="offer", hs="7208", parties=["KAZ", "RUS"]))
        kaz = make_enterprise(s, KAZ_FIRM)
        uzb = make_enterprise(s, UZB_FIRM)
        hit = post(s, KAZ_FIRM, kaz, "product_offer", {"hs_code": "720838", "volume_per_year": 10}, title="Coil")
        post(s, KAZ_FIRM, kaz, "product_offer", {"hs_code": "520100", "volume_per_year": 10})  # other product
        post(s, UZB_FIRM, uzb, "product_offer", {"hs_code": "720838", "volume_per_year": 10})  # other party
        notes = alerts.list_notifications(s, reader=CHN_STEWARD)
        mails = s.scalars(select(OutboxMessage)).all()
    assert [(n.topic, n.listing_id) for n in notes] == [("listing-matches-search", hit.id)]
    assert "Steel from the bloc" in notes[0].message and "KAZ" in notes[0].message
    assert [m.to_address for m in mails] == ["steward@mofcom.cn"]


def both(s, interest_row, stage, readers):
    from scobank.exchange.outcomes import confirm_outcome

    for reader in readers:
        confirm_outcome(s, reader=reader, interest_id=interest_row.id, stage=stage)


def test_the_funnel_counts_listings_at_each_confirmed_stage_by_party_and_by_sector(bank):
    with bank.session() as s:
        buyer = make_enterprise(s, CHN_STEWARD)
        need = post(s, CHN_STEWARD, buyer, "product_request", {"hs_code": "720838", "volume_per_year": 100})
        offers = []
        for reader in (KAZ_FIRM, RUS_FIRM, UZB_FIRM):
            ent = make_enterprise(s, reader)
            offers.append((reader, post(s, reader, ent, "product_offer", {"hs_code": "720838", "volume_per_year": 50})))
        find_matches(s, reader=CHN_STEWARD, listing_id=need.id)
        find_matches(s, reader=CHN_STEWARD, listing_id=need.id)  # the same matches again count once
        made = [interest.express_interest(s, reader=CHN_STEWARD, listing_id=o.id, from_enterprise_id=buyer.id)
                for _, o in offers]
        interest.accept_interest(s, reader=KAZ_FIRM, interest_id=made[0].id)
        interest.accept_interest(s, reader=RUS_FIRM, interest_id=made[1].id)
        both(s, made[0], "meeting", (KAZ_FIRM, CHN_STEWARD))
        both(s, made[0], "agreement", (CHN_STEWARD, KAZ_FIRM))
        both(s, made[1], "meeting", (CHN_STEWARD,))  # one side only: not a meeting yet
        interest.withdraw_interest(s, reader=UZB_FIRM, interest_id=made[2].id)
        report = funnel(s, by="party")
        by_party = {r.key: (r.listing, r.interest, r.contact, r.meeting, r.agreement, r.matches_served)
                    for r in report.rows}
        by_sector = funnel(s, by="sector")
    assert report.stages == ["listing", "interest", "contact", "meeting", "agreement"]
    assert by_party == {"CHN": (1, 0, 0, 0, 0, 3), "KAZ": (1, 1, 1, 1, 1, 0), "RUS": (1, 1, 1, 0, 0, 0),
                        "UZB": (1, 1, 0, 0, 0, 0)}
    assert [(r.key, r.listing, r.interest, r.contact, r.meeting, r.agreement) for r in by_sector.rows] == [
        ("72", 4, 3, 2, 1, 1)]
