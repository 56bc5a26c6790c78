"""The SDMX data structure of a dataset version, derived from its Table Schema and its values.

- TIME_PERIOD: the field typed year or date, or named year/period/time/date.
- Dimensions: the primary key's other fields; without a key, every text (or boolean) field.
- Measures: the numeric fields left. One measure is OBS_VALUE itself; several become a MEASURE
  dimension whose codes are the measure columns (one observation per row and measure), the usual
  SDMX way of carrying an indicator table.
- OBS_STATUS (and CONF_STATUS): from a measure's `<column>_status` column (scobank.ingest.status), whose
  markers' meanings map to SDMX's cross-domain codes: not applicable -> M, missing -> O, confidential ->
  O with CONF_STATUS C.
- Codelists: one per dimension, from the values the version holds, so each belongs to its dataflow:
  CL_<FLOW>_<DIMENSION> (CL_KZ_INDUSTRY_REGION), versioned with it. ISO3 country codes are named from the
  reference data (en/ru/zh), products of the dataset's classification (HS22, ...) likewise. A value that
  is not a valid SDMX code id ("Абай", "Korea, Rep.") gets a stable id (V + 10 hex digits of its sha1)
  and keeps the value as the code's name. CL_OBS_STATUS and CL_CONF_STATUS are the bank's, version 1.0.
- Identities: the dataflow's id is the slug in capitals with '-' as '_' (kz-industry -> KZ_INDUSTRY),
  the DSD's DSD_<FLOW>, the concept scheme's CS_<FLOW>; all of agency SCOBANK, version "N.0" for the
  bank's version N.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field

from sqlalchemy.orm import Session

from scobank.catalog.models import Dataset, DatasetVersion
from scobank.errors import BadRequest
from scobank.lake.engine import Engine
from scobank.reference.lookup import country_names
from scobank.reference.products import product_names

AGENCY = "SCOBANK"
TIME = "TIME_PERIOD"
VALUE = "OBS_VALUE"
MEASURE = "MEASURE"
STATUS_SUFFIX = "_status"
TIME_NAMES = {"year", "period", "time", "time_period", "date", "год", "年份", "年"}
TIME_TYPES = {"year", "date", "yearmonth", "datetime"}
NUMERIC = {"integer", "number"}
CODE_ID = re.compile(r"[A-Za-z0-9_@$\-]+")
COUNTRY = re.compile(r"[A-Z]{3}")
LANGS = ("en", "ru", "zh")
OBS_STATUS = {"not applicable": "M", "missing": "O", "confidential": "O"}
OBS_STATUS_NAMES = {"A": "Normal value", "M": "Missing value; data cannot exist", "O": "Missing value"}
NULL_CODE = "_X"
STATUS_LISTS_VERSION = "1.0"  # CL_OBS_STATUS and CL_CONF_STATUS: the same in every dataflow


@dataclass
class Codelist:
    id: str
    names: dict[str, str]  # language -> name of the list
    codes: dict[str, dict[str, str]]  # code id -> language -> name, in order (empty: not read)
    by_value: dict[object, str] = field(default_factory=dict)  # the column's value -> code id

    def values_by_code(self) -> dict[str, object]:
        """code id -> the column's value it stands for."""
        return {c: v for v, c in self.by_value.items()}


@dataclass
class Component:
    id: str  # SDMX id (NCName)
    column: str | None  # the dataset's column (None: the MEASURE dimension)
    names: dict[str, str]
    codelist: Codelist | None = None


