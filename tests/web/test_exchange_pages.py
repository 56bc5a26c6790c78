"""The cooperation exchange in the portal: post a need, see a match and why, exchange interest,
see each other's contacts only once both agreed."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from scobank.access.reader import OPERATOR
from tests.web.forms import csrf_of, log_in


@pytest.fixture
def two_members(bank):
    """A Kazakh buyer and a Russian supplier, each with an account."""
    from scobank.access.users import create_user
    from scobank.catalog.organisations import create_organisation
    from scobank.catalog.schemas import OrganisationCreate

    with bank.session() as session:
        for slug, party in (("kz-steelworks", "KAZ"), ("ru-rolling", "RUS")):
            create_organisation(session, data=OrganisationCreate(slug=slug, party=party, names={"en": slug}),
                                actor=OPERATOR)
        create_user(session, email="buyer@steel.kz", organisation="kz-steelworks", role="editor", password="buyer pass 1")
        create_user(session, email="seller@rolling.ru", organisation="ru-rolling", role="editor", password="seller pass 1")


def _client():
    from scobank.api.app import create_app

    return TestClient(create_app())


def _enterprise(client, name: str, email: str) -> None:
    page = client.get("/exchange/enterprises/new")
    answer = client.post("/exchange/enterprises/new", data={
        "csrf_token": csrf_of(page.text), "name_en": name, "original_language": "en", "products": "720851",
        "size_band": "medium", "email": email, "sectors": "2410"}, follow_redirects=False)
    assert answer.status_code == 303, answer.text


def _post(client, kind: str, title: str) -> int:
    page = client.get(f"/exchange/listings/new?kind={kind}")
    enterprise = re.search(r'<option value="(\d+)"', page.text.split('id="ent"')[1]).group(1)
    answer = client.post("/exchange/listings/new", data={
        "csrf_token": csrf_of(page.text), "kind": kind, "enterprise_id": enterprise, "title_en": title,
        "original_language": "en", "hs_code": "720851", "volume_per_year": "5000", "unit": "t"},
        follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return int(answer.headers["location"].rsplit("/", 1)[1])


def test_a_need_finds_an_offer_and_contacts_appear_after_both_agree(two_members):
    with _client() as buyer, _client() as seller:
        log_in(seller, "seller@rolling.ru", "seller pass 1")
        _enterprise(seller, "Ural Rolling Mill", "sales@ural-rolling.example")
        offer = _post(seller, "product_offer", "Hot-rolled steel plate, 10-50 mm")
        log_in(buyer, "buyer@steel.kz", "buyer pass 1")
        _enterprise(buyer, "Karaganda Machine Works", "supply@kmw.example")
        need = _post(buyer, "product_request", "Steel plate for boiler shells")

        page = buyer.get(f"/exchange/listings/{need}?lang=en").text
        assert f'href="/exchange/listings/{offer}"' in page  # the offer is among the matches
        assert "Same product (HS code)" in page  # with the factor breakdown
        assert "same HS6 720851" in page  # and why
        ru = buyer.get(f"/exchange/listings/{need}?lang=ru").text
        assert "та же субпозиция ГС 720851" in ru and "same HS6" not in ru  # the explanation in Russian
        assert "Ural Rolling Mill" not in page  # anonymous until both agree

        form = page.split(f'action="/exchange/listings/{offer}/interest"')[1]
        buyer.post(f"/exchange/listings/{offer}/interest", data={
            "csrf_token": csrf_of(form), "from_enterprise_id": re.search(r'name="from_enterprise_id" value="(\d+)"', form).group(1),
            "source_listing_id": str(need)})
        mine = seller.get("/exchange/mine?lang=en").text
        assert "An enterprise of Kazakhstan is interested in your listing" in mine  # the notification
        assert "Предприятие из страны «Казахстан» заинтересовано" in seller.get("/exchange/mine?lang=ru").text
        seller.get("/exchange/mine?lang=en")
        interest = re.search(r'action="/exchange/interests/(\d+)/accept"', mine).group(1)
        assert seller.get(f"/exchange/interests/{interest}/contacts").status_code == 403  # not yet mutual
        seller.post(f"/exchange/interests/{interest}/accept", data={"csrf_token": csrf_of(mine)})

        seen_by_buyer = buyer.get(f"/exchange/interests/{interest}/contacts").text
        assert "Ural Rolling Mill" in seen_by_buyer and "sales@ural-rolling.example" in seen_by_buyer
        seen_by_seller = seller.get(f"/exchange/interests/{interest}/contacts").text
        assert "Karaganda Machine Works" in seen_by_seller and "supply@kmw.example" in seen_by_seller


def test_the_exchange_search_lists_published_listings_anonymously(client, two_members):
    log_in(client, "seller@rolling.ru", "seller pass 1")
    _enterprise(client, "Ural Rolling Mill", "sales@ural-rolling.example")
    _post(client, "product_offer", "Hot-rolled steel plate")
    client.cookies.clear()
    page = client.get("/exchange?hs=7208&lang=ru").text
    assert "Hot-rolled steel plate" in page and "Россия" in page  # the country by name
    assert "Ural Rolling Mill" not in page
    assert "Предложение продукции" in page


def test_a_member_chooses_the_language_and_the_alerts_of_exchange_mail_in_the_portal(two_members, bank):
    from scobank.access.users import find_user, reader_for
    from scobank.exchange import mail

    with _client() as buyer:
        log_in(buyer, "buyer@steel.kz", "buyer pass 1")
        page = buyer.get("/exchange/mail", headers={"Accept-Language": "ru"})
        assert "Язык писем" in page.text and 'value="message" checked' in page.text
        answer = buyer.post("/exchange/mail", data={"csrf_token": csrf_of(page.text), "language": "zh",
                                                    "alerts": ["search", "outcome"], "subscribed": "on"},
                            follow_redirects=False)
        assert answer.status_code == 303, answer.text
        shown = buyer.get(answer.headers["location"], headers={"Accept-Language": "zh"})
        assert "您的邮件设置已保存。" in shown.text and '<option value="zh" selected>' in shown.text
        assert 'value="search" checked' in shown.text and 'value="message" checked' not in shown.text
        off = buyer.post("/exchange/mail", data={"csrf_token": csrf_of(shown.text), "language": "zh"},
                         follow_redirects=False)
        assert off.status_code == 303
    with bank.session() as s:
        prefs = mail.preferences(s, reader=reader_for(s, find_user(s, "buyer@steel.kz")))
    assert (prefs.language, prefs.subscribed, prefs.alerts) == ("zh", False, [])


def test_the_mail_settings_page_asks_a_visitor_to_log_in(client):
    answer = client.get("/exchange/mail", follow_redirects=False)
    assert answer.status_code in (303, 401)
