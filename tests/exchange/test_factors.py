"""Each matching factor on real listings in a real bank, with the real reference data (product space,
CEPII distances, SITC exports)."""

from __future__ import annotations

import csv
import gzip
import math

import numpy as np
import pytest

from scobank.exchange.matching import factors as F
from scobank.exchange.matching.factors import Context
from scobank.access.reader import OPERATOR
from scobank.exchange.matching.geography import bloc_members
from scobank.exchange.matching.inputs import matching_inputs
from scobank.exchange.matching.service import build_query
from scobank.exchange.matching.snapshot import build_snapshot
from tests.exchange.conftest import CHN_STEWARD, KAZ_FIRM, RUS_FIRM, UZB_FIRM, make_enterprise, post, soon


def _values(session, request, factor):
    """{candidate listing id: value of `factor`} for every published listing."""
    inputs = matching_inputs(session, reader=OPERATOR)
    snap = build_snapshot(session, inputs=inputs, with_vectors=False)
    query = build_query(session, listing=request, item=None, with_text=False, inputs=inputs)
    idx = np.arange(len(snap.listings))
    values = F.FACTOR_FUNCTIONS[factor](query, snap.listings, idx, Context(snap, bloc_members()))
    return {int(i): (None if math.isnan(v) else round(float(v), 4)) for i, v in zip(snap.listings.ids, values, strict=True)}


def _offer(session, reader, hs, volume=100.0, unit="t", **extra):
    ent = make_enterprise(session, reader, **{k: extra.pop(k) for k in ("certifications", "coords") if k in extra})
    return post(session, reader, ent, "product_offer", {"hs_code": hs, "volume_per_year": volume, "unit": unit, **extra})


def _request(session, reader, hs="847130", volume=100.0, **extra):
    ent = make_enterprise(session, reader)
    return post(session, reader, ent, "product_request", {"hs_code": hs, "volume_per_year": volume, **extra})


def test_hs_same_subheading_beats_heading_chapter_and_product_space_neighbour(bank, data_dir, reference_datasets, monkeypatch):
    monkeypatch.setenv("SCOBANK_DATA_DIR", str(data_dir))
    with bank.session() as s:
        need = _request(s, CHN_STEWARD, hs="847130")
        same6 = _offer(s, KAZ_FIRM, "847130")
        same4 = _offer(s, KAZ_FIRM, "847150")
        same2 = _offer(s, KAZ_FIRM, "840710")
        related = _offer(s, KAZ_FIRM, "851762")  # 8517 is linked to 8471 in the HS92 product space
        unrelated = _offer(s, KAZ_FIRM, "010121")
        v = _values(s, need, "hs")
    assert [v[same6.id], v[same4.id], v[same2.id], v[related.id], v[unrelated.id]] == [1.0, 0.75, 0.5, 0.35, 0.0]


def test_volume_is_the_share_of_the_need_the_supplier_covers(bank):
    with bank.session() as s:
        need = _request(s, CHN_STEWARD, volume=200.0)
        half = _offer(s, KAZ_FIRM, "847130", volume=100.0)
        more = _offer(s, KAZ_FIRM, "847130", volume=5000.0)
        in_kg = _offer(s, KAZ_FIRM, "847130", volume=50_000.0, unit="kg")  # 50 t
        pieces = _offer(s, KAZ_FIRM, "847130", volume=10.0, unit="pcs")
        v = _values(s, need, "volume")
    assert (v[half.id], v[more.id], v[in_kg.id], v[pieces.id]) == (0.5, 1.0, 0.25, None)


def test_time_counts_lead_time_against_the_deadline_and_closed_windows_score_zero(bank):
    with bank.session() as s:
        need = _request(s, CHN_STEWARD, deadline=soon(30))
        ent = make_enterprise(s, KAZ_FIRM)
        base = {"process": "CNC machining", "capacity": 10, "unit": "t", "period": "month", "hs_code": "847130"}
        quick = post(s, KAZ_FIRM, ent, "capacity_offer", {**base, "lead_time_days": 10, "available_from": soon(0)})
        late = post(s, KAZ_FIRM, ent, "capacity_offer", {**base, "lead_time_days": 60, "available_from": soon(0)})
        closed = post(s, KAZ_FIRM, ent, "capacity_offer", {**base, "lead_time_days": 5, "available_from": soon(-60),
                                                             "available_to": soon(-1)})
        v = _values(s, need, "time")
    assert v[quick.id] == 1.0
    assert v[late.id] == pytest.approx(1 - 30 / 90, abs=1e-3)  # ready 30 days after the deadline
    assert v[closed.id] == 0.0


