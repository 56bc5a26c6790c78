"""Issue 16's "done when", through the API with real users and Bearer tokens: two companies whose
registry identifiers stewards of their own parties verified go from a listing to a match, mutual
interest, messages (with an attachment), a meeting and an agreement each confirmed by both sides; the
e-mails are read back from a real SMTP server in each recipient's language; the funnel shows one step
at each stage for each side; an anonymous caller and a third company see none of it."""

from __future__ import annotations

import base64

import pytest
from fastapi.testclient import TestClient

from tests.exchange.conftest import soon
from tests.exchange.test_registry_ids import kz_bin, uscc

pytestmark = pytest.mark.db

PEOPLE = {  # who: (organisation slug, party, e-mail, role)
    "kaz": ("steppe-transformer", "KAZ", "sales@steppe-tr.kz", "editor"),
    "chn": ("xinjiang-grid", "CHN", "buy@xj-grid.cn", "editor"),
    "kaz_steward": ("kz-industry", "KAZ", "registry@kz-industry.kz", "steward"),
    "chn_steward": ("mofcom-cn", "CHN", "registry@mofcom.cn", "steward"),
    "third": ("pune-forge", "IND", "nosy@pune-forge.in", "editor"),
}
TOKENS: dict[str, str] = {}


def as_(who: str) -> dict:
    return {"Authorization": f"Bearer {TOKENS[who]}"}


@pytest.fixture
def client(bank, data_dir, reference_datasets, smtp_server, monkeypatch):
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
        for who, (slug, party, email, role) in PEOPLE.items():
            create_organisation(s, data=OrganisationCreate(slug=slug, party=party, names={"en": slug}), actor=OPERATOR)
            TOKENS[who] = create_token(s, user=create_user(s, email=email, organisation=slug, role=role),
                                       scope="write").token
    with TestClient(create_app()) as c:
        yield c


def ok(response, status=200):
    assert response.status_code == status, response.text
    return response.json()


def _verified_company(client, who, steward, party, kind, number, **fields):
    firm = ok(client.post("/api/v1/exchange/enterprises", headers=as_(who), json=fields), 201)
    url = f"/api/v1/exchange/enterprises/{firm['id']}/registry-ids"
    ok(client.put(url, headers=as_(who), json={"kind": kind, "value": number}))
    other = "chn_steward" if steward == "kaz_steward" else "kaz_steward"
    assert client.post(f"{url}/{party}/review", headers=as_(other), json={"decision": "approve"}).status_code == 403
    reviewed = ok(client.post(f"{url}/{party}/review", headers=as_(steward), json={"decision": "approve"}))
    assert [(r["party"], r["status"]) for r in reviewed] == [(party, "verified")]
    return firm


def _listing(client, who, body):
    made = ok(client.post("/api/v1/exchange/listings", headers=as_(who), json=body), 201)
    return ok(client.post(f"/api/v1/exchange/listings/{made['id']}/publish", headers=as_(who)))


def _confirm(client, interest_id, stage, first, second):
    url = f"/api/v1/exchange/interests/{interest_id}/outcome"
    assert ok(client.post(url, headers=as_(first), json={"stage": stage}))[f"{stage}_at"] is None
    assert ok(client.post(url, headers=as_(second), json={"stage": stage}))[f"{stage}_at"] is not None


def _companies_and_listings(client):
    for who, lang in (("kaz", "ru"), ("chn", "zh")):
        ok(client.put("/api/v1/exchange/mail-preferences", headers=as_(who), json={"language": lang}))
    seller = _verified_company(client, "kaz", "kaz_steward", "KAZ", "bin", kz_bin("08094000123"),
                               name={"ru": "Степной трансформатор"}, original_language="ru", city="Almaty",
                               lat=43.2389, lon=76.8897, products=["850423"],
                               contacts={"email": "sales@steppe-tr.kz"})
    buyer = _verified_company(client, "chn", "chn_steward", "CHN", "uscc", uscc("91650100MA01ABCDE"),
                              name={"zh": "新疆电网设备采购"}, original_language="zh", city="Urumqi",
                              lat=43.8256, lon=87.6168, contacts={"email": "buy@xj-grid.cn"})
    offer = _listing(client, "kaz", {"enterprise_id": seller["id"], "kind": "product_offer", "original_language": "ru",
                                     "title": {"ru": "Силовые трансформаторы 10-100 МВА"},
                                     "details": {"hs_code": "850423", "volume_per_year": 120, "unit": "pcs"}})
    need = _listing(client, "chn", {"enterprise_id": buyer["id"], "kind": "product_request", "original_language": "zh",
                                    "title": {"zh": "电力变压器"},
                                    "details": {"hs_code": "850423", "volume_per_year": 40, "unit": "pcs",
                                                "deadline": soon(90)}})
    assert offer["enterprise"]["verified_in"] == ["KAZ"] and need["enterprise"]["verified_in"] == ["CHN"]
    return buyer, offer, need


