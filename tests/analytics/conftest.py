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


BACI_2020 = "trade-baci-samples/baci_hs17_2020_exporters_AFG_ZAF.csv.gz"


def baci_flows(data_dir: Path, session, *, year: int | None = None) -> pa.Table:
    """The real BACI HS17 2020 sample (exporters AFG, ZAF) as year, exporter, importer, product, value:
    CEPII codes mapped to ISO3 with the reference tables (BACI code, else ISO numeric: 380 Italy; codes without a country, such as 490 "Other Asia, nes", stay as "X490"), HS codes zero-padded to 6 (thousand USD)."""
    from scobank.reference.lookup import baci_code_table, country_table

    raw = pacsv.read_csv(data_dir / BACI_2020)
    countries, codes = country_table(session), baci_code_table(session)
    iso = dict(zip(countries["numeric"].to_pylist(), countries["iso3"].to_pylist(), strict=True))
    iso.update(zip(codes["baci_code"].to_pylist(), codes["iso3"].to_pylist(), strict=True))
    k = pc.utf8_lpad(raw["k"].cast(pa.string()), 6, "0")
    return pa.table({
        "year": pa.array([year or 2020] * raw.num_rows, pa.int64()),
        "exporter": pa.array([iso.get(c, f"X{c}") for c in raw["i"].to_pylist()], pa.string()),
        "importer": pa.array([iso.get(c, f"X{c}") for c in raw["j"].to_pylist()], pa.string()),
        "product": k,
        "value": raw["v"].cast(pa.float64()),
    })
