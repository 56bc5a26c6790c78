"""The five listing kinds (plus joint projects), each with its own fields, and what the matcher reads
from them.

`details` of a listing is validated by the model of its kind; `matching_fields(kind, details)` derives the
plain columns (HS code, yearly volume, time window, ...) that the matcher and the search read.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from scobank.errors import BadRequest

KINDS = ("capacity_offer", "product_offer", "product_request", "technology_offer", "technology_request",
         "project", "capacity_request")  # appended only: the matcher stores a kind as its index here
SIDE = {"capacity_offer": "offer", "product_offer": "offer", "technology_offer": "offer",
        "product_request": "request", "technology_request": "request", "project": "request",
        "capacity_request": "request"}
# Which kinds answer which: a request is matched against these offers, and the reverse.
ANSWERS = {
    "product_request": ("product_offer", "capacity_offer"),
    "technology_request": ("technology_offer",),
    "project": ("product_offer", "capacity_offer", "technology_offer"),
    "product_offer": ("product_request", "project"),
    "capacity_offer": ("product_request", "capacity_request", "project"),
    "capacity_request": ("capacity_offer",),
    "technology_offer": ("technology_request", "project"),
}
INCOTERMS = ("EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF")
COMMON_CERTIFICATIONS = ("ISO 9001", "ISO 14001", "ISO 45001", "ISO/IEC 27001", "IATF 16949", "EAC", "CCC",
                         "BIS", "CE", "GOST R", "HACCP", "ISO 22000", "Halal", "API Q1", "AS9100")
SIZE_BANDS = ("micro", "small", "medium", "large")
UNITS = {"t": 1.0, "kg": 0.001, "pcs": 1.0, "m3": 1.0, "m2": 1.0, "m": 1.0, "l": 1.0, "kwh": 1.0,
         "hours": 1.0, "sets": 1.0}
UNIT_BASE = {"kg": "t"}  # units folded into another before comparing volumes
PERIODS = {"week": 52.0, "month": 12.0, "quarter": 4.0, "year": 1.0}
HS_PATTERN = re.compile(r"^(\d{2}|\d{4}|\d{6})$")


def normalise_hs(code: str | None) -> str | None:
    """"8471.30" -> "847130"; a code must have 2, 4 or 6 digits once dots and spaces are removed."""
    if code is None:
        return None
    cleaned = re.sub(r"[.\s]", "", str(code))
    if not HS_PATTERN.match(cleaned):
        raise ValueError(f"HS code {code!r} must have 2, 4 or 6 digits")
    return cleaned


HsCode = Annotated[str, Field(description="HS code, 2, 4 or 6 digits as a string ('847130')")]
Unit = Literal["t", "kg", "pcs", "m3", "m2", "m", "l", "kwh", "hours", "sets"]


class _Details(BaseModel):
    model_config = ConfigDict(extra="forbid")

    certifications_required: list[str] = Field(default_factory=list)

    @field_validator("hs_code", mode="before", check_fields=False)
    @classmethod
    def _hs(cls, value):
        return normalise_hs(value) if value not in (None, "") else None


class CapacityOffer(_Details):
    """Free production capacity: equipment or a process, how much per period, from when to when."""

    equipment: str | None = None
    process: str
    hs_code: HsCode | None = None  # what the capacity can make, when known
    sector: str | None = Field(default=None, description="ISIC rev. 4 code of the capability ('2592')")
    capacity: float = Field(gt=0)
    unit: Unit = "pcs"
    period: Literal["week", "month", "quarter", "year"] = "month"
    lead_time_days: int = Field(default=30, ge=0, le=3650)
    available_from: date
    available_to: date | None = None

    @model_validator(mode="after")
    def _window(self):
        if self.available_to and self.available_to < self.available_from:
            raise ValueError("available_to is before available_from")
        return self


class CapacityRequest(_Details):
    """Production capacity sought: the process or work to be done, how much per period, by when."""

    process: str
    hs_code: HsCode | None = None  # what is to be made, when known
    sector: str | None = Field(default=None, description="ISIC rev. 4 code of the capability sought")
    capacity: float = Field(gt=0)
    unit: Unit = "pcs"
    period: Literal["week", "month", "quarter", "year"] = "month"
    deadline: date | None = None


class ProductOffer(_Details):
    """A product for sale: HS code, yearly volume, price band and delivery terms."""

    hs_code: HsCode
    volume_per_year: float = Field(gt=0)
    unit: Unit = "t"
    price_min: float | None = Field(default=None, ge=0)
    price_max: float | None = Field(default=None, ge=0)
    currency: str = "USD"
    incoterms: list[Literal["EXW", "FCA", "CPT", "CIP", "DAP", "DPU", "DDP", "FAS", "FOB", "CFR", "CIF"]] = \
        Field(default_factory=lambda: ["FCA"])
    lead_time_days: int | None = Field(default=None, ge=0, le=3650)

    @model_validator(mode="after")
    def _band(self):
        if self.price_min is not None and self.price_max is not None and self.price_max < self.price_min:
            raise ValueError("price_max is below price_min")
        return self


class ProductRequest(_Details):
    """A product need, often import substitution: what, how much, by when, bought from where today."""

    hs_code: HsCode
    specification: str | None = None
    volume_per_year: float = Field(gt=0)
    unit: Unit = "t"
    deadline: date | None = None
    sourced_from: str | None = Field(default=None, description="ISO3 of the country supplying it today")

    @field_validator("sourced_from")
    @classmethod
    def _iso3(cls, value):
        if value is not None and not re.fullmatch(r"[A-Z]{3}", value):
            raise ValueError("sourced_from must be an ISO 3166 alpha-3 code such as 'DEU'")
        return value


class _Technology(_Details):
    trl: int = Field(ge=1, le=9, description="technology readiness level 1-9")
    ip_status: Literal["patented", "patent_pending", "know_how", "open", "licensed_in"] = "know_how"
    transfer_mode: Literal["licence", "joint_venture", "sale", "training", "joint_development"] = "licence"
    hs_code: HsCode | None = None
    sector: str | None = Field(default=None, description="ISIC rev. 4 code")


class TechnologyOffer(_Technology):
    """A technology for transfer, with its readiness, IP and how it can be transferred."""


class TechnologyRequest(_Technology):
    """A technology sought; `trl` is the lowest readiness acceptable."""

    deadline: date | None = None


class MissingInput(BaseModel):
    model_config = ConfigDict(extra="forbid")

    what: Literal["partner", "product", "capacity", "technology"] = "product"
    hs_code: HsCode | None = None
    description: str | None = None
    volume_per_year: float | None = Field(default=None, gt=0)
    unit: Unit | None = None

    @field_validator("hs_code", mode="before")
    @classmethod
    def _hs(cls, value):
        return normalise_hs(value) if value not in (None, "") else None


class Project(_Details):
    """A joint project proposal, listing the partners or inputs still missing."""

    sectors: list[str] = Field(default_factory=list)
    missing: list[MissingInput] = Field(min_length=1)
    deadline: date | None = None


MODELS: dict[str, type[_Details]] = {
    "capacity_offer": CapacityOffer, "product_offer": ProductOffer, "product_request": ProductRequest,
    "technology_offer": TechnologyOffer, "technology_request": TechnologyRequest, "project": Project,
    "capacity_request": CapacityRequest,
}
ISIC = re.compile(r"^\d{2,4}$")


def validate_details(kind: str, details: dict) -> _Details:
    """Check `details` against the kind's model; raise BadRequest naming each bad field."""
    if kind not in MODELS:
        raise BadRequest(f"unknown listing kind {kind!r}; expected one of {', '.join(KINDS)}")
    from pydantic import ValidationError

    try:
        return MODELS[kind].model_validate(details)
    except ValidationError as exc:
        reasons = "; ".join(f"{'.'.join(str(p) for p in e['loc']) or kind}: {e['msg']}" for e in exc.errors())
        raise BadRequest(f"{kind} details are not valid: {reasons}") from None


