"""An operator verifies a company's registry identifier from the command line; the listing's card then
carries the badge (API and portal), and a revoked identifier takes it away."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from scobank.exchange import registry
from tests.exchange.conftest import KAZ_FIRM, make_enterprise, post
from tests.exchange.test_registry_ids import kz_bin

pytestmark = pytest.mark.db


def test_the_operator_verifies_from_the_cli_and_the_badge_shows_until_revoked(bank):
    from scobank.api.app import create_app

    value = kz_bin("08094000123")
    with bank.session() as s:
        firm = make_enterprise(s, KAZ_FIRM)
        registry.set_registry_id(s, reader=KAZ_FIRM, enterprise_id=firm.id, kind="bin", value=value)
        listing = post(s, KAZ_FIRM, firm, "product_offer", {"hs_code": "720838", "volume_per_year": 10},
                       title="Hot-rolled coil")
        firm_id, listing_id = firm.id, listing.id
    with TestClient(create_app()) as client:
        before = client.get(f"/api/v1/exchange/listings/{listing_id}").json()
        assert before["enterprise"]["verified_in"] == []
        refused = bank.cli("exchange", "verify", str(firm_id), "KAZ", "--decision", "refuse")
        assert refused.exit_code != 0 and "a reason is required to refuse" in refused.stderr + refused.stdout
        done = bank.cli("exchange", "verify", str(firm_id), "KAZ")
        assert done.exit_code == 0 and f"KAZ BIN {value}: verified" in done.stdout
        after = client.get(f"/api/v1/exchange/listings/{listing_id}").json()
        assert after["enterprise"]["verified_in"] == ["KAZ"]
        assert "bin" not in str(after["enterprise"]).lower()  # the number itself stays private
        card = client.get("/exchange?lang=ru").text
        page = client.get(f"/exchange/listings/{listing_id}?lang=zh").text
        assert "проверенная компания" in card and "已核实企业" in page and "哈萨克斯坦" in page
        revoked = bank.cli("exchange", "verify", str(firm_id), "KAZ", "--decision", "revoke",
                           "--reason", "the registry lists the company as liquidated")
        assert revoked.exit_code == 0 and "revoked (the registry lists the company as liquidated)" in revoked.stdout
        assert client.get(f"/api/v1/exchange/listings/{listing_id}").json()["enterprise"]["verified_in"] == []
        assert "已核实企业" not in client.get(f"/exchange/listings/{listing_id}?lang=zh").text
