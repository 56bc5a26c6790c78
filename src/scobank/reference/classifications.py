"""Loading the names of the non-HS product classifications into the reference store (`ClassificationCode`),
so that naming a product never reads the data folder at request time.

Sources in SCOBANK_DATA_DIR (see each folder's SOURCE.md):
- SITC2 (SITC rev. 2): hs-nomenclature/atlas_sitc.csv (Growth Lab, atlas-common-data 1.1.1, Apache-2.0):
  `code` and `name_en` at `product_level` 1 (sections, one digit), 2 and 4 (the four-digit items the
  SITC exports datasets use; codes zero-padded to the level);
- ICIO-ISIC4 (the 50 OECD ICIO industries, A01 ... T): icio-oecd-2022-intermediate/oecd_icio2025_sectors.csv
  (`code`, `economic_activity`; UTF-8 with a BOM).
The sources are English only; the Russian and Chinese names are a hand-made translation kept in the package
(data/product_names_ru_zh.csv: who translated it and how is in its header), merged into `names` on every
load (so a bank loaded before gets them too). Idempotent per classification; a missing file leaves that
classification out (products then show their codes alone).
"""

from __future__ import annotations

import csv
from pathlib import Path

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from scobank.reference.models import ClassificationCode
from scobank.reference.name_stamps import names_changed

SITC_FILE = Path("hs-nomenclature") / "atlas_sitc.csv"
TRANSLATIONS_FILE = Path(__file__).parent / "data" / "product_names_ru_zh.csv"
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
        names_changed(session, name)
        parts.append(f"{name} {len(rows)}")
    translated = add_translations(session)
    return ("product names: " + (", ".join(parts) if parts else "already loaded or no files")
            + (f"; Russian/Chinese names added to {translated} codes" if translated else ""))


def read_translations(path: Path = TRANSLATIONS_FILE) -> dict[tuple[str, str], dict[str, str]]:
    """(classification, code) -> {"ru": ..., "zh": ...} of the hand-made file (lines starting "#" are its
    header)."""
    with open(path, encoding="utf-8", newline="") as fh:
        rows = csv.DictReader(line for line in fh if not line.startswith("#"))
        return {(r["classification"], r["code"]): {k: r[k].strip() for k in ("ru", "zh") if r[k].strip()}
                for r in rows}


def add_translations(session: Session) -> int:
    """Merge the hand-made Russian and Chinese names into the codes that lack them; return how many changed."""
    translations = read_translations()
    changed: dict[str, int] = {}
    for row in session.scalars(select(ClassificationCode)):
        extra = translations.get((row.classification, row.code))
        merged = {**(row.names or {}), **(extra or {})}
        if extra and merged != row.names:
            row.names = merged
            changed[row.classification] = changed.get(row.classification, 0) + 1
    for classification in changed:
        names_changed(session, classification)
    return sum(changed.values())
