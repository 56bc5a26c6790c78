"""Every listing kind can be posted from the portal's form, with its own fields, and the HS suggester
fills the code from the text typed so far; unknown codes are refused in the reader's language."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from scobank.exchange.kinds import KINDS
from tests.web.forms import csrf_of, log_in
from tests.web.test_exchange_pages import _client, _enterprise, two_members  # noqa: F401 - the fixture

SOON = (date.today() + timedelta(days=30)).isoformat()
FILLED = {
    "product_offer": {"hs_code": "720851", "volume_per_year": "500", "unit": "t", "lead_time_days": "20"},
    "product_request": {"hs_code": "720851", "volume_per_year": "500", "unit": "t", "deadline": SOON},
    "capacity_offer": {"process": "CNC milling of steel parts", "sector": "2592", "capacity": "2000",
                       "unit": "pcs", "period": "month", "available_from": SOON},
    "capacity_request": {"process": "machining of pump housings", "capacity": "500", "unit": "pcs",
                         "period": "month", "deadline": SOON},
    "technology_offer": {"trl": "7", "sector": "2410"},
    "technology_request": {"trl": "5", "deadline": SOON},
    "project": {"missing_description": "a supplier of rolled steel", "hs_code": "7208", "sector": "2410"},
}


def _form(client, kind: str):
    page = client.get(f"/exchange/listings/new?kind={kind}")
    assert page.status_code == 200, page.text
    enterprise = re.search(r'<option value="(\d+)"', page.text.split('id="ent"')[1]).group(1)
    return page, {"csrf_token": csrf_of(page.text), "kind": kind, "enterprise_id": enterprise,
                  "original_language": "en"}


@pytest.mark.db
def test_every_kind_is_posted_from_the_form_with_its_own_fields(two_members):  # noqa: F811
    assert set(FILLED) == set(KINDS)
    with _client() as client:
        log_in(client, "seller@rolling.ru", "seller pass 1")
        _enterprise(client, "Ural Rolling Mill", "sales@ural-rolling.example")
        for kind, fields in FILLED.items():
            page, base = _form(client, kind)
            for name in fields:
                assert f'name="{name}"' in page.text, (kind, name)
            answer = client.post("/exchange/listings/new", follow_redirects=False,
                                 data={**base, "title_en": f"A {kind}", **fields})
            assert answer.status_code == 303, (kind, answer.text[-2000:])
            listing = client.get(answer.headers["location"].replace("/exchange/", "/api/v1/exchange/")).json()
            assert (listing["kind"], listing["status"]) == (kind, "published")
            if kind == "capacity_offer":
                assert listing["details"]["process"] == "CNC milling of steel parts"
                assert listing["details"]["sector"] == "2592"
            if kind == "project":
                assert listing["details"]["missing"][0]["description"] == "a supplier of rolled steel"


@pytest.mark.db
def test_the_hs_suggester_fills_the_code_and_unknown_codes_are_refused_in_russian(two_members):  # noqa: F811
    with _client() as client:
        log_in(client, "seller@rolling.ru", "seller pass 1")
        _enterprise(client, "Ural Rolling Mill", "sales@ural-rolling.example")
        _, base = _form(client, "product_offer")
        suggested = client.post("/exchange/listings/new", data={
            **base, "title_en": "Hot-rolled flat steel coils", "volume_per_year": "500", "action": "suggest"})
        assert suggested.status_code == 200
        code = re.search(r'name="hs_code"[^>]*value="(\d{6})"', suggested.text).group(1)
        assert code.startswith("72")  # iron and steel
        assert "Suggested HS codes" in suggested.text
        _, base = _form(client, "product_offer")
        refused = client.post("/exchange/listings/new?lang=ru", data={
            **base, "title_en": "Nothing", "hs_code": "999999", "volume_per_year": "5"})
        assert refused.status_code == 200 and "999999" in refused.text
        assert "Разместить предложение" in refused.text and "Код ГС (2, 4 или 6 знаков)" in refused.text
