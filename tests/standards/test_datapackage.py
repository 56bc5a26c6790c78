"""A dataset as a Frictionless Data Package, validated by `frictionless` itself: written to a folder by
the CLI, and read over HTTP from a live server (the descriptor and the CSV export it points to)."""

from __future__ import annotations

import json

import httpx
from frictionless import Package, validate


def test_the_cli_writes_a_package_frictionless_validates(bank, populated, tmp_path):
    target = tmp_path / "package"
    result = bank.cli("--as", "steward@stat.kz", "datapackage", "kz-industry", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    descriptor = json.loads((target / "datapackage.json").read_text(encoding="utf-8"))
    fields = {f["name"]: f["type"] for f in descriptor["resources"][0]["schema"]["fields"]}
    assert fields["year"] == "integer" and fields["output_mln_tenge"] == "number"
    report = validate(str(target / "datapackage.json"))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    rows = Package(str(target / "datapackage.json")).get_resource("kz-industry").read_rows()
    assert [(r["region"], r["year"], float(r["output_mln_tenge"])) for r in rows][0] == ("Абай", 2022, 1234.5)
    assert len(rows) == 4


def test_a_package_is_read_from_the_live_bank(live):
    url = f"{live.url}/api/v1/datasets/kz-industry/datapackage.json"
    descriptor = httpx.get(url).json()
    assert descriptor["licenses"][0]["name"] == "CC-BY-4.0"
    assert descriptor["scobank"]["title"]["zh"] == "各地区工业产值"
    assert "工业" in descriptor["keywords"]
    report = validate(url)
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    assert report.tasks[0].stats["rows"] == 4  # the CSV behind the descriptor was read, row by row
    assert httpx.get(f"{live.url}/api/v1/datasets/kz-secret/datapackage.json").status_code == 404
