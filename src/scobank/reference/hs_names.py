"""Russian and Chinese names of the HS 2022 codes, read from the real nomenclatures in SCOBANK_DATA_DIR.

Russian (ТН ВЭД ЕАЭС, FNS; the first 6 digits are HS):
- chapters and headings: hs-nomenclature/tnved_ru_chapters_headings_current.csv, official names (upper
  case in the source, written in sentence case). Six headings (5208-5211, 5513, 5514) end in "Г/М?" there
  and in the 10-digit file alike: the FNS files are cp866, which has no "²", so the character was lost
  before the files were published; it is restored as "г/м²" (the only unit those headings can mean).
  The other 271 headings have no Russian name in any source here (FNS lists headings without a
  subdivision only in TNVED4, which is absent): they fall back visibly to English ("[en] ...").
- subheadings: hs-nomenclature-ru-tnved10/hs6_ru_partial.utf8.csv, the short name of the 10-digit code
  XXXXXX0000 (an undivided subheading), e.g. "прочие". Shown after its heading's name
  ("Лошади, ослы, мулы и лошаки живые: прочие") and marked as derived (DERIVED["ru"]). A subheading
  divided at 10 digits has no such code: its name is the heading's with the first short names of its
  10-digit codes (tnved_2022_flat.utf8.csv; 310210: "...: мочевина, содержащая более 45 мас.% азота..."),
  also marked as derived.

Chinese (hs-nomenclature-zh):
- chapters: hs_structure.json, the tariff's chapter titles (official wording, not derived);
- headings and subheadings: China Customs' 2022 statistical 8-digit item names (cn_hs8_2022_zh_en.utf8.csv).
  There are no official Chinese heading or subheading texts here, so each is derived from its items: the
  single item's name where there is one, else the first named items joined with "；" and "等" ("and
  others"), items starting with "其他" ("other") left out where others exist. Always marked as derived.
  Item names whose rare characters were lost at the source (`?`) are used only when nothing else is left.

Russian search terms (not names): every heading's 10-digit TN VED short names (tnved_2022_flat.utf8.csv,
e.g. 3102 "карбамид", "сульфат аммония", ...), generic ones ("прочие") and footnote marks left out,
stored as `descriptions["terms"]["ru"]`: the words a Russian customs text uses for the goods of a heading,
for the HS suggester's lexical index. They cover the same 957 headings as the Russian names (the
10-digit file has no code under the other 271 either), so they add words, not headings.

`language_names(data_dir)` gives, per HS22 code, the texts to merge into `HsCode.descriptions`:
{"ru": ..., "zh": ..., "derived": {"zh": "<source>"}}: "derived" names, per language, where the text comes
from when it is not the nomenclature's own text for that code.
"""

from __future__ import annotations

import csv
import json
import re
from collections import defaultdict
from pathlib import Path

RU_HEADINGS = Path("hs-nomenclature") / "tnved_ru_chapters_headings_current.csv"
RU_SUBHEADINGS = Path("hs-nomenclature-ru-tnved10") / "hs6_ru_partial.utf8.csv"
RU_TNVED10 = Path("hs-nomenclature-ru-tnved10") / "tnved_2022_flat.utf8.csv"
ZH_CHAPTERS = Path("hs-nomenclature-zh") / "hs_structure.json"
ZH_ITEMS = Path("hs-nomenclature-zh") / "cn_hs8_2022_zh_en.utf8.csv"

DERIVED = {
    "ru": "composed from the TN VED EAEU heading and the short names of its 10-digit codes",
    "zh": "derived from China Customs 2022 eight-digit item names (no official Chinese text here)",
}
ZH_ITEMS_SHOWN = 3
RU_ITEMS_SHOWN = 3  # 10-digit names in a derived Russian subheading name before "и др."  # items named in a derived Chinese heading or subheading before "等"
_LOST_SQUARE = re.compile(r"(?<=/)м\?")


def sentence_case(text: str) -> str:
    """ТН ВЭД names are upper case: "ЖИВЫЕ ЖИВОТНЫЕ" -> "Живые животные"; "Г/М?" -> "г/м²" (see above)."""
    text = text.strip()
    text = text[:1] + text[1:].lower()
    return _LOST_SQUARE.sub("м²", text)


def _read(path: Path) -> list[dict]:
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.DictReader(fh))


def russian_names(data_dir: Path) -> dict[str, tuple[str, bool]]:
    """code -> (Russian name, derived?) for chapters, headings and the subheadings the sources name."""
    names: dict[str, tuple[str, bool]] = {}
    if (data_dir / RU_HEADINGS).is_file():
        for r in _read(data_dir / RU_HEADINGS):
            names[r["hs_code"].strip()] = (sentence_case(r["name_ru"]), False)
    if (data_dir / RU_SUBHEADINGS).is_file():
        for r in _read(data_dir / RU_SUBHEADINGS):
            code, short = r["hs6"].strip(), r["name_ru_short"].strip()
            heading = names.get(code[:4])
            if short and heading:
                names[code] = (f"{heading[0]}: {short}", True)
    with_other: set[str] = set()
    for code, items in _tnved10_items(data_dir, with_other=with_other).items():  # subdivided subheadings
        heading = names.get(code[:4])
        if code not in names and heading:
            # a subheading also holding "прочие" codes is more than the items named: say so
            more = len(items) > RU_ITEMS_SHOWN or code in with_other
            shown = "; ".join(items[:RU_ITEMS_SHOWN]) + (" и др." if more else "")
            names[code] = (f"{heading[0]}: {shown}", True)
    return names


