"""Names of the OECD ICIO industries (50 ISIC Rev.4 groups: A01 ... T), for tables whose products are
sectors (the ICIO intermediate flows).

The labels are the OECD's own code list (`oecd_icio2025_sectors.csv` of the ICIO extract, see its
SOURCE.md), loaded into the reference store with the other classifications
(`scobank.reference.classifications`, classification "ICIO-ISIC4") and read from there
(`scobank.reference.products`). Only the file mode of `scobank analytics dependency --icio FOLDER` reads
the file itself. Without names the pages show the codes alone.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
from sqlalchemy.orm import Session

from scobank.reference.classifications import ICIO_SECTORS_FILE, read_icio_sectors
from scobank.reference.texts import product_texts

ICIO = "ICIO-ISIC4"


def _table(pairs: list[tuple[str, str]]) -> pa.Table:
    return pa.table({"sector": pa.array([c for c, _ in pairs], pa.string()),
                     "sector_name": pa.array([n for _, n in pairs], pa.string())})


def sector_table(session: Session) -> pa.Table:
    """(sector, sector_name) of every ICIO industry in the reference store (empty when not loaded)."""
    texts = product_texts(session, ICIO)
    return _table([(code, texts[code].get("en")) for code in sorted(texts)])


def sector_file_table(folder: Path) -> pa.Table:
    """(sector, sector_name) from the ICIO extract in `folder` (file input); empty when the list is not there."""
    path = Path(folder) / ICIO_SECTORS_FILE.name
    if not path.is_file():
        return _table([])
    return _table([(r["code"], r["names"]["en"]) for r in read_icio_sectors(path)])

