"""The API's errors in the reader's language (issue #15): `?lang=` or Accept-Language ru/zh answers the
message and each problem's message from the portal's catalogs, the shape and the machine fields (code,
file, column, value) unchanged; English otherwise; a message the catalogs do not know is English with the
visible "[en] " marker."""

from __future__ import annotations

import pytest

RU = {"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"}


def test_a_missing_dataset_in_russian_and_chinese(client):
    en = client.get("/api/v1/datasets/no-such-data")
    ru = client.get("/api/v1/datasets/no-such-data", headers=RU)
    zh = client.get("/api/v1/datasets/no-such-data", params={"lang": "zh"})
    assert en.status_code == ru.status_code == zh.status_code == 404
    assert en.json()["message"] == "no dataset 'no-such-data'"
    assert ru.json() == {**en.json(), "message": "нет набора данных 'no-such-data'"}
    assert zh.json() == {**en.json(), "message": "没有数据集 'no-such-data'"}


def test_a_malformed_parameter_names_it_in_the_readers_language(client):
    ru = client.get("/api/v1/datasets", params={"limit": "many"}, headers=RU).json()
    assert (ru["ok"], ru["code"], ru["message"]) == (False, "invalid-parameters", "неверные параметры запроса: limit")
    assert [(p["code"], p["file"], p["column"], p["value"], p["message"]) for p in ru["problems"]] == [
        ("invalid-parameter", "query", "limit", "many",
         "limit: нужно целое число, строку нельзя прочитать как целое число")]
    zh = client.get("/api/v1/datasets", params={"limit": 0, "offset": -1, "lang": "zh"}).json()
    assert sorted(p["message"] for p in zh["problems"]) == ["limit：值应大于或等于 1", "offset：值应大于或等于 0"]


@pytest.mark.parametrize(("lang", "message", "problem"), [
    ("ru", "неизвестный параметр запроса: filters", "filters: этот адрес не принимает такой параметр"),
    ("zh", "未知的查询参数：filters", "filters：此路由没有这个参数"),
])
def test_an_unknown_parameter_in_russian_and_chinese(client, lang, message, problem):
    body = client.get("/api/v1/datasets", params={"filters": "party:eq:KAZ"},
                      headers={"Accept-Language": lang}).json()
    assert (body["code"], body["message"]) == ("invalid-parameters", message)
    assert [(p["code"], p["column"], p["message"]) for p in body["problems"]] == [("unknown-parameter", "filters", problem)]


def test_route_refusals_and_the_marker_of_a_message_without_a_translation(client):
    answer = client.delete("/api/v1/datasets", headers={"Accept-Language": "zh-CN"})
    assert answer.status_code == 405
    assert answer.json()["message"] == "/api/v1/datasets 不接受 DELETE"
    unknown = client.get("/api/v1/no-such-route", params={"lang": "ru"}).json()
    assert unknown["message"] == "нет такого адреса: GET /api/v1/no-such-route"
    from scobank.api.error_texts import translated

    assert translated("the moon is made of cheese", "ru") == "[en] the moon is made of cheese"
    assert translated("the moon is made of cheese", "en") == "the moon is made of cheese"
