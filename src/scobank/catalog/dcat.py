"""The catalog as DCAT-AP 3 JSON-LD: one dcat:Catalog whose dcat:dataset entries are the datasets the
reader may see (catalog.visibility.visible_datasets), texts with @language for every language held.

It conforms to the official DCAT-AP 3.0.0 SHACL shapes (mandatory, recommended and ranges; checked by
tests/standards/test_dcat_ap.py with pyshacl): every node carries its class, controlled vocabularies
are IRIs (scobank.catalog.dcat_vocabularies: EU file types, frequencies, languages, data themes,
countries, licences; IANA media types), the Parquet distribution of the newest version carries its
SPDX sha256 checksum and byte size, and a dataset without a description gets one composed from its
title and publisher (marked as such) rather than none. `dcat:version` is the newest version not
withdrawn; every version is a dcat:hasVersion node whose adms:status says COMPLETED or WITHDRAWN (with the
steward's reason).
"""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.catalog import dcat_vocabularies as vocab
from scobank.catalog.models import Dataset, DatasetVersion, Organisation
from scobank.catalog.visibility import visible_datasets

CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#",
    "dct": "http://purl.org/dc/terms/",
    "foaf": "http://xmlns.com/foaf/0.1/",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "spdx": "http://spdx.org/rdf/terms#",
    "adms": "http://www.w3.org/ns/adms#",
}
DATASET_STATUS = "http://publications.europa.eu/resource/authority/dataset-status/"
CATALOG_TITLE = {"en": "SCO Data Bank", "ru": "Банк данных ШОС", "zh": "上合组织数据库"}
CATALOG_DESCRIPTION = {
    "en": "Industrial and trade datasets published by the SCO member states' agencies and partners.",
    "ru": "Промышленные и торговые данные ведомств государств-членов ШОС и партнёров.",
    "zh": "上合组织成员国机构及伙伴发布的工业和贸易数据集。",
}
COMPOSED_DESCRIPTION = {"en": "{title}: published by {publisher}. (No description given by the publisher.)",
                        "ru": "{title}: публикует {publisher}. (Издатель не дал описания.)",
                        "zh": "{title}：由{publisher}发布。（发布者未提供说明。）"}


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
            "dct:spatial": {"@id": vocab.country(org.party), "@type": "dct:Location"} if org.party != "INT" else None}


def _node(iri: str | None, kind: str) -> dict | None:
    return {"@id": iri, "@type": kind} if iri else None


def _distribution(base: str, slug: str, fmt: str, version: DatasetVersion | None) -> dict:
    url = f"{base}/api/v1/datasets/{slug}/export?format={fmt}"
    entry = {"@id": url, "@type": "dcat:Distribution", "dct:title": f"{slug}.{fmt}",
             "dct:format": _node(vocab.file_type(fmt), "dct:MediaTypeOrExtent"),
             "dcat:mediaType": _node(vocab.media_type(fmt), "dct:MediaType"),
             "dcat:accessURL": _node(f"{base}/datasets/{slug}", "rdfs:Resource"),
             "dcat:downloadURL": _node(url, "rdfs:Resource")}
    if version is not None:
        entry["dct:description"] = f"version {version.number}, {version.row_count} rows"
        entry["dct:modified"] = {"@value": version.created_at.isoformat(), "@type": "xsd:dateTime"}
        if fmt == "parquet":  # the stored file itself: its bytes and checksum are known
            entry["dcat:byteSize"] = {"@value": str(version.byte_size), "@type": "xsd:decimal"}  # as DCAT-AP 3.0.0 declares it
            entry["spdx:checksum"] = {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": vocab.SPDX_SHA256},
                                      "spdx:checksumValue": {"@value": version.content_hash,
                                                             "@type": "xsd:hexBinary"}}
    return {k: v for k, v in entry.items() if v is not None}


def _distributions(base: str, slug: str, version: DatasetVersion | None) -> list[dict]:
    return [_distribution(base, slug, fmt, version) for fmt in vocab.EXPORT_FORMATS]


