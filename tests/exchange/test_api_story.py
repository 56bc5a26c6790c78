"""The whole story through the API: a steward of China posts a need, an enterprise of Kazakhstan has
an offer; the need gets explained matches; they exchange interest; contacts appear only after both
accept and disappear again when one withdraws. The funnel counts each stage. Real users and Bearer tokens (the access area's)."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.exchange.conftest import soon

PEOPLE = {  # who: (organisation slug, party, e-mail, role, token scope)
    "chn": ("mofcom-cn", "CHN", "steward@mofcom.cn", "steward", "write"),
    "kaz": ("steppe-transformer", "KAZ", "sales@steppe-tr.kz", "editor", "write"),
    "stranger": ("pune-forge", "IND", "nosy@pune-forge.in", "editor", "write"),
    "reader": ("pune-forge", "IND", "analyst@pune-forge.in", "editor", "read"),
}


@pytest.fixture
def client(bank, data_dir, reference_datasets, monkeypatch):
    """The API with real users of three parties, each with a Bearer token."""
    monkeypatch.setenv("SCOBANK_DATA_DIR", str(data_dir))
    from scobank.access.reader import OPERATOR
    from scobank.access.tokens import create_token
    from scobank.access.users import create_user
    from scobank.api.app import create_app
    from scobank.catalog.organisations import create_organisation
    from scobank.catalog.schemas import OrganisationCreate
    from scobank.config import reset_settings

    reset_settings()
    with bank.session() as s:
        for slug, party, *_ in {p[:2]: p for p in PEOPLE.values()}.values():
            create_organisation(s, data=OrganisationCreate(slug=slug, party=party, names={"en": slug}), actor=OPERATOR)
        for who, (slug, _party, email, role, scope) in PEOPLE.items():
            user = create_user(s, email=email, organisation=slug, role=role)
            TOKENS[who] = create_token(s, user=user, scope=scope).token
    with TestClient(create_app()) as c:
        yield c


TOKENS: dict[str, str] = {}


def as_(who: str) -> dict:
    return {"Authorization": f"Bearer {TOKENS[who]}"}


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

    anonymous = client.get(f"/api/v1/exchange/listings/{offer['id']}/matches")
    assert anonymous.status_code == 401 and "enterprise_id" not in anonymous.text  # matches name enterprises
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

    # A meeting confirmed by one side does not count; by both, it does.
    assert client.post(f"/api/v1/exchange/interests/{interest_id}/outcome", headers=as_("kaz"),
                       json={"stage": "meeting"}).json()["meeting_at"] is None
    assert client.post(f"/api/v1/exchange/interests/{interest_id}/outcome", headers=as_("chn"),
                       json={"stage": "meeting"}).json()["meeting_at"] is not None
    funnel = client.get("/api/v1/exchange/funnel", params={"by": "party"}).json()
    kaz = next(r for r in funnel["rows"] if r["key"] == "KAZ")
    chn = next(r for r in funnel["rows"] if r["key"] == "CHN")
    assert (kaz["listing"], kaz["interest"], kaz["contact"], kaz["meeting"], kaz["agreement"]) == (1, 1, 1, 1, 0)
    assert chn["matches_served"] == 1  # the offer, shown as a match for the buyer's need
    assert funnel["total"]["interest"] == 1  # the need was not named as the interest's source

    assert client.post(f"/api/v1/exchange/interests/{interest_id}/withdraw", headers=as_("kaz")).json()["status"] == "withdrawn"
    assert client.get(contacts_url, headers=as_("chn")).status_code == 403  # hidden again


def test_posting_needs_an_account_with_write_access_and_others_cannot_edit(client):
    assert client.post("/api/v1/exchange/enterprises", json={"name": {"en": "x"}}).status_code == 401
    read_only = client.post("/api/v1/exchange/enterprises", headers=as_("reader"), json={"name": {"en": "x"}})
    assert read_only.status_code == 403 and "write scope" in read_only.json()["message"]
    firm = _enterprise(client, "kaz", name={"en": "Steppe"})
    r = client.patch(f"/api/v1/exchange/enterprises/{firm['id']}", headers=as_("chn"), json={"city": "Urumqi"})
    assert r.status_code == 403 and r.json()["code"] == "access-denied"
    seen = client.get(f"/api/v1/exchange/enterprises/{firm['id']}", headers=as_("chn")).json()
    assert set(seen) == {"party", "sectors", "size_band", "certifications", "generated",
                         "certifications_status", "verified_in"}  # no name, place or contact; claims labelled
    r = client.post("/api/v1/exchange/listings", headers=as_("kaz"), json={
        "enterprise_id": firm["id"], "kind": "product_offer", "title": {"en": "Steel"},
        "details": {"hs_code": "72083", "volume_per_year": 1}})
    assert r.status_code == 400 and "hs_code" in r.json()["message"]