def test_distance_is_great_circle_between_sites_else_cepii_between_countries(bank, data_dir, reference_datasets, monkeypatch):
    monkeypatch.setenv("SCOBANK_DATA_DIR", str(data_dir))
    with gzip.open(data_dir / "gravity-geodist" / "geo_dist.csv.gz", "rt") as fh:
        cepii = next(float(r["dist"]) for r in csv.DictReader(fh) if (r["exporter"], r["importer"]) == ("CHN", "KAZ"))
    with bank.session() as s:
        need = _request(s, CHN_STEWARD)  # Urumqi
        sited = _offer(s, KAZ_FIRM, "847130")  # Almaty
        unsited = _offer(s, KAZ_FIRM, "847130", coords=False)
        inputs = matching_inputs(s, reader=OPERATOR)
        snap = build_snapshot(s, inputs=inputs, with_vectors=False)
        query = build_query(s, listing=need, item=None, with_text=False, inputs=inputs)
        idx = np.flatnonzero(np.isin(snap.listings.ids, [sited.id, unsited.id]))
        km, exact = F.distance_km(query, snap.listings, idx, Context(snap, bloc_members()))
        values = F.distance(query, snap.listings, idx, Context(snap, bloc_members()))
    assert km[0] == pytest.approx(873, abs=15) and bool(exact[0])  # Urumqi-Almaty
    assert km[1] == pytest.approx(cepii) and not bool(exact[1])
    assert values[0] == pytest.approx(math.exp(-km[0] / 3000))


def test_country_prior_is_the_suppliers_rca_in_the_chapter(bank, data_dir, reference_datasets, monkeypatch):
    monkeypatch.setenv("SCOBANK_DATA_DIR", str(data_dir))
    from scobank.exchange.matching.priors import country_rca, exports_by_division

    with bank.session() as s:
        need = _request(s, CHN_STEWARD, hs="520100")  # raw cotton
        uzbek = _offer(s, UZB_FIRM, "520100")
        russian = _offer(s, RUS_FIRM, "520100")
        v = _values(s, need, "country_prior")
        exports = exports_by_division(s, reader=OPERATOR)
    uzb, rus = country_rca(exports, party="UZB", hs_code="52"), country_rca(exports, party="RUS", hs_code="52")
    assert uzb > 1 > rus  # Uzbekistan's cotton advantage in the 1998-2000 exports
    assert v[uzbek.id] == pytest.approx(uzb / (1 + uzb), abs=1e-4)
    assert v[russian.id] == pytest.approx(rus / (1 + rus), abs=1e-4)


def test_import_substitution_favours_bloc_suppliers_when_the_buyer_imports_from_outside(bank, data_dir, reference_datasets, monkeypatch):
    monkeypatch.setenv("SCOBANK_DATA_DIR", str(data_dir))
    from scobank.access.reader import Reader

    turkish = Reader(user_id=606, email="info@bursa-makine.com.tr", organisation_id=66, party="TUR", role="editor")
    with bank.session() as s:
        from_germany = _request(s, CHN_STEWARD, sourced_from="DEU")
        from_russia = _request(s, CHN_STEWARD, sourced_from="RUS")
        bloc = _offer(s, KAZ_FIRM, "847130")
        outside = _offer(s, turkish, "847130")
        v_out = _values(s, from_germany, "import_substitution")
        v_in = _values(s, from_russia, "import_substitution")
    assert (v_out[bloc.id], v_out[outside.id]) == (1.0, 0.0)
    assert (v_in[bloc.id], v_in[outside.id]) == (None, None)  # already sourced inside the bloc


def test_certifications_score_the_share_of_required_ones_held(bank):
    with bank.session() as s:
        need = _request(s, CHN_STEWARD, certifications_required=["ISO 9001", "CCC"])
        both = _offer(s, KAZ_FIRM, "847130", certifications=["ISO 9001", "CCC", "EAC"])
        one = _offer(s, KAZ_FIRM, "847130", certifications=["ISO 9001"])
        none = _offer(s, KAZ_FIRM, "847130")
        open_need = _request(s, CHN_STEWARD)
        v = _values(s, need, "certifications")
        v_open = _values(s, open_need, "certifications")
    assert (v[both.id], v[one.id], v[none.id]) == (1.0, 0.5, 0.0)
    assert v_open[both.id] is None


