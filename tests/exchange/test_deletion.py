"""Deleting with history: a profile or listing that ever took part in an expression of interest is
closed or anonymised, or refused with 409 and the reason; never a foreign-key error (HTTP 500)."""

from __future__ import annotations

import pytest

from scobank.errors import Conflict, NotFound
from scobank.exchange import interest, listings, profiles
from scobank.exchange.models import Enterprise, Interest
from tests.exchange.test_api_story import client  # noqa: F401  (the API with real users and tokens)
from tests.exchange.conftest import KAZ_FIRM, UZB_FIRM, make_enterprise, post

pytestmark = pytest.mark.db
OFFER = {"hs_code": "845140", "volume_per_year": 20, "unit": "pcs"}
REQUEST = {"hs_code": "845140", "volume_per_year": 5, "unit": "pcs"}


def _interested_pair(s):
    seller = make_enterprise(s, KAZ_FIRM, name="Steppe looms")
    buyer = make_enterprise(s, UZB_FIRM, name="Fergana weavers", contacts={"email": "buy@fergana.uz"})
    offer = post(s, KAZ_FIRM, seller, "product_offer", OFFER, title="Washing machines for textiles")
    row = interest.express_interest(s, reader=UZB_FIRM, listing_id=offer.id, from_enterprise_id=buyer.id)
    return seller, buyer, offer, row


def test_a_profile_that_expressed_interest_is_anonymised_not_deleted(bank):
    with bank.session() as s:
        _seller, buyer, _offer, row = _interested_pair(s)
        profiles.delete_enterprise(s, reader=UZB_FIRM, enterprise_id=buyer.id)
        s.flush()
        kept = s.get(Enterprise, buyer.id)
        assert kept is not None and s.get(Interest, row.id).from_enterprise_id == buyer.id
        assert kept.contacts == {} and "Fergana" not in str(kept.name) and kept.lat is None
        assert buyer.id not in [e.id for e in profiles.my_enterprises(s, reader=UZB_FIRM)]


def test_a_profile_with_a_live_listing_is_refused_with_409(bank):
    with bank.session() as s:
        seller, _buyer, _offer, _row = _interested_pair(s)
        with pytest.raises(Conflict, match="expire"):
            profiles.delete_enterprise(s, reader=KAZ_FIRM, enterprise_id=seller.id)


def test_a_profile_whose_expired_listing_had_interest_is_anonymised(bank):
    with bank.session() as s:
        seller, _buyer, offer, row = _interested_pair(s)
        listings.expire_listing(s, reader=KAZ_FIRM, listing_id=offer.id)
        profiles.delete_enterprise(s, reader=KAZ_FIRM, enterprise_id=seller.id)
        s.flush()
        assert s.get(Interest, row.id).to_enterprise_id == seller.id
        assert s.get(Enterprise, seller.id).owner_user_id is None


def test_a_draft_named_as_the_source_of_an_interest_is_refused_with_409(bank):
    with bank.session() as s:
        seller = make_enterprise(s, KAZ_FIRM)
        buyer = make_enterprise(s, UZB_FIRM)
        offer = post(s, KAZ_FIRM, seller, "product_offer", OFFER)
        draft = post(s, UZB_FIRM, buyer, "product_request", REQUEST, publish=False)
        interest.express_interest(s, reader=UZB_FIRM, listing_id=offer.id, from_enterprise_id=buyer.id,
                                  source_listing_id=draft.id)
        with pytest.raises(Conflict, match="interest"):
            listings.delete_listing(s, reader=UZB_FIRM, listing_id=draft.id)
        assert listings.get_listing(s, listing_id=draft.id).id == draft.id


def test_a_profile_without_history_is_really_deleted(bank):
    with bank.session() as s:
        lone = make_enterprise(s, UZB_FIRM)
        profiles.delete_enterprise(s, reader=UZB_FIRM, enterprise_id=lone.id)
        with pytest.raises(NotFound):
            profiles.get_enterprise(s, enterprise_id=lone.id)


def test_the_api_answers_204_or_409_never_500(client):  # noqa: F811  (the fixture imported above)
    from tests.exchange.test_api_story import _enterprise, _publish, as_

    seller = _enterprise(client, "kaz", name={"en": "Steppe looms"}, city="Almaty")
    buyer = _enterprise(client, "stranger", name={"en": "Pune mills"}, city="Pune")
    offer = _publish(client, "kaz", {"enterprise_id": seller["id"], "kind": "product_offer",
                                     "title": {"en": "Looms"}, "details": OFFER})
    r = client.post(f"/api/v1/exchange/listings/{offer['id']}/interest", headers=as_("stranger"),
                    json={"from_enterprise_id": buyer["id"]})
    assert r.status_code == 201, r.text
    r = client.delete(f"/api/v1/exchange/enterprises/{seller['id']}", headers=as_("kaz"))
    assert r.status_code == 409 and "expire" in r.json()["message"], r.text
    r = client.delete(f"/api/v1/exchange/enterprises/{buyer['id']}", headers=as_("stranger"))
    assert r.status_code == 204, r.text
    r = client.get(f"/api/v1/exchange/enterprises/{buyer['id']}", headers=as_("stranger"))
    assert r.status_code == 200 and "Pune mills" not in r.text


def test_an_anonymised_company_leaves_no_name_in_the_thread_the_other_side_keeps_its_own(bank):
    from scobank.exchange import conversation

    with bank.session() as s:
        seller, buyer, offer, row = _interested_pair(s)
        row.message = "Fergana weavers would like 5 machines"
        interest.accept_interest(s, reader=KAZ_FIRM, interest_id=row.id)
        conversation.post_message(s, reader=UZB_FIRM, interest_id=row.id, text="Fergana weavers here, call us",
                                  attachment=conversation.Attachment(name="fergana-weavers.pdf",
                                                                     content_type="application/pdf", data=b"%PDF"))
        conversation.post_message(s, reader=KAZ_FIRM, interest_id=row.id, text="Our price list is attached")
        interest.withdraw_interest(s, reader=UZB_FIRM, interest_id=row.id)
        profiles.delete_enterprise(s, reader=UZB_FIRM, enterprise_id=buyer.id)
        s.flush()
        thread = conversation.list_messages(s, reader=KAZ_FIRM, interest_id=row.id)
        seen_by_seller = [interest.view_interest(s, reader=KAZ_FIRM, interest_id=row.id),
                          interest.list_interests(s, reader=KAZ_FIRM), thread]
        with pytest.raises(NotFound):
            conversation.get_attachment(s, reader=KAZ_FIRM, interest_id=row.id, message_id=thread[0].id)
    assert [(m.direction, m.removed, m.text) for m in thread] == [
        ("received", True, ""), ("sent", False, "Our price list is attached")]
    assert thread[0].attachment_name is None
    assert "Fergana" not in str(seen_by_seller)  # name, notes, messages, file names
