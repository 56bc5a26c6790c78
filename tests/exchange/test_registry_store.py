"""A company's registry identifiers are stored one per country, checked on entry, unverified, and
shown only to its owners; a profile with an identifier is still deleted cleanly."""

from __future__ import annotations

import pytest

from scobank.errors import AccessDenied, BadRequest, NotFound
from scobank.exchange import profiles, registry
from tests.exchange.conftest import KAZ_FIRM, RUS_FIRM, make_enterprise
from tests.exchange.test_api_story import client  # noqa: F401  (the API with real users and tokens)
from tests.exchange.test_registry_ids import inn, kz_bin

pytestmark = pytest.mark.db


def test_one_checked_unverified_identifier_per_company_and_country(bank):
    with bank.session() as s:
        firm = make_enterprise(s, RUS_FIRM)
        first, second = inn("770708389"), inn("665800123")
        got = registry.set_registry_id(s, reader=RUS_FIRM, enterprise_id=firm.id, kind="inn", value=first)
        assert [(r.party, r.kind, r.value, r.status) for r in got] == [("RUS", "inn", first, "unverified")]
        got = registry.set_registry_id(s, reader=RUS_FIRM, enterprise_id=firm.id, kind="inn", value=second)
        assert [r.value for r in got] == [second]  # replaced: one per country
        got = registry.set_registry_id(s, reader=RUS_FIRM, enterprise_id=firm.id, kind="bin", party="KAZ",
                                       value=kz_bin("08094000123"))
        assert [r.party for r in got] == ["KAZ", "RUS"]
        with pytest.raises(BadRequest, match="wrong check digit"):
            registry.set_registry_id(s, reader=RUS_FIRM, enterprise_id=firm.id, kind="inn",
                                     value=first[:-1] + str((int(first[-1]) + 1) % 10))
        with pytest.raises(AccessDenied):
            registry.registry_ids(s, reader=KAZ_FIRM, enterprise_id=firm.id)
        profiles.delete_enterprise(s, reader=RUS_FIRM, enterprise_id=firm.id)
        s.flush()
        with pytest.raises(NotFound):
            profiles.get_enterprise(s, enterprise_id=firm.id)


def test_the_api_stores_an_identifier_for_the_owner_only(client):  # noqa: F811  (the fixture imported above)
    from tests.exchange.test_api_story import _enterprise, as_

    firm = _enterprise(client, "kaz", name={"en": "Steppe looms"}, city="Almaty")
    url = f"/api/v1/exchange/enterprises/{firm['id']}/registry-ids"
    value = kz_bin("08094000123")
    r = client.put(url, headers=as_("kaz"), json={"kind": "bin", "value": value})
    assert r.status_code == 200 and r.json() == [{"party": "KAZ", "kind": "bin", "value": value,
                                                  "status": "unverified", "reason": None}], r.text
    r = client.put(url, headers=as_("kaz"), json={"kind": "bin", "value": "12345"})
    assert r.status_code == 400 and "wrong format" in r.json()["message"]
    assert client.get(url, headers=as_("stranger")).status_code == 403
    assert value not in client.get(f"/api/v1/exchange/enterprises/{firm['id']}", headers=as_("stranger")).text


def test_a_steward_of_the_party_approves_refuses_with_a_reason_and_revokes(bank):
    from scobank.access.reader import Reader
    from scobank.errors import Conflict

    kaz_steward = Reader(user_id=909, email="steward@gov.kz", organisation_id=99, party="KAZ", role="steward")
    rus_steward = Reader(user_id=910, email="steward@gov.ru", organisation_id=98, party="RUS", role="steward")
    with bank.session() as s:
        firm = make_enterprise(s, KAZ_FIRM)
        registry.set_registry_id(s, reader=KAZ_FIRM, enterprise_id=firm.id, kind="bin", value=kz_bin("08094000123"))
        with pytest.raises(AccessDenied):
            registry.review_registry_id(s, reader=rus_steward, enterprise_id=firm.id, party="KAZ", decision="approve")
        with pytest.raises(BadRequest, match="reason is required"):
            registry.review_registry_id(s, reader=kaz_steward, enterprise_id=firm.id, party="KAZ", decision="refuse")
        got = registry.review_registry_id(s, reader=kaz_steward, enterprise_id=firm.id, party="KAZ",
                                          decision="refuse", reason="not in the state register")
        assert [(r.status, r.reason) for r in got] == [("refused", "not in the state register")]
        got = registry.review_registry_id(s, reader=kaz_steward, enterprise_id=firm.id, party="KAZ", decision="approve")
        assert [(r.status, r.reason) for r in got] == [("verified", None)]
        assert registry.registry_ids(s, reader=KAZ_FIRM, enterprise_id=firm.id)[0].status == "verified"
        with pytest.raises(Conflict):
            registry.review_registry_id(s, reader=kaz_steward, enterprise_id=firm.id, party="KAZ", decision="refuse",
                                        reason="twice")
        got = registry.review_registry_id(s, reader=kaz_steward, enterprise_id=firm.id, party="KAZ",
                                          decision="revoke", reason="company liquidated")
        assert [(r.status, r.reason) for r in got] == [("revoked", "company liquidated")]
