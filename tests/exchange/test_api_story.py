"""The whole story through the API: a steward of China posts a need, an enterprise of Kazakhstan has
an offer; the need gets explained matches; they exchange interest; contacts appear only after both
accept and disappear again when one withdraws. The funnel counts each stage."""

from __future__ import annotations

import pytest
from fastapi import Request
from fastapi.testclient import TestClient

from tests.exchange.conftest import CHN_STEWARD, KAZ_FIRM, STRANGER, soon

READERS = {"chn": CHN_STEWARD, "kaz": KAZ_FIRM, "stranger": STRANGER}


@pytest.fixture
def client(bank, data_dir, monkeypatch):
    monkeypatch.setenv("SCOBANK_DATA_DIR", str(data_dir))
    from scobank.access.gate import ANONYMOUS
    from scobank.api.app import create_app
    from scobank.api.deps import current_reader
    from scobank.config import reset_settings

    reset_settings()
    app = create_app()

    def reader_from_header(request: Request):  # stands in for Bearer tokens of two users
        return READERS.get(request.headers.get("x-test-user", ""), ANONYMOUS)

    app.dependency_overrides[current_reader] = reader_from_header
    with TestClient(app) as c:
        yield c


def as_(who: str) -> dict:
    return {"x-test-user": who}


def _enterprise(client, who, **fields):
    r = client.post("/api/v1/exchange/enterprises", headers=as_(who), json=fields)
    assert r.status_code == 201, r.text
    return r.json()


def _publish(client, who, body):
    r = client.post("/api/v1/exchange/listings", headers=as_(who), json=body)
    assert r.status_code == 201, r.text
    r = client.post(f"/api/v1/exchange/listings/{r.json()['id']}/publish", headers=as_(who))
    assert r.status_code == 200 and r.json()["status"] == "published", r.text
    return r.json()


