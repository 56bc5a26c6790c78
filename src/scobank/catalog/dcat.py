"""The catalog as DCAT-AP 3 JSON-LD: one dcat:Catalog whose dcat:dataset entries are the datasets the
reader may see (catalog.visibility.visible_datasets), texts with @language for every language held.

Vocabularies: DCAT (http://www.w3.org/ns/dcat#), Dublin Core terms, FOAF, vCard; countries as EU
Publications Office country authority IRIs (they are ISO 3166 alpha-3), licences as their canonical
URLs when known. Each dataset has one dcat:Distribution per export format of its latest version.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.catalog.models import Dataset, Organisation
from scobank.catalog.visibility import visible_datasets

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
}
EXPORT_FORMATS = {"csv": "text/csv", "parquet": "application/vnd.apache.parquet",
                  "json": "application/json", "ndjson": "application/x-ndjson"}
LICENSES = {
    "CC-BY-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "CC0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "PDDL-1.0": "https://opendatacommons.org/licenses/pddl/1-0/",
    "ODC-PDDL-1.0": "https://opendatacommons.org/licenses/pddl/1-0/",
    "ODbL-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
    "Apache-2.0": "https://www.apache.org/licenses/LICENSE-2.0",
}
COUNTRY_AUTHORITY = "http://publications.europa.eu/resource/authority/country/"
CATALOG_TITLE = {"en": "SCO Data Bank", "ru": "Банк данных ШОС", "zh": "上合组织数据库"}
CATALOG_DESCRIPTION = {
    "en": "Industrial and trade datasets published by the SCO member states' agencies and partners.",
    "ru": "Промышленные и торговые данные ведомств государств-членов ШОС и партнёров.",
    "zh": "上合组织成员国机构及伙伴发布的工业和贸易数据集。",
}


def _lang(texts: dict | None) -> list[dict]:
    return [{"@value": v, "@language": k} for k, v in sorted((texts or {}).items()) if isinstance(v, str) and v]


def _keywords(keywords: dict | None) -> list[dict]:
    out = []
    for lang, words in sorted((keywords or {}).items()):
        for word in [words] if isinstance(words, str) else words or []:
            out.append({"@value": word, "@language": lang})
    return out


def _year(year: int, end: bool) -> dict:
    return {"@value": f"{year}-12-31" if end else f"{year}-01-01", "@type": "xsd:date"}


def _publisher(base: str, org: Organisation) -> dict:
    return {"@id": f"{base}/organisations/{org.slug}", "@type": "foaf:Agent", "foaf:name": _lang(org.names),
            "dct:spatial": {"@id": f"{COUNTRY_AUTHORITY}{org.party}"} if org.party != "INT" else None}


def _distributions(base: str, slug: str) -> list[dict]:
    return [{"@id": f"{base}/api/v1/datasets/{slug}/export?format={fmt}", "@type": "dcat:Distribution",
             "dct:title": f"{slug}.{fmt}", "dct:format": fmt.upper(), "dcat:mediaType": media,
             "dcat:accessURL": {"@id": f"{base}/datasets/{slug}"},
             "dcat:downloadURL": {"@id": f"{base}/api/v1/datasets/{slug}/export?format={fmt}"}}
            for fmt, media in EXPORT_FORMATS.items()]


def dataset_entry(base: str, dataset: Dataset, org: Organisation) -> dict:
    """One dcat:Dataset (None-valued properties are left out)."""
    entry = {
        "@id": f"{base}/datasets/{dataset.slug}", "@type": "dcat:Dataset",
        "dct:identifier": dataset.slug,
        "dct:title": _lang(dataset.title), "dct:description": _lang(dataset.description),
        "dcat:keyword": _keywords(dataset.keywords),
        "dct:publisher": {k: v for k, v in _publisher(base, org).items() if v is not None},
        "dcat:theme": [{"@id": f"{base}/themes/{t}", "rdfs:label": t} for t in dataset.themes or []],
        "dct:spatial": [{"@id": f"{COUNTRY_AUTHORITY}{iso3}"} for iso3 in dataset.spatial or []],
        "dct:issued": {"@value": dataset.created_at.isoformat(), "@type": "xsd:dateTime"} if dataset.created_at else None,
        "dct:modified": {"@value": dataset.updated_at.isoformat(), "@type": "xsd:dateTime"} if dataset.updated_at else None,
        "dcat:distribution": _distributions(base, dataset.slug),
        "dcat:landingPage": {"@id": f"{base}/datasets/{dataset.slug}"},
    }
    if dataset.license:
        entry["dct:license"] = {"@id": LICENSES.get(dataset.license, f"{base}/licenses/{dataset.license}"),
                                "rdfs:label": dataset.license}
    if dataset.temporal_start is not None or dataset.temporal_end is not None:
        start = dataset.temporal_start if dataset.temporal_start is not None else dataset.temporal_end
        end = dataset.temporal_end if dataset.temporal_end is not None else start
        entry["dct:temporal"] = {"@type": "dct:PeriodOfTime", "dcat:startDate": _year(start, False),
                                 "dcat:endDate": _year(end, True)}
    if dataset.classification:
        entry["dct:conformsTo"] = {"@id": f"{base}/classifications/{dataset.classification}",
                                   "rdfs:label": dataset.classification}
    if dataset.contact:
        contact = {"@type": "vcard:Kind", "vcard:fn": dataset.contact}
        if "@" in dataset.contact:
            contact["vcard:hasEmail"] = {"@id": f"mailto:{dataset.contact}"}
        entry["dcat:contactPoint"] = contact
    if dataset.update_frequency:
        entry["dct:accrualPeriodicity"] = dataset.update_frequency
    if dataset.source_note:
        entry["dct:provenance"] = {"@type": "dct:ProvenanceStatement", "rdfs:label": dataset.source_note}
    return {k: v for k, v in entry.items() if v not in (None, [], {})}


def dcat_catalog(session: Session, *, reader: Reader, base_url: str) -> dict:
    """The whole catalog that `reader` may see, as a DCAT-AP JSON-LD document (a plain dict)."""
    base = base_url.rstrip("/")
    rows = session.execute(select(Dataset, Organisation).join(Organisation, Organisation.id == Dataset.organisation_id)
                           .where(visible_datasets(session, reader)).order_by(Dataset.slug)).all()
    return {
        "@context": CONTEXT,
        "@id": f"{base}/api/v1/catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": _lang(CATALOG_TITLE),
        "dct:description": _lang(CATALOG_DESCRIPTION),
        "dct:language": [{"@id": "http://publications.europa.eu/resource/authority/language/" + code}
                         for code in ("ENG", "RUS", "ZHO")],
        "foaf:homepage": {"@id": f"{base}/"},
        "dcat:dataset": [dataset_entry(base, d, o) for d, o in rows],
    }
