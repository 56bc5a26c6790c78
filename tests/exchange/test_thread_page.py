"""The conversation in the portal: the two sides write (with a file), confirm the meeting and the
agreement with the page's buttons, in Russian and Chinese; a third company gets no page."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from scobank.exchange import interest
from tests.exchange.conftest import make_enterprise, post
from tests.web.forms import csrf_of, log_in

pytestmark = pytest.mark.db
PASSWORD = "correct horse battery"


def _people(s):
    from scobank.access.reader import OPERATOR
    from scobank.access.users import create_user, reader_for
    from scobank.catalog.organisations import create_organisation
    from scobank.catalog.schemas import OrganisationCreate

    readers = {}
    for slug, party, email in (("steppe", "KAZ", "kaz@steppe.kz"), ("xj", "CHN", "chn@xj.cn"),
                               ("pune", "IND", "ind@pune.in")):
        create_organisation(s, data=OrganisationCreate(slug=slug, party=party, names={"en": slug}), actor=OPERATOR)
        readers[party] = reader_for(s, create_user(s, email=email, organisation=slug, role="editor", password=PASSWORD))
    return readers


def _press(client, url, lang, **form):
    page = client.get(f"{url}?lang={lang}")
    action, files = form.pop("action"), form.pop("files", None)
    return client.post(f"{action}?lang={lang}", data={"csrf_token": csrf_of(page.text), **form}, files=files,
                       follow_redirects=True)


def test_both_sides_talk_and_confirm_in_their_languages_on_the_thread_page(bank):
    from scobank.api.app import create_app

    with bank.session() as s:
        people = _people(s)
        seller, buyer = make_enterprise(s, people["KAZ"]), make_enterprise(s, people["CHN"])
        offer = post(s, people["KAZ"], seller, "product_offer", {"hs_code": "720838", "volume_per_year": 10})
        row = interest.express_interest(s, reader=people["CHN"], listing_id=offer.id, from_enterprise_id=buyer.id)
        interest.accept_interest(s, reader=people["KAZ"], interest_id=row.id)
        url = f"/exchange/interests/{row.id}/thread"
    with TestClient(create_app()) as kaz, TestClient(create_app()) as chn, TestClient(create_app()) as ind:
        for client, email in ((kaz, "kaz@steppe.kz"), (chn, "chn@xj.cn"), (ind, "ind@pune.in")):
            assert log_in(client, email, PASSWORD).status_code == 303
        page = _press(chn, url, "zh", action=f"/exchange/interests/{row.id}/messages", text="请发送报价",
                      files={"attachment": ("need.txt", b"40 coils, May", "text/plain")})
        assert "请发送报价" in page.text and "need.txt" in page.text
        page = _press(kaz, url, "ru", action=f"/exchange/interests/{row.id}/outcome", stage="meeting")
        assert "Переписка и соглашение" in page.text and "请发送报价" in page.text
        assert page.text.count("подтверждено обеими сторонами") == 0
        page = _press(chn, url, "zh", action=f"/exchange/interests/{row.id}/outcome", stage="meeting")
        assert page.text.count("双方均已确认") == 1  # the meeting; the agreement not yet
        for client, lang in ((kaz, "ru"), (chn, "zh")):
            page = _press(client, url, lang, action=f"/exchange/interests/{row.id}/outcome", stage="agreement")
        assert page.text.count("双方均已确认") == 2
        link = f"/exchange/interests/{row.id}/messages/1/attachment"
        assert kaz.get(link).content == b"40 coils, May"
        assert ind.get(url).status_code == 404 and ind.get(link).status_code == 404
    with bank.session() as s:
        shown = interest.view_interest(s, reader=people["KAZ"], interest_id=row.id)
    assert shown.meeting_at is not None and shown.agreement_at is not None
