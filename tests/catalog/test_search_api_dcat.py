"""GET /api/v1/search, GET /api/v1/catalog.jsonld and `scobank catalog-search` as a client sees them."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient

from scobank.access.reader import OPERATOR
from scobank.catalog.dcat import dcat_catalog
from tests.catalog.test_search import catalog  # noqa: F401  (the fixture)


@pytest.fixture
def anonymous(catalog):  # noqa: F811
    """The API as an anonymous caller (no token, no cookie): it sees the public datasets."""
    from scobank.api.app import create_app

    return TestClient(create_app())


def test_api_search_with_a_facet_filter(anonymous):
    body = anonymous.get("/api/v1/search", params={"q": "стальная продукция"}).json()
    # the title says "стальной продукции": other endings, same stems; it leads, with its words shown
    assert body["items"][0]["slug"] == "steel-products-output"
    assert body["matches"]["steel-products-output"]["words"] == ["стальная", "продукция"]
    assert "icio-2022" not in [i["slug"] for i in body["items"]]  # input-output tables are not steel products
    body = anonymous.get("/api/v1/search", params={"q": "steel", "party": "RUS"}).json()
    assert body["total"] == 1 and body["items"][0]["title"]["zh"] == "钢材出口"
    assert body["facets"]["party"] == {"RUS": 1}


def test_api_search_rejects_a_bad_parameter(anonymous):
    response = anonymous.get("/api/v1/search", params={"limit": 0})
    assert response.status_code == 422


def test_cli_catalog_search(catalog):  # noqa: F811
    result = catalog.cli("catalog-search", "钢铁", "--json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["items"][0]["slug"] == "steel-products-output"  # 钢铁 in its title, keywords and description
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
    assert steel["dct:license"]["@id"] == "http://publications.europa.eu/resource/authority/licence/CC_BY_4_0"
    assert steel["dct:temporal"]["dcat:startDate"]["@value"] == "2019-01-01"
    assert steel["dct:temporal"]["dcat:endDate"]["@value"] == "2023-12-31"
    assert steel["dct:spatial"] == [{"@id": "http://publications.europa.eu/resource/authority/country/RUS",
                                    "@type": "dct:Location"}]
    assert steel["dct:publisher"]["@id"] == "http://bank.example/organisations/minpromtorg"
    assert sorted(d["dct:title"].rsplit(".", 1)[1] for d in steel["dcat:distribution"]) == ["csv", "json", "ndjson", "parquet"]
    assert {d["dct:format"]["@id"].rsplit("/", 1)[1] for d in steel["dcat:distribution"]} == {"CSV", "JSON", "PARQUET"}
    assert "dct:spatial" not in entries["icio-2022"]["dct:publisher"]  # INT: an international body


def test_api_catalog_jsonld_lists_only_what_the_caller_may_see(anonymous, catalog):  # noqa: F811
    from scobank.catalog.models import Organisation
    from tests.catalog.test_search import _dataset

    with catalog.session() as s:
        mofcom = s.query(Organisation).filter_by(slug="mofcom").one()
        _dataset(s, mofcom, "steel-capacity-plan", audience="parties:CHN", title={"en": "Steel capacity plan"})
    response = anonymous.get("/api/v1/catalog.jsonld")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("application/ld+json")
    listed = [d["dct:identifier"] for d in response.json()["dcat:dataset"]]
    assert listed == ["icio-2022", "rolled-steel-exports", "steel-products-output"]
