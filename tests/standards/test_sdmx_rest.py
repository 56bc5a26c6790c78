"""The SDMX 2.1 REST API as an `sdmx1` (or .Stat Suite) user meets it: the bank registered as a source
(`sdmx.add_source` with the live server's URL), then `Client.dataflow()`, `.datastructure()`,
`.codelist()` and `.data(...)` with a key and periods, values compared with the rows published; the
formats chosen by the Accept header; refusals through the same gate; every answer in the ledger."""

from __future__ import annotations

import csv
import io
import re

import httpx
import pytest
import requests
import sdmx

from tests.standards.test_sdmx import ROWS

REST = "/api/v1/sdmx/rest"
MEASURES = {"OUTPUT_MLN_TENGE": 0, "ENTERPRISES": 1}


def _client(live, token: str | None = None) -> sdmx.Client:
    """A client of the bank registered as the source SCOBANK (sdmx1 asks for the source id's agency),
    with the reader's token on its HTTP session."""
    sdmx.add_source({"id": "SCOBANK", "url": f"{live.url}{REST}", "name": "SCO Data Bank (test)",
                     "supports": {"structure-specific data": True}}, override=True)
    client = sdmx.Client("SCOBANK")
    if token:
        client.session.headers["Authorization"] = f"Bearer {token}"
    return client


def _region_codes(client: sdmx.Client) -> dict[str, str]:
    """region name -> code id, from the codelist the bank serves."""
    codelist = client.codelist("CL_KZ_INDUSTRY_REGION").codelist["CL_KZ_INDUSTRY_REGION"]
    return {str(code.name): code.id for code in codelist}


def _values(message, names: dict[str, str]) -> dict[tuple[str, str, str], float]:
    """(region name, year, measure) -> value, from any data message sdmx1 read."""
    out = {}
    for dataset in message.data:
        for obs in dataset.obs:
            key = {k: str(v.value) for k, v in obs.key.values.items()}
            out[(names[key["REGION"]], key["TIME_PERIOD"], key["MEASURE"])] = float(obs.value)
    return out


def _expected(years: set[str], measures: set[str], regions: set[str] | None = None) -> dict:
    return {(r, t, m): row[MEASURES[m]] for (r, t), row in ROWS.items() for m in measures
            if t in years and (regions is None or r in regions)}


def test_sdmx1_finds_the_dataflows_their_structure_and_codelists(live):
    client = _client(live)
    flows = client.dataflow()  # /dataflow/SCOBANK/all/latest: what an anonymous reader may see
    assert sorted(flows.dataflow) == ["KZ_INDUSTRY"]  # kz-secret is the owner's only
    flow = flows.dataflow["KZ_INDUSTRY"]
    assert str(flow.name.localizations["ru"]) == "Объём промышленного производства по регионам"
    assert flow.structure.id == "DSD_KZ_INDUSTRY"

    full = client.dataflow("KZ_INDUSTRY")  # references=all: the DSD and its codelists come along
    dsd = full.structure["DSD_KZ_INDUSTRY"]
    assert [d.id for d in dsd.dimensions] == ["REGION", "MEASURE", "TIME_PERIOD"]
    regions = full.codelist["CL_KZ_INDUSTRY_REGION"]
    assert sorted(str(c.name) for c in regions) == ["Абай", "Акмола", "Алматы"]

    alone = client.datastructure("DSD_KZ_INDUSTRY", params={"references": "none"})
    assert [d.id for d in alone.structure["DSD_KZ_INDUSTRY"].dimensions] == ["REGION", "MEASURE", "TIME_PERIOD"]
    assert sum(len(c) for c in alone.codelist.values()) == 0  # references=none: the DSD only, no codes
    measures = client.codelist("CL_KZ_INDUSTRY_MEASURE").codelist["CL_KZ_INDUSTRY_MEASURE"]
    assert {c.id for c in measures} == set(MEASURES)


