"""Names of the products of a classification, from the reference store: the one place pages and analyses
ask "what is product 3330?".

Classifications (as datasets state them in their catalog metadata `classification`):
- HS92, HS96, HS02, HS07, HS12, HS17, HS22: `HsCode` (English for every level; Russian and Chinese from
  the real nomenclatures, see `scobank.reference.hs_names`, stored with HS22 and used for any revision's
  2- and 4-digit codes, which HS revisions share, and for a six-digit code the concordance maps wholly
  onto the same HS22 code);
- SITC2 (also "SITC", "SITC rev. 2"): `ClassificationCode`, English (atlas_sitc.csv), Russian and Chinese
  translated by hand (`scobank/reference/data/product_names_ru_zh.csv`);
- ICIO-ISIC4 (also "ICIO"): `ClassificationCode`, the same.
A name is in the language asked for where the bank has it, else in English marked "[en] ..." (never
silently); codes without a name are left out of the answer (pages then show the code alone). Nothing
here reads the data folder.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.reference.hs import REVISIONS
from scobank.reference.lookup import text_in
from scobank.reference.models import ClassificationCode, HsCode, HsConcordance

ALIASES = {"SITC": "SITC2", "SITC2": "SITC2", "SITCREV2": "SITC2", "SITCREV.2": "SITC2",
           "ICIO": "ICIO-ISIC4", "ICIO-ISIC4": "ICIO-ISIC4", "ISIC4": "ICIO-ISIC4"}
NAMES_REVISION = "HS22"  # where the Russian and Chinese names of HS codes are stored
CHUNK = 500  # codes per query (bind-parameter limits)


def canonical(classification: str | None) -> str | None:
    """"HS17", "SITC2", "ICIO-ISIC4" for the spellings datasets use; None for an unknown or missing one."""
    if not classification:
        return None
    key = classification.strip().upper().replace(" ", "")
    if key in REVISIONS:
        return key
    return ALIASES.get(key)


def _chunks(codes: list[str]) -> Iterable[list[str]]:
    for i in range(0, len(codes), CHUNK):
        yield codes[i:i + CHUNK]


def _descriptions(session: Session, revision: str, codes: list[str]) -> dict[str, dict]:
    found: dict[str, dict] = {}
    for part in _chunks(codes):
        found.update(session.execute(select(HsCode.code, HsCode.descriptions)
                                     .where(HsCode.revision == revision, HsCode.code.in_(part))).all())
    return found


def _unchanged_in_hs22(session: Session, revision: str, codes: list[str]) -> set[str]:
    """The six-digit codes of `revision` that the concordance maps wholly onto the same HS22 code."""
    same: set[str] = set()
    for part in _chunks(codes):
        same.update(session.scalars(select(HsConcordance.from_code).where(
            HsConcordance.from_revision == revision, HsConcordance.to_revision == NAMES_REVISION,
            HsConcordance.from_code.in_(part), HsConcordance.to_code == HsConcordance.from_code,
            HsConcordance.weight >= 0.999)))
    return same


def _hs_names(session: Session, revision: str, codes: list[str], lang: str) -> dict[str, str]:
    own = _descriptions(session, revision, codes)
    if lang == "en":
        return {c: t["en"] for c, t in own.items() if (t or {}).get("en")}
    shared = {c for c in codes if len(c) in (2, 4)}  # chapters and headings: the same in every revision
    if revision != NAMES_REVISION:
        shared |= _unchanged_in_hs22(session, revision, [c for c in codes if len(c) == 6])
    named = _descriptions(session, NAMES_REVISION, sorted(shared)) if revision != NAMES_REVISION else own
    names: dict[str, str] = {}
    for code in codes:
        texts = dict(own.get(code) or {})
        if code in shared or revision == NAMES_REVISION:
            texts = {**(named.get(code) or {}), **({"en": texts["en"]} if texts.get("en") else {})}
        text = text_in(texts, lang)
        if text:
            names[code] = text
    return names


def _other_names(session: Session, classification: str, codes: list[str], lang: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for part in _chunks(codes):
        for code, texts in session.execute(select(ClassificationCode.code, ClassificationCode.names).where(
                ClassificationCode.classification == classification, ClassificationCode.code.in_(part))):
            text = text_in(texts, lang)
            if text:
                names[code] = text
    return names


def product_names(session: Session, *, classification: str | None, codes: Iterable[str],
                  lang: str = "en") -> dict[str, str]:
    """code -> name of each of `codes` that `classification` names, in `lang`: marked "[en] ..." where the
    bank has only English, followed by a derived mark ("[归纳]") where the name was derived (see
    `scobank.reference.lookup.text_in`). An unknown classification names nothing."""
    scheme = canonical(classification)
    wanted = sorted({str(c) for c in codes if c is not None})
    if scheme is None or not wanted:
        return {}
    if scheme in REVISIONS:
        return _hs_names(session, scheme, wanted, lang)
    return _other_names(session, scheme, wanted, lang)


def product_name(session: Session, *, classification: str | None, code: str, lang: str = "en") -> str | None:
    """The name of one product in `lang` as `product_names` gives it; None when the bank has none."""
    return product_names(session, classification=classification, codes=[code], lang=lang).get(str(code))


def with_product_names(session: Session, table: pa.Table, *, classification: str | None,
                       column: str = "product", name: str = "product_name") -> pa.Table:
    """`table` with a `name` column right after `column`: each code's English name (null when unnamed)."""
    names = product_names(session, classification=classification, codes=table[column].to_pylist())
    values = pa.array([names.get(str(c)) if c is not None else None for c in table[column].to_pylist()], pa.string())
    at = table.schema.get_field_index(column) + 1
    return table.add_column(at, name, values)


def labelled(code: object, name: str | None) -> str:
    """"3330 — Crude petroleum ..." as pages show a product; the code alone without a name."""
    return f"{code} — {name}" if name else str(code)