def _description(dataset: Dataset, org: Organisation) -> list[dict]:
    if any(isinstance(v, str) and v.strip() for v in (dataset.description or {}).values()):
        return _lang(dataset.description)
    titles = {k: v for k, v in (dataset.title or {}).items() if isinstance(v, str) and v} or {"en": dataset.slug}
    names = org.names or {}
    return _lang({lang: COMPOSED_DESCRIPTION[lang].format(title=title, publisher=names.get(lang)
                                                          or names.get("en") or org.slug)
                  for lang, title in titles.items() if lang in COMPOSED_DESCRIPTION})


def _themes(base: str, themes: list[str]) -> list[dict]:
    nodes = []
    for theme in themes:
        nodes.append({"@id": f"{base}/themes/{theme}", "@type": "skos:Concept", "skos:prefLabel": theme})
        eu = vocab.data_theme(theme)
        if eu and all(n["@id"] != eu[0] for n in nodes):
            nodes.append({"@id": eu[0], "@type": "skos:Concept", "skos:prefLabel": {"@value": eu[1], "@language": "en"}})
    return nodes


def _all_versions(session: Session, ids: list[int]) -> dict[int, list[DatasetVersion]]:
    out: dict[int, list[DatasetVersion]] = {}
    for version in session.scalars(select(DatasetVersion).where(DatasetVersion.dataset_id.in_(ids))
                                   .order_by(DatasetVersion.number)):
        out.setdefault(version.dataset_id, []).append(version)
    return out


def _status(withdrawn: bool) -> dict:
    name = "WITHDRAWN" if withdrawn else "COMPLETED"
    return {"@id": DATASET_STATUS + name, "@type": "skos:Concept",
            "skos:prefLabel": {"@value": name.capitalize(), "@language": "en"}}


def _version_nodes(base: str, slug: str, versions: list[DatasetVersion]) -> list[dict]:
    """Each version as a dcat:Dataset of its own (DCAT 3 versioning): number, issue date and status; a
    withdrawn one has EU dataset-status WITHDRAWN and the steward's reason as its description."""
    nodes = []
    for v in versions:
        if v.withdrawn_at is not None:
            note = f"version {v.number}, withdrawn {v.withdrawn_at:%Y-%m-%d}: {v.withdrawal_reason}"
        elif v.republished_from:
            note = f"version {v.number}: the content of version {v.republished_from}, published again"
        else:
            note = f"version {v.number}, {v.row_count} rows"
        nodes.append({"@id": f"{base}/datasets/{slug}?version={v.number}", "@type": "dcat:Dataset",
                      "dct:title": {"@value": f"{slug} v{v.number}", "@language": "en"},
                      "dct:description": {"@value": note, "@language": "en"}, "dcat:version": str(v.number),
                      "dct:issued": {"@value": v.created_at.isoformat(), "@type": "xsd:dateTime"},
                      "adms:status": _status(v.withdrawn_at is not None),
                      **({"adms:versionNotes": {"@value": note, "@language": "en"}} if v.withdrawn_at else {})})
    return nodes


