"""Ranking a request against offers: explained factor by factor, weights configurable, text factor off
without an embedder, filters, and expired listings never matched."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from scobank.access.reader import Reader
from scobank.errors import BadRequest
from scobank.exchange.listings import expire_due
from scobank.exchange.matching.scorer import Filters
from scobank.exchange.matching.service import find_matches
from tests.exchange.conftest import CHN_STEWARD, KAZ_FIRM, RUS_FIRM, UZB_FIRM, make_enterprise, post, soon

UZB_BUILDER = Reader(user_id=808, email="build@tashkent-tubes.uz", organisation_id=88, party="UZB", role="editor")


@pytest.fixture
def market(bank, data_dir, reference_datasets, monkeypatch):
    monkeypatch.setenv("SCOBANK_DATA_DIR", str(data_dir))
    from scobank.config import reset_settings

    reset_settings()
    with bank.session() as s:
        buyer = make_enterprise(s, CHN_STEWARD)
        need = post(s, CHN_STEWARD, buyer, "product_request",
                    {"hs_code": "720838", "volume_per_year": 1000, "deadline": soon(60), "sourced_from": "JPN",
                     "certifications_required": ["ISO 9001"]}, title="Hot-rolled steel coil 3-4.75 mm")
        kaz = make_enterprise(s, KAZ_FIRM, certifications=["ISO 9001", "EAC"], size="large")
        exact = post(s, KAZ_FIRM, kaz, "product_offer",
                     {"hs_code": "720838", "volume_per_year": 1500, "lead_time_days": 20}, title="Hot-rolled coil")
        rus = make_enterprise(s, RUS_FIRM, size="medium")
        heading = post(s, RUS_FIRM, rus, "product_offer", {"hs_code": "720851", "volume_per_year": 300},
                       title="Hot-rolled plate")
        uzb = make_enterprise(s, UZB_FIRM, size="small")
        cotton = post(s, UZB_FIRM, uzb, "product_offer", {"hs_code": "520100", "volume_per_year": 800},
                      title="Raw cotton")
        ids = {"need": need.id, "exact": exact.id, "heading": heading.id, "cotton": cotton.id}
    return ids


def test_offers_are_ranked_and_every_factor_explained(bank, market):
    with bank.session() as s:
        report = find_matches(s, reader=CHN_STEWARD, listing_id=market["need"], weights={"text": 0})
    ids = [m.id for m in report.matches]
    assert ids == [market["exact"], market["heading"]]  # cotton is in another chapter, unrelated
    best = report.matches[0]
    factors = {f.factor: f for f in best.factors}
    assert factors["hs"].value == 1.0 and factors["hs"].note == "same HS6 720838"
    assert factors["volume"].value == 1.0
    assert factors["certifications"].value == 1.0
    assert factors["import_substitution"].value == 1.0  # bought from Japan today, KAZ is in the bloc
    assert "km great-circle" in factors["distance"].note
    assert best.score == pytest.approx(sum(f.contribution for f in best.factors), abs=1e-3)
    assert sum(f.effective_weight for f in best.factors) == pytest.approx(1.0, abs=1e-3)
    assert best.party == "KAZ" and best.size_band == "large"
    assert report.matches[1].factors[0].value == 0.75  # same heading 7208


def test_without_an_embedder_the_text_weight_is_shared_and_said_so(bank, market, monkeypatch):
    from scobank.exchange import text

    monkeypatch.setattr(text, "embedder", lambda: None)
    with bank.session() as s:
        report = find_matches(s, reader=CHN_STEWARD, listing_id=market["need"])
    assert report.text_enabled is False
    assert any("text similarity is off" in n for n in report.notes)
    text_factor = next(f for f in report.matches[0].factors if f.factor == "text")
    assert text_factor.effective_weight == 0.0 and text_factor.value is None


def test_weights_can_be_changed_and_bad_weights_are_refused(bank, market):
    with bank.session() as s:
        only_hs = find_matches(s, reader=CHN_STEWARD, listing_id=market["need"],
                               weights={f: 0 for f in ("text", "volume", "time", "distance", "country_prior",
                                                       "import_substitution", "certifications", "readiness")})
        assert [m.score for m in only_hs.matches] == [1.0, 0.75]
        with pytest.raises(BadRequest, match="unknown matching factor 'colour'"):
            find_matches(s, reader=CHN_STEWARD, listing_id=market["need"], weights={"colour": 1})


def test_filters_by_party_size_and_certification(bank, market):
    with bank.session() as s:
        rus_only = find_matches(s, reader=CHN_STEWARD, listing_id=market["need"], filters=Filters(parties=("RUS",)))
        large = find_matches(s, reader=CHN_STEWARD, listing_id=market["need"], filters=Filters(sizes=("large",)))
        eac = find_matches(s, reader=CHN_STEWARD, listing_id=market["need"], filters=Filters(certifications=("EAC",)))
    assert [m.id for m in rus_only.matches] == [market["heading"]]
    assert [m.id for m in large.matches] == [market["exact"]]
    assert [m.id for m in eac.matches] == [market["exact"]]


def test_expired_listings_never_match(bank, market):
    later = datetime.now(UTC) + timedelta(days=120)  # past the default 90-day expiry of the offers
    with bank.session() as s:
        assert [m.id for m in find_matches(s, reader=CHN_STEWARD, listing_id=market["need"], now=later).matches] == []
    with bank.session() as s:
        from scobank.exchange.listings import expire_listing

        expire_listing(s, reader=KAZ_FIRM, listing_id=market["exact"])
        assert [m.id for m in find_matches(s, reader=CHN_STEWARD, listing_id=market["need"]).matches] == [market["heading"]]
        assert expire_due(s, now=later.replace(tzinfo=None)) == 3  # need, heading and cotton


def test_an_offer_finds_the_requests_it_answers(bank, market):
    with bank.session() as s:
        report = find_matches(s, reader=KAZ_FIRM, listing_id=market["exact"])
    assert [m.id for m in report.matches] == [market["need"]]
    assert report.enterprises == []  # enterprise profiles are ranked for requests only


def test_a_listing_published_after_the_snapshot_was_built_is_matched_without_a_rebuild(bank, market, monkeypatch):
    from datetime import timedelta as td

    from scobank.exchange.listings import expire_listing
    from scobank.exchange.matching import snapshot as snapshots
    from scobank.access.reader import OPERATOR
    from scobank.exchange.matching.inputs import matching_inputs
    from scobank.exchange.matching.snapshot import current_snapshot

    monkeypatch.setattr(snapshots, "REFRESH_OVERLAP", td(0))  # this test runs within the late-commit overlap

    with bank.session() as s:
        before = current_snapshot(s, inputs=matching_inputs(s, reader=OPERATOR), with_vectors=False)
        firm = make_enterprise(s, KAZ_FIRM)
    with bank.session() as s:  # a new enterprise: profiles re-read
        rebuilt = current_snapshot(s, inputs=matching_inputs(s, reader=OPERATOR), with_vectors=False)
        assert rebuilt is not before and len(rebuilt.enterprises) == len(before.enterprises) + 1
        late = post(s, KAZ_FIRM, firm, "product_offer", {"hs_code": "720838", "volume_per_year": 900})
        expire_listing(s, reader=RUS_FIRM, listing_id=market["heading"])
    with bank.session() as s:
        refreshed = current_snapshot(s, inputs=matching_inputs(s, reader=OPERATOR), with_vectors=False)
        assert refreshed.enterprises is rebuilt.enterprises  # listings refreshed, profiles kept
        ids = {m.id for m in find_matches(s, reader=CHN_STEWARD, listing_id=market["need"]).matches}
    assert late.id in ids and market["heading"] not in ids and market["exact"] in ids


def test_a_projects_missing_inputs_are_matched_one_by_one_and_offers_find_projects(bank, market):
    with bank.session() as s:
        uzb = make_enterprise(s, UZB_BUILDER)  # another company than the cotton seller (never its own partner)
        project = post(s, UZB_BUILDER, uzb, "project", {"missing": [
            {"what": "product", "hs_code": "720838", "volume_per_year": 400, "unit": "t"},
            {"what": "product", "hs_code": "520100", "volume_per_year": 50, "unit": "t"}]},
            title="Tube mill in Fergana")
        steel_input = find_matches(s, reader=UZB_BUILDER, listing_id=project.id, item=0)
        cotton_input = find_matches(s, reader=UZB_BUILDER, listing_id=project.id, item=1)
        from_offer = find_matches(s, reader=KAZ_FIRM, listing_id=market["exact"])
        with pytest.raises(BadRequest, match="no missing input number 5"):
            find_matches(s, reader=UZB_BUILDER, listing_id=project.id, item=5)
    assert steel_input.matches[0].id == market["exact"]
    assert [m.id for m in cotton_input.matches] == [market["cotton"]]
    assert project.id in [m.id for m in from_offer.matches]


def test_a_changed_enterprise_is_seen_by_the_next_match(bank, market):
    from scobank.exchange.listings import get_listing
    from scobank.exchange.profiles import update_enterprise
    from scobank.exchange.schemas import EnterpriseUpdate

    ccc = Filters(certifications=("CCC",))
    with bank.session() as s:
        assert find_matches(s, reader=CHN_STEWARD, listing_id=market["need"], filters=ccc).matches == []
        rus = get_listing(s, listing_id=market["heading"]).enterprise_id
        update_enterprise(s, reader=RUS_FIRM, enterprise_id=rus, data=EnterpriseUpdate(certifications=["CCC"]))
    with bank.session() as s:
        assert [m.id for m in find_matches(s, reader=CHN_STEWARD, listing_id=market["need"], filters=ccc).matches] \
            == [market["heading"]]