def test_two_verified_companies_go_from_a_listing_to_a_signed_agreement(client, bank, smtp_server):
    buyer, offer, need = _companies_and_listings(client)
    top = ok(client.get(f"/api/v1/exchange/listings/{need['id']}/matches", headers=as_("chn")))["matches"][0]
    assert top["id"] == offer["id"]
    made = ok(client.post(f"/api/v1/exchange/listings/{offer['id']}/interest", headers=as_("chn"),
                          json={"from_enterprise_id": buyer["id"], "source_listing_id": need["id"]}), 201)
    thread = f"/api/v1/exchange/interests/{made['id']}/messages"
    assert client.post(thread, headers=as_("chn"), json={"text": "早"}).status_code == 409  # not mutual yet
    ok(client.post(f"/api/v1/exchange/interests/{made['id']}/accept", headers=as_("kaz")))
    spec = base64.b64encode(b"40 units, 110/10 kV, delivery to Urumqi").decode()
    ok(client.post(thread, headers=as_("chn"), json={"text": "请报价", "attachment": {
        "name": "spec.txt", "content_type": "text/plain", "data_base64": spec}}), 201)
    ok(client.post(thread, headers=as_("kaz"), json={"text": "Цена в приложении к договору"}), 201)
    seen = ok(client.get(thread, headers=as_("kaz")))
    assert [(m["direction"], m["text"]) for m in seen] == [("received", "请报价"), ("sent", "Цена в приложении к договору")]
    attachment = client.get(f"{thread}/{seen[0]['id']}/attachment", headers=as_("kaz"))
    assert attachment.content == b"40 units, 110/10 kV, delivery to Urumqi"
    _confirm(client, made["id"], "meeting", "kaz", "chn")
    _confirm(client, made["id"], "agreement", "chn", "kaz")

    funnel = ok(client.get("/api/v1/exchange/funnel", params={"by": "party"}))
    assert {r["key"]: [r[s] for s in funnel["stages"]] for r in funnel["rows"]} == {
        "CHN": [1, 1, 1, 1, 1], "KAZ": [1, 1, 1, 1, 1]}

    _outsiders_see_nothing(client, made["id"], seen[0]["id"])
    sent = bank.cli("exchange", "send-mail")
    assert sent.exit_code == 0 and "8 sent, 0 refused" in sent.stdout
    assert [m["Subject"] for m in smtp_server.to("sales@steppe-tr.kz")] == [
        "Биржа ШОС: предприятие заинтересовано в вашем объявлении", "Биржа ШОС: новое сообщение от партнёра",
        "Биржа ШОС: подтверждено обеими сторонами", "Биржа ШОС: подтвердите встречу или соглашение"]
    to_buyer = smtp_server.to("buy@xj-grid.cn")
    assert [m["Subject"] for m in to_buyer] == [
        "上合组织合作交易平台：您的意向已被接受", "上合组织合作交易平台：对方发来新消息",
        "上合组织合作交易平台：请确认会谈或协议", "上合组织合作交易平台：双方均已确认"]
    assert f"双方已确认信息{offer['id']}的协议" in to_buyer[-1].get_content()
    assert "请报价" not in "".join(m.get_content() for m in smtp_server.received)  # texts stay in the bank


def _outsiders_see_nothing(client, interest_id, message_id):
    base = f"/api/v1/exchange/interests/{interest_id}"
    for url in (f"{base}/messages", f"{base}/messages/{message_id}/attachment", f"{base}/contacts"):
        assert client.get(url).status_code == 401
        assert client.get(url, headers=as_("third")).status_code == 404
    assert client.post(f"{base}/outcome", headers=as_("third"), json={"stage": "meeting"}).status_code == 404
    assert client.post(f"{base}/messages", headers=as_("third"), json={"text": "hello"}).status_code == 404
    assert ok(client.get("/api/v1/exchange/interests", headers=as_("third"))) == []
    assert client.get("/api/v1/exchange/interests").status_code == 401
