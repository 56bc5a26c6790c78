"""Unknown codes are refused: an HS code the HS 2022 nomenclature does not hold (`999999`), and a saved
search with a field the matcher does not know (it used to match every new listing)."""

from __future__ import annotations

import pytest

from scobank.errors import UnknownCode
from tests.exchange.conftest import KAZ_FIRM, make_enterprise, post
from tests.exchange.test_api_story import client  # noqa: F401  (the API with real users and tokens)

pytestmark = pytest.mark.db


def test_a_nonexistent_hs_code_is_refused_naming_the_field(bank):
    with bank.session() as s:
        firm = make_enterprise(s, KAZ_FIRM)
        with pytest.raises(UnknownCode) as caught:
            post(s, KAZ_FIRM, firm, "product_offer", {"hs_code": "999999", "volume_per_year": 5})
        assert [(p.column, p.value) for p in caught.value.problems] == [("details.hs_code", "999999")]
        with pytest.raises(UnknownCode, match=r"details\.missing\.1\.hs_code"):
            post(s, KAZ_FIRM, firm, "project", {"missing": [{"what": "product", "hs_code": "845140"},
                                                            {"what": "product", "hs_code": "9999"}]})
        kept = post(s, KAZ_FIRM, firm, "product_offer", {"hs_code": "845140", "volume_per_year": 5})
        assert kept.hs_code == "845140" and kept.status == "published"


def test_the_api_answers_422_for_unknown_codes_and_search_fields(client):  # noqa: F811  (fixture above)
    from tests.exchange.test_api_story import _enterprise, as_

    firm = _enterprise(client, "kaz", name={"en": "Steppe looms"}, city="Almaty")
    r = client.post("/api/v1/exchange/listings", headers=as_("kaz"), json={
        "enterprise_id": firm["id"], "kind": "product_offer", "title": {"en": "Looms"},
        "details": {"hs_code": "999999", "volume_per_year": 1}})
    assert r.status_code == 422, r.text
    assert r.json()["code"] == "unknown-code" and "details.hs_code" in r.json()["message"]
    assert "999999" in r.json()["message"]
    for criteria, field in (({"hs": "84", "hsx": "8451"}, "hsx"), ({"kind": "product_offr"}, "kind")):
        r = client.post("/api/v1/exchange/saved-searches", headers=as_("kaz"),
                        json={"name": "looms", "criteria": criteria})
        assert r.status_code == 422 and field in r.text, r.text
    r = client.post("/api/v1/exchange/saved-searches", headers=as_("kaz"),
                    json={"name": "looms", "criteria": {"hs": "8451", "kind": "product_offer"}})
    assert r.status_code == 201, r.text
