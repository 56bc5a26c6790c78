"""SDMX as a .Stat Suite or `sdmx1` user reads it: the structure (SDMX-ML 2.1: dataflow, codelists,
DSD) and the data as SDMX-CSV 2.0 and SDMX-ML 2.1 structure-specific, fetched over HTTP from a live
bank and written by the CLI, then read with `sdmx1` itself and compared value by value."""

from __future__ import annotations

import io
import json

import httpx
import pytest
import sdmx

# The rows of tests/standards/conftest.py's INDUSTRY_CSV: (region, year) -> output, enterprises.
ROWS = {("Абай", "2022"): (1234.5, 120), ("Акмола", "2022"): (2500.25, 310),
        ("Алматы", "2022"): (9100.0, 870), ("Абай", "2023"): (1300.0, 125)}


def _structure(url: str, token: str | None = None):
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    answer = httpx.get(f"{url}/api/v1/datasets/kz-industry/sdmx/structure", headers=headers)
    assert answer.status_code == 200, answer.text
    assert answer.headers["content-type"].startswith("application/vnd.sdmx.structure+xml")
    return sdmx.read_sdmx(io.BytesIO(answer.content), format="XML")


def _regions(message) -> dict[str, str]:
    """code id -> the region's name, from the REGION codelist."""
    return {code.id: str(code.name) for code in message.codelist["CL_KZ_INDUSTRY_REGION"]}


def _observed(data_message, regions: dict[str, str]) -> dict[tuple[str, str], tuple[float, float]]:
    out: dict[tuple[str, str, str], float] = {}
    for dataset in data_message.data:
        for obs in dataset.obs:
            key = obs.key.get_values() if hasattr(obs.key, "get_values") else None
            values = {kv.id: str(kv.value) for kv in obs.dimension.values.values()} if key is None else \
                dict(zip([d.id for d in obs.key.values.values()], key, strict=True))
            out[(regions[values["REGION"]], values["TIME_PERIOD"], values["MEASURE"])] = float(obs.value)
    return {(r, t): (out[(r, t, "OUTPUT_MLN_TENGE")], out[(r, t, "ENTERPRISES")]) for r, t, _ in out}


def test_the_structure_describes_the_dataset_as_sdmx1_reads_it(live):
    message = _structure(live.url)
    dsd = message.structure["DSD_KZ_INDUSTRY"]
    assert [d.id for d in dsd.dimensions] == ["REGION", "MEASURE", "TIME_PERIOD"]
    assert dsd.measures[0].id == "OBS_VALUE"
    assert sorted(_regions(message).values()) == ["Абай", "Акмола", "Алматы"]
    assert {c.id for c in message.codelist["CL_KZ_INDUSTRY_MEASURE"]} == {"OUTPUT_MLN_TENGE", "ENTERPRISES"}
    flow = message.dataflow["KZ_INDUSTRY"]
    assert flow.structure.id == "DSD_KZ_INDUSTRY"
    assert str(flow.name.localizations["zh"]) == "各地区工业产值"


@pytest.mark.parametrize("fmt", ["sdmx-csv", "sdmx-ml", "sdmx-generic"])
def test_sdmx_data_read_back_with_sdmx1_gives_every_value(live, fmt):
    structure = _structure(live.url)
    dsd = structure.structure["DSD_KZ_INDUSTRY"]
    answer = httpx.get(f"{live.url}/api/v1/datasets/kz-industry/export", params={"format": fmt})
    assert answer.status_code == 200, answer.text
    data = sdmx.read_sdmx(io.BytesIO(answer.content), format="CSV" if fmt == "sdmx-csv" else "XML",
                          structure=dsd)
    assert _observed(data, _regions(structure)) == ROWS


def test_sdmx_data_take_the_export_filters(live):
    structure = _structure(live.url)
    answer = httpx.get(f"{live.url}/api/v1/datasets/kz-industry/export",
                       params={"format": "sdmx-csv", "filter": "year=2023"})
    data = sdmx.read_sdmx(io.BytesIO(answer.content), format="CSV", structure=structure.structure["DSD_KZ_INDUSTRY"])
    assert _observed(data, _regions(structure)) == {("Абай", "2023"): (1300.0, 125)}


