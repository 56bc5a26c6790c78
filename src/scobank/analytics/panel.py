"""Reading and checking analytics inputs: long trade panels from CSV or Parquet.

A panel is a table with a `year`, one or more country-code columns (`exporter`, `importer`), a product
column and a non-negative `value`. Codes are always read as strings (SITC "0011" keeps its zero), years
as integers, values as float64. Duplicate keys are summed by the analyses, not here.

Bad input raises `AnalyticsInputError` naming the file, the 1-based data row, the column and the reason
(at most 20 problems listed; the message counts them all). Nothing is computed from a bad file.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq

from scobank.errors import AnalyticsInputError, BadFile, Problem, UnsupportedFormat
from scobank.problem_kinds import Kind

TRADE_COLUMNS = ("year", "exporter", "product", "value")
BILATERAL_COLUMNS = ("year", "exporter", "importer", "product", "value")
CODE_COLUMNS = frozenset({"exporter", "importer", "product", "partner", "reporter", "sector"})
MAX_PROBLEMS = 20


def read_panel(path: Path, *, columns: tuple[str, ...] = TRADE_COLUMNS, domestic: bool = False) -> pa.Table:
    """Read `path` (CSV, CSV.gz or Parquet) and return exactly `columns`, checked.

    Code columns come back as strings, `year` as int64, `value` as float64; country codes in the bank's
    form (`normal_countries`). A bilateral panel holds trade between countries only, as a dataset of the
    bank read for analytics does (`inputs`): rows with exporter == importer (the domestic flows of an
    input-output table) are left out unless `domestic=True`. Raises BadFile (unreadable,
    missing column), UnsupportedFormat (other extension) or AnalyticsInputError (empty, null, NaN or
    negative values), each naming the file, row and column.
    """
    path = Path(path)
    table = _read_raw(path, columns)
    missing = [c for c in columns if c not in table.column_names]
    if missing:
        raise BadFile(f"{path.name}: missing column(s) {', '.join(missing)}; expected {', '.join(columns)}")
    table = table.select(list(columns))
    table = normal_countries(pa.table({name: _cast(table[name], name, path) for name in columns}))
    check_panel(table, file=path.name)
    return table if domestic else between_countries(table)


def normal_countries(table: pa.Table) -> pa.Table:
    """`exporter` and `importer` as the bank writes them: upper-case ISO3, withdrawn codes replaced by
    their successors (ROM -> ROU, ZAR -> COD, TMP -> TLS: `scobank.reference.lookup.country_code`)."""
    from scobank.reference.lookup import country_codes

    for name in ("exporter", "importer"):
        if name in table.column_names:
            table = table.set_column(table.schema.get_field_index(name), name, country_codes(table[name]))
    return table


def between_countries(table: pa.Table) -> pa.Table:
    """The rows of a bilateral panel whose exporter is not the importer (all rows of other panels)."""
    if not {"exporter", "importer"} <= set(table.column_names):
        return table
    return table.filter(pc.not_equal(table["exporter"], table["importer"]))


def _read_raw(path: Path, columns: tuple[str, ...]) -> pa.Table:
    name = path.name.lower()
    if not path.is_file():
        raise BadFile(f"{path}: no such file")
    try:
        if name.endswith(".parquet"):
            return pq.read_table(path)
        if name.endswith((".csv", ".csv.gz", ".tsv")):
            types = {c: pa.string() for c in columns if c in CODE_COLUMNS}
            convert = pacsv.ConvertOptions(column_types=types, strings_can_be_null=True,
                                           null_values=["", "NA", "NaN", "null"])
            parse = pacsv.ParseOptions(delimiter="\t" if name.endswith(".tsv") else ",")
            return pacsv.read_csv(path, parse_options=parse, convert_options=convert)
    except (pa.ArrowInvalid, OSError) as exc:
        raise BadFile(f"{path.name}: cannot be read as a table: {str(exc).splitlines()[0]}") from exc
    raise UnsupportedFormat(f"{path.name}: expected .csv, .csv.gz, .tsv or .parquet")


def _cast(column: pa.ChunkedArray, name: str, path: Path) -> pa.ChunkedArray:
    target = pa.string() if name in CODE_COLUMNS else pa.int64() if name == "year" else pa.float64()
    if pa.types.is_dictionary(column.type):
        column = column.cast(column.type.value_type)
    try:
        return column.cast(target)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError) as exc:
        raise BadFile(f"{path.name}: column {name!r} cannot be read as {target}: {str(exc).splitlines()[0]}") from exc


def check_panel(table: pa.Table, *, file: str) -> None:
    """Raise AnalyticsInputError listing null, NaN and negative cells (and an empty table)."""
    if table.num_rows == 0:
        raise AnalyticsInputError(f"{file}: no rows")
    problems: list[Problem] = []
    total = 0
    for name in table.column_names:
        column = table[name]
        bad = pc.is_null(column, nan_is_null=True)
        reasons = {"null": "empty cell" if name != "value" else "empty or NaN value"}
        if name == "value":
            bad = pc.or_kleene(bad, pc.less(column, 0.0))
        rows = np.flatnonzero(bad.to_numpy(zero_copy_only=False))
        total += len(rows)
        for row in rows[: MAX_PROBLEMS - len(problems)]:
            value = column[int(row)].as_py()
            reason = reasons["null"] if value is None or value != value else f"negative value {value}"
            problems.append(Problem(Kind.BAD_VALUE, reason, file, int(row) + 1, name, None if value is None else str(value)))
    if total:
        first = problems[0]
        raise AnalyticsInputError(
            f"{file}: {total} bad cell{'s' if total != 1 else ''} (first: row {first.row}, column "
            f"{first.column!r}: {first.message}); nothing was computed",
            problems=problems,
        )


class YearMatrix:
    """One year of a country x product panel as a dense matrix, duplicates summed.

    `rows` and `cols` are the sorted codes with a positive total (ANALYTICS.md: restricted to countries
    and products with positive totals); `values[i, j]` is the summed value of rows[i] in cols[j].
    """

    __slots__ = ("year", "rows", "cols", "values")

    def __init__(self, year: int, rows: np.ndarray, cols: np.ndarray, values: np.ndarray) -> None:
        self.year, self.rows, self.cols, self.values = year, rows, cols, values


def year_matrices(table: pa.Table, *, row: str = "exporter", col: str = "product") -> list[YearMatrix]:
    """Split a checked panel by year into dense matrices (vectorised: dictionary codes + bincount)."""
    return list(iter_year_matrices(table, row=row, col=col))


def iter_year_matrices(table: pa.Table, *, row: str = "exporter", col: str = "product") -> Iterator[YearMatrix]:
    """`year_matrices` one year at a time (only one dense matrix in memory)."""
    years = table["year"].to_numpy()
    distinct = np.unique(years)
    for year in distinct:
        part = table if len(distinct) == 1 else table.filter(pa.array(years == year))
        r_codes, r_idx = sorted_codes(part[row])
        c_codes, c_idx = sorted_codes(part[col])
        dense = np.bincount(r_idx * len(c_codes) + c_idx, weights=part["value"].to_numpy(),
                            minlength=len(r_codes) * len(c_codes)).reshape(len(r_codes), len(c_codes))
        keep_r, keep_c = dense.sum(axis=1) > 0, dense.sum(axis=0) > 0
        if not (keep_r.all() and keep_c.all()):  # zero-valued rows only: copy (rare)
            r_codes, c_codes, dense = r_codes[keep_r], c_codes[keep_c], dense[keep_r][:, keep_c]
        yield YearMatrix(int(year), r_codes, c_codes, dense)


def sorted_codes(column: pa.ChunkedArray) -> tuple[np.ndarray, np.ndarray]:
    """(sorted distinct codes, index of each row's code in them), without sorting the rows."""
    encoded = pc.dictionary_encode(column.combine_chunks())
    codes = encoded.dictionary.to_numpy(zero_copy_only=False)
    order = np.argsort(codes, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(len(order))
    return codes[order], rank[encoded.indices.to_numpy()]
