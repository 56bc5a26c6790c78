"""Another member's user asks for a dataset; its steward approves; the rows appear for the requester.
The steward sees the request, the agreement and the ledger of their data on the data-use page."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient

from scobank.access.reader import OPERATOR
from tests.web.forms import csrf_of, log_in
from tests.web.test_publish_pages import GOOD


def kazstat_and_a_chinese_analyst(session) -> None:
    """KAZ's statistics office with its steward (steward@stat.kz), and a Chinese research organisation
    with its analyst (analyst@research.cn): the two sides of an access request."""
    from scobank.access.users import create_user
    from scobank.catalog.organisations import create_organisation
    from scobank.catalog.schemas import OrganisationCreate

    for slug, party in (("kazstat", "KAZ"), ("cn-research", "CHN")):
        create_organisation(session, data=OrganisationCreate(slug=slug, party=party, names={"en": slug}),
                            actor=OPERATOR)
    create_user(session, email="steward@stat.kz", organisation="kazstat", role="steward", password="steward 1")
    create_user(session, email="analyst@research.cn", organisation="cn-research", role="viewer",
                password="analyst 1")


@pytest.fixture
def kazakh_steel(bank, tmp_path):
    """A Kazakh dataset for official statistics only, its steward, and a Chinese analyst."""
    from scobank.stewardship.policies import set_policy
    from scobank.catalog.datasets import create_dataset
    from scobank.catalog.schemas import DatasetCreate
    from scobank.catalog.publish import publish_version

    source = tmp_path / "steel.csv"
    source.write_bytes(GOOD)
    with bank.session() as session:
        kazstat_and_a_chinese_analyst(session)
        create_dataset(session, data=DatasetCreate(slug="kz-steel", organisation="kazstat", kind="trade",
                                                   title={"en": "Steel exports"}, classification="HS22"),
                       actor=OPERATOR)
        publish_version(session, dataset="kz-steel", source=source, actor=OPERATOR, hs_revision="HS22")
        set_policy(session, reader=OPERATOR, slug="kz-steel", document={"audience": "members",
                                                                        "purposes": ["statistics"]})


def _client():
    from scobank.api.app import create_app

    return TestClient(create_app())


def test_an_approved_request_lets_the_requester_see_the_rows(kazakh_steel):
    with _client() as analyst, _client() as steward:
        log_in(analyst, "analyst@research.cn", "analyst 1")
        before = analyst.get("/datasets/kz-steel?lang=en").text
        assert "You may see that this dataset exists, but not its rows." in before
        assert 'href="/datasets/kz-steel/request-access"' in before
        form = analyst.get("/datasets/kz-steel/request-access").text
        until = (date.today() + timedelta(days=90)).isoformat()
        sent = analyst.post("/datasets/kz-steel/request-access", data={
            "csrf_token": csrf_of(form), "purpose": "research", "valid_until": until, "message": "PhD thesis"},
            follow_redirects=False)
        assert sent.status_code == 303

        log_in(steward, "steward@stat.kz", "steward 1")
        desk = steward.get("/data-use?lang=en").text
        request_id = re.search(r'action="/data-use/requests/(\d+)/approve"', desk).group(1)
        assert "analyst@research.cn" in desk and "PhD thesis" in desk
        steward.post(f"/data-use/requests/{request_id}/approve", data={"csrf_token": csrf_of(desk)})

        after = analyst.get("/datasets/kz-steel?lang=en").text
        assert "You may see that this dataset exists" not in after
        assert "720851" in after  # the rows are there now
        ledger = steward.get("/data-use?lang=en").text
        assert "in force" in ledger  # the agreement
        assert "approved a request" in ledger and "analyst@research.cn" in ledger  # the ledger shows both


def test_the_data_use_page_needs_a_login(client, bank):
    answer = client.get("/data-use", follow_redirects=False)
    assert answer.status_code == 303 and answer.headers["location"] == "/login?next=/data-use"


def test_a_listed_dataset_is_asked_for_in_the_portal_and_opened_to_the_organisation(kazakh_steel, bank):
    from scobank.access.users import create_user
    from scobank.stewardship.policies import set_policy

    with bank.session() as session:
        set_policy(session, reader=OPERATOR, slug="kz-steel", document={"audience": "owner", "listed": True})
        create_user(session, email="colleague@research.cn", organisation="cn-research", role="viewer",
                    password="colleague 1")
    with _client() as analyst, _client() as steward, _client() as colleague:
        log_in(analyst, "analyst@research.cn", "analyst 1")
        assert 'data-dataset="kz-steel"' in analyst.get("/data-use/ask?lang=en").text
        listing = analyst.get("/datasets/kz-steel?lang=ru").text
        assert "Steel exports" in listing and "data-listed-only" in listing and "720851" not in listing
        assert "Запросить доступ" in listing
        form = analyst.get("/datasets/kz-steel/request-access?lang=en").text
        assert 'name="for_organisation"' in form
        until = (date.today() + timedelta(days=90)).isoformat()
        assert analyst.post("/datasets/kz-steel/request-access", follow_redirects=False, data={
            "csrf_token": csrf_of(form), "purpose": "research", "valid_until": until,
            "for_organisation": "true"}).status_code == 303

        log_in(steward, "steward@stat.kz", "steward 1")
        desk = steward.get("/data-use?lang=zh").text
        assert "analyst@research.cn 申请访问 kz-steel" in desk and "代表 cn-research" in desk
        request_id = re.search(r'action="/data-use/requests/(\d+)/approve"', desk).group(1)
        steward.post(f"/data-use/requests/{request_id}/approve", data={"csrf_token": csrf_of(desk)})

        assert "Ваш запрос на kz-steel одобрен" in analyst.get("/data-use?lang=ru").text
        log_in(colleague, "colleague@research.cn", "colleague 1")  # the organisation holds the agreement
        opened = colleague.get("/datasets/kz-steel?lang=en").text
        assert "data-listed-only" not in opened and "720851" in opened
        assert 'data-dataset="kz-steel"' not in colleague.get("/data-use/ask?lang=en").text