def test_the_cli_writes_structure_and_data_and_the_ledger_names_the_format(bank, populated, tmp_path):
    target, data_file = tmp_path / "structure.xml", tmp_path / "data.xml"
    for args in (("sdmx", "structure", "kz-industry", "-o", str(target)),
                 ("export", "kz-industry", "--format", "sdmx-ml", "-o", str(data_file))):
        result = bank.cli("--as", "analyst@minprom.ru", *args)
        assert result.exit_code == 0, result.stderr
    structure = sdmx.read_sdmx(target)
    data = sdmx.read_sdmx(data_file, structure=structure.structure["DSD_KZ_INDUSTRY"])
    assert _observed(data, _regions(structure)) == ROWS
    shown = bank.cli("ledger", "show", "--dataset", "kz-industry", "--json")
    assert '"sdmx-ml"' in shown.stdout and '"sdmx-structure"' in shown.stdout


def test_an_owner_only_dataset_has_no_sdmx_for_others(live):
    for path in ("sdmx/structure", "export?format=sdmx-csv"):
        answer = httpx.get(f"{live.url}/api/v1/datasets/kz-secret/{path}",
                           headers={"Authorization": f"Bearer {live.tokens['analyst']}"})
        assert answer.status_code == 404, answer.text
        assert answer.json()["ok"] is False


ESTAT_STYLE = """STRUCTURE,STRUCTURE_ID,ACTION,REF_AREA: Reference area,INDICATOR: Indicator,TIME_PERIOD,OBS_VALUE
dataflow,ESTAT:NA_MAIN(1.0),I,KAZ: Kazakhstan,GDP: Gross domestic product,2022,225.5
dataflow,ESTAT:NA_MAIN(1.0),I,UZB: Uzbekistan,GDP: Gross domestic product,2022,80.4
dataflow,ESTAT:NA_MAIN(1.0),I,KAZ: Kazakhstan,GDP: Gross domestic product,2023,261.4
"""


def test_an_sdmx_csv_file_publishes_and_comes_back_as_sdmx(bank, populated, tmp_path):
    source = tmp_path / "na_main.csv"
    source.write_text(ESTAT_STYLE, encoding="utf-8")
    result = bank.cli("ingest", str(source), "--org", "kz-stat", "--dataset", "kz-gdp", "--json")
    assert result.exit_code == 0, result.stderr
    assert "SDMX-CSV 2.0, dataflow ESTAT:NA_MAIN(1.0)" in result.stdout
    rows = bank.cli("query", "kz-gdp", "--sort", "REF_AREA", "--sort", "TIME_PERIOD", "--json")
    assert [(r["REF_AREA"], r["INDICATOR"], r["TIME_PERIOD"], r["OBS_VALUE"]) for r in json.loads(rows.stdout)["rows"]] \
        == [("KAZ", "GDP", 2022, 225.5), ("KAZ", "GDP", 2023, 261.4), ("UZB", "GDP", 2022, 80.4)]
    target, data_file = tmp_path / "structure.xml", tmp_path / "data.csv"
    assert bank.cli("sdmx", "structure", "kz-gdp", "-o", str(target)).exit_code == 0
    assert bank.cli("export", "kz-gdp", "--format", "sdmx-csv", "-o", str(data_file)).exit_code == 0
    structure = sdmx.read_sdmx(target)
    areas = structure.codelist["CL_KZ_GDP_REF_AREA"]
    assert str(areas["KAZ"].name.localizations["ru"]) == "Казахстан"  # named from the reference data
    data = sdmx.read_sdmx(data_file, structure=structure.structure["DSD_KZ_GDP"])
    values = {(o.dimension.values["REF_AREA"].value, o.dimension.values["TIME_PERIOD"].value): float(o.value)
              for ds in data.data for o in ds.obs}
    assert values == {("KAZ", "2022"): 225.5, ("UZB", "2022"): 80.4, ("KAZ", "2023"): 261.4}


def test_an_sdmx_csv_deletion_is_refused_naming_its_row(bank, populated, tmp_path):
    source = tmp_path / "deletions.csv"
    source.write_text(ESTAT_STYLE.replace("I,UZB", "D,UZB"), encoding="utf-8")
    result = bank.cli("ingest", str(source), "--org", "kz-stat", "--dataset", "kz-gdp")
    assert result.exit_code != 0 and "Traceback" not in result.stderr
    assert "deletions.csv, row 2, column 'ACTION'" in result.stderr and "D (delete)" in result.stderr
