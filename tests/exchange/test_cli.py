"""`scobank exchange ...`: list, match --json, import, funnel, as a user types them."""

from __future__ import annotations

import json

from tests.exchange.conftest import CHN_STEWARD, KAZ_FIRM, make_enterprise, post


def test_match_prints_the_explained_ranking_as_json_and_import_reports_bad_rows(bank, reference_datasets, tmp_path):
    with bank.session() as s:
        buyer = make_enterprise(s, CHN_STEWARD)
        need = post(s, CHN_STEWARD, buyer, "product_request", {"hs_code": "720838", "volume_per_year": 100},
                    title="Hot-rolled coil")
        firm = make_enterprise(s, KAZ_FIRM)
        offer = post(s, KAZ_FIRM, firm, "product_offer", {"hs_code": "720838", "volume_per_year": 100})
        need_id, offer_id, firm_id = need.id, offer.id, firm.id

    result = bank.cli("exchange", "match", str(need_id), "--json")
    assert result.exit_code == 0, result.stderr
    report = json.loads(result.stdout)
    assert [m["id"] for m in report["matches"]] == [offer_id]
    assert {f["factor"] for f in report["matches"][0]["factors"]} >= {"hs", "distance", "volume", "country_prior"}

    listing = bank.cli("exchange", "list", "--party", "KAZ")
    assert listing.exit_code == 0 and f"{offer_id:>7}  product_offer" in listing.stdout

    bad = tmp_path / "bad.csv"
    bad.write_text(f"enterprise_id,kind,title,hs_code,volume_per_year\n{firm_id},product_offer,Coil,7208x,10\n")
    rejected = bank.cli("exchange", "import", str(bad))
    assert rejected.exit_code == 5
    assert "bad.csv: 1 problem; nothing was written" in rejected.stderr and "row 1, column 'hs_code'" in rejected.stderr

    missing = bank.cli("exchange", "match", "999999")
    assert missing.exit_code == 3 and "no listing 999999" in missing.stderr
    assert bank.cli("exchange", "funnel").exit_code == 0
    assert "match" in bank.cli("exchange", "--help").stdout


def test_the_cli_acts_as_the_user_named_by_as(bank, tmp_path):
    from scobank.access.reader import OPERATOR
    from scobank.access.users import create_user
    from scobank.catalog.organisations import create_organisation
    from scobank.catalog.schemas import OrganisationCreate

    with bank.session() as s:
        create_organisation(s, data=OrganisationCreate(slug="pune-forge", party="IND", names={"en": "Pune Forge"}),
                            actor=OPERATOR)
        create_user(s, email="planner@pune-forge.in", organisation="pune-forge", role="editor")
        firm = make_enterprise(s, KAZ_FIRM)
        firm_id = firm.id
    f = tmp_path / "someone_elses_enterprise.csv"
    f.write_text(f"enterprise_id,kind,title,hs_code,volume_per_year\n{firm_id},product_offer,Coil,720838,10\n")
    result = bank.cli("--as", "planner@pune-forge.in", "exchange", "import", str(f))
    assert result.exit_code == 5
    assert f"row 1, column 'enterprise_id': no enterprise {firm_id} of yours" in result.stderr
    assert bank.cli("exchange", "import", str(f)).exit_code == 0  # the local operator may
