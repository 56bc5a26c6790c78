"""SDMX-ML 2.1 structure messages: the dataflows, codelists, concept schemes and data structure
definitions of dataset versions (scobank.catalog.sdmx_structure says how they are derived), each
artefact in full or as a stub (`isExternalReference`, with the URL that gives it in full), as the
SDMX REST API's `references` and `detail` ask."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from scobank.catalog.sdmx_structure import (
    AGENCY,
    OBS_STATUS_NAMES,
    STATUS_LISTS_VERSION,
    TIME,
    VALUE,
    Codelist,
    Component,
    DataStructure,
)

NS = {
    "message": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/message",
    "structure": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/structure",
    "common": "http://www.sdmx.org/resources/sdmxml/schemas/v2_1/common",
}
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
for _prefix, _uri in NS.items():
    ET.register_namespace(_prefix, _uri)

# The artefact kinds, by their SDMX REST names.
DATAFLOW, DATASTRUCTURE, CODELIST, CONCEPTSCHEME = "dataflow", "datastructure", "codelist", "conceptscheme"
KINDS = (DATAFLOW, DATASTRUCTURE, CODELIST, CONCEPTSCHEME)
# kind, id, version -> the URL that answers the artefact in full (a stub's structureURL)
StubUrl = Callable[[str, str, str], str]


@dataclass(frozen=True)
class Selected:
    """What one dataset version contributes to a message: its artefacts of `kinds` (only the codelists
    in `codelists` when given), those of `stubs` written as stubs."""

    structure: DataStructure
    kinds: frozenset[str] = frozenset(KINDS)
    stubs: frozenset[str] = frozenset()
    codelists: frozenset[str] | None = None


def _q(prefix: str, tag: str) -> str:
    return f"{{{NS[prefix]}}}{tag}"


def _names(parent: ET.Element, names: dict[str, str]) -> None:
    for lang, text in names.items():
        ET.SubElement(parent, _q("common", "Name"), {XML_LANG: lang}).text = text


def _maintainable(parent: ET.Element, tag: str, id_: str, version: str, names: dict[str, str],
                  stub_url: str | None = None) -> ET.Element:
    attrs = {"id": id_, "agencyID": AGENCY, "version": version, "isFinal": "true"}
    if stub_url is not None:
        attrs["isExternalReference"] = "true"
        if stub_url:
            attrs["structureURL"] = stub_url
    element = ET.SubElement(parent, _q("structure", tag), attrs)
    _names(element, names)
    return element


def _ref(parent: ET.Element, **attrs: str) -> None:
    ET.SubElement(parent, "Ref", attrs)


def status_codelists() -> list[Codelist]:
    """The bank's two attribute codelists, the same in every dataflow (version STATUS_LISTS_VERSION)."""
    return [Codelist("CL_OBS_STATUS", {"en": "Observation status"},
                     {code: {"en": name} for code, name in OBS_STATUS_NAMES.items()}),
            Codelist("CL_CONF_STATUS", {"en": "Confidentiality status"},
                     {"C": {"en": "Confidential statistical information"}})]


def codelists_of(structure: DataStructure) -> list[tuple[Codelist, str]]:
    """(codelist, version) of every codelist the structure's DSD refers to."""
    lists = [(d.codelist, structure.version) for d in structure.dimensions if d.codelist]
    status = {c.id: c for c in status_codelists()}
    return lists + [(status[f"CL_{a}"], STATUS_LISTS_VERSION) for a in structure.attributes]


def _codelist(holder: ET.Element, codelist: Codelist, version: str, stub_url: str | None) -> None:
    element = _maintainable(holder, "Codelist", codelist.id, version, codelist.names, stub_url)
    if stub_url is None:
        for code, names in codelist.codes.items():
            _names(ET.SubElement(element, _q("structure", "Code"), {"id": code}), names)


def _concepts(holder: ET.Element, structure: DataStructure, stub_url: str | None) -> None:
    scheme = _maintainable(holder, "ConceptScheme", structure.concept_scheme_id, structure.version,
                           {"en": "Concepts"}, stub_url)
    if stub_url is not None:
        return
    parts = structure.key_columns + [Component(VALUE, None, {"en": "Observation value"})]
    parts += [Component(a, None, {"en": a.replace("_", " ").capitalize()}) for a in structure.attributes]
    for part in parts:
        _names(ET.SubElement(scheme, _q("structure", "Concept"), {"id": part.id}), part.names)


def _concept_identity(parent: ET.Element, structure: DataStructure, concept: str) -> None:
    identity = ET.SubElement(parent, _q("structure", "ConceptIdentity"))
    _ref(identity, id=concept, maintainableParentID=structure.concept_scheme_id,
         maintainableParentVersion=structure.version, agencyID=AGENCY, package="conceptscheme", **{"class": "Concept"})


def _enumeration(parent: ET.Element, codelist_id: str, version: str) -> None:
    representation = ET.SubElement(parent, _q("structure", "LocalRepresentation"))
    enumeration = ET.SubElement(representation, _q("structure", "Enumeration"))
    _ref(enumeration, id=codelist_id, version=version, agencyID=AGENCY, package="codelist", **{"class": "Codelist"})


