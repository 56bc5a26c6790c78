"""The catalog in the shapes of CKAN's Action API (read side), for `ckanapi`, CKAN harvesters and the
tools built on them. Everything goes through the catalog's own services, so the gate decides and the
ledger records exactly as on /api/v1.

Mapping (CKAN -> bank):
- package (`name`, `id`) -> dataset slug; `title`/`notes` in the requested language with the other
  languages in `title_translated`/`notes_translated` (the ckanext-fluent convention);
- organization -> organisation; `groups` -> themes; `tags` -> keywords of every language;
- resources -> one per export format of the newest version (`{slug}--{format}` as id), with the
  version's content hash and size; `extras` carry the party, kind, classification, coverage and version.
- `package_search`: `q` (words in any language; `*:*` = everything), `fq` (`organization:`, `party:`,
  `groups:`, `license_id:`, `classification:`, `tags:` is not supported), `rows` (<= 1000), `start`,
  `facet.field`; results are ordered by relevance, then newest, as /api/v1/search orders them.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from scobank import __version__
from scobank.access import ledger
from scobank.access.gate import authorize
from scobank.access.reader import Action, Reader
from scobank.catalog import datasets, organisations
from scobank.catalog.dcat_vocabularies import MEDIA_TYPES as EXPORT_FORMATS
from scobank.catalog.models import Dataset, DatasetVersion
from scobank.catalog.refs import ref_of
from scobank.catalog.schemas import DatasetPublic
from scobank.catalog.search import search_datasets
from scobank.errors import BadRequest, NotFound

MAX_ROWS = 1000
DEFAULT_ROWS = 10
# CKAN facet/filter field -> the bank's search filter of the same meaning
FQ_FIELDS = {"organization": "organisation", "owner_org": "organisation", "party": "party",
             "groups": "theme", "license_id": "license", "classification": "classification"}
FACET_FIELDS = {"organization": "organisation", "groups": "theme", "license_id": "license",
                "party": "party", "classification": "classification"}
_FQ_TERM = re.compile(r'(?:\+|-)?(\w+):(?:"([^"]*)"|(\S+))')


@dataclass(frozen=True)
class SearchRequest:
    """A `package_search` call, parsed: filters by bank name, the page and the facets wanted."""

    q: str | None
    filters: dict[str, str]
    rows: int
    start: int
    facet_fields: list[str]


def _text(texts: Mapping | None, lang: str) -> str:
    texts = texts or {}
    for code in (lang, "en", "ru", "zh"):
        if isinstance(texts.get(code), str) and texts[code]:
            return texts[code]
    return next((v for v in texts.values() if isinstance(v, str) and v), "")


def _iso(moment: datetime | None) -> str | None:
    return moment.replace(tzinfo=None).isoformat() if moment else None


def _tags(keywords: Mapping | None) -> list[dict]:
    words = []
    for values in (keywords or {}).values():
        for word in [values] if isinstance(values, str) else values or []:
            if word not in words:
                words.append(word)
    return [{"name": w, "display_name": w, "state": "active", "vocabulary_id": None} for w in words]


def _resource(base: str, slug: str, fmt: str, version: DatasetVersion | None) -> dict:
    return {
        "id": f"{slug}--{fmt}", "package_id": slug, "name": f"{slug}.{fmt}", "format": fmt.upper(),
        "mimetype": EXPORT_FORMATS[fmt], "url": f"{base}/api/v1/datasets/{slug}/export?format={fmt}",
        "url_type": None, "state": "active", "position": list(EXPORT_FORMATS).index(fmt),
        "description": f"version {version.number}, {version.row_count} rows" if version else "no version yet",
        "hash": f"sha256:{version.content_hash}" if version else "",
        "size": version.byte_size if version and fmt == "parquet" else None,
        "created": _iso(version.created_at) if version else None,
        "last_modified": _iso(version.created_at) if version else None,
    }


def _organization(slug: str, party: str, names: Mapping | None, lang: str) -> dict:
    return {"id": slug, "name": slug, "title": _text(names, lang) or slug, "title_translated": dict(names or {}),
            "type": "organization", "is_organization": True, "state": "active",
            "description": "", "image_url": "", "approval_status": "approved",
            "extras": [{"key": "party", "value": party}]}


def package_dict(base: str, dataset: DatasetPublic, version: DatasetVersion | None, org_names: Mapping | None,
                 lang: str) -> dict:
    """One dataset as a CKAN package (`package_show`'s result)."""
    tags = _tags(dataset.keywords)
    # a dataset listed so that the reader may ask for it: its listing, no resources (no data, no version)
    resources = [] if dataset.listed_only else [_resource(base, dataset.slug, fmt, version) for fmt in EXPORT_FORMATS]
    extras = {"party": dataset.party, "kind": dataset.kind, "classification": dataset.classification,
              "spatial": ",".join(dataset.spatial) or None, "temporal_start": dataset.temporal_start,
              "temporal_end": dataset.temporal_end, "update_frequency": dataset.update_frequency,
              "source_note": dataset.source_note, "latest_version": dataset.latest_version}
    return {
        "id": dataset.slug, "name": dataset.slug, "type": "dataset", "state": "active", "private": False,
        "title": _text(dataset.title, lang) or dataset.slug, "title_translated": dict(dataset.title),
        "notes": _text(dataset.description, lang), "notes_translated": dict(dataset.description),
        "owner_org": dataset.organisation,
        "organization": _organization(dataset.organisation, dataset.party, org_names, lang),
        "license_id": dataset.license, "license_title": dataset.license,
        "maintainer_email": dataset.contact, "url": f"{base}/datasets/{dataset.slug}",
        "version": str(dataset.latest_version) if dataset.latest_version else None,
        "metadata_created": _iso(dataset.created_at), "metadata_modified": _iso(dataset.updated_at),
        "groups": [{"name": t, "title": t, "display_name": t} for t in dataset.themes],
        "tags": tags, "num_tags": len(tags), "resources": resources, "num_resources": len(resources),
        "extras": [{"key": k, "value": str(v)} for k, v in extras.items() if v not in (None, "")],
    }


def _latest_versions(session: Session, slugs: list[str]) -> dict[str, DatasetVersion]:
    """slug -> newest version, for a page of datasets, in one query."""
    if not slugs:
        return {}
    newest = (select(DatasetVersion.dataset_id, func.max(DatasetVersion.number).label("n"))
              .join(Dataset, Dataset.id == DatasetVersion.dataset_id).where(Dataset.slug.in_(slugs))
              .group_by(DatasetVersion.dataset_id).subquery())
    rows = session.execute(select(Dataset.slug, DatasetVersion)
                           .join(DatasetVersion, DatasetVersion.dataset_id == Dataset.id)
                           .join(newest, (newest.c.dataset_id == DatasetVersion.dataset_id)
                                 & (newest.c.n == DatasetVersion.number)))
    return {slug: version for slug, version in rows}


def _org_names(session: Session) -> dict[str, dict]:
    return {o.slug: o.names for o in organisations.list_organisations(session)}


def package_list(session: Session, *, reader: Reader, limit: int | None, offset: int) -> list[str]:
    """The names of the datasets the reader may see."""
    return [d.slug for d in datasets.list_datasets(session, reader=reader, limit=limit, offset=offset)]


def package_show(session: Session, *, reader: Reader, name: str, base: str, lang: str) -> dict:
    public = datasets.get_dataset(session, slug=name, reader=reader)
    version = None if public.listed_only else _latest_versions(session, [name]).get(name)
    return package_dict(base, public, version, _org_names(session).get(public.organisation), lang)


def resource_show(session: Session, *, reader: Reader, resource_id: str, base: str) -> dict:
    slug, _, fmt = resource_id.rpartition("--")
    if not slug or fmt not in EXPORT_FORMATS:
        raise NotFound(f"no resource {resource_id!r} (resources are named SLUG--FORMAT, "
                       f"FORMAT one of {', '.join(EXPORT_FORMATS)})")
    if datasets.get_dataset(session, slug=slug, reader=reader).listed_only:  # the gate and the ledger
        authorize(session, reader=reader, dataset=ref_of(session, datasets.find_dataset(session, slug)),
                  action=Action.METADATA)  # a listing has no resources: the gate's refusal, ledgered
    return _resource(base, slug, fmt, _latest_versions(session, [slug]).get(slug))


def _parse_fq(fq: str) -> dict[str, str]:
    filters: dict[str, str] = {}
    rest = _FQ_TERM.sub("", fq).replace("AND", "").strip()
    if rest:
        raise BadRequest(f"fq: cannot read {rest!r}; write field:value terms ({', '.join(FQ_FIELDS)})")
    for field, quoted, plain in _FQ_TERM.findall(fq):
        if field not in FQ_FIELDS:
            raise BadRequest(f"fq: unknown field {field!r}; known: {', '.join(FQ_FIELDS)}")
        filters[FQ_FIELDS[field]] = quoted or plain
    return filters


def whole_number(params: Mapping, name: str, default: int, low: int, high: int) -> int:
    value = params.get(name, default)
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise BadRequest(f"{name}: {value!r} is not a whole number") from None
    if not low <= number <= high:
        raise BadRequest(f"{name}: {number} is outside {low}..{high}")
    return number


def _facet_fields(value) -> list[str]:
    if value in (None, ""):
        return list(FACET_FIELDS)
    fields = json.loads(value) if isinstance(value, str) and value.startswith("[") else value
    fields = [fields] if isinstance(fields, str) else list(fields)
    unknown = [f for f in fields if f not in FACET_FIELDS]
    if unknown:
        raise BadRequest(f"facet.field: unknown {', '.join(map(repr, unknown))}; known: {', '.join(FACET_FIELDS)}")
    return fields


def parse_search(params: Mapping) -> SearchRequest:
    """Read `package_search`'s parameters as CKAN takes them; BadRequest names a bad one."""
    q = str(params.get("q") or "").strip()
    filters = _parse_fq(str(params.get("fq") or ""))
    words = []
    for token in q.split():  # Solr-style field:value terms in q are filters too
        if token == "*:*":
            continue
        match = _FQ_TERM.fullmatch(token)
        if match and match.group(1) in FQ_FIELDS:
            filters[FQ_FIELDS[match.group(1)]] = match.group(2) or match.group(3)
        else:
            words.append(token)
    try:
        facets = _facet_fields(params.get("facet.field"))
    except json.JSONDecodeError:
        raise BadRequest("facet.field: not a JSON list of field names") from None
    return SearchRequest(q=" ".join(words) or None, filters=filters,
                         rows=whole_number(params, "rows", DEFAULT_ROWS, 0, MAX_ROWS),
                         start=whole_number(params, "start", 0, 0, 10**9), facet_fields=facets)


def package_search(session: Session, *, reader: Reader, request: SearchRequest, base: str, lang: str) -> dict:
    found = search_datasets(session, reader=reader, q=request.q, limit=request.rows, offset=request.start,
                            **request.filters)
    slugs = [hit.slug for hit in found.items]
    shown = {d.slug: (d, names, version) for d, names, version in datasets.public_of(session, slugs)} if slugs else {}
    results = [package_dict(base, shown[s][0], shown[s][2], shown[s][1], lang) for s in slugs]
    facets = {f: dict(found.facets.get(FACET_FIELDS[f], {})) for f in request.facet_fields}
    ledger.record(session, actor=reader, action="search", rows=len(results),
                  detail={"api": "ckan", "q": request.q, "fq": request.filters})
    return {
        "count": found.total, "results": results, "sort": "score desc, metadata_modified desc",
        "facets": facets,
        "search_facets": {f: {"title": f, "items": [{"name": k, "display_name": k, "count": n}
                                                    for k, n in sorted(counts.items(), key=lambda kv: -kv[1])]}
                          for f, counts in facets.items()},
    }


def organization_list(session: Session, *, all_fields: bool, lang: str) -> list:
    orgs = organisations.list_organisations(session)
    if not all_fields:
        return [o.slug for o in orgs]
    return [_organization(o.slug, o.party, o.names, lang) for o in orgs]


def organization_show(session: Session, *, reader: Reader, name: str, base: str, lang: str,
                      include_datasets: bool) -> dict:
    org = next((o for o in organisations.list_organisations(session) if o.slug == name), None)
    if org is None:
        raise NotFound(f"no organization {name!r}")
    shown = _organization(org.slug, org.party, org.names, lang)
    shown["created"] = _iso(org.created_at)
    visible = datasets.list_datasets(session, reader=reader, organisation=name)
    shown["package_count"] = len(visible)
    if include_datasets:
        versions = _latest_versions(session, [d.slug for d in visible])
        shown["packages"] = [package_dict(base, d, versions.get(d.slug), org.names, lang) for d in visible]
    return shown


def status_show(base: str) -> dict:
    return {"site_title": "SCO Data Bank", "site_url": base, "site_description": "",
            "ckan_version": "2.10.0", "scobank_version": __version__, "locale_default": "ru",
            "extensions": ["scobank"], "api_version": 3}
