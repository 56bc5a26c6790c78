"""Real inputs for the analytics tests, built from ../shared/data the way a user would prepare them."""

from __future__ import annotations

from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
import pytest

SITC = "trade-country-product-sitc2-1998-2000/world_trade_avg_1998_to_2000.csv.gz"


@pytest.fixture(scope="session")
def sitc_table(data_dir: Path) -> pa.Table:
    """World exports by country x SITC2 4-digit product (1998-2000 average), as year 2000, ISO3 upper."""
    raw = pacsv.read_csv(data_dir / SITC, convert_options=pacsv.ConvertOptions(
        column_types={"country": pa.string(), "product": pa.string()}))
    return pa.table({
        "year": pa.array([2000] * raw.num_rows, pa.int64()),
        "exporter": pc.utf8_upper(raw["country"]),
        "product": raw["product"],
        "value": raw["value"].cast(pa.float64()),
    })


@pytest.fixture(scope="session")
def sitc_file(sitc_table: pa.Table, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sitc") / "sitc_exports_2000.parquet"
    pq.write_table(sitc_table, path)
    return path
