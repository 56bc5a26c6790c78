"""Where the product space draws a product: the Atlas layout (SITC or HS92 headings, the bank's published
Atlas product lists, read through the gate) and its group colour."""

from __future__ import annotations

import pytest

from scobank.access.reader import OPERATOR
from scobank.web.product_space_layout import group_of, places_for
from tests.conftest import REFERENCE_DATASETS

ATLAS = pytest.mark.open_demo(*REFERENCE_DATASETS, read_only=True)  # the Atlas product lists among them, open


@ATLAS
def test_sitc_codes_take_the_atlas_places_and_sections(bank):
    with bank.session() as s:
        places = places_for(["3330", "0011", "XXXX"], session=s, reader=OPERATOR)
    assert (places["3330"].x, places["3330"].y, places["3330"].group) == (938.0, 2054.0, "sitc:4")
    assert group_of(places["0011"]) == {"key": "sitc:1", "label": "Food and live animals", "color": "#c2255c"}
    assert places["XXXX"].x is None  # listed, but with no place: the chart lays it out by its links


@ATLAS
def test_hs_subheadings_share_their_headings_place_and_sector(bank):
    with bank.session() as s:
        places = places_for(["720851", "720852", "7208", "010121"], session=s, reader=OPERATOR)
    assert places["720851"] == places["720852"] == places["7208"]
    assert group_of(places["720851"])["label"] == "Metals"
    assert group_of(places["010121"])["label"] == "Agriculture"


@pytest.mark.open_demo(*REFERENCE_DATASETS)  # a bank of its own: the test reads its ledger
def test_the_layout_is_read_through_the_gate_and_recorded_in_the_ledger(bank):
    import json

    from sqlalchemy import select

    from scobank.access.models import LedgerEntry

    with bank.session() as s:
        before = s.scalar(select(LedgerEntry.seq).order_by(LedgerEntry.seq.desc()).limit(1))
        places_for(["3330"], session=s, reader=OPERATOR)
        uses = s.scalars(select(LedgerEntry.detail).where(LedgerEntry.seq > before)).all()
    assert [json.loads(u)["use"] for u in uses] == ["the product-space layout", "the product-space layout"]


def test_without_the_atlas_datasets_no_product_has_a_place(bank):
    with bank.session() as s:
        assert places_for(["3330", "720851"], session=s, reader=OPERATOR) == {}
    assert group_of(None)["key"] == "other"