def test_a_need_gets_explained_matches_and_contacts_only_after_both_accept(client):
    buyer = _enterprise(client, "chn", name={"zh": "新疆机械采购中心", "en": "Xinjiang machinery procurement"},
                        original_language="zh", city="Urumqi", lat=43.8256, lon=87.6168,
                        contacts={"email": "buy@xj-procure.cn", "phone": "+86 991 000 0000"})
    seller = _enterprise(client, "kaz", name={"ru": "Степной трансформатор", "en": "Steppe Transformer"},
                         original_language="ru", city="Almaty", lat=43.2389, lon=76.8897, size_band="large",
                         certifications=["ISO 9001", "CCC"], products=["850423"],
                         contacts={"email": "sales@steppe-tr.kz", "phone": "+7 727 000 0000"})
    offer = _publish(client, "kaz", {
        "enterprise_id": seller["id"], "kind": "product_offer", "original_language": "ru",
        "title": {"ru": "Силовые трансформаторы 10-100 МВА", "en": "Power transformers 10-100 MVA"},
        "details": {"hs_code": "850423", "volume_per_year": 120, "unit": "pcs", "lead_time_days": 45,
                    "incoterms": ["DAP"]}})
    need = _publish(client, "chn", {
        "enterprise_id": buyer["id"], "kind": "product_request", "original_language": "zh",
        "title": {"zh": "电力变压器，用于替代进口", "en": "Power transformers to replace imports"},
        "details": {"hs_code": "850423", "volume_per_year": 40, "unit": "pcs", "deadline": soon(90),
                    "sourced_from": "DEU", "certifications_required": ["CCC"]}})

    # Anyone sees the offer anonymously: country, sectors, size; no name, no contacts.
    public = client.get(f"/api/v1/exchange/listings/{offer['id']}").json()
    assert public["enterprise"]["party"] == "KAZ" and public["enterprise"]["size_band"] == "large"
    assert "name" not in public["enterprise"] and "contacts" not in public["enterprise"]
    assert public["enterprise_id"] is None

    report = client.get(f"/api/v1/exchange/listings/{need['id']}/matches", headers=as_("chn")).json()
    top = report["matches"][0]
    assert top["id"] == offer["id"] and top["party"] == "KAZ"
    factors = {f["factor"]: f for f in top["factors"]}
    assert factors["hs"]["value"] == 1.0 and factors["certifications"]["value"] == 1.0
    assert factors["import_substitution"]["note"].startswith("buyer imports it from DEU, outside the bloc")
    assert top["score"] == pytest.approx(sum(f["contribution"] for f in top["factors"]), abs=1e-3)
    assert report["enterprises"][0]["party"] == "KAZ"  # the seller's profile (HS 850423) is ranked too

    # Before any interest: 403 on contacts.
    assert client.get(f"/api/v1/exchange/listings/{offer['id']}/contacts", headers=as_("chn")).status_code == 403

    r = client.post(f"/api/v1/exchange/listings/{offer['id']}/interest", headers=as_("chn"),
                    json={"from_enterprise_id": buyer["id"], "message": "We need 40 units next year"})
    assert r.status_code == 201 and r.json()["status"] == "pending"
    interest_id = r.json()["id"]
    contacts_url = f"/api/v1/exchange/interests/{interest_id}/contacts"
    assert client.get(contacts_url, headers=as_("chn")).status_code == 403  # only one side accepted
    assert client.get(contacts_url, headers=as_("kaz")).status_code == 403

    incoming = client.get("/api/v1/exchange/interests", headers=as_("kaz")).json()
    assert [(i["id"], i["direction"], i["counterpart"]["party"]) for i in incoming] == [(interest_id, "incoming", "CHN")]
    assert client.post(f"/api/v1/exchange/interests/{interest_id}/accept", headers=as_("chn")).status_code == 403
    assert client.post(f"/api/v1/exchange/interests/{interest_id}/accept", headers=as_("kaz")).json()["status"] == "mutual"

    seen_by_buyer = client.get(contacts_url, headers=as_("chn")).json()
    seen_by_seller = client.get(contacts_url, headers=as_("kaz")).json()
    assert seen_by_buyer["contacts"]["email"] == "sales@steppe-tr.kz"
    assert seen_by_seller["contacts"]["email"] == "buy@xj-procure.cn"
    assert client.get(f"/api/v1/exchange/listings/{offer['id']}/contacts", headers=as_("chn")).json()["city"] == "Almaty"
    assert client.get(contacts_url, headers=as_("stranger")).status_code == 404

    topics = [n["topic"] for n in client.get("/api/v1/exchange/notifications", headers=as_("chn")).json()]
    assert "mutual" in topics

    assert client.post(f"/api/v1/exchange/interests/{interest_id}/outcome", headers=as_("kaz"),
                       json={"stage": "meeting"}).status_code == 200
    funnel = client.get("/api/v1/exchange/funnel", params={"by": "party"}).json()
    kaz = next(r for r in funnel["rows"] if r["key"] == "KAZ")
    chn = next(r for r in funnel["rows"] if r["key"] == "CHN")
    assert (kaz["interest"], kaz["mutual"], kaz["meeting"], kaz["agreement"]) == (1, 1, 1, 0)
    assert chn["match"] == 1  # the offer, shown as a match for the buyer's need
    assert funnel["total"]["interest"] == 1

    assert client.post(f"/api/v1/exchange/interests/{interest_id}/withdraw", headers=as_("kaz")).json()["status"] == "withdrawn"
    assert client.get(contacts_url, headers=as_("chn")).status_code == 403  # hidden again


def test_posting_needs_an_account_and_others_cannot_edit(client):
    assert client.post("/api/v1/exchange/enterprises", json={"name": {"en": "x"}}).status_code == 401
    firm = _enterprise(client, "kaz", name={"en": "Steppe"})
    r = client.patch(f"/api/v1/exchange/enterprises/{firm['id']}", headers=as_("chn"), json={"city": "Urumqi"})
    assert r.status_code == 403 and r.json()["code"] == "access-denied"
    seen = client.get(f"/api/v1/exchange/enterprises/{firm['id']}", headers=as_("chn")).json()
    assert set(seen) == {"party", "sectors", "size_band", "certifications", "generated"}
    r = client.post("/api/v1/exchange/listings", headers=as_("kaz"), json={
        "enterprise_id": firm["id"], "kind": "product_offer", "title": {"en": "Steel"},
        "details": {"hs_code": "72083", "volume_per_year": 1}})
    assert r.status_code == 400 and "hs_code" in r.json()["message"]
