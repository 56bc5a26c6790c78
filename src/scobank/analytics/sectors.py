"""Names of the OECD ICIO industries (50 ISIC Rev.4 groups: A01 ... T), for tables whose products are
sectors (the ICIO intermediate flows).

The labels are the OECD's own code list, `oecd_icio2025_sectors.csv`, shipped with the ICIO extract
in SCOBANK_DATA_DIR (icio-oecd-2022-intermediate, see its SOURCE.md; UTF-8 with a BOM). They are
public reference labels read from the data folder, like the other reference tables. Without the file
the names are empty and pages show the codes alone.
"""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv

ICIO_FOLDER = "icio-oecd-2022-intermediate"
SECTORS_FILE = "oecd_icio2025_sectors.csv"


def sector_table(folder: Path | None = None) -> pa.Table:
    """(sector, sector_name) from `folder` (default: the ICIO folder of SCOBANK_DATA_DIR); empty when
    the file is not there."""
    if folder is None:
        from scobank.config import get_settings

        data_dir = get_settings().resolved_data_dir
        folder = data_dir / ICIO_FOLDER if data_dir else None
    path = Path(folder) / SECTORS_FILE if folder else None
    if path is None or not path.is_file():
        return pa.table({"sector": pa.array([], pa.string()), "sector_name": pa.array([], pa.string())})
    names = pacsv.read_csv(path, read_options=pacsv.ReadOptions(encoding="utf-8-sig"))
    return pa.table({"sector": names["code"].cast(pa.string()),
                     "sector_name": names["economic_activity"].cast(pa.string())})


def with_sector_names(table: pa.Table, *, column: str = "product", name: str = "product_name") -> pa.Table:
    """`table` with a `name` column after `column`: the ICIO sector's name, null for unknown codes."""
    sectors = sector_table()
    lookup = dict(zip(sectors["sector"].to_pylist(), sectors["sector_name"].to_pylist(), strict=True))
    names = pa.array([lookup.get(code) for code in table[column].to_pylist()], pa.string())
    at = table.schema.get_field_index(column) + 1
    return table.add_column(at, name, names)