def _tnved10_items(data_dir: Path, *, with_other: set[str] | None = None) -> dict[str, list[str]]:
    """HS6 code -> the distinct short names of its 10-digit TN VED codes (generic ones and footnote
    marks left out), in the classifier's order. The codes that also hold a generic ("прочие") item are
    added to `with_other`."""
    if not (data_dir / RU_TNVED10).is_file():
        return {}
    found: dict[str, dict[str, None]] = defaultdict(dict)
    for r in _read(data_dir / RU_TNVED10):
        if r["level"] != "tnved10":
            continue
        name = _without_footnote(" ".join(r["name_ru"].split())).strip(" :;,.")
        if with_other is not None and _GENERIC.match(name.lower()):
            with_other.add(r["code"][:6])
        if len(name) >= 3 and not _GENERIC.match(name.lower()):
            # one entry per name whatever its case; the text keeps the classifier's own case
            # (Latin names of species and formulas: "Beta vulgaris", "Al2O3")
            found[r["code"][:6]].setdefault(name.casefold(), _LOST_SQUARE.sub("м²", name))
    return {code: list(names.values()) for code, names in found.items()}


def _without_footnote(name: str) -> str:
    """"говядина12)" and "нитей 5)" end with a footnote mark (a bracket nothing opened); "(Al2O3)" and
    "(1 : 1)" end with their own closing bracket and keep it."""
    mark = _FOOTNOTE.search(name)
    if mark and name.count("(") < name.count(")"):
        return name[:mark.start()]
    return name


_GENERIC = re.compile(r"^(прочи[еяйх]|прочее|прочая|прочий|другие|остальные|иные)\b")
_FOOTNOTE = re.compile(r"\s*\d+\)\s*$")


def russian_terms(data_dir: Path) -> dict[str, str]:
    """heading -> its 10-digit codes' distinct short names joined by "; " (see the module docstring)."""
    found: dict[str, dict[str, None]] = defaultdict(dict)
    for code, items in sorted(_tnved10_items(data_dir).items()):
        found[code[:4]].update(dict.fromkeys(items))
    return {heading: "; ".join(names) for heading, names in found.items()}


def _zh_chapters(path: Path) -> dict[str, str]:
    chapters = {}
    for section in json.loads(path.read_text(encoding="utf-8")):
        for chapter in section.get("chapters", []):
            name = chapter["name"].strip().replace("; ", "；").replace(";", "；")
            if chapter["code"] != "77" and not name.startswith("（保留"):
                chapters[chapter["code"]] = name
    return chapters


def _zh_items(path: Path) -> dict[str, list[tuple[str, bool]]]:
    """HS6 and HS4 prefix -> [(item name, lost characters?)] in code order."""
    items: dict[str, list[tuple[str, bool]]] = defaultdict(list)
    for r in sorted(_read(path), key=lambda r: r["hs8"]):
        name, lost = r["name_zh"].strip(), r["zh_has_lost_chars"].strip() == "1"
        if r["hs2"] in ("98", "99") or not name:
            continue
        for prefix in (r["hs6"], r["hs4"]):
            items[prefix].append((name, lost))
    return items


def summarise_items(items: list[tuple[str, bool]]) -> str:
    """One derived name from a code's items: the single one, else the first named ones + "等"."""
    whole = [n for n, lost in items if not lost] or [n for n, _ in items]
    named = [n for n in whole if not n.startswith("其他")] or whole
    distinct = list(dict.fromkeys(named))
    if len(items) == 1 or len(distinct) == 1:
        return distinct[0]
    shown = "；".join(distinct[:ZH_ITEMS_SHOWN])
    return shown + "等"


def chinese_names(data_dir: Path) -> dict[str, tuple[str, bool]]:
    """code -> (Chinese name, derived?) for chapters (official) and headings and subheadings (derived)."""
    names: dict[str, tuple[str, bool]] = {}
    if (data_dir / ZH_ITEMS).is_file():
        for prefix, items in _zh_items(data_dir / ZH_ITEMS).items():
            names[prefix] = (summarise_items(items), True)
    if (data_dir / ZH_CHAPTERS).is_file():
        for code, name in _zh_chapters(data_dir / ZH_CHAPTERS).items():
            names[code] = (name, False)
    return names


def language_names(data_dir: Path | None) -> dict[str, dict]:
    """HS22 code -> {"ru": ..., "zh": ..., "derived": {lang: source}} from whatever sources exist."""
    merged: dict[str, dict] = defaultdict(dict)
    if data_dir is None:
        return {}
    for lang, names in (("ru", russian_names(data_dir)), ("zh", chinese_names(data_dir))):
        for code, (text, derived) in names.items():
            merged[code][lang] = text
            if derived:
                merged[code].setdefault("derived", {})[lang] = DERIVED[lang]
    for heading, text in russian_terms(data_dir).items():
        merged[heading].setdefault("terms", {})["ru"] = text
    return dict(merged)
