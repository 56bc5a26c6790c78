"""Where the product space draws each product, and in which colour: the Growth Lab's own layout.

The Atlas of Economic Complexity places every product of its product space at fixed coordinates
(`product_space_x/y` of the bank's datasets `atlas-sitc2-products`, SITC rev. 2 four digits, and
`atlas-hs92-products`, HS92 headings; atlas-common-data 1.1.1, Apache-2.0, published by the demo) and
colours it by its top group (the 10 SITC sections, or the Growth Lab's 10 HS sectors). Both are read
through the gate with the page's reader and recorded in the ledger. A product code is looked up as is
(SITC), or by its first four digits (an HS heading: the subheadings of one heading share its place, the
chart spreads them a little). Without the datasets (or for a reader who may not see them), or for codes
of neither list, nodes get no place and the chart lays them out by force.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from sqlalchemy.orm import Session

from scobank.access.reader import Reader
from scobank.catalog.reads import ColumnsUse, use_columns
from scobank.errors import AccessDenied, NotFound

DATASETS = {"sitc": "atlas-sitc2-products", "hs": "atlas-hs92-products"}
COLUMNS = ("code", "product_level", "top_parent_id", "product_space_x", "product_space_y", "name_short_en")
# Colours of the top groups, in the order of their ids (1..10): distinct hues, readable on white.
GROUP_COLORS = ("#c2255c", "#e67700", "#5c940d", "#495057", "#0c8599", "#7048e8", "#1864ab", "#d9480f",
                "#2b8a3e", "#868e96")
UNKNOWN_GROUP = {"key": "other", "label": "Other products", "color": "#adb5bd"}


def N_(message: str) -> str:
    """Marks a msgid for the extractor (`scobank.web.messages`); the template translates it."""
    return message


# The top groups' names as the portal shows them (the template passes each through gettext).
GROUP_NAMES = {
    "sitc": {"1": N_("Food and live animals"), "2": N_("Beverages and tobacco"), "3": N_("Crude materials"),
             "4": N_("Mineral fuels"), "5": N_("Animal and vegetable oils"), "6": N_("Chemicals"),
             "7": N_("Manufactured goods by material"), "8": N_("Machinery and transport equipment"),
             "9": N_("Miscellaneous manufactured articles"), "10": N_("Commodities not classified elsewhere")},
    "hs": {"1": N_("Textiles and apparel"), "2": N_("Agriculture"), "3": N_("Stone and glass"),
           "4": N_("Minerals"), "5": N_("Metals"), "6": N_("Chemicals"), "7": N_("Vehicles"),
           "8": N_("Machinery"), "9": N_("Electronics"), "10": N_("Other products")},
}


@dataclass(frozen=True)
class Place:
    x: float | None  # Atlas coordinates (y grows downwards, as on screen); None: no place in the layout
    y: float | None
    group: str  # "sitc:7", "hs:5"
    name: str  # the product's short English name


@lru_cache(maxsize=4)
def _places(use: ColumnsUse, scheme: str) -> dict[str, Place]:
    places = {}
    for row in use.read().to_pylist():
        if int(row["product_level"]) != 4:
            continue
        x, y = row["product_space_x"], row["product_space_y"]
        places[str(row["code"]).zfill(4)] = Place(None if x is None else float(x), None if y is None else float(y),
                                                  f"{scheme}:{row['top_parent_id']}", row["name_short_en"])
    return places


def atlas_places(session: Session, *, reader: Reader, scheme: str) -> dict[str, Place]:
    """code -> Place of every 4-digit product of the Atlas list `scheme` ("sitc" or "hs"), through the gate
    (a ledger entry); {} when the bank does not hold the list or the reader may not read its rows."""
    try:
        use = use_columns(session, reader=reader, slug=DATASETS[scheme], columns=COLUMNS,
                          use="the product-space layout", absent="`scobank demo` publishes it")
    except (NotFound, AccessDenied):
        return {}
    return _places(use, scheme)


def _lookup(places: dict[str, Place], code: str) -> Place | None:
    return places.get(code) or (places.get(code[:4]) if len(code) == 6 else None)


def places_for(codes: list[str], *, session: Session, reader: Reader) -> dict[str, Place]:
    """code -> Place for `codes`, from the Atlas list (SITC or HS92) that knows most of them."""
    best: dict[str, Place] = {}
    for scheme in DATASETS:
        places = atlas_places(session, reader=reader, scheme=scheme)
        found = {c: p for c in codes if (p := _lookup(places, c)) is not None}
        if len(found) > len(best):
            best = found
    return best


def group_of(place: Place | None) -> dict:
    """{"key", "label" (an English msgid), "color"} of a product's top group."""
    if place is None:
        return UNKNOWN_GROUP
    scheme, number = place.group.split(":")
    label = GROUP_NAMES.get(scheme, {}).get(number)
    if label is None or not number.isdigit():
        return UNKNOWN_GROUP
    return {"key": place.group, "label": label, "color": GROUP_COLORS[(int(number) - 1) % len(GROUP_COLORS)]}
