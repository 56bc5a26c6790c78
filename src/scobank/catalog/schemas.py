"""The catalog's public shapes (API, CLI --json, portal). Table models never leave the server."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator

from scobank.timestamps import UtcDateTime

SLUG = r"^[a-z0-9][a-z0-9_-]{0,118}[a-z0-9]$"
_LANG = re.compile(r"^[a-z]{2,3}(-[A-Za-z0-9]{2,8})?$")



def _check_languages(value: dict) -> dict:
    for lang in value:
        if not _LANG.match(lang):
            raise ValueError(f"{lang!r} is not a language code (en, ru, zh, kk, ...)")
    return value


LangText = Annotated[dict[str, str], AfterValidator(_check_languages)]  # {"en": ..., "ru": ..., "zh": ...}
LangList = Annotated[dict[str, list[str]], AfterValidator(_check_languages)]  # keywords by language


class OrganisationCreate(BaseModel):
    slug: str = Field(pattern=SLUG)
    party: str = Field(min_length=3, max_length=3, description="ISO3 of the party, e.g. KAZ")
    names: LangText = Field(min_length=1)


class OrganisationPublic(BaseModel):
    slug: str
    party: str
    names: LangText
    created_at: UtcDateTime


class DatasetMetadata(BaseModel):
    """Everything a steward describes; every text a person reads is a language map."""

    title: LangText = Field(default_factory=dict)
    description: LangText = Field(default_factory=dict)
    keywords: LangList = Field(default_factory=dict)
    themes: list[str] = Field(default_factory=list)
    license: str | None = Field(None, max_length=120)
    temporal_start: int | None = Field(None, ge=1800, le=2200)
    temporal_end: int | None = Field(None, ge=1800, le=2200)
    spatial: list[str] = Field(default_factory=list, description="ISO3 codes covered")
    classification: str | None = Field(None, max_length=32, description="e.g. HS17, HS22, SITC2")
    contact: str | None = Field(None, max_length=200)
    update_frequency: str | None = Field(None, max_length=40)
    source_note: str | None = None


class DatasetCreate(DatasetMetadata):
    slug: str = Field(pattern=SLUG)
    organisation: str
    kind: Literal["table", "trade"] = "table"
    title: LangText = Field(min_length=1)


class DatasetUpdate(BaseModel):
    """A metadata change: only the fields given are changed (a language map replaces the old one)."""

    model_config = ConfigDict(extra="forbid")

    title: LangText | None = None
    description: LangText | None = None
    keywords: LangList | None = None
    themes: list[str] | None = None
    license: str | None = Field(None, max_length=120)
    temporal_start: int | None = Field(None, ge=1800, le=2200)
    temporal_end: int | None = Field(None, ge=1800, le=2200)
    spatial: list[str] | None = None
    classification: str | None = Field(None, max_length=32)
    contact: str | None = Field(None, max_length=200)
    update_frequency: str | None = Field(None, max_length=40)
    source_note: str | None = None

    @field_validator("title", "description", "keywords", "themes", "spatial")
    @classmethod
    def _not_null(cls, value, info):
        """These always hold a value (an empty one at least): null cannot replace them."""
        if value is None:
            raise ValueError(f"{info.field_name} cannot be null; send an empty value to clear it")
        return value


class DatasetPublic(DatasetMetadata):
    slug: str
    organisation: str
    party: str
    kind: str
    latest_version: int | None = Field(None, description="the newest version not withdrawn")
    version_count: int = 0
    declared_schema: dict | None = Field(None, description="the Table Schema every next version is checked against")
    created_at: UtcDateTime
    updated_at: UtcDateTime
    listed_only: bool = Field(False, description="true: listed so that you may ask for access; only its title, "
                                                 "publisher and description are shown (POST /access-requests)")


class VersionPublic(BaseModel):
    dataset: str
    number: int
    content_hash: str
    row_count: int
    byte_size: int
    table_schema: dict
    report: dict
    source_name: str | None
    source_sha256: str | None
    created_by: str | None
    created_at: UtcDateTime
    republished_from: int | None = Field(None, description="the version whose content this one repeats")
    schema_change: str | None = Field(None, description="what changed in the declared schema with this version")
    withdrawn: bool = False
    withdrawn_at: UtcDateTime | None = None
    withdrawn_by: str | None = None
    withdrawal_reason: str | None = None


class PublishResult(BaseModel):
    version: VersionPublic
    created: bool = Field(description="false when identical content already was a version")
    report: dict
    note: str | None = Field(None, description="why identical content did not become the newest version")


class WithdrawRequest(BaseModel):
    reason: str = Field(min_length=3, max_length=2000, description="why the version is withdrawn, for its readers")


class RepublishRequest(BaseModel):
    reason: str | None = Field(None, max_length=2000)


class ColumnPublic(BaseModel):
    name: str
    type: str


class QueryResult(BaseModel):
    dataset: str
    version: int
    columns: list[ColumnPublic]
    rows: list[dict]
    total: int | None = Field(None, description="rows (or groups) the whole query has, over all pages; "
                              "not given on aggregates-only answers")
    next_cursor: str | None = None
    aggregates_only: bool = False
    suppressed_groups: str | None = Field(None, description="aggregates only: how many groups were left out "
                                          "(too few rows or dominated), as a coarse band such as 'fewer than 10'")
    rounded: bool = False


class ChangedRow(BaseModel):
    key: dict
    changes: dict[str, list] = Field(description="column -> [old, new]")


class DiffResult(BaseModel):
    dataset: str
    from_version: int
    to_version: int
    primary_key: list[str]
    added: int
    removed: int
    changed: int
    changed_columns: dict[str, int] = Field(description="column -> number of rows where it changed")
    added_sample: list[dict]
    removed_sample: list[dict]
    changed_sample: list[ChangedRow]
