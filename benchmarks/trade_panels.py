"""Documented generators of benchmark trade panels shaped like CEPII BACI (HS6). Deterministic (seeded).

Country-product panel (`world_panel`): `exporters` countries x `products` HS6-like codes per year.
- Country size is log-normal (sigma 1.6: a few giants, many small economies), product market size
  log-normal (sigma 1.4), as world trade is.
- Each country has a capability a in (0, 1) (more for bigger economies) and each product a difficulty
  b in (0, 1). Country c exports p with probability sigmoid(6 (a_c - b_p) + 0.3): nested, like the real
  country-product matrix; about 53% of the cells are non-zero (594,807 of 225 x 5,000), near a BACI year aggregated over
  partners.
- Value = size_c x size_p x lognormal(0, 2) (heavy-tailed flows). Each further year multiplies values
  by lognormal(0, 0.25) and re-draws 3% of the presences, so years differ but stay alike.

Bilateral panel (`bilateral_panel`): `rows` flows (year, exporter, importer, product, value) among
`countries` countries (the first 10 are the SCO members' ISO3 codes, the rest "C011"...), `products`
HS6 codes; exporter and importer drawn with Zipf-like weights (big traders trade more), products
log-normally popular, values log-normal (sigma 2.2). Duplicate keys may occur (they are summed).
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

MEMBERS = ["CHN", "IND", "RUS", "KAZ", "KGZ", "TJK", "UZB", "PAK", "IRN", "BLR"]


def _codes(prefix: str, n: int, width: int) -> np.ndarray:
    return np.array([f"{prefix}{i:0{width}d}" for i in range(1, n + 1)], dtype=object)


def _hs6(n: int) -> np.ndarray:
    """n distinct 6-digit strings spread over chapters 01-97, like HS6 codes."""
    return np.array([f"{1 + i * 97 // n:02d}{(i * 37) % 100:02d}{i % 100:02d}" for i in range(n)], dtype=object)


def world_panel(*, exporters: int = 225, products: int = 5000, years: int = 1, first_year: int = 2013,
                seed: int = 7) -> pa.Table:
    """Long table year, exporter, product, value (only positive cells), BACI-like (module docstring)."""
    rng = np.random.default_rng(seed)
    size_c = rng.lognormal(0, 1.6, exporters)
    size_p = rng.lognormal(0, 1.4, products)
    rank = np.argsort(np.argsort(size_c)) / (exporters - 1)
    ability = np.clip(0.35 * rng.random(exporters) + 0.65 * rank, 0, 1)
    difficulty = rng.random(products)
    prob = 1 / (1 + np.exp(-(6 * (ability[:, None] - difficulty[None, :]) + 0.3)))
    present = rng.random((exporters, products)) < prob
    base = size_c[:, None] * size_p[None, :] * rng.lognormal(0, 2, (exporters, products)) * 1e3
    ex_codes, pr_codes = _codes("C", exporters, 3), _hs6(products)
    parts = []
    for y in range(years):
        if y:
            base = base * rng.lognormal(0, 0.25, base.shape)
            flip = rng.random(present.shape) < 0.03
            present = np.where(flip, rng.random(present.shape) < prob, present)
        c, p = np.nonzero(present)
        parts.append(pa.table({"year": np.full(len(c), first_year + y, dtype=np.int64),
                               "exporter": ex_codes[c], "product": pr_codes[p], "value": base[c, p]}))
    return pa.concat_tables(parts)


def bilateral_panel(*, rows: int, countries: int = 220, products: int = 5000, year: int = 2023,
                    seed: int = 11) -> pa.Table:
    """Long table year, exporter, importer, product, value with `rows` flows (module docstring)."""
    rng = np.random.default_rng(seed)
    names = np.array(MEMBERS + list(_codes("C", countries - len(MEMBERS), 3)), dtype=object)
    weight = 1 / np.arange(1, countries + 1) ** 0.9
    weight = rng.permutation(weight)  # members are not all the biggest
    weight /= weight.sum()
    exporter = rng.choice(countries, rows, p=weight)
    importer = rng.choice(countries, rows, p=weight)
    importer = np.where(importer == exporter, (importer + 1) % countries, importer)
    popularity = rng.lognormal(0, 1.2, products)
    product = rng.choice(products, rows, p=popularity / popularity.sum())
    codes = _hs6(products)
    return pa.table({
        "year": pa.array(np.full(rows, year, dtype=np.int64)),
        "exporter": pa.DictionaryArray.from_arrays(exporter.astype(np.int32), names).cast(pa.string()),
        "importer": pa.DictionaryArray.from_arrays(importer.astype(np.int32), names).cast(pa.string()),
        "product": pa.DictionaryArray.from_arrays(product.astype(np.int32), codes).cast(pa.string()),
        "value": rng.lognormal(3, 2.2, rows),
    })
