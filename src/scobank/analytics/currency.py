"""Presenting trade values in another HS revision or another currency, saying which weights and rates.

- HS revision: each code's value is split over the target codes with the Growth Lab concordance weights
  (`reference.concordance_steps`: totals kept; HS12 <-> HS17 <-> HS22, chained), then rows equal on every
  other column are summed.
- Currency: value_in_currency = value_usd x units of the currency per USD in the row's year
  (`reference.usd_rate`: FRED annual averages, WDI official rates); every row carries the rate, its year
  and its source. A year without a rate raises NotFound naming the years held.

A dataset of the bank is converted as an expression over the engine's table of its version
(`revision_expr`, `currency_expr`): the weights and rates are small tables joined where the rows are, and
only the page of results asked for comes back. A file (the command line) is converted in memory
(`convert_revision`, `to_currency`).
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis.expr.types as ir
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from ibis import _
from sqlalchemy.orm import Session

from scobank.analytics.execution import run, table_of
from scobank.errors import BadRequest
from scobank.reference.lookup import concordance_steps, convert_hs, usd_rate

SHOWN_CODES = 10  # codes without weights named in the error


def convert_revision(session: Session, table: pa.Table, *, from_revision: str, to_revision: str) -> pa.Table:
    """`table` with `product` codes in `to_revision` and `value` split by the concordance weights."""
    return convert_hs(session, table, from_revision=from_revision, to_revision=to_revision,
                      code_column="product", value_columns=("value",))


def revision_expr(session: Session, t: ir.Table, *, from_revision: str, to_revision: str,
                  engine: str | None = None) -> ir.Table:
    """`t` (year, ..., product, value) with `product` in `to_revision`: each row split over the target
    codes by the weights, `value` multiplied by the weight, rows equal on every other column summed.
    Raises NotFound when no concordance links the revisions, BadRequest naming the codes without weights
    (found on the engine: only those codes come back)."""
    if from_revision.strip().upper() == to_revision.strip().upper():
        return t
    keys = [c for c in t.columns if c != "value"]
    for source, weights in concordance_steps(session, from_revision, to_revision):
        w = table_of(weights.rename_columns(["w_from", "w_to", "w_weight"]))
        t = t.mutate(product=t["product"].cast("string").lpad(6, "0"))
        _refuse_codes_without_weights(t, w, source, engine)
        joined = t.join(w, t["product"] == w.w_from)
        t = (joined.select(*[joined[c] for c in keys if c != "product"], product=joined.w_to,
                           value=joined.value * joined.w_weight)
             .group_by(keys).aggregate(value=_.value.sum()).select(*keys, "value"))
    return t


def _refuse_codes_without_weights(t: ir.Table, weights: ir.Table, source: str, engine: str | None) -> None:
    codes = t.select("product").distinct()
    missing = codes.anti_join(weights, codes["product"] == weights.w_from)
    found = run(missing.mutate(n=_.count().over()).order_by("product").limit(SHOWN_CODES), engine=engine)
    if found.num_rows:
        shown = ", ".join(str(c) for c in found["product"].to_pylist())
        raise BadRequest(f"{found['n'][0].as_py()} product code(s) have no {source} concordance weights: {shown}")


def rates_table(session: Session, *, currency: str, years: Sequence[int]) -> pa.Table:
    """(currency, rate_per_usd, rate_year, rate_source) for each of `years`, one lookup a year; NotFound
    for a year without a rate."""
    code = currency.strip().upper()
    rates = [usd_rate(session, code, int(y)) for y in sorted(set(years))]
    return pa.table({"currency": pa.array([code] * len(rates), pa.string()),
                     "rate_per_usd": pa.array([r.per_usd for r in rates], pa.float64()),
                     "rate_year": pa.array([int(y) for y in sorted(set(years))], pa.int64()),
                     "rate_source": pa.array([r.source for r in rates], pa.string())})


def currency_expr(t: ir.Table, rates: pa.Table) -> ir.Table:
    """`t` (year, value in USD, ...) with `value` in the currency of `rates` (`rates_table` over its
    years) and the rate used on every row: currency, rate_per_usd, rate_year, rate_source."""
    r = table_of(rates)
    joined = t.join(r, t.year.cast("int64") == r.rate_year)
    return joined.select(*[joined[c] for c in t.columns if c != "value"], value=joined.value * joined.rate_per_usd,
                         currency=joined.currency, rate_per_usd=joined.rate_per_usd, rate_year=joined.rate_year,
                         rate_source=joined.rate_source).select(*t.columns, "currency", "rate_per_usd", "rate_year",
                                                                "rate_source")


def to_currency(session: Session, table: pa.Table, *, currency: str) -> pa.Table:
    """`table` (year, value in USD, ...) in memory, with `value` in `currency` and the rate used on every
    row: currency, rate_per_usd, rate_year, rate_source (`rates_table`)."""
    years = table["year"].to_numpy()
    rates = rates_table(session, currency=currency, years=np.unique(years).tolist())
    position = np.searchsorted(rates["rate_year"].to_numpy(), years)
    per_usd = rates["rate_per_usd"].to_numpy()[position]
    out = table.set_column(table.schema.get_field_index("value"), "value",
                           pc.multiply(table["value"], pa.array(per_usd)))
    return (out.append_column("currency", rates["currency"].take(position))
            .append_column("rate_per_usd", pa.array(per_usd))
            .append_column("rate_year", table["year"])
            .append_column("rate_source", rates["rate_source"].take(position)))


def stated_rates(rates: pa.Table) -> list[dict]:
    """The rates a conversion used, by year, as the parameters state them."""
    return rates.select(["rate_year", "rate_per_usd", "rate_source"]).to_pylist()

