"""Malicious workbooks (issue 17, item 8): each is refused with its file name and the reason, in
bounded time and memory, never with a traceback, and nothing is staged. The files are made here; an
ordinary workbook made the same way is read, so each refusal is the guard's and not a broken file."""

from __future__ import annotations

import json
import os
import resource
import time
import zipfile

import pytest

from scobank.errors import BadFile
from scobank.ingest.pipeline import stage_file
from scobank.ingest.readers import zip_guard

MAIN = "application/vnd.openxmlformats-officedocument.spreadsheetml"
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{MAIN}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{MAIN}.worksheet+xml"/>'
    f'<Override PartName="/xl/sharedStrings.xml" ContentType="{MAIN}.sharedStrings+xml"/></Types>')
ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>')
WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/'
    'main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets>'
    '<sheet name="Data" sheetId="1" r:id="rId1"/></sheets></workbook>')
WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/'
    'relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.'
    'openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
    '</Relationships>')
SHEET_HEAD = '<?xml version="1.0" encoding="UTF-8"?>'
SHEET_BODY = ('<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
              '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c></row>'
              '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>120</v></c></row>'
              '<row r="3"><c r="A3" t="s"><v>3</v></c><c r="B3"><v>340</v></c></row>{extra}'
              '</sheetData></worksheet>')
STRINGS = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/'
           '2006/main">{items}</sst>')
WORDS = ["region", "tonnes", "Akmola", "Almaty"]


def workbook(path, *, head: str = SHEET_HEAD, extra: str = "", padding: int = 0, words=WORDS,
             parts: dict[str, bytes] | None = None):
    """A one-sheet .xlsx: region/tonnes with two rows; `extra` cells, `padding` spaces in the sheet,
    other `parts` added."""
    sheet = (head + SHEET_BODY.format(extra=extra) + " " * padding).encode()
    items = "".join(f"<si><t>{w}</t></si>" for w in words)
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", CONTENT_TYPES)
        z.writestr("_rels/.rels", ROOT_RELS)
        z.writestr("xl/workbook.xml", WORKBOOK)
        z.writestr("xl/_rels/workbook.xml.rels", WORKBOOK_RELS)
        z.writestr("xl/worksheets/sheet1.xml", sheet)
        z.writestr("xl/sharedStrings.xml", STRINGS.format(items=items))
        for name, data in (parts or {}).items():
            z.writestr(name, data)
    return path


def stage(bank, path):
    with bank.session() as session:
        return stage_file(session, source=path, kind="table")


def refused(bank, path) -> str:
    started = time.monotonic()
    with pytest.raises(BadFile) as caught:
        stage(bank, path)
    assert time.monotonic() - started < 20
    staging = bank.home / "staging"
    assert not staging.exists() or not any(staging.iterdir())
    return caught.value.message


def test_an_ordinary_workbook_made_here_is_read(bank, tmp_path):
    staged = stage(bank, workbook(tmp_path / "ordinary.xlsx"))
    assert staged.row_count == 2


def test_a_zip_bomb_is_refused_by_its_ratio(bank, tmp_path):
    message = refused(bank, workbook(tmp_path / "bomb.xlsx", padding=64 * 1024**2))
    assert message.startswith("bomb.xlsx › xl/worksheets/sheet1.xml: refused, ")
    assert "a zip bomb" in message


def test_a_workbook_unpacking_beyond_the_limit_is_refused(bank, tmp_path, monkeypatch):
    monkeypatch.setattr(zip_guard, "MAX_UNPACKED", 256 * 1024)
    noise = " ".join(os.urandom(200_000).hex()[i:i + 7] for i in range(0, 400_000, 7))
    path = workbook(tmp_path / "big.xlsx", parts={"xl/media/noise.bin": noise.encode()})
    assert "beyond the limit of 262,144" in refused(bank, path)


def test_a_part_whose_size_lies_is_refused(bank, tmp_path):
    path = workbook(tmp_path / "liar.xlsx")
    data = bytearray(path.read_bytes())
    at = data.find(b"xl/worksheets/sheet1.xml", data.find(b"PK\x01\x02"))  # its central directory entry
    header = data.rfind(b"PK\x01\x02", 0, at)
    data[header + 24:header + 28] = (10).to_bytes(4, "little")  # "unpacks to 10 bytes"
    path.write_bytes(bytes(data))
    assert refused(bank, path).startswith("liar.xlsx: refused, ")


