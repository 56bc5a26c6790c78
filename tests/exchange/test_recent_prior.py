"""The country prior comes from the newest trade data the bank publishes for each country (OECD ICIO
2022 where it separates the country, else SITC 1998-2000), read through the gate and the ledger, and
each explanation names its source."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from scobank.access.reader import OPERATOR
from scobank.exchange.matching.inputs import matching_inputs
from scobank.exchange.matching.service import find_matches
from tests.exchange.conftest import CHN_STEWARD, KAZ_FIRM, UZB_FIRM, make_enterprise, post

pytestmark = pytest.mark.db
ICIO = "oecd-icio-2022-intermediate-flows"


@pytest.fixture
def icio(bank, data_dir, reference_datasets):
    from scobank.access import policies
    from scobank.catalog.refs import ref_by_slug
    from scobank.demo.datasets import publish_one

    with bank.session() as s:
        publish_one(s, ICIO, data_dir=data_dir)
        policies.set_dataset_policy(s, dataset=ref_by_slug(s, ICIO), document={"audience": "public"}, actor="tests")
    return ICIO


def test_the_newest_source_per_country_gives_the_prior(bank, icio):
    from scobank.access.models import LedgerEntry
    from scobank.catalog.models import Dataset

    with bank.session() as s:
        inputs = matching_inputs(s, reader=KAZ_FIRM)
        table = inputs.prior.table()
        icio_id = s.scalar(select(Dataset.id).where(Dataset.slug == ICIO))
        uses = s.scalars(select(LedgerEntry.detail).where(LedgerEntry.action == "analytics",
                                                          LedgerEntry.dataset_id == icio_id)).all()
    labels = [source.label for source in inputs.prior.sources]
    assert labels == ["OECD ICIO 2022 exports of intermediates", "SITC exports 1998-2000"]
    assert table[("KAZ", "27")][1] == 0 and table[("KAZ", "27")][0] > 3  # oil and gas: ICIO 2022
    assert table[("CHN", "85")][1] == 0 and table[("CHN", "85")][0] > 1  # electrical equipment
    assert table[("UZB", "52")][1] == 1 and table[("UZB", "52")][0] > 1  # cotton: only the SITC data has UZB
    assert {"analysis": "exchange country prior"} in [json.loads(u) for u in uses]


def test_each_explanation_names_the_data_its_figure_comes_from(bank, icio):
    with bank.session() as s:
        buyer = make_enterprise(s, CHN_STEWARD)
        need = post(s, CHN_STEWARD, buyer, "product_request", {"hs_code": "520100", "volume_per_year": 800},
                    title="Raw cotton")
        uzb = make_enterprise(s, UZB_FIRM)
        uzb_cotton = post(s, UZB_FIRM, uzb, "product_offer", {"hs_code": "520100", "volume_per_year": 800},
                          title="Raw cotton")
        kaz = make_enterprise(s, KAZ_FIRM)
        kaz_cotton = post(s, KAZ_FIRM, kaz, "product_offer", {"hs_code": "520100", "volume_per_year": 800},
                          title="Raw cotton")
        report = find_matches(s, reader=CHN_STEWARD, listing_id=need.id)
        assert matching_inputs(s, reader=OPERATOR).missing == ()
    prior = {m.id: next(f for f in m.factors if f.factor == "country_prior") for m in report.matches}
    assert prior[uzb_cotton.id].note.endswith("(SITC exports 1998-2000)")
    assert prior[kaz_cotton.id].note.endswith("(OECD ICIO 2022 exports of intermediates)")
    assert prior[kaz_cotton.id].note_args["source"] == "OECD ICIO 2022 exports of intermediates"
