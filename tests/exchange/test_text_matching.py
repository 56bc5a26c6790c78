"""Matching on meaning: listings without an HS code (capacity, technology) are matched by the
cross-lingual text factor and the ISIC sector they name, never by the other factors alone; a capacity
request finds the capacity offers that can do the work, in the quantity, near it."""

from __future__ import annotations

import pytest

from scobank.exchange.matching.service import find_matches
from tests.exchange.conftest import CHN_STEWARD, KAZ_FIRM, RUS_FIRM, UZB_FIRM, make_enterprise, post, soon

pytestmark = pytest.mark.db

CNC = {"process": "CNC milling and turning of steel and aluminium parts to drawing",
       "equipment": "5-axis machining centres, CNC lathes", "capacity": 2000, "unit": "pcs",
       "period": "month", "available_from": soon(0)}


def _requests(s):
    """Four product requests with HS codes: one for machined parts, three for unrelated goods."""
    rus = make_enterprise(s, RUS_FIRM, name="Ural buyer")
    kaz = make_enterprise(s, KAZ_FIRM, name="Steppe buyer")
    return {
        "shafts": post(s, RUS_FIRM, rus, "product_request", {"hs_code": "848310", "volume_per_year": 5000,
                       "unit": "pcs"}, title="Стальные валы с механической обработкой по чертежам", lang="ru").id,
        "fertiliser": post(s, RUS_FIRM, rus, "product_request", {"hs_code": "310210", "volume_per_year": 5000},
                           title="Mineral fertiliser, urea 46% nitrogen").id,
        "nickel": post(s, KAZ_FIRM, kaz, "product_request", {"hs_code": "750210", "volume_per_year": 500},
                       title="Unwrought nickel cathodes").id,
        "spirits": post(s, KAZ_FIRM, kaz, "product_request", {"hs_code": "220860", "volume_per_year": 50,
                        "unit": "l"}, title="Vodka and other spirits, 40%").id,
    }


def test_a_capacity_offer_without_hs_code_matches_machined_parts_not_fertiliser(bank, text_on):
    with bank.session() as s:
        wanted = _requests(s)
        chn = make_enterprise(s, CHN_STEWARD, name="Urumqi machining")
        offer = post(s, CHN_STEWARD, chn, "capacity_offer", CNC, title="数控加工产能：铣削和车削零件", lang="zh")
        report = find_matches(s, reader=CHN_STEWARD, listing_id=offer.id)
    found = {m.id: m for m in report.matches}
    assert report.text_enabled
    assert list(found) == [wanted["shafts"]]  # fertiliser, nickel and spirits are not matches at all
    shafts = found[wanted["shafts"]]
    assert shafts.relevance is not None and shafts.relevance > 0.5
    assert shafts.relevance_note.startswith("no HS code on one side: the score is scaled by")
    text = next(f for f in shafts.factors if f.factor == "text")
    assert text.value > 0.3


def test_without_text_an_offer_without_hs_code_matches_nothing_it_cannot_tell(bank):
    with bank.session() as s:
        _requests(s)
        chn = make_enterprise(s, CHN_STEWARD, name="Urumqi machining")
        offer = post(s, CHN_STEWARD, chn, "capacity_offer", CNC, title="CNC machining capacity")
        report = find_matches(s, reader=CHN_STEWARD, listing_id=offer.id)
    assert report.text_enabled is False
    assert report.matches == []  # before: fertiliser, nickel and spirits at 0.64-0.70


def test_a_capacity_request_finds_capacity_by_sector_quantity_and_place(bank):
    """Text off: the ISIC sector is the evidence of capability; volume and distance then rank."""
    with bank.session() as s:
        buyer = make_enterprise(s, UZB_FIRM, name="Fergana pump works")
        need = post(s, UZB_FIRM, buyer, "capacity_request",
                    {"process": "machining of pump housings", "sector": "2592", "capacity": 1000,
                     "unit": "pcs", "period": "month", "deadline": soon(90)}, title="Machining capacity needed")
        kaz = make_enterprise(s, KAZ_FIRM, name="Almaty machining")
        near_big = post(s, KAZ_FIRM, kaz, "capacity_offer", {**CNC, "sector": "2592"}, title="CNC capacity")
        rus = make_enterprise(s, RUS_FIRM, name="Yekaterinburg machining")
        far_small = post(s, RUS_FIRM, rus, "capacity_offer", {**CNC, "sector": "2592", "capacity": 250},
                         title="CNC capacity")
        chn = make_enterprise(s, CHN_STEWARD, name="Urumqi sewing")
        sewing = post(s, CHN_STEWARD, chn, "capacity_offer",
                      {"process": "sewing of garments", "sector": "1410", "capacity": 50000, "unit": "pcs",
                       "period": "month", "available_from": soon(0)}, title="Sewing capacity")
        report = find_matches(s, reader=UZB_FIRM, listing_id=need.id)
    ranked = [m.id for m in report.matches]
    assert ranked == [near_big.id, far_small.id]
    assert sewing.id not in ranked
    first, second = report.matches
    factor = {m.id: {f.factor: f for f in m.factors} for m in report.matches}
    assert factor[near_big.id]["sector"].value == 1.0
    assert factor[near_big.id]["sector"].note == "same ISIC class 2592"
    assert factor[near_big.id]["volume"].value == 1.0 and factor[far_small.id]["volume"].value == 0.25
    assert factor[near_big.id]["distance"].value > factor[far_small.id]["distance"].value
    assert first.relevance == 1.0 and first.score > second.score


def test_an_offer_without_hs_code_is_told_what_its_text_suggests(bank, text_on):
    with bank.session() as s:
        uzb = make_enterprise(s, UZB_FIRM, name="Fergana sewing")
        offer = post(s, UZB_FIRM, uzb, "capacity_offer",
                     {"process": "sewing of knitted cotton T-shirts", "capacity": 20000, "unit": "pcs",
                      "period": "month", "available_from": soon(0)},
                     title="Пошив трикотажных футболок из хлопка", lang="ru")
        stored = [h["heading"] for h in offer.hs_hints]  # read once, when it was published
        report = find_matches(s, reader=UZB_FIRM, listing_id=offer.id)
        from scobank.exchange.listings import update_listing
        from scobank.exchange.schemas import ListingUpdate

        update_listing(s, reader=UZB_FIRM, listing_id=offer.id, data=ListingUpdate(
            title={"ru": "Литьё алюминия под давлением"}, description={"ru": "Литьё алюминиевых корпусов"},
            details={"process": "aluminium die casting", "capacity": 2000, "unit": "pcs", "period": "month",
                     "available_from": soon(0)}))
        edited = [h["heading"] for h in offer.hs_hints]
    headings = [h.heading for h in report.hs_suggestions]
    assert "6109" in headings and headings == stored  # T-shirts, singlets and other vests, knitted or crocheted
    assert all(h.names.get("en") for h in report.hs_suggestions)
    assert "6109" not in edited  # the edited words are read again, not the T-shirts kept