def test_billion_laughs_is_refused(bank, tmp_path):
    entities = '<!ENTITY lol "lol">' + "".join(
        f'<!ENTITY lol{i} "{("&lol%s;" % (i - 1 if i > 1 else "")) * 10}">' for i in range(1, 10))
    head = SHEET_HEAD + f"<!DOCTYPE worksheet [{entities}]>"
    message = refused(bank, workbook(tmp_path / "laughs.xlsx", head=head))
    assert message.startswith("laughs.xlsx › xl/worksheets/sheet1.xml: refused, ")
    assert "billion laughs" in message


def test_xml_in_utf16_cannot_hide_a_declaration(bank, tmp_path):
    path = workbook(tmp_path / "utf16.xlsx", parts={
        "docProps/custom.xml": '<?xml version="1.0" encoding="UTF-16"?><!DOCTYPE x [<!ENTITY a "b">]><x/>'
        .encode("utf-16")})
    assert "not in UTF-8" in refused(bank, path)


def test_too_many_shared_strings_are_refused(bank, tmp_path, monkeypatch):
    monkeypatch.setattr(zip_guard, "MAX_SHARED_STRINGS", 1000)
    path = workbook(tmp_path / "strings.xlsx", words=WORDS + [f"w{i}" for i in range(1000)])
    message = refused(bank, path)
    assert message.startswith("strings.xlsx › xl/sharedStrings.xml: refused, ")
    assert "more than 1,000 shared strings" in message


def test_one_far_cell_cannot_ask_for_a_grid_of_billions(bank, tmp_path):
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    path = workbook(tmp_path / "far.xlsx", extra='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    message = refused(bank, path)
    assert "1,048,576 rows by 16,384 columns" in message and "save the table as CSV" in message
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - peak < 200 * 1024  # KiB: under 200 MB more


def test_links_to_other_workbooks_are_refused(bank, tmp_path):
    link = ('<?xml version="1.0" encoding="UTF-8"?><externalLink xmlns="http://schemas.openxmlformats.org/'
            'spreadsheetml/2006/main"><externalBook r:id="rId1" xmlns:r="http://schemas.openxmlformats.org/'
            'officeDocument/2006/relationships"/></externalLink>')
    path = workbook(tmp_path / "linked.xlsx", parts={"xl/externalLinks/externalLink1.xml": link})
    message = refused(bank, path)
    assert message.startswith("linked.xlsx: refused, the workbook links to other workbooks")
    assert "xl/externalLinks/externalLink1.xml" in message


def test_the_api_answers_a_malicious_workbook_with_the_one_error_shape(bank, tmp_path):
    from fastapi.testclient import TestClient

    from scobank.api.app import create_app
    from tests.access.conftest import World, ensure_parties, make_org

    with bank.session() as s:
        ensure_parties(s)
        make_org(s, "kz-stat", "KAZ")
    world = World(bank)
    world.add_user("kz_editor", "kz-stat", "editor", scope="write")
    path = workbook(tmp_path / "far.xlsx", extra='<row r="1048576"><c r="XFD1048576"><v>1</v></c></row>')
    with TestClient(create_app()) as client:
        created = client.post("/api/v1/datasets", headers=world.headers("kz_editor"),
                              json={"slug": "kz-far", "organisation": "kz-stat", "title": {"en": "far"}})
        assert created.status_code == 201, created.text
        with path.open("rb") as fh:
            answer = client.post("/api/v1/datasets/kz-far/versions", headers=world.headers("kz_editor"),
                                 files={"file": ("far.xlsx", fh, "application/octet-stream")})
        assert answer.status_code == 422, answer.text
        body = answer.json()
        assert body["ok"] is False and body["message"].startswith("far.xlsx › xl/worksheets/sheet1.xml: refused")
        assert "Traceback" not in json.dumps(body)
        assert client.get("/api/v1/datasets/kz-far/versions", headers=world.headers("kz_editor")).json() == []