def dataset_entry(base: str, dataset: Dataset, org: Organisation, version: DatasetVersion | None = None,
                  history: list[DatasetVersion] | None = None) -> dict:
    """One dcat:Dataset (None-valued properties are left out); `version` is the one served, `history`
    every version (dcat:hasVersion, withdrawn ones marked)."""
    entry = {
        "@id": f"{base}/datasets/{dataset.slug}", "@type": "dcat:Dataset",
        "dct:identifier": dataset.slug,
        "dct:title": _lang(dataset.title), "dct:description": _description(dataset, org),
        "dcat:keyword": _keywords(dataset.keywords),
        "dct:publisher": {k: v for k, v in _publisher(base, org).items() if v is not None},
        "dcat:theme": _themes(base, dataset.themes or []),
        "dct:spatial": [_node(vocab.country(iso3), "dct:Location") for iso3 in dataset.spatial or []],
        "dct:issued": {"@value": dataset.created_at.isoformat(), "@type": "xsd:dateTime"} if dataset.created_at else None,
        "dct:modified": {"@value": dataset.updated_at.isoformat(), "@type": "xsd:dateTime"} if dataset.updated_at else None,
        "dcat:distribution": _distributions(base, dataset.slug, version),
        "dcat:landingPage": _node(f"{base}/datasets/{dataset.slug}", "foaf:Document"),
        "dcat:version": str(version.number) if version is not None else None,
        "dcat:hasVersion": _version_nodes(base, dataset.slug, history or []),
    }
    if dataset.license:
        entry["dct:license"] = {"@id": vocab.LICENSES.get(dataset.license, f"{base}/licenses/{dataset.license}"),
                                "@type": "dct:LicenseDocument", "rdfs:label": dataset.license}
    if dataset.temporal_start is not None or dataset.temporal_end is not None:
        start = dataset.temporal_start if dataset.temporal_start is not None else dataset.temporal_end
        end = dataset.temporal_end if dataset.temporal_end is not None else start
        entry["dct:temporal"] = {"@type": "dct:PeriodOfTime", "dcat:startDate": _year(start, False),
                                 "dcat:endDate": _year(end, True)}
    if dataset.classification:
        entry["dct:conformsTo"] = {"@id": f"{base}/classifications/{dataset.classification}",
                                   "@type": "dct:Standard", "rdfs:label": dataset.classification}
    if dataset.contact:
        contact = {"@type": "vcard:Kind", "vcard:fn": dataset.contact}
        if "@" in dataset.contact:
            contact["vcard:hasEmail"] = {"@id": f"mailto:{dataset.contact}"}
        entry["dcat:contactPoint"] = contact
    entry["dct:accrualPeriodicity"] = _node(vocab.frequency(dataset.update_frequency), "dct:Frequency")
    if dataset.source_note:
        entry["dct:provenance"] = {"@type": "dct:ProvenanceStatement", "rdfs:label": dataset.source_note}
    return {k: v for k, v in entry.items() if v not in (None, [], {})}


def _newest_versions(session: Session, ids: list[int]) -> dict[int, DatasetVersion]:
    """Each dataset's newest version not withdrawn (the one a reader is served)."""
    newest = (select(DatasetVersion.dataset_id, func.max(DatasetVersion.number).label("n"))
              .where(DatasetVersion.dataset_id.in_(ids), DatasetVersion.withdrawn_at.is_(None))
              .group_by(DatasetVersion.dataset_id).subquery())
    return {v.dataset_id: v for v in session.scalars(
        select(DatasetVersion).join(newest, (newest.c.dataset_id == DatasetVersion.dataset_id)
                                    & (newest.c.n == DatasetVersion.number)))}


def _bank_agent(base: str) -> dict:
    return {"@id": f"{base}/", "@type": "foaf:Agent", "foaf:name": _lang(CATALOG_TITLE)}


def dcat_catalog(session: Session, *, reader: Reader, base_url: str) -> dict:
    """The whole catalog that `reader` may see, as a DCAT-AP JSON-LD document (a plain dict)."""
    base = base_url.rstrip("/")
    rows = session.execute(select(Dataset, Organisation).join(Organisation, Organisation.id == Dataset.organisation_id)
                           .where(visible_datasets(session, reader)).order_by(Dataset.slug)).all()
    versions = _newest_versions(session, [d.id for d, _o in rows]) if rows else {}
    history = _all_versions(session, [d.id for d, _o in rows]) if rows else {}
    return {
        "@context": CONTEXT,
        "@id": f"{base}/api/v1/catalog.jsonld",
        "@type": "dcat:Catalog",
        "dct:title": _lang(CATALOG_TITLE),
        "dct:description": _lang(CATALOG_DESCRIPTION),
        "dct:publisher": _bank_agent(base),
        "dct:language": [_node(vocab.language(code), "dct:LinguisticSystem") for code in ("en", "ru", "zh")],
        "foaf:homepage": _node(f"{base}/", "foaf:Document"),
        "dcat:dataset": [dataset_entry(base, d, o, versions.get(d.id), history.get(d.id)) for d, o in rows],
    }
