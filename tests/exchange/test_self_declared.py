"""Certificates are claims the bank has not checked: the public card and the listing page say so."""

from __future__ import annotations

import pytest

from tests.exchange.test_api_story import client  # noqa: F401  (the API with real users and tokens)

pytestmark = pytest.mark.db


def test_certificates_are_labelled_self_declared_on_the_card_and_the_page(client):  # noqa: F811
    from tests.exchange.test_api_story import _enterprise, _publish, as_

    firm = _enterprise(client, "kaz", name={"en": "Steppe looms"}, city="Almaty", certifications=["ISO 9001"])
    card = client.get(f"/api/v1/exchange/enterprises/{firm['id']}", headers=as_("stranger")).json()
    assert card["certifications"] == ["ISO 9001"] and card["certifications_status"] == "self-declared"
    offer = _publish(client, "kaz", {"enterprise_id": firm["id"], "kind": "product_offer", "title": {"en": "Looms"},
                                     "details": {"hs_code": "845140", "volume_per_year": 3, "unit": "pcs"}})
    pages = {lang: client.get(f"/exchange/listings/{offer['id']}?lang={lang}").text for lang in ("en", "ru", "zh")}
    assert "ISO 9001" in pages["en"] and "self-declared, not verified by the bank" in pages["en"]
    assert "заявлено самим предприятием" in pages["ru"] and "企业自行声明" in pages["zh"]