@dataclass
class DataStructure:
    flow_id: str  # e.g. KZ_INDUSTRY
    version: str  # "N.0" for the bank's version N
    names: dict[str, str]
    dimensions: list[Component]
    time: Component | None
    measures: list[Component]  # the numeric columns (OBS_VALUE, or codes of MEASURE)
    status: dict[str, str] = field(default_factory=dict)  # measure column -> its status column
    status_codes: dict[str, dict[str, str]] = field(default_factory=dict)  # status column -> marker -> code

    @property
    def dsd_id(self) -> str:
        return f"DSD_{self.flow_id}"

    @property
    def urn(self) -> str:
        return f"urn:sdmx:org.sdmx.infomodel.datastructure.DataStructure={AGENCY}:{self.dsd_id}({self.version})"

    @property
    def flow_ref(self) -> str:
        """SDMX-CSV's STRUCTURE_ID: AGENCY:ID(VERSION) of the dataflow."""
        return f"{AGENCY}:{self.flow_id}({self.version})"

    @property
    def key_columns(self) -> list[Component]:
        return self.dimensions + ([self.time] if self.time else [])

    @property
    def concept_scheme_id(self) -> str:
        return f"CS_{self.flow_id}"

    @property
    def codelist_ids(self) -> list[str]:
        """Every codelist the DSD refers to: the dimensions', then the status attributes'."""
        return [d.codelist.id for d in self.dimensions if d.codelist] + [f"CL_{a}" for a in self.attributes]

    @property
    def attributes(self) -> list[str]:
        if not self.status:
            return []
        confidential = any(c == "C" for codes in self.status_codes.values() for c in codes.values())
        return ["OBS_STATUS"] + (["CONF_STATUS"] if confidential else [])


def sdmx_id(name: str, taken: set[str]) -> str:
    """An SDMX component id (a letter, then letters, digits, _ or -) for a column name, unique in `taken`."""
    base = re.sub(r"[^A-Za-z0-9_]", "_", name).strip("_").upper() or "COLUMN"
    if not base[0].isalpha():
        base = f"C_{base}"
    candidate, n = base, 2
    while candidate in taken:
        candidate, n = f"{base}_{n}", n + 1
    taken.add(candidate)
    return candidate