def test_readiness_compares_offered_and_sought_technology_levels(bank):
    with bank.session() as s:
        ent = make_enterprise(s, CHN_STEWARD)
        sought = post(s, CHN_STEWARD, ent, "technology_request", {"trl": 8, "hs_code": "8502"})
        kaz = make_enterprise(s, KAZ_FIRM)
        mature = post(s, KAZ_FIRM, kaz, "technology_offer", {"trl": 9, "hs_code": "8502"})
        early = post(s, KAZ_FIRM, kaz, "technology_offer", {"trl": 4, "hs_code": "8502"})
        v = _values(s, sought, "readiness")
    assert (v[mature.id], v[early.id]) == (1.0, 0.5)


def test_text_similarity_is_cross_lingual_with_the_embedder(bank, text_on):
    from scobank.exchange.matching.service import find_matches

    with bank.session() as s:
        buyer = make_enterprise(s, CHN_STEWARD)
        need = post(s, CHN_STEWARD, buyer, "product_request", {"hs_code": "7208", "volume_per_year": 100},
                    title="热轧钢卷，厚度3毫米", lang="zh")
        kaz = make_enterprise(s, KAZ_FIRM)
        steel = post(s, KAZ_FIRM, kaz, "product_offer", {"hs_code": "7208", "volume_per_year": 100},
                     title="Горячекатаный стальной рулон толщиной 3 мм", lang="ru")
        other = post(s, KAZ_FIRM, kaz, "product_offer", {"hs_code": "7208", "volume_per_year": 100},
                     title="Детские игрушки и настольные игры", lang="ru")
        report = find_matches(s, reader=CHN_STEWARD, listing_id=need.id)
    text = {m.id: next(f for f in m.factors if f.factor == "text") for m in report.matches}
    assert report.text_enabled and report.notes == []
    assert text[steel.id].value > text[other.id].value + 0.2
    assert [m.id for m in report.matches] == [steel.id, other.id]
    assert text[steel.id].note.startswith("descriptions similar at")


def test_matching_reads_its_reference_datasets_through_the_gate_and_the_ledger(bank, reference_datasets):
    from sqlalchemy import select

    from scobank.access.models import LedgerEntry

    with bank.session() as s:
        inputs = matching_inputs(s, reader=KAZ_FIRM)
        uses = s.execute(select(LedgerEntry.action, LedgerEntry.actor, LedgerEntry.detail)
                         .where(LedgerEntry.action.in_(("query", "analytics")))).all()
    (icio,) = inputs.missing  # this bank has no ICIO flows (test_recent_prior publishes them): SITC only
    assert "'oecd-icio-2022-intermediate-flows'" in icio
    assert [s.label for s in inputs.prior.sources] == ["SITC exports 1998-2000"]
    assert inputs.distances.km[("CHN", "KAZ")] > 0 and inputs.exports.by_country["UZB"]
    assert "8471" in inputs.related["8517"]
    assert {(a, actor) for a, actor, _ in uses} == {("query", KAZ_FIRM.email), ("analytics", KAZ_FIRM.email)}
    assert len(uses) == 4  # distances, exports, the product space and its products: one entry each


def test_without_its_reference_datasets_matching_says_what_is_missing(bank):
    with bank.session() as s:
        inputs = matching_inputs(s, reader=OPERATOR)
    assert inputs.distances.km == {} and inputs.related == {}
    assert any("'cepii-geodist'" in m and "scobank demo" in m for m in inputs.missing)
    assert any("'sitc2-exports-1998-2000'" in m for m in inputs.missing)


def test_a_reference_dataset_the_reader_may_not_read_row_by_row_leaves_its_factor_empty(bank, reference_datasets):
    from scobank.access import policies
    from scobank.catalog.refs import ref_by_slug

    with bank.session() as s:
        policies.set_dataset_policy(s, dataset=ref_by_slug(s, "cepii-geodist"), actor="tests",
                                    document={"audience": "public", "aggregates_only_k": 5})
    with bank.session() as s:
        inputs = matching_inputs(s, reader=KAZ_FIRM)
    assert inputs.distances.km == {} and inputs.exports.by_country["UZB"]
    assert inputs.missing[0] == ("dataset 'cepii-geodist': your access gives aggregates only; "
                                 "matching (distance between countries) needs its rows")
    assert "'oecd-icio-2022-intermediate-flows'" in inputs.missing[1]  # not published in this bank
