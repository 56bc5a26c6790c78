"""Every kind of problem a check can report, in one list: its code (the slug reports and the API
carry) and what it means. Checks name a `Kind`, never a string of their own, so a report can be
explained from this list alone (as Frictionless keeps one registry of error types)."""

from __future__ import annotations

from enum import StrEnum


class Kind(StrEnum):
    """A problem kind; its value is the code in reports, `describe()` its meaning."""

    MISSING_VALUE = "missing-value"
    MISSING_COLUMN = "missing-column"
    UNKNOWN_COLUMN = "unknown-column"
    BAD_TYPE = "bad-type"
    BAD_VALUE = "bad-value"
    BAD_YEAR = "bad-year"
    BAD_DATE = "bad-date"
    BAD_COUNTRY_CODE = "bad-country-code"
    BAD_HS_CODE = "bad-hs-code"
    BAD_FLOW_CODE = "bad-flow-code"
    MIXED_HS_REVISIONS = "mixed-hs-revisions"
    NEGATIVE_VALUE = "negative-value"
    BELOW_MINIMUM = "below-minimum"
    ABOVE_MAXIMUM = "above-maximum"
    DUPLICATE_KEY = "duplicate-key"
    BAD_KIND = "bad-kind"
    BAD_ENTERPRISE = "bad-enterprise"
    BAD_EXPIRY = "bad-expiry"

    def describe(self) -> str:
        return DESCRIPTIONS[self]


DESCRIPTIONS: dict[Kind, str] = {
    Kind.MISSING_VALUE: "A required value (or a part of the key) is empty.",
    Kind.MISSING_COLUMN: "A column the layout or the schema requires is not in the file.",
    Kind.UNKNOWN_COLUMN: "The file has a column the target does not know.",
    Kind.BAD_TYPE: "The value does not fit the column's type (declared, or the type most of the column's values have).",
    Kind.BAD_VALUE: "The value is not one the field accepts.",
    Kind.BAD_YEAR: "The year is not a year, or outside the years the bank accepts.",
    Kind.BAD_DATE: "The value is not a date.",
    Kind.BAD_COUNTRY_CODE: "The country is not one the reference knows (ISO3, ISO2, ISO numeric, BACI code or a name).",
    Kind.BAD_HS_CODE: "The product code does not exist in the stated HS revision.",
    Kind.BAD_FLOW_CODE: "The trade flow is not an export or an import code the layout knows.",
    Kind.MIXED_HS_REVISIONS: "Rows of one file give product codes in different HS revisions.",
    Kind.NEGATIVE_VALUE: "A value that cannot be negative (trade value, quantity, minimum 0) is.",
    Kind.BELOW_MINIMUM: "The value is below the schema's minimum.",
    Kind.ABOVE_MAXIMUM: "The value is above the schema's maximum.",
    Kind.DUPLICATE_KEY: "The row repeats the primary key of an earlier row.",
    Kind.BAD_KIND: "The record kind is not one the importer knows.",
    Kind.BAD_ENTERPRISE: "The enterprise named is not one of the importer's.",
    Kind.BAD_EXPIRY: "The expiry date is outside the allowed lifetime.",
}
