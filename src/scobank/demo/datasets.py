"""Demo step: the organisations and datasets of SCOBANK_DATA_DIR, published through the one way in
(catalog.services: create_dataset -> publish_version = ingest -> lake -> version).

Idempotent: an organisation or dataset that exists is kept (its metadata refreshed only when the
description here changed), and a file whose bytes are already a version is not ingested again.
Without a data dir, a small generated world (exports of five members) is published instead, labelled
as generated in its title, description and source note.
"""

from __future__ import annotations

import csv
import hashlib
import random
from pathlib import Path

from sqlalchemy.orm import Session

from scobank.access.reader import OPERATOR
from scobank.catalog.datasets import create_dataset, find_dataset, update_dataset
from scobank.catalog.organisations import create_organisation
from scobank.catalog.refs import dataset_id_of, organisation_ids
from scobank.catalog.schemas import DatasetCreate, DatasetUpdate, OrganisationCreate
from scobank.catalog.publish import publish_version
from scobank.catalog.versions import version_of_source
from scobank.config import get_settings
from scobank.demo.catalog import DATASETS, ORGANISATIONS, DatasetSpec, OrgSpec
from scobank.errors import NotFound, ScobankError

GENERATOR = OrgSpec("demo-generator", "INT", {"en": "Demonstration data generator (not a real publisher)",
                                              "ru": "Генератор демонстрационных данных (не реальный издатель)",
                                              "zh": "演示数据生成器（非真实发布机构）"})