def _dimensions(components: ET.Element, structure: DataStructure) -> None:
    dim_list = ET.SubElement(components, _q("structure", "DimensionList"), {"id": "DimensionDescriptor"})
    for position, dim in enumerate(structure.dimensions, 1):
        element = ET.SubElement(dim_list, _q("structure", "Dimension"), {"id": dim.id, "position": str(position)})
        _concept_identity(element, structure, dim.id)
        _enumeration(element, dim.codelist.id, structure.version)
    if structure.time:
        element = ET.SubElement(dim_list, _q("structure", "TimeDimension"),
                                {"id": TIME, "position": str(len(structure.dimensions) + 1)})
        _concept_identity(element, structure, TIME)
        representation = ET.SubElement(element, _q("structure", "LocalRepresentation"))
        ET.SubElement(representation, _q("structure", "TextFormat"), {"textType": "ObservationalTimePeriod"})


def _attributes(components: ET.Element, structure: DataStructure) -> None:
    if not structure.attributes:
        return
    attr_list = ET.SubElement(components, _q("structure", "AttributeList"), {"id": "AttributeDescriptor"})
    for attribute in structure.attributes:
        element = ET.SubElement(attr_list, _q("structure", "Attribute"),
                                {"id": attribute, "assignmentStatus": "Conditional"})
        _concept_identity(element, structure, attribute)
        _enumeration(element, f"CL_{attribute}", STATUS_LISTS_VERSION)
        relationship = ET.SubElement(element, _q("structure", "AttributeRelationship"))
        _ref(ET.SubElement(relationship, _q("structure", "PrimaryMeasure")), id=VALUE)


def _dataflow(holder: ET.Element, structure: DataStructure, stub_url: str | None) -> None:
    flow = _maintainable(holder, "Dataflow", structure.flow_id, structure.version, structure.names, stub_url)
    _ref(ET.SubElement(flow, _q("structure", "Structure")), id=structure.dsd_id, version=structure.version,
         agencyID=AGENCY, package="datastructure", **{"class": "DataStructure"})


def _dsd(holder: ET.Element, structure: DataStructure, stub_url: str | None) -> None:
    dsd = _maintainable(holder, "DataStructure", structure.dsd_id, structure.version, structure.names, stub_url)
    if stub_url is not None:
        return
    components = ET.SubElement(dsd, _q("structure", "DataStructureComponents"))
    _dimensions(components, structure)
    _attributes(components, structure)
    measures = ET.SubElement(components, _q("structure", "MeasureList"), {"id": "MeasureDescriptor"})
    _concept_identity(ET.SubElement(measures, _q("structure", "PrimaryMeasure"), {"id": VALUE}), structure, VALUE)


def _header(root: ET.Element, message_id: str) -> None:
    header = ET.SubElement(root, _q("message", "Header"))
    ET.SubElement(header, _q("message", "ID")).text = message_id
    ET.SubElement(header, _q("message", "Test")).text = "false"
    ET.SubElement(header, _q("message", "Prepared")).text = \
        datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    ET.SubElement(header, _q("message", "Sender"), {"id": AGENCY})


def _stub(item: Selected, kind: str, id_: str, version: str, stub_url: StubUrl | None) -> str | None:
    if kind not in item.stubs:
        return None
    return stub_url(kind, id_, version) if stub_url else ""


def _root(message_id: str) -> tuple[ET.Element, ET.Element]:
    root = ET.Element(_q("message", "Structure"))
    _header(root, message_id)
    return root, ET.SubElement(root, _q("message", "Structures"))


def codelist_message(codelists: list[Codelist], version: str, *, message_id: str) -> bytes:
    """A structure message holding `codelists` only, in full."""
    root, structures = _root(message_id)
    holder = ET.SubElement(structures, _q("structure", "Codelists"))
    for codelist in codelists:
        _codelist(holder, codelist, version, None)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


def structure_message(selected: list[Selected] | DataStructure, *, message_id: str,
                      stub_url: StubUrl | None = None) -> bytes:
    """One structure message (SDMX-ML 2.1, UTF-8) holding what each of `selected` contributes; an
    artefact shared by several (CL_OBS_STATUS) is written once. A single DataStructure: all of it."""
    items = [Selected(selected)] if isinstance(selected, DataStructure) else selected
    root, structures = _root(message_id)
    holders = {kind: ET.Element(_q("structure", tag)) for kind, tag in (
        (DATAFLOW, "Dataflows"), (CODELIST, "Codelists"), (CONCEPTSCHEME, "Concepts"),
        (DATASTRUCTURE, "DataStructures"))}
    written: set[tuple[str, str, str]] = set()
    for item in items:
        s = item.structure
        if DATAFLOW in item.kinds:
            _dataflow(holders[DATAFLOW], s, _stub(item, DATAFLOW, s.flow_id, s.version, stub_url))
        if CODELIST in item.kinds:
            for codelist, version in codelists_of(s):
                if (item.codelists is None or codelist.id in item.codelists) and \
                        (CODELIST, codelist.id, version) not in written:
                    written.add((CODELIST, codelist.id, version))
                    _codelist(holders[CODELIST], codelist, version,
                              _stub(item, CODELIST, codelist.id, version, stub_url))
        if CONCEPTSCHEME in item.kinds:
            _concepts(holders[CONCEPTSCHEME], s, _stub(item, CONCEPTSCHEME, s.concept_scheme_id, s.version, stub_url))
        if DATASTRUCTURE in item.kinds:
            _dsd(holders[DATASTRUCTURE], s, _stub(item, DATASTRUCTURE, s.dsd_id, s.version, stub_url))
    for holder in holders.values():
        if len(holder):
            structures.append(holder)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
