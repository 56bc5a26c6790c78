"""The moderation queue: a party may hold back the listings of its unverified enterprises; users report
listings; a steward of the listing's party approves, or refuses with a reason the author is told."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from scobank.access.reader import ANONYMOUS, Reader
from scobank.errors import AccessDenied, BadRequest, Conflict, Unauthenticated
from scobank.exchange import listings, moderation, registry
from scobank.exchange.alerts import list_notifications
from tests.exchange.conftest import CHN_STEWARD, KAZ_FIRM, UZB_FIRM, make_enterprise, post

pytestmark = pytest.mark.db
UZB_STEWARD = Reader(user_id=909, email="steward@stat.uz", organisation_id=99, party="UZB", role="steward")
COTTON = {"hs_code": "520100", "volume_per_year": 800}


def test_unverified_enterprises_wait_for_a_steward_who_refuses_with_a_reason(bank):
    with bank.session() as s:
        listings.set_moderation(s, reader=UZB_STEWARD, party="UZB", required=True, scope="unverified")
        unverified = make_enterprise(s, UZB_FIRM, name="Fergana cotton")
        held = post(s, UZB_FIRM, unverified, "product_offer", COTTON, title="Raw cotton")
        assert held.status == "pending"
        queue = moderation.moderation_queue(s, reader=UZB_STEWARD)
        assert [(q.listing_id, q.status, q.reports) for q in queue] == [(held.id, "pending", [])]
        assert moderation.moderation_queue(s, reader=CHN_STEWARD) == []  # another party's steward sees none
        with pytest.raises(AccessDenied):
            moderation.moderation_queue(s, reader=KAZ_FIRM)
        with pytest.raises(AccessDenied):
            moderation.decide(s, reader=CHN_STEWARD, listing_id=held.id, approve=True)
        with pytest.raises(BadRequest, match="needs a reason"):
            moderation.decide(s, reader=UZB_STEWARD, listing_id=held.id, approve=False, reason="  ")
        refused = moderation.decide(s, reader=UZB_STEWARD, listing_id=held.id, approve=False,
                                    reason="the volume is not credible for a small firm")
        assert (refused.status, refused.moderation_reason) == ("draft", "the volume is not credible for a small firm")
        told = list_notifications(s, reader=UZB_FIRM)
        assert [n.message for n in told] == [f"Your listing {held.id} was not published: "
                                             "the volume is not credible for a small firm"]
        assert moderation.moderation_queue(s, reader=UZB_STEWARD) == []


def test_a_verified_enterprise_publishes_at_once_and_an_approved_listing_goes_live(bank):
    with bank.session() as s:
        listings.set_moderation(s, reader=UZB_STEWARD, party="UZB", required=True, scope="unverified")
        firm = make_enterprise(s, UZB_FIRM, name="Fergana cotton")
        waiting = post(s, UZB_FIRM, firm, "product_offer", COTTON, title="Raw cotton")
        approved = moderation.decide(s, reader=UZB_STEWARD, listing_id=waiting.id, approve=True)
        assert approved.status == "published" and approved.moderated_by_user_id == UZB_STEWARD.user_id
        registry.set_registry_id(s, reader=UZB_FIRM, enterprise_id=firm.id, kind="stir", value="305123456")
        registry.review_registry_id(s, reader=UZB_STEWARD, enterprise_id=firm.id, party="UZB", decision="approve")
        verified = post(s, UZB_FIRM, firm, "product_offer", COTTON, title="Cotton lint")
        assert verified.status == "published"
        listings.set_moderation(s, reader=UZB_STEWARD, party="UZB", required=True, scope="all")
        assert post(s, UZB_FIRM, firm, "product_offer", COTTON, title="Cotton waste").status == "pending"


def test_users_report_listings_and_a_steward_keeps_or_withdraws_them(bank):
    from scobank.access.models import LedgerEntry

    with bank.session() as s:
        chn = make_enterprise(s, CHN_STEWARD, name="Urumqi trading")
        offer = post(s, CHN_STEWARD, chn, "product_offer", COTTON, title="Cotton")
        kaz = make_enterprise(s, KAZ_FIRM)
        with pytest.raises(Unauthenticated):
            moderation.report_listing(s, reader=ANONYMOUS, listing_id=offer.id, reason="spam")
        with pytest.raises(Conflict):
            moderation.report_listing(s, reader=CHN_STEWARD, listing_id=offer.id, reason="mine")
        moderation.report_listing(s, reader=KAZ_FIRM, listing_id=offer.id, reason="the same offer posted twice")
        (item,) = moderation.moderation_queue(s, reader=CHN_STEWARD)
        assert (item.listing_id, item.status, item.reports) == (offer.id, "published", ["the same offer posted twice"])
        kept = moderation.decide(s, reader=CHN_STEWARD, listing_id=offer.id, approve=True)
        assert kept.status == "published" and moderation.moderation_queue(s, reader=CHN_STEWARD) == []
        with pytest.raises(Conflict):  # nothing left to decide
            moderation.decide(s, reader=CHN_STEWARD, listing_id=offer.id, approve=True)
        moderation.report_listing(s, reader=KAZ_FIRM, listing_id=offer.id, reason="the company does not exist")
        withdrawn = moderation.decide(s, reader=CHN_STEWARD, listing_id=offer.id, approve=False,
                                      reason="no such company at the address given")
        assert withdrawn.status == "draft" and kaz.id != chn.id
        assert [n.message for n in list_notifications(s, reader=CHN_STEWARD)][-1] == (
            f"Your listing {offer.id} was withdrawn by a moderator: no such company at the address given")
        decisions = s.scalars(select(LedgerEntry.detail).where(LedgerEntry.action == "exchange.moderation")).all()
    assert len(decisions) >= 6  # two reports, three queue reads, two decisions: each in the ledger


def test_the_api_reports_and_decides_with_reasons(bank):
    """Real users and Bearer tokens: a Kazakh editor reports a Chinese listing, China's steward refuses it."""
    from fastapi.testclient import TestClient

    from scobank.access.reader import OPERATOR
    from scobank.access.tokens import create_token
    from scobank.access.users import create_user
    from scobank.api.app import create_app
    from scobank.catalog.organisations import create_organisation
    from scobank.catalog.schemas import OrganisationCreate

    tokens = {}
    with bank.session() as s:
        for slug, party, email, role in (("mofcom-cn", "CHN", "steward@mofcom.cn", "steward"),
                                         ("steppe-tr", "KAZ", "sales@steppe-tr.kz", "editor")):
            create_organisation(s, data=OrganisationCreate(slug=slug, party=party, names={"en": slug}), actor=OPERATOR)
            tokens[party] = create_token(s, user=create_user(s, email=email, organisation=slug, role=role),
                                         scope="write").token
    chn, kaz = ({"Authorization": f"Bearer {tokens[p]}"} for p in ("CHN", "KAZ"))
    with TestClient(create_app()) as client:
        made = client.post("/api/v1/exchange/enterprises", headers=chn, json={
            "name": {"en": "Urumqi trading"}, "city": "Urumqi", "lat": 43.8, "lon": 87.6})
        assert made.status_code == 201, made.text
        listing = client.post("/api/v1/exchange/listings", headers=chn, json={
            "enterprise_id": made.json()["id"], "kind": "product_offer", "title": {"en": "Cotton"},
            "original_language": "en", "details": COTTON}).json()
        url = f"/api/v1/exchange/listings/{listing['id']}"
        assert client.post(f"{url}/publish", headers=chn).json()["status"] == "published"
        assert client.post(f"{url}/reports", json={"reason": "duplicate"}).status_code == 401
        assert client.post(f"{url}/reports", headers=kaz, json={"reason": "duplicate"}).status_code == 201
        assert client.get("/api/v1/exchange/moderation/queue", headers=kaz).status_code == 403
        queue = client.get("/api/v1/exchange/moderation/queue", headers=chn).json()
        assert [(q["listing_id"], q["reports"]) for q in queue] == [(listing["id"], ["duplicate"])]
        assert client.post(f"{url}/review", headers=chn, json={"approve": False}).status_code in (400, 422)
        done = client.post(f"{url}/review", headers=chn, json={"approve": False, "reason": "duplicate of 1"})
        assert done.status_code == 200 and done.json()["status"] == "draft"