def test_sdmx1_reads_data_by_key_and_period_as_published(live):
    client = _client(live)
    codes = _region_codes(client)
    names = {code: name for name, code in codes.items()}
    # A dict key checked against the DSD, which sdmx1 then asks structure-specific data for.
    dsd = client.datastructure("DSD_KZ_INDUSTRY").structure["DSD_KZ_INDUSTRY"]
    one = client.data("KZ_INDUSTRY", key={"REGION": [codes["Абай"], codes["Алматы"]], "MEASURE": "OUTPUT_MLN_TENGE"},
                      params={"startPeriod": "2022", "endPeriod": "2022"}, dsd=dsd)
    assert one.response.headers["content-type"].startswith("application/vnd.sdmx.structurespecificdata+xml")
    assert _values(one, names) == {("Абай", "2022", "OUTPUT_MLN_TENGE"): 1234.5,
                                   ("Алматы", "2022", "OUTPUT_MLN_TENGE"): 9100.0}
    # A string key without the DSD: generic data, readable on its own; a quarter starts the period.
    generic = client.data("KZ_INDUSTRY", key=f"{codes['Абай']}.", params={"startPeriod": "2023-Q1"})
    assert generic.response.headers["content-type"].startswith("application/vnd.sdmx.genericdata+xml")
    assert _values(generic, names) == _expected({"2023"}, set(MEASURES), {"Абай"})
    everything = client.data("KZ_INDUSTRY")
    assert _values(everything, names) == _expected({"2022", "2023"}, set(MEASURES))
    series = {tuple(str(v.value) for v in s.values.values()) for s in everything.data[0].series}
    assert len(series) == 6  # 3 regions x 2 measures, observed by TIME_PERIOD

    sdmx_reads = [e for e in _ledger(live) if (e.get("detail") or {}).get("sdmx")]
    assert {e["detail"]["format"] for e in sdmx_reads} == {"sdmx-ml", "sdmx-generic"}
    assert any(e["detail"]["sdmx"]["startPeriod"] == "2023-Q1" and e["rows"] == 1 for e in sdmx_reads)


def _ledger(live) -> list[dict]:
    """The dataset's ledger as its steward reads it."""
    answer = httpx.get(f"{live.url}/api/v1/ledger", params={"dataset": "kz-industry", "limit": 100},
                       headers={"Authorization": f"Bearer {live.tokens['steward']}"})
    assert answer.status_code == 200, answer.text
    return answer.json()["entries"]


@pytest.mark.parametrize(("accept", "reader"), [
    ("application/vnd.sdmx.structurespecificdata+xml;version=2.1", "XML"),
    ("application/vnd.sdmx.genericdata+xml;version=2.1", "XML"),
    ("application/vnd.sdmx.data+csv;version=2.0.0", "CSV"),
])
def test_each_format_by_accept_header_flat_or_in_series_gives_the_same_values(live, accept, reader):
    structure = _client(live).dataflow("KZ_INDUSTRY")
    dsd = structure.structure["DSD_KZ_INDUSTRY"]
    names = {c.id: str(c.name) for c in structure.codelist["CL_KZ_INDUSTRY_REGION"]}
    for at in ("TIME_PERIOD", "AllDimensions", "REGION"):
        answer = httpx.get(f"{live.url}{REST}/data/SCOBANK,KZ_INDUSTRY,1.0/.ENTERPRISES",
                           params={"dimensionAtObservation": at, "endPeriod": "2022-12"}, headers={"Accept": accept})
        assert answer.status_code == 200, answer.text
        assert answer.headers["content-type"].split(";")[0] == accept.split(";")[0]
        message = sdmx.read_sdmx(io.BytesIO(answer.content), format=reader, structure=dsd)
        assert _values(message, names) == _expected({"2022"}, {"ENTERPRISES"}), at


