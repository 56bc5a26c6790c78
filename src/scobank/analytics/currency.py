"""Presenting trade values in another HS revision or another currency, saying which weights and rates.

- HS revision: `reference.convert_hs` splits each code's value over the target codes with the Growth
  Lab concordance weights (totals kept; HS12 <-> HS17 <-> HS22, chained).
- Currency: value_in_currency = value_usd x units of the currency per USD in the row's year
  (`reference.usd_rate`: FRED annual averages, WDI official rates); every row carries the rate, its year
  and its source. A year without a rate raises NotFound naming the years held.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from sqlalchemy.orm import Session

from scobank.reference.lookup import convert_hs, usd_rate


def convert_revision(session: Session, table: pa.Table, *, from_revision: str, to_revision: str) -> pa.Table:
    """`table` with `product` codes in `to_revision` and `value` split by the concordance weights."""
    return convert_hs(session, table, from_revision=from_revision, to_revision=to_revision,
                      code_column="product", value_columns=("value",))


def to_currency(session: Session, table: pa.Table, *, currency: str) -> pa.Table:
    """`table` (year, value in USD, ...) with `value` in `currency` and the rate used on every row:
    currency, rate_per_usd, rate_year, rate_source."""
    code = currency.strip().upper()
    years = table["year"].to_numpy()
    distinct = np.unique(years)
    rates = {int(y): usd_rate(session, code, int(y)) for y in distinct}  # one lookup per year
    position = np.searchsorted(distinct, years)
    per_usd = np.array([rates[int(y)].per_usd for y in distinct])[position]
    source = np.array([rates[int(y)].source for y in distinct], dtype=object)[position]
    out = table.set_column(table.schema.get_field_index("value"), "value",
                           pc.multiply(table["value"], pa.array(per_usd)))
    return (out.append_column("currency", pa.array([code] * out.num_rows, pa.string()))
            .append_column("rate_per_usd", pa.array(per_usd))
            .append_column("rate_year", table["year"])
            .append_column("rate_source", pa.array(source, pa.string())))
