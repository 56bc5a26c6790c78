"""SDMX-ML 2.1 data messages (GenericData, StructureSpecificData; .xml, plain or gzip) as a .Stat Suite,
Eurostat or `sdmx1` writes them: every observation becomes a row holding the dataset's attributes, its
series' key and attributes, the observation's dimension(s), OBS_VALUE and the observation's attributes,
each component a column named by its id.

The document is read by a SAX parser made safe by defusedxml (a DTD is refused, so no entity is
expanded and nothing is fetched), one element at a time, into NDJSON in the work folder that DuckDB then
streams as every reader's `raw` view. A structure message, an SDMX-ML 2.0 message, a DataSet whose
action is Delete (a version is published whole), a generic Obs without its dimension and a document that
is not well formed are refused naming the file, the line, the element and the reason."""

from __future__ import annotations

import json
import re
from pathlib import Path
from xml.sax import SAXException, SAXParseException
from xml.sax.handler import ContentHandler, feature_namespaces

import duckdb
from defusedxml import DefusedXmlException
from defusedxml.sax import make_parser

from scobank.config import get_settings
from scobank.errors import BadFile, Problem
from scobank.ingest.detection import Detection
from scobank.ingest.options import ReadOptions
from scobank.ingest.readers.base import RawTable, as_text_view, generic_explain
from scobank.ingest.scan import check_unpacked_size, open_bytes
from scobank.problem_kinds import Kind

SDMX_SPACE = b"sdmx.org/resources/sdmxml/schemas/"
MESSAGE_21 = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message"
GENERIC_21 = "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/data/generic"
DATA_ROOTS = {"GenericData": "generic", "StructureSpecificData": "structure-specific"}
# The first element of an SDMX-ML message (any version), after the declaration, comments and a DTD.
FIRST_ELEMENT = re.compile(rb"^(?:\s|<\?.*?\?>|<!--.*?-->|<!DOCTYPE(?:[^\[>]|\[.*?\])*>)*<(?:[\w.-]+:)?"
                           rb"(GenericData|StructureSpecificData|Structure|CompactData|UtilityData|CrossSectionalData|"
                           rb"GenericTimeSeriesData|StructureSpecificTimeSeriesData|MessageGroup)[\s>/]", re.S)
# Attributes of a structure-specific DataSet that are the message's, not the data's.
DATASET_FIELDS = {"action", "structureRef", "dataScope", "setID", "reportingBeginDate", "reportingEndDate",
                  "validFromDate", "validToDate", "publicationYear", "publicationPeriod"}
VALUE = "OBS_VALUE"


class _Refused(SAXException):
    """Raised inside the handler: a well-formed document the bank does not publish."""

    def __init__(self, element: str, reason: str) -> None:
        super().__init__(reason)
        self.element, self.reason = element, reason


class _Handler(ContentHandler):
    """Writes one JSON object per observation to `sink`, remembering the columns in order of appearance."""

    def __init__(self, sink) -> None:
        super().__init__()
        self.sink, self.columns, self.rows = sink, {}, 0
        self.kind: str | None = None
        self.at = "TIME_PERIOD"
        self.structure = ""
        self.path: list[str] = []
        self.dataset: dict[str, str] = {}
        self.series: dict[str, str] = {}
        self.obs: dict[str, str] | None = None
        self.locator = None

    def setDocumentLocator(self, locator) -> None:  # noqa: N802 (SAX's name)
        self.locator = locator

    def startElementNS(self, name, qname, attrs) -> None:  # noqa: N802 (SAX's name)
        space, local = name
        plain = {k[1]: v for k, v in attrs.items() if not k[0]}
        if not self.path:
            self._root(space, local)
        elif local == "Structure" and space == MESSAGE_21 and "Header" in self.path:
            self.at = plain.get("dimensionAtObservation", self.at)
            self.structure = plain.get("structureID", "")
        elif local == "Ref" and "Header" in self.path and not self.structure.count(":"):
            self.structure = f"{plain.get('agencyID', '?')}:{plain.get('id', '?')}({plain.get('version', '?')})"
        elif local == "DataSet" and space == MESSAGE_21:
            self._dataset(plain)
        elif self.kind == "generic":
            self._generic(local, plain)
        elif local == "Series":
            self.series = plain
        elif local == "Obs":
            self._emit({**self.dataset, **self.series, **plain})
        self.path.append(local)

    def endElementNS(self, name, qname) -> None:  # noqa: N802 (SAX's name)
        local = self.path.pop()
        if local == "Series":
            self.series = {}
        elif local == "Obs" and self.kind == "generic" and self.obs is not None:
            if self.at != "AllDimensions" and self.at not in self.obs:
                raise _Refused("Obs", f"a generic Obs without its ObsDimension ({self.at})")
            self._emit({**self.dataset, **self.series, **self.obs})
            self.obs = None

    def _root(self, space: str, local: str) -> None:
        if space != MESSAGE_21:
            raise _Refused(local, f"a message of namespace {space or 'none'}: the bank reads SDMX-ML 2.1 data "
                                  f"messages ({MESSAGE_21}: GenericData, StructureSpecificData)")
        if local not in DATA_ROOTS:
            what = "a structure message holds no data" if local == "Structure" else f"<{local}> holds no data set"
            raise _Refused(local, f"{what}; publish a GenericData or StructureSpecificData message")
        self.kind = DATA_ROOTS[local]

    def _dataset(self, plain: dict[str, str]) -> None:
        if plain.get("action", "").lower() == "delete":
            raise _Refused("DataSet", "action Delete: the bank publishes whole versions; send the observations "
                                      "to keep rather than those to delete")
        self.dataset = {k: v for k, v in plain.items() if k not in DATASET_FIELDS}

    def _generic(self, local: str, plain: dict[str, str]) -> None:
        parent = self.path[-1] if self.path else ""
        if local == "Obs":
            self.obs = {}
        elif local == "ObsDimension" and self.obs is not None:
            self.obs[self.at] = plain.get("value", "")
        elif local == "ObsValue" and self.obs is not None:
            self.obs[VALUE] = plain.get("value", "")
        elif local == "Value" and "id" in plain:
            target = self.obs if self.obs is not None else (self.series if "Series" in self.path else self.dataset)
            if parent in ("SeriesKey", "ObsKey", "Attributes"):
                target[plain["id"]] = plain.get("value", "")

    def _emit(self, row: dict[str, str]) -> None:
        for column in row:
            self.columns.setdefault(column, None)
        self.sink.write(json.dumps(row, ensure_ascii=False) + "\n")
        self.rows += 1