def test_the_gate_and_the_standard_refuse_plainly(live):
    analyst = _client(live, live.tokens["analyst"])
    with pytest.raises(requests.HTTPError) as refused:  # owner-only: absent for another member's analyst
        analyst.data("KZ_SECRET")
    assert refused.value.response.status_code == 404
    steward = _client(live, live.tokens["steward"])
    assert sorted(steward.dataflow().dataflow) == ["KZ_INDUSTRY", "KZ_SECRET"]  # its own too
    cases = [  # (path, params, Accept, status, words of the message)
        ("/data/KZ_INDUSTRY/X", {}, None, 400, "REGION.MEASURE"),
        ("/data/KZ_INDUSTRY/NOPE.", {}, None, 404, "REGION has no code NOPE"),
        ("/data/KZ_INDUSTRY", {"startPeriod": "2022-13"}, None, 400, "startPeriod '2022-13'"),
        ("/data/KZ_INDUSTRY", {"startPeriod": "2030"}, None, 404, "no observations"),
        ("/data/KZ_INDUSTRY", {"lastNObservations": "1"}, None, 501, "lastNObservations"),
        ("/data/KZ_INDUSTRY", {"dimensionAtObservation": "YEAR"}, None, 400, "AllDimensions or one of REGION"),
        ("/data/KZ_INDUSTRY", {}, "application/json", 406, "application/vnd.sdmx.data+csv"),
        ("/data/OTHER,KZ_INDUSTRY", {}, None, 404, "the bank's agency is SCOBANK"),
        ("/data/KZ_INDUSTRY/all/SCOBANK,RU_MINPROM", {}, None, 404, "are provided by SCOBANK,KZ_STAT"),
        ("/dataflow/SCOBANK/KZ_INDUSTRY/7.0", {}, None, 404, "no version 7"),
        ("/codelist/SCOBANK/CL_KZ_SECRET_REGION", {}, None, 404, "codelist CL_KZ_SECRET_REGION"),
        ("/datastructure/SCOBANK/all", {"references": "cousins"}, None, 400, "references 'cousins'"),
    ]
    for path, params, accept, status, words in cases:
        answer = httpx.get(f"{live.url}{REST}{path}", params=params, headers={"Accept": accept} if accept else {})
        assert (answer.status_code, answer.json()["ok"]) == (status, False), (path, answer.text)
        assert words in answer.json()["message"], (path, answer.text)
    provided = httpx.get(f"{live.url}{REST}/data/KZ_INDUSTRY/all/SCOBANK,KZ_STAT", params={"format": "csvfile"})
    assert provided.status_code == 200 and len(provided.text.splitlines()) == 1 + 8  # 4 rows x 2 measures


def test_the_dataset_page_links_its_sdmx_and_the_data_come_named_in_the_readers_language(populated):
    from fastapi.testclient import TestClient

    from scobank.api.app import create_app

    client = TestClient(create_app())
    page = client.get("/datasets/kz-industry?lang=ru")
    assert page.status_code == 200
    html = page.text
    assert "эта версия — поток данных (dataflow) SCOBANK,KZ_INDUSTRY,1.0" in html
    assert f"<code>http://testserver{REST}</code>" in html
    assert "数据流 SCOBANK,KZ_INDUSTRY,1.0" in client.get("/datasets/kz-industry?lang=zh").text
    links = re.findall(r'href="([^"]*sdmx[^"]*)"', html)
    structure = next(link for link in links if link.endswith("/sdmx/structure?version=1"))
    assert client.get(structure).headers["content-type"].startswith("application/vnd.sdmx.structure+xml")
    data_link = next(link for link in links if "/data/" in link).replace("&amp;", "&")
    answer = client.get(data_link)
    assert answer.status_code == 200, answer.text
    table = list(csv.reader(io.StringIO(answer.text)))
    assert table[0][3:] == ["REGION: [en] region", "MEASURE: Показатель", "TIME_PERIOD: Отчётный период",
                            "OBS_VALUE: Значение наблюдения"]
    codes = {row[3].split(": ")[1] for row in table[1:]}
    assert codes == {"Абай", "Акмола", "Алматы"}
    assert {(row[3].split(": ")[1], row[4].split(": ")[0], row[5]): float(row[6]) for row in table[1:]} == \
        {(r, m, t): v for (r, t, m), v in _expected({"2022", "2023"}, set(MEASURES)).items()}
    named = client.get(f"{REST}/data/KZ_INDUSTRY/.ENTERPRISES",
                       params={"format": "csvfile", "labels": "name", "lang": "zh"}).text.splitlines()
    assert named[0].split(",")[3:] == ["[en] region", "指标", "时间段", "观测值"]
    assert sorted(row.split(",")[3:] for row in named[1:]) == [["Абай", "[en] enterprises", "2022", "120"],
                                                              ["Абай", "[en] enterprises", "2023", "125"],
                                                              ["Акмола", "[en] enterprises", "2022", "310"],
                                                              ["Алматы", "[en] enterprises", "2022", "870"]]
