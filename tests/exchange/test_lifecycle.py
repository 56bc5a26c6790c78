"""Listing lifecycle: draft, moderation by the party's steward, published, expired, renewed."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from scobank.access.reader import Reader
from scobank.errors import AccessDenied, BadRequest, Conflict, NotFound
from scobank.exchange import listings
from tests.exchange.conftest import CHN_STEWARD, KAZ_FIRM, make_enterprise, post

CHN_FIRM = Reader(user_id=707, email="sales@shenzhen-motors.cn", organisation_id=77, party="CHN", role="editor")
OFFER = {"hs_code": "850152", "volume_per_year": 500, "unit": "pcs"}


def test_a_moderated_party_holds_listings_until_its_steward_approves(bank):
    with bank.session() as s:
        with pytest.raises(AccessDenied):
            listings.set_moderation(s, reader=KAZ_FIRM, party="CHN", required=True)
        listings.set_moderation(s, reader=CHN_STEWARD, party="CHN", required=True)
        firm = make_enterprise(s, CHN_FIRM)
        offer = post(s, CHN_FIRM, firm, "product_offer", OFFER, title="Electric motors")
        assert offer.status == "pending"
        with pytest.raises(NotFound):
            listings.visible_listing(s, reader=KAZ_FIRM, listing_id=offer.id)
        assert listings.search_listings(s, reader=KAZ_FIRM).total == 0
        with pytest.raises(AccessDenied):
            listings.review_listing(s, reader=KAZ_FIRM, listing_id=offer.id, approve=True)
        listings.review_listing(s, reader=CHN_STEWARD, listing_id=offer.id, approve=True)
        assert offer.status == "published" and offer.moderated_by_user_id == CHN_STEWARD.user_id
        assert listings.search_listings(s, reader=KAZ_FIRM).total == 1
        with pytest.raises(Conflict):
            listings.review_listing(s, reader=CHN_STEWARD, listing_id=offer.id, approve=False)


def test_every_listing_expires_and_can_be_renewed(bank):
    with bank.session() as s:
        firm = make_enterprise(s, KAZ_FIRM)
        with pytest.raises(BadRequest, match="in the past"):
            post(s, KAZ_FIRM, firm, "product_offer", OFFER, expires_at=datetime(2020, 1, 1))
        with pytest.raises(BadRequest, match="more than 365 days"):
            post(s, KAZ_FIRM, firm, "product_offer", OFFER, expires_at=datetime.now() + timedelta(days=400))
        offer = post(s, KAZ_FIRM, firm, "product_offer", OFFER)
        assert timedelta(days=89) < offer.expires_at - datetime.now() <= timedelta(days=90)
        listings.expire_listing(s, reader=KAZ_FIRM, listing_id=offer.id)
        assert listings.search_listings(s, reader=CHN_STEWARD).total == 0
        with pytest.raises(Conflict, match="expire it instead"):
            listings.delete_listing(s, reader=KAZ_FIRM, listing_id=offer.id)
        listings.renew_listing(s, reader=KAZ_FIRM, listing_id=offer.id, days=30)
        assert (offer.status, offer.renewals) == ("published", 1)
        assert listings.search_listings(s, reader=CHN_STEWARD, hs="8501").total == 1
        draft = post(s, KAZ_FIRM, firm, "product_offer", OFFER, publish=False)
        listings.delete_listing(s, reader=KAZ_FIRM, listing_id=draft.id)
        with pytest.raises(NotFound):
            listings.get_listing(s, listing_id=draft.id)
