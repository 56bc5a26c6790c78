"""Goods and services apart: which products or sectors are goods.

Goods: HS chapters 01-97 (98 and 99 are national and special codes, not goods classes); every SITC
code; OECD ICIO industries A-C (agriculture, forestry and fishing; mining and quarrying;
manufacturing). Services: ICIO industries D-T (utilities, construction, trade, transport, real estate,
public administration, health...). Joint-production opportunities and import substitution default to
goods; services are shown apart, on request (`products="services"`), or with goods (`"all"`).
"""

from __future__ import annotations

from typing import Literal

import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.compute as pc

ProductScope = Literal["goods", "services", "all"]
PRODUCT_SCOPES: tuple[str, ...] = ("goods", "services", "all")
GOODS_SECTOR_LETTERS = ("A", "B", "C")
NOT_GOODS_HS_CHAPTERS = ("98", "99")


def goods_mask(codes: pa.ChunkedArray | pa.Array, *, kind: str, classification: str | None = None) -> pa.Array:
    """True where a product code (kind "code": HS, SITC) or an ICIO sector (kind "sector") is a good."""
    codes = pc.cast(codes, pa.string())
    if kind == "sector":
        first = pc.utf8_slice_codeunits(codes, 0, 1)
        return pc.is_in(first, value_set=pa.array(GOODS_SECTOR_LETTERS))
    if (classification or "").upper().startswith("SITC"):
        return pc.is_valid(codes)
    chapter = pc.utf8_slice_codeunits(codes, 0, 2)
    return pc.invert(pc.is_in(chapter, value_set=pa.array(NOT_GOODS_HS_CHAPTERS)))


def restrict(table: pa.Table, *, products: ProductScope, kind: str, classification: str | None = None,
             column: str = "product") -> pa.Table:
    """The rows of `table` whose `column` is in the asked scope (goods, services, or all)."""
    if products == "all" or table.num_rows == 0:
        return table
    mask = goods_mask(table[column], kind=kind, classification=classification)
    return table.filter(mask if products == "goods" else pc.invert(mask))


def goods_expr(codes: ir.StringValue, *, kind: str, classification: str | None = None) -> ir.BooleanValue:
    """`goods_mask` as an expression, for tables that stay on the engine."""
    codes = codes.cast("string")
    if kind == "sector":
        return codes.substr(0, 1).isin(GOODS_SECTOR_LETTERS)
    if (classification or "").upper().startswith("SITC"):
        return codes.notnull()
    return ~codes.substr(0, 2).isin(NOT_GOODS_HS_CHAPTERS)


def restrict_expr(table: ir.Table, *, products: ProductScope, kind: str, classification: str | None = None,
                  column: str = "product") -> ir.Table:
    """`restrict` for a table on the engine: the rows whose `column` is in the asked scope."""
    if products == "all":
        return table
    goods = goods_expr(table[column], kind=kind, classification=classification)
    return table.filter(goods if products == "goods" else ~goods)