def _where(handler: _Handler) -> tuple[int | None, int | None]:
    locator = handler.locator
    return (locator.getLineNumber(), locator.getColumnNumber()) if locator else (None, None)


def _refusal(name: str, line: int | None, element: str | None, reason: str) -> BadFile:
    at = f"line {line}" if line else "the document"
    problem = Problem(code=Kind.BAD_VALUE.value, file=name, row=None, column=element,
                      message=f"{at}{f', <{element}>' if element else ''}: {reason}")
    return BadFile(f"{name}: {problem.message}", problems=[problem])


def parse_to_ndjson(path: Path, target: Path, *, name: str) -> tuple[list[str], int, str]:
    """(columns in order, observations, what the message is) of the SDMX-ML data message at `path`,
    its observations written to `target` as NDJSON. BadFile says where and why a document is refused."""
    with target.open("w", encoding="utf-8") as sink, open_bytes(path) as source:
        handler = _Handler(sink)
        parser = make_parser()
        parser.forbid_dtd, parser.forbid_entities, parser.forbid_external = True, True, True
        parser.setFeature(feature_namespaces, True)
        parser.setContentHandler(handler)
        try:
            parser.parse(source)
        except _Refused as exc:
            raise _refusal(name, _where(handler)[0], exc.element, exc.reason) from None
        except DefusedXmlException as exc:
            raise _refusal(name, _where(handler)[0], None, f"the document declares a DTD or entities ({exc}); "
                                                          "they are not read: an SDMX message needs none") from None
        except SAXParseException as exc:
            raise _refusal(name, exc.getLineNumber(), handler.path[-1] if handler.path else None,
                           f"not well-formed XML: {exc.getMessage()} (column {exc.getColumnNumber()})") from None
    if handler.rows == 0:
        raise _refusal(name, None, "DataSet", "the message holds no observation")
    return list(handler.columns), handler.rows, f"SDMX-ML 2.1 {handler.kind} data, structure {handler.structure or '?'}"


class SdmxMlReader:
    label = "SDMX-ML 2.1 data (.xml: GenericData, StructureSpecificData)"

    def accepts(self, path: Path, *, name: str) -> bool:
        try:
            with open_bytes(path) as handle:
                start = handle.read(4096)
        except (OSError, EOFError):
            return False
        text = start[3:] if start.startswith(b"\xef\xbb\xbf") else start
        return SDMX_SPACE in start.lower() and FIRST_ELEMENT.match(text) is not None

    def load(self, conn: duckdb.DuckDBPyConnection, path: Path, *, name: str, work_dir: Path,
             max_line: int, options: ReadOptions) -> RawTable:
        check_unpacked_size(path, name=name, max_bytes=get_settings().max_upload_bytes)
        rows_file = work_dir / "sdmx-observations.ndjson"
        columns, _rows, found = parse_to_ndjson(path, rows_file, name=name)
        explain = generic_explain(name)
        try:
            relation = conn.sql("SELECT * FROM read_json($path, format='newline_delimited', columns=$columns)",
                                params={"path": str(rows_file), "columns": {c: "VARCHAR" for c in columns}})
            as_text_view(conn, relation)
        except duckdb.Error as exc:
            raise explain(exc) from exc
        return RawTable(columns=columns, explain=explain, detection=Detection(format=found))
