"""SDMX-ML 2.1 data messages publish as dataset versions, as SDMX-CSV files do: a Eurostat-style
structure-specific message in series, and the bank's own generic data read back from its SDMX REST API
and sent again through the upload route; a message the bank does not publish (a DTD, entities, a
structure message, Delete, broken XML) is refused naming the file, the line and the element."""

from __future__ import annotations

import json
import re

import pytest
from fastapi.testclient import TestClient

from tests.standards.test_sdmx import ROWS

HEAD = """<?xml version="1.0" encoding="UTF-8"?>
<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
  xmlns:ss="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/structurespecific"
  xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
  xmlns:ns1="urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=ESTAT:NAMA_10_GDP(1.0):ObsLevelDim:TIME_PERIOD"
  xmlns:common="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common">
<message:Header><message:ID>NAMA</message:ID><message:Test>false</message:Test>
<message:Prepared>2024-03-01T10:00:00</message:Prepared><message:Sender id="ESTAT"/>
<message:Structure structureID="ESTAT_NAMA_10_GDP_1_0" dimensionAtObservation="TIME_PERIOD"
  namespace="urn:sdmx:org.sdmx.infomodel.datastructure.Dataflow=ESTAT:NAMA_10_GDP(1.0):ObsLevelDim:TIME_PERIOD">
<common:StructureUsage><Ref agencyID="ESTAT" id="NAMA_10_GDP" version="1.0"/></common:StructureUsage>
</message:Structure></message:Header>
"""
ESTAT_SERIES = HEAD + """<message:DataSet ss:dataScope="DataStructure" xsi:type="ns1:DataSetType"
  ss:structureRef="ESTAT_NAMA_10_GDP_1_0" action="Replace">
<Series freq="A" unit="CP_MEUR" geo="KZ"><Obs TIME_PERIOD="2022" OBS_VALUE="225.5"/>
  <Obs TIME_PERIOD="2023" OBS_VALUE="261.4" OBS_FLAG="p"/></Series>
<Series freq="A" unit="CP_MEUR" geo="UZ"><Obs TIME_PERIOD="2022" OBS_VALUE="80.4"/></Series>
</message:DataSet></message:StructureSpecificData>
"""


def _rows(bank, slug: str) -> list[dict]:
    shown = bank.cli("query", slug, "--json", "--limit", "1000")
    assert shown.exit_code == 0, shown.stderr
    return json.loads(shown.stdout)["rows"]


def test_a_structure_specific_message_in_series_publishes_its_observations(bank, populated, tmp_path):
    source = tmp_path / "nama_10_gdp.xml"
    source.write_text(ESTAT_SERIES, encoding="utf-8")
    result = bank.cli("ingest", str(source), "--org", "kz-stat", "--dataset", "kz-gdp", "--json")
    assert result.exit_code == 0, result.stderr
    assert "SDMX-ML 2.1 structure-specific data, structure ESTAT:NAMA_10_GDP(1.0)" in result.stdout
    rows = sorted(_rows(bank, "kz-gdp"), key=lambda r: (r["geo"], r["TIME_PERIOD"]))
    assert [(r["freq"], r["unit"], r["geo"], r["TIME_PERIOD"], r["OBS_VALUE"], r["OBS_FLAG"]) for r in rows] == [
        ("A", "CP_MEUR", "KZ", 2022, 225.5, None), ("A", "CP_MEUR", "KZ", 2023, 261.4, "p"),
        ("A", "CP_MEUR", "UZ", 2022, 80.4, None)]


def test_the_banks_own_generic_data_publish_again_through_the_api_with_the_same_values(bank, populated):
    from scobank.api.app import create_app

    client = TestClient(create_app())
    message = client.get("/api/v1/sdmx/rest/data/KZ_INDUSTRY")  # generic, in series by TIME_PERIOD
    assert message.status_code == 200 and message.headers["content-type"].startswith(
        "application/vnd.sdmx.genericdata+xml")
    steward = {"Authorization": f"Bearer {populated['steward']}"}
    made = client.post("/api/v1/datasets", headers=steward,
                       json={"slug": "kz-industry-sdmx", "organisation": "kz-stat", "title": {"en": "again"}})
    assert made.status_code == 201, made.text
    sent = client.post("/api/v1/datasets/kz-industry-sdmx/versions", headers=steward,
                       files={"file": ("kz-industry.generic.xml", message.content, "application/xml")})
    assert sent.status_code == 201, sent.text
    structure = client.get("/api/v1/sdmx/rest/codelist/SCOBANK/CL_KZ_INDUSTRY_REGION").text
    names = dict(re.findall(r'<structure:Code id="(\w+)"><common:Name xml:lang="ru">([^<]+)<', structure))
    rows = _rows(bank, "kz-industry-sdmx")
    assert {(names[r["REGION"]], str(r["TIME_PERIOD"]), r["MEASURE"]): r["OBS_VALUE"] for r in rows} == {
        (region, year, measure): values[i] for (region, year), values in ROWS.items()
        for i, measure in enumerate(("OUTPUT_MLN_TENGE", "ENTERPRISES"))}


BILLION_LAUGHS = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">]>
<message:StructureSpecificData xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message">
&lol2;</message:StructureSpecificData>
"""
STRUCTURE = """<?xml version="1.0"?>
<message:Structure xmlns:message="http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"><message:Header/>
</message:Structure>
"""


@pytest.mark.parametrize(("fault", "text", "words"), [
    ("entities", BILLION_LAUGHS, "declares a DTD or entities"),
    ("structure", STRUCTURE, "line 2, <Structure>: a structure message holds no data"),
    ("deletion", ESTAT_SERIES.replace('action="Replace"', 'action="Delete"'),
     "line 14, <DataSet>: action Delete: the bank publishes whole versions"),
    ("broken", ESTAT_SERIES.replace("</Series>\n<Series", "</Serie>\n<Series", 1),
     "line 16, <Series>: not well-formed XML: mismatched tag"),
    ("sdmx20", '<CompactData xmlns="http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message"><DataSet/></CompactData>',
     "line 1, <CompactData>: a message of namespace http://www.SDMX.org/resources/SDMXML/schemas/v2_0/message"),
    ("empty", HEAD + '<message:DataSet action="Replace"></message:DataSet></message:StructureSpecificData>',
     "<DataSet>: the message holds no observation"),
])
def test_a_message_the_bank_does_not_publish_is_refused_saying_where_and_why(bank, populated, tmp_path, fault,
                                                                             text, words):
    source = tmp_path / f"{fault}.xml"
    source.write_text(text, encoding="utf-8")
    result = bank.cli("ingest", str(source), "--org", "kz-stat", "--dataset", "kz-gdp")
    assert result.exit_code != 0 and "Traceback" not in result.stderr
    assert f"{fault}.xml: " in result.stderr and words in result.stderr, result.stderr
