"""CKAN's Action API, read by CKAN's own client (`ckanapi.RemoteCKAN`) against a live server: what a
CKAN harvester or a script written for data.gov.uk sees, through the same gate and ledger."""

from __future__ import annotations

import time

import ckanapi
import pytest
from sqlalchemy import select


def _client(live, who: str | None = None, lang: str | None = None) -> ckanapi.RemoteCKAN:
    return ckanapi.RemoteCKAN(live.url, apikey=live.tokens[who] if who else None, user_agent="scobank-test")


def test_status_and_organisations(live):
    ckan = _client(live)
    assert ckan.action.status_show()["api_version"] == 3
    assert sorted(ckan.action.organization_list()) == ["kz-stat", "ru-minprom"]
    orgs = {o["name"]: o for o in ckan.action.organization_list(all_fields=True)}
    assert orgs["kz-stat"]["title_translated"]["ru"] == "Бюро национальной статистики"
    shown = ckan.action.organization_show(id="kz-stat", include_datasets=True)
    assert shown["package_count"] == 1 and [p["name"] for p in shown["packages"]] == ["kz-industry"]
    with pytest.raises(ckanapi.NotFound):
        ckan.action.organization_show(id="no-such-org")


def test_package_show_carries_every_language_and_the_files(live):
    package = _client(live).action.package_show(id="kz-industry")
    assert package["name"] == "kz-industry" and package["owner_org"] == "kz-stat"
    assert package["title"] == "Industrial output by region"
    assert package["title_translated"]["zh"] == "各地区工业产值"
    assert package["notes_translated"]["ru"].startswith("Объём продукции")
    assert {t["name"] for t in package["tags"]} == {"industry", "output", "промышленность", "工业"}
    assert package["license_id"] == "CC-BY-4.0"
    formats = {r["format"]: r for r in package["resources"]}
    assert set(formats) == {"CSV", "PARQUET", "JSON", "NDJSON"}
    assert formats["CSV"]["url"].endswith("/api/v1/datasets/kz-industry/export?format=csv")
    assert formats["CSV"]["hash"].startswith("sha256:") and "4 rows" in formats["CSV"]["description"]
    resource = _client(live).action.resource_show(id=formats["CSV"]["id"])
    assert resource["package_id"] == "kz-industry" and resource["format"] == "CSV"
    ru = _client(live).call_action("package_show", {"id": "kz-industry", "lang": "ru"})
    assert ru["title"] == "Объём промышленного производства по регионам"


def test_search_finds_in_any_language_with_facets_and_filters(live):
    ckan = _client(live)
    for words in ("промышленность", "工业", "industry"):
        found = ckan.action.package_search(q=words)
        assert [p["name"] for p in found["results"]] == ["kz-industry"], words
    everything = ckan.action.package_search(q="*:*", rows=10, facet_field=None)
    assert everything["count"] == 1  # the owner-only dataset is not there for an anonymous reader
    assert everything["facets"]["organization"] == {"kz-stat": 1}
    by_org = ckan.action.package_search(fq="organization:kz-stat")
    assert by_org["count"] == 1
    assert ckan.action.package_search(fq="organization:ru-minprom")["count"] == 0
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_search(fq="colour:red")
    with pytest.raises(ckanapi.ValidationError):
        ckan.action.package_search(rows=5000)


def test_the_gate_decides_as_on_the_bank_api(live):
    anonymous, analyst, steward = _client(live), _client(live, "analyst"), _client(live, "steward")
    assert anonymous.action.package_list() == ["kz-industry"]
    assert analyst.action.package_list() == ["kz-industry"]
    assert steward.action.package_list() == ["kz-industry", "kz-secret"]
    for reader in (anonymous, analyst):  # hidden and missing read alike
        with pytest.raises(ckanapi.NotFound):
            reader.action.package_show(id="kz-secret")
        with pytest.raises(ckanapi.NotFound):
            reader.action.resource_show(id="kz-secret--csv")
    assert steward.action.package_show(id="kz-secret")["name"] == "kz-secret"
    assert steward.action.package_search(q="*:*")["count"] == 2


def test_reads_land_in_the_ledger(live, bank):
    from scobank.access.models import LedgerEntry

    _client(live, "analyst").action.package_show(id="kz-industry")
    _client(live, "analyst").action.package_search(q="industry")
    deadline = time.monotonic() + 5  # the request's transaction commits as its answer leaves
    while time.monotonic() < deadline:
        with bank.session() as session:
            actions = set(session.scalars(select(LedgerEntry.action)
                                          .where(LedgerEntry.actor == "analyst@minprom.ru")))
        if {"metadata", "search"} <= actions:
            break
        time.sleep(0.1)
    assert {"metadata", "search"} <= actions
