"""Statistical disclosure control of aggregates-only answers (a grant with k = Grant.aggregates_only_k).

The rules, with their parameters (`Disclosure`):

1. Measures are not for filtering. A measure is a numeric column that is neither in the version's
   primary key nor a period (year, month, quarter, period); without a declared primary key every
   numeric column except periods is one. Filters, group_by and sorting on a measure are refused:
   a range filter on the value column located a hidden cell's value by bisection.
2. Primary suppression. A group is left out when it has fewer than k rows (threshold rule) or, for
   each summed or averaged measure, when its `dominance_n` largest contributions (absolute values)
   exceed `dominance_pct` percent of its total (the (n,k) dominance rule of tau-Argus; defaults
   n = 2, 85 %).
3. Noise infusion (a fixed multiplicative perturbation of every record, as the US Census Bureau's
   County Business Patterns and the magnitude part of the ABS cell-key method do): sums and means add
   up each record's value times a factor 1 +/- d with d uniform in [`noise_min`, `noise_max`]
   (10-20 %) and the sign drawn from the record key. The record key is a keyed hash (a secret of the
   installation and the version) of the record's content, so the same record always carries the
   same factor: asking again averages nothing away, and differencing two totals (with and without
   one partner) gives that partner's value off by 10-20 %, never exactly.
4. Rounding: counts to the nearest ROUND_COUNTS_TO (5), sums and means to ROUND_SIGNIFICANT (3)
   significant digits (scobank.lake.query.round_aggregates).
5. The number of suppressed groups is said only as a coarse band ("fewer than 10", "10-99", ...):
   an exact count answered "does a row match this filter?".
"""

from __future__ import annotations

from dataclasses import dataclass

import ibis

from scobank.errors import AccessDenied

PERIODS = frozenset({"year", "month", "quarter", "period", "date", "time_period"})
HELPER = "__"  # prefix of the helper columns dropped before an answer leaves
BANDS = ((10, "fewer than 10"), (100, "10-99"), (1000, "100-999"))


@dataclass(frozen=True)
class Disclosure:
    k: int
    salt: str = ""  # secret per installation and version: readers cannot compute record keys
    dominance_n: int = 2
    dominance_pct: float = 85.0
    noise_min: float = 0.10
    noise_max: float = 0.20


def measure_columns(table: ibis.Table, primary_key: list[str] | None) -> set[str]:
    keys = set(primary_key or [])
    return {name for name, dtype in table.schema().items()
            if dtype.is_numeric() and name not in keys and name.lower() not in PERIODS}


def refuse_measure_use(spec, measures: set[str]) -> None:
    """Rule 1: no filter, group or sort on a measure column."""
    used = [(f"filter on {f.column!r}", f.column) for f in spec.filters]
    used += [(f"group_by {g!r}", g) for g in spec.group_by]
    for what, column in used:
        if column in measures:
            raise AccessDenied(f"{what}: {column!r} is a measure of an aggregates-only dataset; measures can be "
                               "summed or averaged, not filtered or grouped on")


def _factor(table: ibis.Table, rules: Disclosure) -> ibis.Value:
    """Rule 3: each record's fixed noise factor 1 +/- d, from a keyed hash of its content."""
    text = ibis.literal(rules.salt)
    for name in table.columns:
        text = text.concat("|", table[name].cast("string").fill_null(""))
    h = text.hash()
    spread = (h % 1_000_003).abs() / 1_000_003
    d = rules.noise_min + (rules.noise_max - rules.noise_min) * spread
    return ibis.ifelse(((h // 1_000_003) % 2).abs() == 0, 1 + d, 1 - d)


def protected_aggregate(filtered: ibis.Table, keys: list[str], aggregates, rules: Disclosure):
    """The grouped expression with perturbed sums and means and the helper columns of rules 2 and 3,
    and the condition that a group may be shown. Returns (all_groups, safe)."""
    measures = sorted({a.column for a in aggregates if a.fn in ("sum", "mean")})
    t = filtered.mutate(**{f"{HELPER}f": _factor(filtered, rules)}) if measures else filtered
    for m in measures:
        order = ibis.desc(t[m].abs())
        rank = ibis.row_number().over(group_by=keys, order_by=order) if keys else \
            ibis.row_number().over(order_by=order)
        t = t.mutate(**{f"{HELPER}rank_{m}": rank})
    metrics = {}
    for agg in aggregates:
        if agg.column is None or agg.fn == "count":
            metrics[agg.name] = t[agg.column].count() if agg.column else ibis._.count()
        else:
            metrics[agg.name] = getattr(t[agg.column] * t[f"{HELPER}f"], agg.fn)()
    metrics[f"{HELPER}n"] = ibis._.count()
    for m in measures:
        metrics[f"{HELPER}top_{m}"] = t[m].abs().sum(where=t[f"{HELPER}rank_{m}"] < rules.dominance_n)
        metrics[f"{HELPER}total_{m}"] = t[m].abs().sum()
    groups = t.group_by(keys).aggregate(**metrics) if keys else t.aggregate(**metrics)
    safe = groups[f"{HELPER}n"] >= rules.k
    for m in measures:
        top, total = groups[f"{HELPER}top_{m}"].fill_null(0), groups[f"{HELPER}total_{m}"].fill_null(0)
        safe = safe & ((total == 0) | (top <= total * (rules.dominance_pct / 100)))
    return groups, safe


def band(count: int) -> str:
    """Rule 5: a count of suppressed groups as a coarse band."""
    for limit, text in BANDS:
        if count < limit:
            return text
    return "1000 or more"
