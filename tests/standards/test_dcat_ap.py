"""The catalog's DCAT-AP JSON-LD against the official DCAT-AP 3.0.0 SHACL shapes (mandatory,
recommended and ranges; tests/data/dcat-ap-3.0.0, with their source), validated by pyshacl as an EU
portal's harvester validates it: any violation fails."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from .conftest import METADATA

SHAPES = Path(__file__).resolve().parents[1] / "data" / "dcat-ap-3.0.0"


@pytest.fixture(scope="module")
def shapes():
    from rdflib import Graph

    graph = Graph()
    for name in ("shapes.ttl", "shapes_recommended.ttl", "range.ttl"):
        graph.parse(SHAPES / name, format="turtle")
    return graph


def _catalog_graph(document: dict):
    from rdflib import Graph

    return Graph().parse(data=json.dumps(document), format="json-ld")


def _violations(data, shapes) -> list[str]:
    from pyshacl import validate
    from rdflib import Namespace

    sh = Namespace("http://www.w3.org/ns/shacl#")
    conforms, report, _text = validate(data, shacl_graph=shapes, inference="none", allow_warnings=True)
    found = []
    for result in report.subjects(sh.resultSeverity, sh.Violation):
        found.append(f"{report.value(result, sh.focusNode)} {report.value(result, sh.resultPath)}: "
                     f"{report.value(result, sh.resultMessage)}")
    return sorted(set(found))


FULL = {**METADATA, "update_frequency": "annual", "temporal_start": 2022, "temporal_end": 2023,
        "spatial": ["KAZ"], "contact": "data@stat.gov.kz", "classification": "KATO"}


def test_the_catalog_conforms_to_dcat_ap_3(populated, shapes):
    """One dataset described in full by its steward, one with only a title (as `scobank ingest` makes it)."""
    from scobank.api.app import create_app

    client = TestClient(create_app(), headers={"Authorization": f"Bearer {populated['steward']}"})
    assert client.patch("/api/v1/datasets/kz-industry", json=FULL).status_code == 200
    document = client.get("/api/v1/catalog.jsonld").json()
    violations = _violations(_catalog_graph(document), shapes)
    assert violations == [], f"{len(violations)} violations:\n" + "\n".join(violations[:60])
    entries = {d["dct:identifier"]: d for d in document["dcat:dataset"]}
    full, bare = entries["kz-industry"], entries["kz-secret"]
    authority = "http://publications.europa.eu/resource/authority/"
    assert full["dct:accrualPeriodicity"]["@id"] == authority + "frequency/ANNUAL"
    assert full["dct:license"]["@id"] == authority + "licence/CC_BY_4_0"
    assert {t["@id"] for t in full["dcat:theme"]} >= {authority + "data-theme/ECON"}
    parquet = next(d for d in full["dcat:distribution"] if d["dct:format"]["@id"].endswith("/PARQUET"))
    assert parquet["dcat:mediaType"]["@id"] == "https://www.iana.org/assignments/media-types/application/vnd.apache.parquet"
    assert len(parquet["spdx:checksum"]["spdx:checksumValue"]["@value"]) == 64
    assert int(parquet["dcat:byteSize"]["@value"]) > 0
    assert {"@value": "工业", "@language": "zh"} in full["dcat:keyword"]
    composed = {t["@language"]: t["@value"] for t in bare["dct:description"]}
    assert "No description given" in composed["en"]
    assert {lang["@id"] for lang in document["dct:language"]} == {
        authority + "language/" + code for code in ("ENG", "RUS", "ZHO")}


def test_a_steward_describes_a_dataset_from_the_command_line(populated, bank, shapes):
    from scobank.access.reader import OPERATOR
    from scobank.catalog.dcat import dcat_catalog

    result = bank.cli("--as", "steward@stat.kz", "datasets", "describe", "kz-secret",
                      "--description", "ru=Закрытая таблица бюро", "--description", "en=The bureau's closed table",
                      "--keyword", "zh=统计", "--license", "CC0-1.0", "--theme", "industry", "--frequency", "quarterly",
                      "--temporal", "2017-2024", "--spatial", "KAZ,KGZ", "--contact", "data@stat.gov.kz")
    assert result.exit_code == 0, result.stderr
    with bank.session() as session:
        document = dcat_catalog(session, reader=OPERATOR, base_url="http://bank.example/")
    entry = next(d for d in document["dcat:dataset"] if d["dct:identifier"] == "kz-secret")
    assert {t["@language"]: t["@value"] for t in entry["dct:description"]} == {
        "ru": "Закрытая таблица бюро", "en": "The bureau's closed table"}
    assert entry["dct:title"] == [{"@value": "kz-secret table", "@language": "en"}]  # kept
    assert entry["dct:accrualPeriodicity"]["@id"].endswith("/frequency/QUARTERLY")
    assert entry["dct:temporal"]["dcat:startDate"]["@value"] == "2017-01-01"
    assert [s["@id"][-3:] for s in entry["dct:spatial"]] == ["KAZ", "KGZ"]
    assert _violations(_catalog_graph(document), shapes) == []
    bad = bank.cli("--as", "steward@stat.kz", "datasets", "describe", "kz-secret", "--title", "Russian title")
    assert bad.exit_code == 2 and "LANG=TEXT" in bad.stderr and "Traceback" not in bad.stderr
    foreign = bank.cli("--as", "analyst@minprom.ru", "datasets", "describe", "kz-secret", "--license", "CC0-1.0")
    assert foreign.exit_code != 0 and "Traceback" not in foreign.stderr