def flow_id_of(slug: str) -> str:
    """The dataflow id of a dataset: its slug in capitals, '-' as '_' (kz-industry -> KZ_INDUSTRY)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", slug).upper()


def code_id(value: object) -> str:
    """The SDMX code id of a value: itself when it is a valid id, else V + 10 hex of its sha1."""
    if value is None:
        return NULL_CODE
    text = str(value)
    if CODE_ID.fullmatch(text):
        return text
    return "V" + hashlib.sha1(text.encode()).hexdigest()[:10].upper()  # noqa: S324 (an id, not security)


def language_of(text: str) -> str:
    if re.search(r"[\u4e00-\u9fff]", text):
        return "zh"
    return "ru" if re.search(r"[\u0400-\u04ff]", text) else "en"


def _fields(version: DatasetVersion) -> list[dict]:
    return list((version.table_schema or {}).get("fields") or [])


def _time_field(fields: list[dict]) -> str | None:
    by_type = [f["name"] for f in fields if f.get("type") in TIME_TYPES]
    by_name = [f["name"] for f in fields if f["name"].strip().lower() in TIME_NAMES]
    found = by_type or by_name
    return found[0] if found else None


def _key_of(version: DatasetVersion) -> list[str]:
    key = (version.table_schema or {}).get("primaryKey") or []
    return [key] if isinstance(key, str) else list(key)


def split_columns(version: DatasetVersion) -> tuple[list[str], str | None, list[str], dict[str, str]]:
    """(dimension columns, time column, measure columns, measure -> status column) of a version."""
    fields = _fields(version)
    names = {f["name"] for f in fields}
    status = {f["name"][: -len(STATUS_SUFFIX)]: f["name"] for f in fields
              if f["name"].endswith(STATUS_SUFFIX) and f["name"][: -len(STATUS_SUFFIX)] in names}
    time = _time_field(fields)
    key = _key_of(version)
    rest = [f for f in fields if f["name"] != time and f["name"] not in status.values()]
    if key:
        dims = [c for c in key if c != time]
    else:
        dims = [f["name"] for f in rest if f.get("type", "string") not in NUMERIC]
    measures = [f["name"] for f in rest if f["name"] not in dims and f.get("type") in NUMERIC]
    if not measures:
        raise BadRequest(f"version {version.number} has no numeric column to serve as SDMX's OBS_VALUE "
                         f"(its columns: {', '.join(f['name'] for f in fields)})")
    return dims, time, measures, {m: status[m] for m in measures if m in status}


def _distinct(engine: Engine, content_hash: str, column: str) -> list[object]:
    table = engine.table(content_hash)
    values = engine.to_arrow(table.select(column).distinct().order_by(column)).column(0).to_pylist()
    return values


def _names_for(session: Session, values: list[object], classification: str | None) -> dict[str, dict[str, str]]:
    """lang -> {value: name} from the reference data, when the values are countries or products."""
    texts = [str(v) for v in values if v is not None]
    if texts and all(COUNTRY.fullmatch(t) for t in texts):
        known = country_names(session, texts, "en")
        if len(known) == len(texts):
            return {lang: country_names(session, texts, lang) for lang in LANGS}
    if classification and texts and all(t.isdigit() for t in texts):
        return {lang: product_names(session, classification=classification, codes=texts, lang=lang) for lang in LANGS}
    return {}


def _codelist(session: Session, list_id: str, column: str, values: list[object] | None,
              classification: str | None) -> Codelist:
    """The codelist of a column; `values` None: its identity only (no codes read)."""
    if values is None:
        return Codelist(id=list_id, names={"en": f"Values of {column}"}, codes={})
    named = _names_for(session, values, classification)
    codes: dict[str, dict[str, str]] = {}
    by_value: dict[object, str] = {}
    for value in values:
        code = code_id(value)
        by_value[value] = code
        text = "not given" if value is None else str(value)
        names = {lang: named[lang][text] for lang in LANGS if text in named.get(lang, {})}
        codes[code] = names or {language_of(text): text}
    return Codelist(id=list_id, names={"en": f"Values of {column}"}, codes=codes, by_value=by_value)


def _status_codes(version: DatasetVersion, status_columns: list[str]) -> dict[str, dict[str, str]]:
    fields = {f["name"]: f for f in _fields(version)}
    out: dict[str, dict[str, str]] = {}
    for column in status_columns:
        categories = fields[column].get("categories") or []
        out[column] = {c["value"]: ("C" if c.get("label") == "confidential" else OBS_STATUS.get(c.get("label"), "O"))
                       for c in categories if isinstance(c, dict) and "value" in c}
    return out


def data_structure(session: Session, *, dataset: Dataset, version: DatasetVersion, engine: Engine | None,
                   codes: bool = True) -> DataStructure:
    """The structure of `version` (see the module docstring). With `codes`, each dimension's codelist
    holds its codes (one distinct read per dimension on `engine`); without, the codelists are named
    only (the dataflow and the DSD need no more, and nothing is read from the lake)."""
    dims, time, measures, status = split_columns(version)
    flow_id = flow_id_of(dataset.slug)
    taken = {TIME, VALUE, MEASURE, "OBS_STATUS", "CONF_STATUS"}
    dimensions = []
    for column in dims:
        cid = sdmx_id(column, taken)
        values = _distinct(engine, version.content_hash, column) if codes else None
        dimensions.append(Component(cid, column, {language_of(column): column},
                                    _codelist(session, f"CL_{flow_id}_{cid}", column, values, dataset.classification)))
    measure_ids: set[str] = set()
    measure_parts = [Component(sdmx_id(m, measure_ids), m, {language_of(m): m}) for m in measures]
    if len(measures) > 1:
        names = {m.id: m.names for m in measure_parts}
        measure_list = Codelist(f"CL_{flow_id}_{MEASURE}", {"en": "Measures"}, names,
                                {m.column: m.id for m in measure_parts})
        dimensions.append(Component(MEASURE, None, {"en": "Measure"}, measure_list))
    title = {k: v for k, v in (dataset.title or {}).items() if isinstance(v, str) and v} or {"en": dataset.slug}
    return DataStructure(
        flow_id=flow_id, version=f"{version.number}.0", names=title,
        dimensions=dimensions, time=Component(TIME, time, {"en": "Time period"}) if time else None,
        measures=measure_parts, status=status, status_codes=_status_codes(version, list(status.values())),
    )
