"""A listing written in a member language search does not yet read (Kazakh, Uzbek, ...) is created all
the same, and the API tells its author, in the reader's language, that search will find it only by its
exact words (issue #15, member languages)."""

from __future__ import annotations

import pytest

from tests.exchange.test_api_story import client  # noqa: F401  (the API with real users and tokens)

pytestmark = pytest.mark.db

KAZAKH = {"original_language": "ru", "title": {"ru": "Болат прокаты сатылады"},
          "description": {"ru": "Ыстықтай илектелген болат парақтар, қалыңдығы 4 мм, айына 500 тонна."}}
UZBEK = {"title": {"en": "Paxta tolasi eksport uchun"}, "description": {"en": "Oʻzbekiston paxtasi, 1-nav."}}


def _post(client, firm, texts, headers):  # noqa: F811
    return client.post("/api/v1/exchange/listings", headers=headers, json={
        "enterprise_id": firm["id"], "kind": "product_offer", **texts,
        "details": {"hs_code": "720851", "volume_per_year": 500}})


def test_the_author_of_a_kazakh_listing_is_told_in_russian_and_chinese_and_it_is_created(client):  # noqa: F811
    from tests.exchange.test_api_story import _enterprise, as_

    firm = _enterprise(client, "kaz", name={"en": "Steppe steel"}, city="Almaty")
    for lang, name, said in (("ru", "казахский", "поиск банка пока не читает"), ("zh", "哈萨克语", "暂不支持"),
                             ("en", "Kazakh", "does not yet read")):
        made = _post(client, firm, KAZAKH, {**as_("kaz"), "Accept-Language": lang})
        assert made.status_code == 201, made.text
        notice = made.json()["search_notice"]
        assert (notice["code"], notice["languages"], notice["names"], notice["partly"]) == (
            "language-not-supported", ["kk"], [name], False)
        assert said in notice["message"] and name in notice["message"], notice["message"]
        listing = client.get(f"/api/v1/exchange/listings/{made.json()['id']}", headers=as_("kaz")).json()
        assert listing["title"] == KAZAKH["title"]  # created as written


def test_a_listing_with_a_searched_language_beside_is_partly_found_and_a_russian_one_gets_no_notice(client):  # noqa: F811
    from tests.exchange.test_api_story import _enterprise, as_

    firm = _enterprise(client, "kaz", name={"en": "Steppe cotton"}, city="Almaty")
    both = {"title": {**UZBEK["title"], "ru": "Хлопок-волокно на экспорт"}, "description": UZBEK["description"]}
    notice = _post(client, firm, both, {**as_("kaz"), "Accept-Language": "zh"}).json()["search_notice"]
    assert (notice["languages"], notice["names"], notice["partly"]) == (["uz"], ["乌兹别克语"], True)
    russian = {"original_language": "ru", "title": {"ru": "Хлопок-волокно на экспорт"}, "description": {"ru": "Средневолокнистый, 1 сорт."}}
    made = _post(client, firm, russian, as_("kaz"))
    assert made.status_code == 201 and made.json()["search_notice"] is None