GENERATED_NOTE = ("GENERATED: random numbers made by scobank.demo.datasets (seed 2024) because no "
                  "SCOBANK_DATA_DIR was available. Not real trade data; do not cite.")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(8 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _ensure_org(session: Session, spec: OrgSpec) -> bool:
    if organisation_ids(session, [spec.slug]):
        return False
    create_organisation(session, data=OrganisationCreate(slug=spec.slug, party=spec.party, names=spec.names),
                        actor=OPERATOR)
    return True


def _metadata(spec: DatasetSpec) -> dict:
    start, end = spec.temporal or (None, None)
    return {"title": spec.title, "description": spec.description, "keywords": spec.keywords,
            "themes": spec.themes, "license": spec.license, "temporal_start": start, "temporal_end": end,
            "spatial": spec.spatial, "classification": spec.classification, "source_note": spec.source_note,
            "update_frequency": spec.update_frequency}


def _ensure_dataset(session: Session, spec: DatasetSpec) -> None:
    dataset = find_dataset(session, spec.slug) if dataset_id_of(session, spec.slug) is not None else None
    wanted = _metadata(spec)
    if dataset is None:
        create_dataset(session, data=DatasetCreate(slug=spec.slug, organisation=spec.organisation, kind=spec.kind,
                                                   **wanted), actor=OPERATOR)
    elif any(getattr(dataset, k) != v for k, v in wanted.items()):
        update_dataset(session, slug=spec.slug, changes=DatasetUpdate(**wanted), actor=OPERATOR)


def _publish(session: Session, spec: DatasetSpec, path: Path) -> str:
    """Publish `path` as a version of `spec.slug` unless these bytes already are one; a line to print."""
    existing = version_of_source(session, find_dataset(session, spec.slug), source_hash=_sha256(path))
    if existing is not None:
        return f"  {spec.slug}: version {existing.number} already loaded ({existing.row_count:,} rows)"
    result = publish_version(session, dataset=spec.slug, source=path, actor=OPERATOR, kind=spec.kind,
                             hs_revision=spec.classification if spec.kind == "trade" else None,
                             source_name=path.name, on_error=spec.on_error, schema=spec.schema)
    v = result.version
    return f"  {spec.slug}: version {v.number}, {v.row_count:,} rows ({spec.organisation}, {spec.path or 'generated'})"


def _load(session: Session, spec: DatasetSpec, path: Path) -> str:
    """Dataset and version of one file in a savepoint: a file the ingest rejects leaves nothing behind
    (no empty dataset) and the demo goes on with the others, saying why."""
    try:
        with session.begin_nested():
            _ensure_dataset(session, spec)
            return _publish(session, spec, path)
    except ScobankError as exc:
        return f"  {spec.slug}: NOT loaded ({exc.code}: {exc.message})"


def populate(session: Session, *, data_dir: Path | None) -> list[str]:
    """Organisations and datasets of the demo; returns the lines `scobank demo` prints."""
    if data_dir is None:
        return _populate_generated(session)
    new_orgs = sum(_ensure_org(session, spec) for spec in ORGANISATIONS)
    lines = [f"datasets from {data_dir} ({len(ORGANISATIONS)} organisations, {new_orgs} new):"]
    for spec in DATASETS:
        path = data_dir / spec.path
        if not path.is_file():
            lines.append(f"  {spec.slug}: skipped, {spec.path} is not in the data folder")
            continue
        lines.append(_load(session, spec, path))
    return lines


def publish_one(session: Session, slug: str, *, data_dir: Path) -> str:
    """Publish the demo dataset `slug` (and its organisation) from `data_dir`, as `populate` does; a line
    to print. For tests and for loading one dataset of the demo catalog into another bank."""
    spec = next((s for s in DATASETS if s.slug == slug), None)
    if spec is None:
        raise NotFound(f"no demo dataset {slug!r}")
    _ensure_org(session, next(o for o in ORGANISATIONS if o.slug == spec.organisation))
    return _load(session, spec, data_dir / spec.path)


GENERATED = DatasetSpec(
    "generated-member-exports", GENERATOR.slug, "", "trade",
    {"en": "GENERATED demonstration data: exports of five SCO members (not real)",
     "ru": "СГЕНЕРИРОВАННЫЕ демонстрационные данные: экспорт пяти государств-членов ШОС (не реальные)",
     "zh": "生成的演示数据：五个上合组织成员国的出口（非真实数据）"},
    {"en": "Random values for showing the portal without real data. " + GENERATED_NOTE,
     "ru": "Случайные значения для демонстрации портала без реальных данных. Не являются статистикой.",
     "zh": "在没有真实数据时用于演示门户的随机数值，并非统计数据。"},
    {"en": ["generated", "demo", "exports"], "ru": ["сгенерировано", "демо"], "zh": ["生成", "演示"]},
    ["trade", "generated"], "CC0-1.0", (2019, 2023), GENERATED_NOTE, classification="HS22",
    spatial=["CHN", "RUS", "KAZ", "UZB", "KGZ"],
)


def _generated_file(session: Session) -> Path:
    """A deterministic CSV of generated flows in the trade-flow layout (same bytes every time)."""
    from scobank.reference.lookup import hs_table

    hs = hs_table(session, "HS22").to_pylist()
    products = [r["code"] for r in hs if r["level"] == 6][::40]
    rng = random.Random(2024)
    members = ["CHN", "RUS", "KAZ", "UZB", "KGZ", "TJK", "IND", "PAK", "IRN", "BLR"]
    path = get_settings().staging_dir / "generated_member_exports_hs22.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["year", "exporter", "importer", "product", "value_usd"])
        for year in range(2019, 2024):
            for exporter in GENERATED.spatial:
                for importer in members:
                    if importer == exporter:
                        continue
                    for product in rng.sample(products, 12):
                        writer.writerow([year, exporter, importer, product, round(rng.lognormvariate(11, 2), 2)])
    return path


def _populate_generated(session: Session) -> list[str]:
    _ensure_org(session, GENERATOR)
    path = _generated_file(session)
    try:
        line = _load(session, GENERATED, path)
    finally:
        path.unlink(missing_ok=True)
    return ["no SCOBANK_DATA_DIR: publishing a GENERATED demonstration world (labelled as generated):", line]
