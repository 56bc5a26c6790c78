"""The alert fan-out reads saved searches through their indexed columns: the searches it selects for a
published listing are exactly those whose every criterion the listing meets, checked one by one."""

from __future__ import annotations

import random

import pytest

from scobank.access.reader import Reader
from scobank.exchange import alerts
from tests.exchange.conftest import KAZ_FIRM, RUS_FIRM, UZB_FIRM, make_enterprise, post

pytestmark = pytest.mark.db

KINDS = ["product_offer", "product_request", "capacity_offer", None]
CODES = ["720838", "720851", "520100", "847130"]


def _random_criteria(rng: random.Random) -> alerts.Criteria:
    code = rng.choice(CODES)
    return alerts.Criteria(
        kind=rng.choice(KINDS), side=rng.choice(["offer", "request", None]),
        hs=rng.choice([None, code[:2], code[:4], code]),
        parties=rng.sample(["KAZ", "RUS", "UZB", "CHN"], k=rng.choice([0, 0, 1, 2])),
        certification=rng.choice([None, None, "ISO 9001"]), size_band=rng.choice([None, None, "medium", "small"]))


def test_the_indexed_fan_out_selects_exactly_the_searches_the_listing_satisfies(bank):
    from sqlalchemy import select

    from scobank.exchange.models import Enterprise, Notification, SavedSearch

    rng = random.Random(3)
    with bank.session() as s:
        for n in range(300):
            reader = Reader(user_id=9000 + n, email=f"u{n}@example.org", organisation_id=None, party="CHN",
                            role="editor")
            alerts.save_search(s, reader=reader, name=f"search {n}", criteria=_random_criteria(rng))
        firms = [make_enterprise(s, r, certifications=c) for r, c in
                 ((KAZ_FIRM, ["ISO 9001"]), (RUS_FIRM, []), (UZB_FIRM, ["ISO 9001"]))]
        published = []
        for firm, reader in zip(firms, (KAZ_FIRM, RUS_FIRM, UZB_FIRM), strict=True):
            for code in CODES[:3]:
                published.append(post(s, reader, firm, "product_offer", {"hs_code": code, "volume_per_year": 5}))
        searches = s.scalars(select(SavedSearch)).all()
        for listing in published:
            enterprise = s.get(Enterprise, listing.enterprise_id)
            expected = {x.id for x in searches
                        if alerts.satisfies(alerts.Criteria(**x.criteria), listing, enterprise)}
            told = set(s.scalars(select(Notification.saved_search_id).where(Notification.listing_id == listing.id)))
            assert told == expected
            assert 0 < len(expected) < 300  # the criteria drawn both admit and exclude
        candidates = alerts.candidate_searches(s, listing=published[0], enterprise=firms[0])
    assert len(candidates) < 300  # the index narrows before the remaining criteria are checked


def test_a_search_with_a_malformed_hs_prefix_is_refused():
    with pytest.raises(ValueError, match="2, 4 or 6 digits"):
        alerts.Criteria(hs="720")