def _sector(d: _Details) -> str | None:
    """The ISIC rev. 4 code the listing names (a project: its first sector), when it is one."""
    code = getattr(d, "sector", None) or next(iter(getattr(d, "sectors", None) or []), None)
    return code if code and ISIC.match(code) else None


def matching_fields(kind: str, model: _Details, *, item: int | None = None) -> dict:
    """The plain columns the matcher reads. For a project, `item` picks one missing input (default
    the first that has an HS code)."""
    d = model
    out: dict = {"hs_code": getattr(d, "hs_code", None), "volume": None, "unit": None,
                 "available_from": None, "available_to": None, "deadline": getattr(d, "deadline", None),
                 "lead_time_days": getattr(d, "lead_time_days", None), "sourced_from": None,
                 "trl": getattr(d, "trl", None), "sector": _sector(d),
                 "certifications_required": list(d.certifications_required)}
    if isinstance(d, CapacityOffer):
        out.update(volume=d.capacity * PERIODS[d.period], unit=d.unit, available_from=d.available_from,
                   available_to=d.available_to)
    elif isinstance(d, CapacityRequest):
        out.update(volume=d.capacity * PERIODS[d.period], unit=d.unit)
    elif isinstance(d, ProductOffer | ProductRequest):
        out.update(volume=d.volume_per_year, unit=d.unit)
        if isinstance(d, ProductRequest):
            out["sourced_from"] = d.sourced_from
    elif isinstance(d, Project):
        inputs = d.missing
        chosen = inputs[item] if item is not None else next((m for m in inputs if m.hs_code), inputs[0])
        out.update(hs_code=chosen.hs_code, volume=chosen.volume_per_year, unit=chosen.unit)
    if out["unit"] in UNIT_BASE and out["volume"] is not None:
        out["volume"] = out["volume"] * UNITS[out["unit"]]
        out["unit"] = UNIT_BASE[out["unit"]]
    hs = out["hs_code"]
    out["hs4"] = hs[:4] if hs and len(hs) >= 4 else None
    out["hs2"] = hs[:2] if hs else None
    return out
