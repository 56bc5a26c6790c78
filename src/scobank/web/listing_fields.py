"""The fields of the listing form for each kind (the portal posts every kind the exchange knows), and the
listing `details` they make. The models that check them are the exchange's (`exchange.kinds`)."""

from __future__ import annotations

from dataclasses import dataclass

from scobank.exchange.kinds import KINDS


def N_(message: str) -> str:  # noqa: N802 - marks a msgid for the catalog extractor
    return message


@dataclass(frozen=True)
class Field:
    name: str
    label: str  # msgid
    type: str = "text"  # text | number | date | select
    required: bool = False
    choices: tuple[str, ...] = ()


UNITS = ("t", "kg", "pcs", "m3", "m2", "m", "l", "kwh", "hours", "sets")
HS = Field("hs_code", N_("HS code (2, 4 or 6 digits)"))
HS_REQUIRED = Field("hs_code", N_("HS code (2, 4 or 6 digits)"), required=True)
UNIT = Field("unit", N_("Unit"), "select", choices=UNITS)
VOLUME = Field("volume_per_year", N_("Volume per year"), "number", required=True)
DEADLINE = Field("deadline", N_("Deadline"), "date")
SECTOR = Field("sector", N_("Sector (ISIC rev. 4 code)"))
PERIOD = Field("period", N_("Period"), "select", choices=("week", "month", "quarter", "year"))
CAPACITY = Field("capacity", N_("Capacity per period"), "number", required=True)
PROCESS = Field("process", N_("Process or work"), required=True)
TRL = Field("trl", N_("Technology readiness level (1-9)"), "number", required=True)
FIELDS: dict[str, tuple[Field, ...]] = {
    "product_offer": (HS_REQUIRED, VOLUME, UNIT, Field("lead_time_days", N_("Lead time (days)"), "number")),
    "product_request": (HS_REQUIRED, VOLUME, UNIT, DEADLINE,
                        Field("sourced_from", N_("Bought today from (ISO3 code)"))),
    "capacity_offer": (PROCESS, Field("equipment", N_("Equipment")), HS, SECTOR, CAPACITY, UNIT, PERIOD,
                       Field("available_from", N_("Available from"), "date", required=True),
                       Field("available_to", N_("Available until"), "date")),
    "capacity_request": (PROCESS, HS, SECTOR, CAPACITY, UNIT, PERIOD, DEADLINE),
    "technology_offer": (TRL, HS, SECTOR),
    "technology_request": (TRL, HS, SECTOR, DEADLINE),
    "project": (Field("missing_description", N_("What is missing"), required=True), HS, SECTOR, DEADLINE),
}
assert set(FIELDS) == set(KINDS)


def details_of(kind: str, form: dict) -> dict:
    """The listing's `details` from the submitted form (empty fields left out, for the model's defaults)."""
    given = {f.name: str(form.get(f.name, "")).strip() for f in FIELDS.get(kind, ())}
    given = {k: v for k, v in given.items() if v}
    if kind == "project":
        missing = {"what": "product", "description": given.pop("missing_description", None),
                   "hs_code": given.pop("hs_code", None)}
        sector = given.pop("sector", None)
        return {**given, "missing": [missing], "sectors": [sector] if sector else []}
    return given
