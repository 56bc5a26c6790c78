"""GET /api/v1/search, GET /api/v1/catalog.jsonld and `scobank catalog-search` as a client sees them."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from scobank.access.gate import OPERATOR
from scobank.catalog.dcat import dcat_catalog
from tests.catalog.test_search import catalog  # noqa: F401  (the fixture)


@pytest.fixture
def client(catalog):  # noqa: F811
    """The API as the operator: these tests are about search; who sees what is the access matrix."""
    from scobank.api.app import create_app
    from scobank.api.deps import current_reader

    app = create_app()
    app.dependency_overrides[current_reader] = lambda: OPERATOR
    return TestClient(app)


def test_api_search_with_a_facet_filter(client):
    body = client.get("/api/v1/search", params={"q": "стальная продукция"}).json()
    # the title says "стальной продукции": other endings, same stems
    assert [i["slug"] for i in body["items"]] == ["steel-products-output"]
    body = client.get("/api/v1/search", params={"q": "steel", "party": "RUS"}).json()
    assert body["total"] == 1 and body["items"][0]["title"]["zh"] == "钢材出口"
    assert body["facets"]["party"] == {"RUS": 1}


def test_api_search_rejects_a_bad_parameter(client):
    response = client.get("/api/v1/search", params={"limit": 0})
    assert response.status_code == 422


def test_cli_catalog_search(catalog):  # noqa: F811
    result = catalog.cli("catalog-search", "钢铁", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert [i["slug"] for i in data["items"]] == ["steel-products-output"]
    plain = catalog.cli("catalog-search", "steel")
    assert plain.stdout.startswith("2 dataset(s)") and "party: CHN 1, RUS 1" in plain.stdout


def test_dcat_catalog_holds_every_language_and_distribution(catalog):  # noqa: F811
    with catalog.session() as s:
        doc = dcat_catalog(s, reader=OPERATOR, base_url="http://bank.example/")
    assert doc["@type"] == "dcat:Catalog" and doc["@id"] == "http://bank.example/api/v1/catalog.jsonld"
    entries = {d["dct:identifier"]: d for d in doc["dcat:dataset"]}
    steel = entries["rolled-steel-exports"]
    assert {t["@language"]: t["@value"] for t in steel["dct:title"]} == {
        "en": "Exports of rolled steel", "ru": "Экспорт проката черных металлов", "zh": "钢材出口"}
    assert {"@value": "металлургия", "@language": "ru"} in steel["dcat:keyword"]
    assert steel["dct:license"]["@id"] == "https://creativecommons.org/licenses/by/4.0/"
    assert steel["dct:temporal"]["dcat:startDate"]["@value"] == "2019-01-01"
    assert steel["dct:temporal"]["dcat:endDate"]["@value"] == "2023-12-31"
    assert steel["dct:spatial"] == [{"@id": "http://publications.europa.eu/resource/authority/country/RUS"}]
    assert steel["dct:publisher"]["@id"] == "http://bank.example/organisations/minpromtorg"
    assert sorted(d["dct:format"] for d in steel["dcat:distribution"]) == ["CSV", "JSON", "NDJSON", "PARQUET"]
    assert "dct:spatial" not in entries["icio-2022"]["dct:publisher"]  # INT: an international body


def test_api_catalog_jsonld(client):
    response = client.get("/api/v1/catalog.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    assert len(response.json()["dcat:dataset"]) == 3
