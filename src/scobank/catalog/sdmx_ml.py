"""The SDMX-ML 2.1 structure message of a dataset version: its dataflow, codelists, concept scheme and
data structure definition (scobank.catalog.sdmx_structure says how they are derived)."""

from __future__ import annotations

from datetime import UTC, datetime
from xml.etree import ElementTree as ET

from scobank.catalog.sdmx_structure import (
    AGENCY,
    OBS_STATUS_NAMES,
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


def _q(prefix: str, tag: str) -> str:
    return f"{{{NS[prefix]}}}{tag}"


def _names(parent: ET.Element, names: dict[str, str]) -> None:
    for lang, text in names.items():
        ET.SubElement(parent, _q("common", "Name"), {XML_LANG: lang}).text = text


def _maintainable(parent: ET.Element, tag: str, id_: str, version: str, names: dict[str, str]) -> ET.Element:
    element = ET.SubElement(parent, _q("structure", tag), {"id": id_, "agencyID": AGENCY, "version": version,
                                                           "isFinal": "true"})
    _names(element, names)
    return element


def _ref(parent: ET.Element, **attrs: str) -> None:
    ET.SubElement(parent, "Ref", attrs)


def _codelists(parent: ET.Element, structure: DataStructure) -> None:
    lists: list[Codelist] = [d.codelist for d in structure.dimensions if d.codelist]
    if structure.status:
        lists.append(Codelist("CL_OBS_STATUS", {"en": "Observation status"},
                              {code: {"en": name} for code, name in OBS_STATUS_NAMES.items()}))
        lists.append(Codelist("CL_CONF_STATUS", {"en": "Confidentiality status"},
                              {"C": {"en": "Confidential statistical information"}}))
    holder = ET.SubElement(parent, _q("structure", "Codelists"))
    for codelist in lists:
        element = _maintainable(holder, "Codelist", codelist.id, structure.version, codelist.names)
        for code, names in codelist.codes.items():
            _names(ET.SubElement(element, _q("structure", "Code"), {"id": code}), names)


def _concepts(parent: ET.Element, structure: DataStructure) -> None:
    holder = ET.SubElement(parent, _q("structure", "Concepts"))
    scheme = _maintainable(holder, "ConceptScheme", f"CS_{structure.flow_id}", structure.version,
                           {"en": "Concepts"})
    parts = structure.key_columns + [Component(VALUE, None, {"en": "Observation value"})]
    parts += [Component(a, None, {"en": a.replace("_", " ").capitalize()}) for a in structure.attributes]
    for part in parts:
        _names(ET.SubElement(scheme, _q("structure", "Concept"), {"id": part.id}), part.names)


def _concept_identity(parent: ET.Element, structure: DataStructure, concept: str) -> None:
    identity = ET.SubElement(parent, _q("structure", "ConceptIdentity"))
    _ref(identity, id=concept, maintainableParentID=f"CS_{structure.flow_id}",
         maintainableParentVersion=structure.version, agencyID=AGENCY, package="conceptscheme", **{"class": "Concept"})


def _enumeration(parent: ET.Element, structure: DataStructure, codelist_id: str) -> None:
    representation = ET.SubElement(parent, _q("structure", "LocalRepresentation"))
    enumeration = ET.SubElement(representation, _q("structure", "Enumeration"))
    _ref(enumeration, id=codelist_id, version=structure.version, agencyID=AGENCY, package="codelist",
         **{"class": "Codelist"})


def _dimensions(components: ET.Element, structure: DataStructure) -> None:
    dim_list = ET.SubElement(components, _q("structure", "DimensionList"), {"id": "DimensionDescriptor"})
    for position, dim in enumerate(structure.dimensions, 1):
        element = ET.SubElement(dim_list, _q("structure", "Dimension"), {"id": dim.id, "position": str(position)})
        _concept_identity(element, structure, dim.id)
        _enumeration(element, structure, dim.codelist.id)
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
        _enumeration(element, structure, f"CL_{attribute}")
        relationship = ET.SubElement(element, _q("structure", "AttributeRelationship"))
        _ref(ET.SubElement(relationship, _q("structure", "PrimaryMeasure")), id=VALUE)


def structure_message(structure: DataStructure, *, message_id: str) -> bytes:
    """The whole structure message (SDMX-ML 2.1), UTF-8."""
    root = ET.Element(_q("message", "Structure"))
    header = ET.SubElement(root, _q("message", "Header"))
    ET.SubElement(header, _q("message", "ID")).text = message_id
    ET.SubElement(header, _q("message", "Test")).text = "false"
    ET.SubElement(header, _q("message", "Prepared")).text = \
        datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")
    ET.SubElement(header, _q("message", "Sender"), {"id": AGENCY})
    structures = ET.SubElement(root, _q("message", "Structures"))
    flows = ET.SubElement(structures, _q("structure", "Dataflows"))
    flow = _maintainable(flows, "Dataflow", structure.flow_id, structure.version, structure.names)
    _ref(ET.SubElement(flow, _q("structure", "Structure")), id=structure.dsd_id, version=structure.version,
         agencyID=AGENCY, package="datastructure", **{"class": "DataStructure"})
    _codelists(structures, structure)
    _concepts(structures, structure)
    holder = ET.SubElement(structures, _q("structure", "DataStructures"))
    dsd = _maintainable(holder, "DataStructure", structure.dsd_id, structure.version, structure.names)
    components = ET.SubElement(dsd, _q("structure", "DataStructureComponents"))
    _dimensions(components, structure)
    _attributes(components, structure)
    measures = ET.SubElement(components, _q("structure", "MeasureList"), {"id": "MeasureDescriptor"})
    _concept_identity(ET.SubElement(measures, _q("structure", "PrimaryMeasure"), {"id": VALUE}), structure, VALUE)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)
