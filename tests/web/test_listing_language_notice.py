"""The portal's listing form tells a Kazakh (Uzbek, Tajik, ...) author, in the reader's language and before
publishing, that search will not find a listing written in that language by meaning or from another
language; one more click publishes it as it is (issue #15, member languages)."""

from __future__ import annotations

import pytest

from tests.web.forms import log_in
from tests.web.test_exchange_pages import _client, _enterprise, two_members  # noqa: F401 - the fixture
from tests.web.test_listing_kinds_form import _form

TAJIK = {"original_language": "ru", "title_ru": "Нуриҳои минералӣ барои пахта", "description_ru": "Карбамид ва селитра, 2000 тонна дар як моҳ."}
FIELDS = {"hs_code": "310210", "volume_per_year": "2000", "unit": "t", "lead_time_days": "20"}


def _notice(page: str) -> str:
    return page.split('id="listing-language-notice"', 1)[1].split("</section>", 1)[0]


@pytest.mark.db
@pytest.mark.parametrize(("lang", "name", "button"), [("ru", "таджикский", "Всё равно опубликовать"),
                                                      ("zh", "塔吉克语", "仍然发布")])
def test_a_tajik_listing_is_held_with_the_notice_then_published_anyway(two_members, lang, name, button):  # noqa: F811
    with _client() as client:
        log_in(client, "seller@rolling.ru", "seller pass 1")
        _enterprise(client, "Ural Rolling Mill", "sales@ural-rolling.example")
        _, base = _form(client, "product_offer")
        held = client.post(f"/exchange/listings/new?lang={lang}", follow_redirects=False,
                           data={**base, **TAJIK, **FIELDS})
        assert held.status_code == 200, held.text[-2000:]
        notice = _notice(held.text)
        assert name in notice and "tg" in notice and "[en]" not in notice, notice
        assert button in held.text and TAJIK["title_ru"] in held.text  # the text typed is kept
        mine = client.get("/api/v1/exchange/listings", params={"mine": "true"}).json()
        assert mine["total"] == 0  # nothing published yet
        published = client.post(f"/exchange/listings/new?lang={lang}", follow_redirects=False,
                                data={**base, **TAJIK, **FIELDS, "action": "publish-anyway"})
        assert published.status_code == 303, published.text[-2000:]
        listing = client.get(published.headers["location"].replace("/exchange/", "/api/v1/exchange/")).json()
        assert (listing["status"], listing["title"]) == ("published", {"ru": TAJIK["title_ru"]})


@pytest.mark.db
def test_a_russian_listing_is_published_at_once_and_the_suggester_names_the_language(two_members):  # noqa: F811
    with _client() as client:
        log_in(client, "seller@rolling.ru", "seller pass 1")
        _enterprise(client, "Ural Rolling Mill", "sales@ural-rolling.example")
        _, base = _form(client, "product_offer")
        suggested = client.post("/exchange/listings/new?lang=zh", data={**base, **TAJIK, "action": "suggest"})
        assert suggested.status_code == 200 and "塔吉克语" in _notice(suggested.text)
        assert "not yet supported" not in suggested.text  # the suggester's English sentence is not shown
        published = client.post("/exchange/listings/new?lang=ru", follow_redirects=False, data={
            **base, "original_language": "ru", "title_ru": "Карбамид марки Б", "description_ru": "Карбамид, 2000 т в месяц.", **FIELDS})
        assert published.status_code == 303, published.text[-2000:]
