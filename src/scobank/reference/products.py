"""Names of the products of a classification, from the reference store: the one place pages and analyses
ask "what is product 3330?".

Classifications (as datasets state them in their catalog metadata `classification`):
- HS92, HS96, HS02, HS07, HS12, HS17, HS22: `HsCode` (English for every level; Russian for chapters and
  headings, from the TN VED list, stored with HS22 and used for any revision's 2- and 4-digit codes,
  which HS revisions share);
- SITC2 (also "SITC", "SITC rev. 2"): `ClassificationCode`, English (atlas_sitc.csv);
- ICIO-ISIC4 (also "ICIO"): `ClassificationCode`, English (the OECD ICIO industry list).
A name is in the language asked for where the bank has it, else in English; codes without a name are
left out of the answer (pages then show the code alone). Nothing here reads the data folder.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyarrow as pa
from sqlalchemy import select
from sqlalchemy.orm import Session

from scobank.reference.hs import REVISIONS
from scobank.reference.models import ClassificationCode, HsCode

ALIASES = {"SITC": "SITC2", "SITC2": "SITC2", "SITCREV2": "SITC2", "SITCREV.2": "SITC2",
           "ICIO": "ICIO-ISIC4", "ICIO-ISIC4": "ICIO-ISIC4", "ISIC4": "ICIO-ISIC4"}
RUSSIAN_HEADINGS = "HS22"  # where the Russian names of HS chapters and headings are stored
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


def _hs_names(session: Session, revision: str, codes: list[str], lang: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for part in _chunks(codes):
        for code, texts in session.execute(select(HsCode.code, HsCode.descriptions)
                                           .where(HsCode.revision == revision, HsCode.code.in_(part))):
            if (texts or {}).get("en"):
                names[code] = texts["en"]
    if lang != "en":
        short = [c for c in codes if len(c) in (2, 4)]  # chapters and headings: the same in every revision
        for part in _chunks(short):
            for code, texts in session.execute(select(HsCode.code, HsCode.descriptions).where(
                    HsCode.revision.in_((revision, RUSSIAN_HEADINGS)), HsCode.code.in_(part))):
                if (texts or {}).get(lang):
                    names[code] = texts[lang]
    return names


def _other_names(session: Session, classification: str, codes: list[str], lang: str) -> dict[str, str]:
    names: dict[str, str] = {}
    for part in _chunks(codes):
        for code, texts in session.execute(select(ClassificationCode.code, ClassificationCode.names).where(
                ClassificationCode.classification == classification, ClassificationCode.code.in_(part))):
            text = (texts or {}).get(lang) or (texts or {}).get("en")
            if text:
                names[code] = text
    return names


def product_names(session: Session, *, classification: str | None, codes: Iterable[str],
                  lang: str = "en") -> dict[str, str]:
    """code -> name of each of `codes` that `classification` names, in `lang` where the bank has it
    (Russian for HS chapters and headings), else English. An unknown classification names nothing."""
    scheme = canonical(classification)
    wanted = sorted({str(c) for c in codes if c is not None})
    if scheme is None or not wanted:
        return {}
    if scheme in REVISIONS:
        return _hs_names(session, scheme, wanted, lang)
    return _other_names(session, scheme, wanted, lang)


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
