"""Loading the names of the non-HS product classifications into the reference store (`ClassificationCode`),
so that naming a product never reads the data folder at request time.

Sources in SCOBANK_DATA_DIR (see each folder's SOURCE.md):
- SITC2 (SITC rev. 2): hs-nomenclature/atlas_sitc.csv (Growth Lab, atlas-common-data 1.1.1, Apache-2.0):
  `code` and `name_en` at `product_level` 1 (sections, one digit), 2 and 4 (the four-digit items the
  SITC exports datasets use; codes zero-padded to the level);
- ICIO-ISIC4 (the 50 OECD ICIO industries, A01 ... T): icio-oecd-2022-intermediate/oecd_icio2025_sectors.csv
  (`code`, `economic_activity`; UTF-8 with a BOM).
English only: the sources have no Russian or Chinese names. Idempotent per classification; a missing file
leaves that classification out (products then show their codes alone).
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from scobank.reference.models import ClassificationCode

SITC_FILE = Path("hs-nomenclature") / "atlas_sitc.csv"
ICIO_SECTORS_FILE = Path("icio-oecd-2022-intermediate") / "oecd_icio2025_sectors.csv"


def read_sitc(path: Path) -> list[dict]:
    rows = []
    with open(path, encoding="utf-8", newline="") as fh:
        for r in csv.DictReader(fh):
            level, code = int(r["product_level"]), r["code"].strip()
            if code.isdigit() and level in (1, 2, 3, 4):
                rows.append({"classification": "SITC2", "code": code.zfill(level), "level": level,
                             "names": {"en": r["name_en"].strip()}})
    return rows


def read_icio_sectors(path: Path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return [{"classification": "ICIO-ISIC4", "code": r["code"].strip(), "level": 1,
                 "names": {"en": r["economic_activity"].strip()}} for r in csv.DictReader(fh) if r["code"].strip()]


SOURCES = {"SITC2": (SITC_FILE, read_sitc), "ICIO-ISIC4": (ICIO_SECTORS_FILE, read_icio_sectors)}


def load_classifications(session: Session, data_dir: Path | None) -> str:
    """Insert each classification of `SOURCES` that has no codes yet; return a summary fragment."""
    loaded = set(session.scalars(select(ClassificationCode.classification).distinct()))
    parts = []
    for name, (relative, read) in SOURCES.items():
        if name in loaded or data_dir is None or not (data_dir / relative).is_file():
            continue
        rows = read(data_dir / relative)
        session.execute(insert(ClassificationCode), rows)
        parts.append(f"{name} {len(rows)}")
    return "product names: " + (", ".join(parts) if parts else "already loaded or no files")
