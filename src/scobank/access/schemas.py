"""The public shapes of the access area's answers (users, credentials, the ledger, policies, access
requests, agreements, signatures), as the API declares them in OpenAPI. The services return these
fields; the table models never leave the server."""

from __future__ import annotations

from datetime import date
from typing import Any

from pydantic import BaseModel, Field

from scobank.timestamps import UtcDateTime


class UserPublic(BaseModel):
    id: int
    email: str
    name: str | None
    organisation: str | None = Field(description="slug of the user's organisation")
    party: str | None = Field(description="ISO3 of the organisation's party")
    role: str = Field(description="viewer, editor, admin, steward or platform-admin")
    platform_admin: bool
    active: bool


class MePublic(UserPublic):
    party_status: str | None = Field(description="the party's SCO status today: member, observer, partner")
    scopes: list[str] = Field(description="what this credential may do: read, write, admin")
    via: str | None = Field(description="token or cookie")


class LoginPublic(BaseModel):
    ok: bool
    user: UserPublic
    csrf_token: str = Field(description="send it back as X-CSRF-Token on changes made with the cookie")
    expires_at: UtcDateTime


class DonePublic(BaseModel):
    ok: bool


class TokenPublic(BaseModel):
    id: int
    user: str
    name: str | None
    prefix: str = Field(description="the first characters of the secret, to recognise it")
    scopes: list[str]
    created_at: UtcDateTime
    expires_at: UtcDateTime | None
    revoked_at: UtcDateTime | None
    last_used_at: UtcDateTime | None


class NewTokenPublic(BaseModel):
    id: int
    token: str = Field(description="the secret: shown once, never again")
    scope: str
    expires_at: UtcDateTime | None


class LedgerEntryPublic(BaseModel):
    seq: int
    at: str = Field(description="ISO 8601 UTC time of the entry, as hashed into the chain")
    actor: str | None
    user_id: int | None
    organisation_id: int | None
    party: str | None
    action: str
    dataset_id: int | None
    dataset: str | None
    version_id: int | None
    purpose: str | None
    agreement_id: int | None
    query_fingerprint: str | None
    rows: int | None
    cells: int | None
    detail: Any = None
    prev_hash: str
    hash: str


class LedgerPagePublic(BaseModel):
    entries: list[LedgerEntryPublic]
    next_before: int | None = Field(description="pass as `before` for the next (older) page; none at the end")
    total: int = Field(description="entries matching over all pages (also in X-Total-Count)")


class PolicyViewPublic(BaseModel):
    dataset: str
    source: str = Field(description="where the effective policy comes from: the dataset's own, its party's default, ...")
    version: int | None
    policy: dict[str, Any]
    odrl: dict[str, Any] = Field(description="the same policy as an ODRL 2.2 Set")


class PolicyVersionPublic(BaseModel):
    number: int
    document: dict[str, Any]
    by: str | None
    at: UtcDateTime


class AccessRequestPublic(BaseModel):
    id: int
    dataset: str | None
    user: str | None
    organisation: str | None = Field(None, description="asked for this whole organisation (slug); null: for the user")
    purpose: str
    valid_from: date
    valid_until: date
    aggregates_only_k: int | None
    export: bool
    message: str | None
    status: str = Field(description="pending, approved, narrowed or refused")
    decided_by: str | None
    decided_at: UtcDateTime | None
    decision_note: str | None
    agreement_id: int | None


class AgreementPublic(BaseModel):
    id: int
    dataset: str | None
    user: str | None = Field(description="the holder, when one user holds it")
    organisation: str | None = Field(None, description="the holder, when every user of an organisation does (slug)")
    purpose: str
    aggregates_only_k: int | None
    export: bool
    valid_from: date
    valid_until: date
    granted_by: str | None
    request_id: int | None
    state: str
    revoked_at: UtcDateTime | None


class AccessNoticePublic(BaseModel):
    id: int
    topic: str = Field(description="request-filed (to the owning stewards) or request-decided (to the requester)")
    request_id: int
    dataset: str | None
    requester: str | None
    status: str = Field(description="the request's status now: pending, approved, narrowed or refused")
    message: str
    created_at: UtcDateTime
    read_at: UtcDateTime | None


class VersionSignaturePublic(BaseModel):
    number: int
    content_hash: str = Field(description="sha256 hex of the version's Parquet file: the signed message")
    signature: str
    party: str
    public_key: str
    key_fingerprint: str
    signed_at: UtcDateTime


class SignaturesPublic(BaseModel):
    dataset: str
    algorithm: str
    message: str
    versions: list[VersionSignaturePublic]


class CheckpointPublic(BaseModel):
    size: int = Field(description="the ledger's tree size the checkpoint signs")
    root_hash: str = Field(description="base64 Merkle root hash (RFC 9162)")
    note: str = Field(description="the signed note (C2SP tlog-checkpoint)")
    at: UtcDateTime


class CheckpointsPublic(BaseModel):
    origin: str
    verifier_key: str
    checkpoints: list[CheckpointPublic]


class ConsistencyProofPublic(BaseModel):
    first: int
    second: int
    second_root: str
    proof: list[str] = Field(description="base64 hashes, RFC 9162 order")


class InclusionProofPublic(BaseModel):
    entry: LedgerEntryPublic
    leaf_index: int
    tree_size: int
    checkpoint: str
    verifier_key: str
    proof: list[str] = Field(description="base64 hashes, RFC 9162 order")
