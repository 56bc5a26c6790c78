"""Atom feeds of new listings: filtered by kind, HS prefix and country, valid Atom 1.0 as a real parser
(feedparser) reads it, texts in the reader's language, unknown parameters refused, reads ledgered."""

from __future__ import annotations

import json

from xml.etree import ElementTree as ET

import feedparser
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.exchange.conftest import CHN_STEWARD, KAZ_FIRM, UZB_FIRM, make_enterprise, post, soon

pytestmark = pytest.mark.db
ATOM = "{http://www.w3.org/2005/Atom}"


@pytest.fixture
def portal(bank):
    from scobank.api.app import create_app

    with bank.session() as s:
        kaz = make_enterprise(s, KAZ_FIRM)
        coil = post(s, KAZ_FIRM, kaz, "product_offer", {"hs_code": "720838", "volume_per_year": 1500},
                    title="Горячекатаный рулон", lang="ru")
        plate = post(s, KAZ_FIRM, kaz, "product_offer", {"hs_code": "720851", "volume_per_year": 300},
                     title="Hot-rolled plate")
        chn = make_enterprise(s, CHN_STEWARD)
        need = post(s, CHN_STEWARD, chn, "product_request", {"hs_code": "720838", "volume_per_year": 900},
                    title="热轧钢卷", lang="zh")
        uzb = make_enterprise(s, UZB_FIRM)
        sewing = post(s, UZB_FIRM, uzb, "capacity_offer",
                      {"process": "sewing", "capacity": 1000, "available_from": soon(0)}, title="Sewing capacity")
        ids = {"coil": coil.id, "plate": plate.id, "need": need.id, "sewing": sewing.id}
    with TestClient(create_app()) as client:
        yield client, ids


def _feed(client, query: str):
    response = client.get(f"/exchange/feed.atom?{query}")
    assert response.status_code == 200, response.text
    assert response.headers["content-type"].startswith("application/atom+xml")
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    return parsed, ET.fromstring(response.content)


def test_feed_filters_by_kind_hs_and_country(portal):
    client, ids = portal
    parsed, _ = _feed(client, "kind=product_offer&hs=7208&party=KAZ&lang=en")
    links = [e.link for e in parsed.entries]
    assert sorted(links) == sorted(f"http://testserver/exchange/listings/{ids[k]}?lang=en" for k in ("coil", "plate"))
    assert {e.category for e in parsed.entries} == {"product_offer"}
    plate = next(e for e in parsed.entries if e.link.endswith(f"/{ids['plate']}?lang=en"))
    assert plate.title == "Hot-rolled plate"
    assert plate.summary == "Product offer · HS 720851 · Kazakhstan"
    assert parsed.feed.title == "New listings of the SCO cooperation exchange"
    only_china, _ = _feed(client, "hs=720838&party=CHN")
    assert [e.link for e in only_china.entries] == [f"http://testserver/exchange/listings/{ids['need']}?lang=en"]
    everything, root = _feed(client, "")
    assert len(everything.entries) == 4
    assert root.find(f"{ATOM}id").text == "http://testserver/exchange/feed.atom"
    assert all(e.find(f"{ATOM}updated") is not None and e.find(f"{ATOM}id") is not None
               for e in root.findall(f"{ATOM}entry"))


def test_feed_speaks_the_readers_language_and_marks_titles_in_another(portal):
    client, ids = portal
    parsed, root = _feed(client, "kind=capacity_offer&lang=ru")
    assert parsed.feed.title == "Новые объявления биржи сотрудничества ШОС"
    (entry,) = parsed.entries
    assert entry.summary == "Свободные производственные мощности · Узбекистан"
    assert entry.title == "Sewing capacity [en]"
    node = root.find(f"{ATOM}entry/{ATOM}title")
    assert node.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    zh, _ = _feed(client, "kind=product_request&lang=zh")
    assert zh.entries[0].title == "热轧钢卷" and zh.entries[0].summary == "产品需求 · HS 720838 · 中国"


def test_unknown_feed_parameters_are_refused_and_reads_are_ledgered(portal, bank):
    from scobank.access.models import LedgerEntry

    client, _ = portal
    bad = client.get("/exchange/feed.atom?colour=red")
    assert bad.status_code == 400 and "colour" in bad.text  # the portal's answer to a bad request
    assert client.get("/exchange/feed.atom?kind=spaceship").status_code == 400
    _feed(client, "kind=product_offer")
    with bank.session() as s:
        details = s.scalars(select(LedgerEntry.detail).where(LedgerEntry.action == "exchange.feed")).all()
    assert {"criteria": {"kind": "product_offer"}, "entries": 2} in [json.loads(d) for d in details]
