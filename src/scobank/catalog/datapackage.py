"""A dataset version as a Frictionless (Tabular) Data Package: `datapackage.json` with the version's
Table Schema, licence, languages' titles and the CSV export as its one resource. The schema describes
the exported CSV, not the file the steward sent: reading options of the source (decimal and group
characters, national missing-value markers) are left out, since the export writes plain numbers and
empty cells for missing values (the markers stay in the status columns)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.catalog import datasets, versions
from scobank.catalog.dcat_vocabularies import LICENSES

SOURCE_ONLY = ("decimalChar", "groupChar", "bareNumber")
PACKAGE_PROFILE = "tabular-data-package"


def export_schema(table_schema: dict) -> dict:
    """The stored Table Schema, as it describes the exported CSV."""
    fields = [{k: v for k, v in f.items() if k not in SOURCE_ONLY} for f in table_schema.get("fields", [])]
    schema: dict = {"fields": fields, "missingValues": [""]}
    key = table_schema.get("primaryKey")
    if key:
        schema["primaryKey"] = key
    return schema


def _title(texts: dict) -> str | None:
    return next((texts[lang] for lang in ("en", "ru", "zh") if texts.get(lang)), None) or \
        next(iter(texts.values()), None)


def datapackage(session: Session, *, slug: str, reader: Reader, data_path: str,
                version: int | None = None) -> dict:
    """The descriptor of one version (default: newest); `data_path` is where its CSV is (a URL or a
    path relative to the descriptor). Reads go through the gate (metadata) and into the ledger."""
    public = datasets.get_dataset(session, slug=slug, reader=reader)
    ver = versions.get_version(session, slug=slug, reader=reader, number=version)
    package = {
        "profile": PACKAGE_PROFILE, "name": slug, "version": str(ver.number),
        "title": _title(public.title), "description": _title(public.description),
        "keywords": sorted({w for words in public.keywords.values() for w in words}),
        "created": ver.created_at.replace(tzinfo=None).isoformat() + "Z",
        "homepage": None, "sources": [{"title": public.source_note}] if public.source_note else [],
        "scobank": {"title": public.title, "description": public.description, "party": public.party,
                    "organisation": public.organisation, "content_hash": ver.content_hash},
        "resources": [{
            "profile": "tabular-data-resource", "name": slug, "path": data_path, "format": "csv",
            "mediatype": "text/csv", "encoding": "utf-8", "schema": export_schema(ver.table_schema or {}),
            "dialect": {"delimiter": ",", "header": True},
        }],
    }
    if public.license:
        package["licenses"] = [{"name": public.license, "path": LICENSES.get(public.license)}]
    return {k: v for k, v in package.items() if v not in (None, [], "")}
