"""The gate: who may know a dataset exists, read it, export it, change it; listings agree with it."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from scobank.access import users
from scobank.access.gate import authorize
from scobank.access.reader import ANONYMOUS, OPERATOR, Action, Reader
from scobank.access.models import User
from scobank.catalog.models import Dataset, Organisation
from scobank.catalog.refs import ref_of
from scobank.catalog.visibility import visible_datasets
from scobank.errors import AccessDenied, NotFound

from .conftest import make_dataset


def reader(bank, nick: str, **changes) -> Reader:
    from dataclasses import replace

    with bank.session() as s:
        user = s.scalars(select(User).where(User.email == f"{nick}@example.org")).one()
        return replace(users.reader_for(s, user, via="token"), **changes)


@pytest.fixture
def kz_data(bank, world):
    with bank.session() as s:
        org = s.scalars(select(Organisation).where(Organisation.slug == "kz-stat")).one()
        make_dataset(s, "kz-output", org)
    return "kz-output"


def set_policy(bank, slug: str, *args: str) -> None:
    result = bank.cli("policy", "set", slug, *args)
    assert result.exit_code == 0, result.stderr


def decide(bank, who: Reader, slug: str, action: Action, purpose: str | None = None):
    with bank.session() as s:
        ds = s.scalars(select(Dataset).where(Dataset.slug == slug)).one()
        return authorize(s, reader=who, dataset=ref_of(s, ds), action=action, purpose=purpose)


def visible(bank, who: Reader) -> list[str]:
    with bank.session() as s:
        return list(s.scalars(select(Dataset.slug).where(visible_datasets(s, who)).order_by(Dataset.slug)))


def test_without_a_policy_members_may_use_a_dataset_and_others_may_not_know_it(bank, world, kz_data):
    assert decide(bank, reader(bank, "ru_viewer"), kz_data, Action.QUERY).aggregates_only_k is None
    for outsider in (ANONYMOUS, reader(bank, "mn_viewer"), reader(bank, "tr_viewer")):
        with pytest.raises(NotFound):
            decide(bank, outsider, kz_data, Action.METADATA)
    assert visible(bank, reader(bank, "ru_viewer")) == [kz_data]
    assert visible(bank, ANONYMOUS) == visible(bank, reader(bank, "mn_viewer")) == []


def test_owner_only_hides_the_dataset_from_other_members_stewards_included(bank, world, kz_data):
    set_policy(bank, kz_data, "--audience", "owner")
    for nick in ("ru_steward", "ru_viewer", "mn_viewer", "tr_viewer"):
        with pytest.raises(NotFound):
            decide(bank, reader(bank, nick), kz_data, Action.METADATA)
        assert visible(bank, reader(bank, nick)) == []
    for nick in ("kz_viewer", "kz_editor", "kz_admin", "kz_steward", "platform"):
        assert decide(bank, reader(bank, nick), kz_data, Action.EXPORT).may_export
        assert visible(bank, reader(bank, nick)) == [kz_data]


def test_only_editors_write_and_only_the_steward_administers(bank, world, kz_data):
    with pytest.raises(AccessDenied):
        decide(bank, reader(bank, "kz_viewer"), kz_data, Action.WRITE)
    assert decide(bank, reader(bank, "kz_editor"), kz_data, Action.WRITE).basis == "owner"
    with pytest.raises(AccessDenied):
        decide(bank, reader(bank, "kz_admin"), kz_data, Action.ADMIN)
    assert decide(bank, reader(bank, "kz_steward"), kz_data, Action.ADMIN)
    with pytest.raises(AccessDenied):  # a member may read it but never change it
        decide(bank, reader(bank, "ru_steward"), kz_data, Action.WRITE)


def test_a_read_token_cannot_write_even_for_an_editor(bank, world, kz_data):
    with pytest.raises(AccessDenied, match="scope"):
        decide(bank, reader(bank, "kz_editor", scopes=frozenset({"read"})), kz_data, Action.WRITE)


def test_named_parties_see_it_and_observers_get_no_export_by_default(bank, world, kz_data):
    set_policy(bank, kz_data, "--audience", "parties:MNG,TUR")
    with pytest.raises(NotFound):
        decide(bank, reader(bank, "ru_viewer"), kz_data, Action.METADATA)
    observer = decide(bank, reader(bank, "mn_viewer"), kz_data, Action.QUERY)
    assert (observer.aggregates_only_k, observer.may_export) == (None, False)
    with pytest.raises(AccessDenied, match="not bulk export"):
        decide(bank, reader(bank, "mn_viewer"), kz_data, Action.EXPORT)
    partner = decide(bank, reader(bank, "tr_viewer"), kz_data, Action.QUERY)
    assert partner.aggregates_only_k == 10
    assert visible(bank, reader(bank, "tr_viewer")) == [kz_data]


def test_party_rights_can_widen_an_observers_defaults(bank, world, kz_data):
    set_policy(bank, kz_data, "--audience", "parties:MNG")
    assert bank.cli("policy", "party-rights", "MNG", "--export").exit_code == 0
    assert decide(bank, reader(bank, "mn_viewer"), kz_data, Action.EXPORT).may_export


def test_named_organisations(bank, world, kz_data):
    set_policy(bank, kz_data, "--audience", "orgs:ru-minprom")
    assert decide(bank, reader(bank, "ru_viewer"), kz_data, Action.QUERY)
    with pytest.raises(NotFound):
        decide(bank, reader(bank, "mn_viewer"), kz_data, Action.METADATA)
    assert visible(bank, reader(bank, "ru_viewer")) == [kz_data]


def test_aggregates_only_forbids_export_and_carries_k(bank, world, kz_data):
    set_policy(bank, kz_data, "--audience", "public", "--aggregates-only", "5")
    assert decide(bank, ANONYMOUS, kz_data, Action.QUERY).aggregates_only_k == 5
    with pytest.raises(AccessDenied, match="aggregates only"):
        decide(bank, ANONYMOUS, kz_data, Action.EXPORT)
    assert decide(bank, reader(bank, "kz_viewer"), kz_data, Action.EXPORT).aggregates_only_k is None


def test_purposes_must_be_stated_and_permitted(bank, world, kz_data):
    set_policy(bank, kz_data, "--audience", "members", "--purposes", "statistics,research")
    ru = reader(bank, "ru_viewer")
    with pytest.raises(AccessDenied, match="state your purpose"):
        decide(bank, ru, kz_data, Action.QUERY)
    with pytest.raises(AccessDenied, match="not for commercial"):
        decide(bank, ru, kz_data, Action.QUERY, purpose="commercial")
    assert decide(bank, ru, kz_data, Action.QUERY, purpose="research").purpose == "research"
    assert decide(bank, reader(bank, "ru_viewer", purpose="statistics"), kz_data, Action.QUERY)
    assert decide(bank, ru, kz_data, Action.METADATA)  # the terms themselves are not secret


def test_embargo_and_expiry_stop_data_but_not_metadata(bank, world, kz_data):
    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    set_policy(bank, kz_data, "--audience", "public", "--embargo", tomorrow)
    with pytest.raises(AccessDenied, match=f"embargo until {tomorrow}"):
        decide(bank, ANONYMOUS, kz_data, Action.QUERY)
    assert decide(bank, ANONYMOUS, kz_data, Action.METADATA)
    assert decide(bank, reader(bank, "kz_viewer"), kz_data, Action.QUERY)  # owners are not embargoed
    yesterday = (date.today() - timedelta(days=1)).isoformat()
    set_policy(bank, kz_data, "--audience", "public", "--expires", yesterday)
    with pytest.raises(AccessDenied, match="ended"):
        decide(bank, ANONYMOUS, kz_data, Action.QUERY)


def test_no_export_allows_queries(bank, world, kz_data):
    set_policy(bank, kz_data, "--audience", "members", "--no-export")
    assert decide(bank, reader(bank, "ru_viewer"), kz_data, Action.QUERY)
    with pytest.raises(AccessDenied, match="not bulk export"):
        decide(bank, reader(bank, "ru_viewer"), kz_data, Action.EXPORT)


def test_a_party_default_applies_to_datasets_without_their_own_policy(bank, world, kz_data):
    assert bank.cli("policy", "default", "KAZ", "--audience", "public").exit_code == 0
    assert decide(bank, ANONYMOUS, kz_data, Action.QUERY)
    assert visible(bank, ANONYMOUS) == [kz_data]
    shown = bank.cli("policy", "show", kz_data)
    assert "party policy" in shown.stdout
    set_policy(bank, kz_data, "--audience", "owner")
    assert visible(bank, ANONYMOUS) == []


def test_the_operator_sees_everything(bank, world, kz_data):
    set_policy(bank, kz_data, "--audience", "owner")
    assert visible(bank, OPERATOR) == [kz_data]
    assert decide(bank, OPERATOR, kz_data, Action.ADMIN).basis == "operator"


def test_policy_changes_are_versioned_and_logged(bank, world, kz_data):
    set_policy(bank, kz_data, "--audience", "members")
    set_policy(bank, kz_data, "--audience", "owner", "--no-export")
    history = bank.cli("policy", "history", kz_data)
    assert history.stdout.count("\n") == 2 and "v2" in history.stdout and "audience owner" in history.stdout
    import json

    shown = json.loads(bank.cli("policy", "show", kz_data, "--json").stdout)
    assert (shown["version"], shown["source"], shown["policy"]["audience"], shown["policy"]["export"]) == (
        2, "dataset", "owner", False)
    ledger = json.loads(bank.cli("ledger", "show", "--dataset", kz_data, "--json").stdout)
    assert [e["action"] for e in ledger][:2] == ["policy-set", "policy-set"]


def test_a_steward_of_another_party_cannot_set_the_policy(bank, world, kz_data):
    denied = bank.cli("--as", world.emails["ru_steward"], "policy", "set", kz_data, "--audience", "public")
    assert denied.exit_code == 4
    assert bank.cli("--as", world.emails["kz_steward"], "policy", "set", kz_data, "--audience",
                    "public").exit_code == 0


def test_bad_policies_are_refused_with_the_field_named(bank, world, kz_data):
    assert "needs at least one party" in bank.cli("policy", "set", kz_data, "--audience", "parties:").stderr
    assert "no organisation 'nope'" in bank.cli("policy", "set", kz_data, "--audience", "orgs:nope").stderr
    assert "purposes must be among" in bank.cli("policy", "set", kz_data, "--audience", "public",
                                                "--purposes", "spying").stderr
    assert "YYYY-MM-DD" in bank.cli("policy", "set", kz_data, "--audience", "public", "--embargo", "soon").stderr
