"""Tables of the access area: users and their credentials, policies, requests and agreements, the
ledger, party keys and version signatures.

Timestamps are naive UTC (`scobank.db.utcnow`). The ledger keeps its time as ISO text so that the
hashed bytes are the same on SQLite and PostgreSQL.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.sql.expression import false

from scobank.db import Base, utcnow


class User(Base):
    """A person. Belongs to one organisation (and so to its party); `role` is their role there."""

    __tablename__ = "users"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("organisations.id"), index=True)
    role: Mapped[str] = mapped_column(String(16), default="viewer")  # steward | admin | editor | viewer
    is_platform_admin: Mapped[bool] = mapped_column(Boolean, default=False)
    password_hash: Mapped[str | None] = mapped_column(String(200))
    name: Mapped[str | None] = mapped_column(String(200))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class ApiToken(Base):
    """A bearer token of one user. Only the sha256 of the secret is kept; `prefix` identifies it."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), index=True)
    name: Mapped[str | None] = mapped_column(String(120))
    prefix: Mapped[str] = mapped_column(String(16))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scopes: Mapped[str] = mapped_column(String(40))  # comma-separated: read,write,admin
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    last_used_at: Mapped[datetime | None] = mapped_column(DateTime)


class WebSession(Base):
    """A login of the portal. The cookie carries the secret (signed); the table keeps its sha256."""

    __tablename__ = "web_sessions"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(DateTime)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)


class LoginFailure(Base):
    """Failed logins per throttle key (`email` holds "<e-mail> from <address>" or "* from <address>";
    known e-mail or not, so throttling reveals nothing about accounts): scobank.access.sessions."""

    __tablename__ = "login_failures"

    email: Mapped[str] = mapped_column(String(254), primary_key=True)
    count: Mapped[int] = mapped_column(Integer, default=0)
    window_start: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    locked_until: Mapped[datetime | None] = mapped_column(DateTime)


class Policy(Base):
    """The current policy of one dataset (`dataset_id`) or the default of one party (`party`).

    `document` is the ODRL-inspired JSON (see scobank.access.policies); `audience` and the
    PolicyAudience rows repeat its audience so listings can filter in SQL.
    """

    __tablename__ = "access_policies"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    dataset_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("datasets.id", ondelete="CASCADE"),
                                                   unique=True)
    party: Mapped[str | None] = mapped_column(String(3), unique=True)
    audience: Mapped[str] = mapped_column(String(16))  # public | members | parties | orgs | owner
    # Others (outside the audience) see its title, publisher and description and may ask for access.
    listed: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    version: Mapped[int] = mapped_column(Integer, default=1)
    document: Mapped[dict] = mapped_column(JSON)
    updated_by: Mapped[str | None] = mapped_column(String(254))
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PolicyAudience(Base):
    """One named party (ISO3) or organisation (id as text) in a policy's audience."""

    __tablename__ = "access_policy_audience"

    policy_id: Mapped[int] = mapped_column(Integer, ForeignKey("access_policies.id", ondelete="CASCADE"),
                                           primary_key=True)
    kind: Mapped[str] = mapped_column(String(8), primary_key=True)  # party | org
    value: Mapped[str] = mapped_column(String(80), primary_key=True, index=True)


class PolicyVersion(Base):
    """Every policy ever set, in order: the history of a dataset's (or a party default's) terms."""

    __tablename__ = "access_policy_versions"
    __table_args__ = (UniqueConstraint("scope", "number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    scope: Mapped[str] = mapped_column(String(40), index=True)  # "dataset:12" | "party:KAZ"
    number: Mapped[int] = mapped_column(Integer)
    document: Mapped[dict] = mapped_column(JSON)
    created_by: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class PartyRights(Base):
    """What readers of one party get by default on datasets they may see (overrides status defaults)."""

    __tablename__ = "access_party_rights"

    party: Mapped[str] = mapped_column(String(3), primary_key=True)
    may_export: Mapped[bool] = mapped_column(Boolean, default=True)
    min_k: Mapped[int | None] = mapped_column(Integer)  # aggregates only with at least this k
    may_request: Mapped[bool] = mapped_column(Boolean, default=True)
    updated_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class AccessRequest(Base):
    """A user's request to use a dataset for a purpose over a period, and the steward's decision.
    `organisation_id` set: asked for the user's whole organisation (the agreement goes to it)."""

    __tablename__ = "access_requests"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("organisations.id"))
    dataset_id: Mapped[int] = mapped_column(Integer, ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    purpose: Mapped[str] = mapped_column(String(20))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    aggregates_only_k: Mapped[int | None] = mapped_column(Integer)
    export: Mapped[bool] = mapped_column(Boolean, default=False)
    message: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending|approved|narrowed|refused
    decided_by: Mapped[str | None] = mapped_column(String(254))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime)
    decision_note: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class Agreement(Base):
    """What a steward granted: who (one user, or every user of one organisation), which dataset, for
    what purpose, at which granularity, until when."""

    __tablename__ = "access_agreements"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("users.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("organisations.id"), index=True)
    dataset_id: Mapped[int] = mapped_column(Integer, ForeignKey("datasets.id", ondelete="CASCADE"), index=True)
    request_id: Mapped[int | None] = mapped_column(Integer, ForeignKey("access_requests.id"))
    purpose: Mapped[str] = mapped_column(String(20))
    aggregates_only_k: Mapped[int | None] = mapped_column(Integer)
    export: Mapped[bool] = mapped_column(Boolean, default=False)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_until: Mapped[date] = mapped_column(Date)
    granted_by: Mapped[str | None] = mapped_column(String(254))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(DateTime)
    revoked_by: Mapped[str | None] = mapped_column(String(254))


class AccessNotice(Base):
    """An in-app notice of a request's step for one user: `topic` is request-filed (to the owning
    stewards) or request-decided (to the requester); the text is made in the reader's language."""

    __tablename__ = "access_notices"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(Integer, ForeignKey("users.id", ondelete="CASCADE"), index=True)
    topic: Mapped[str] = mapped_column(String(32))
    request_id: Mapped[int] = mapped_column(Integer, ForeignKey("access_requests.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
    read_at: Mapped[datetime | None] = mapped_column(DateTime)


class RateBucket(Base):
    """One client's token bucket (scobank.access.rate_limits), shared by every server process: `tokens`
    left at `stamp` (Unix seconds)."""

    __tablename__ = "access_rate_buckets"

    client: Mapped[str] = mapped_column(String(40), primary_key=True)
    tokens: Mapped[float] = mapped_column(Float)
    stamp: Mapped[float] = mapped_column(Float, index=True)


class LedgerEntry(Base):
    """One use of data. `hash` = sha256(canonical(entry) + prev_hash); see scobank.access.ledger."""

    __tablename__ = "ledger_entries"

    # On SQLite an INTEGER primary key is the rowid itself: an append writes the table's B-tree only,
    # not also a separate key index (access_0002). PostgreSQL keeps BIGINT.
    seq: Mapped[int] = mapped_column(BigInteger().with_variant(Integer, "sqlite"), primary_key=True,
                                     autoincrement=False)
    at: Mapped[str] = mapped_column(String(32), index=True)  # ISO 8601 UTC, microseconds
    actor: Mapped[str] = mapped_column(String(254))
    user_id: Mapped[int | None] = mapped_column(Integer)
    organisation_id: Mapped[int | None] = mapped_column(Integer)
    party: Mapped[str | None] = mapped_column(String(3))
    action: Mapped[str] = mapped_column(String(40))
    dataset_id: Mapped[int | None] = mapped_column(Integer, index=True)
    version_id: Mapped[int | None] = mapped_column(Integer)
    purpose: Mapped[str | None] = mapped_column(String(20))
    agreement_id: Mapped[int | None] = mapped_column(Integer)
    query_fingerprint: Mapped[str | None] = mapped_column(String(64))
    rows: Mapped[int | None] = mapped_column(BigInteger)
    cells: Mapped[int | None] = mapped_column(BigInteger)
    detail: Mapped[str | None] = mapped_column(Text)  # canonical JSON
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


class LedgerHead(Base):
    """The chain's head: one row, locked by every append (serialises writers on both databases)."""

    __tablename__ = "ledger_head"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    seq: Mapped[int] = mapped_column(BigInteger, default=0)
    hash: Mapped[str] = mapped_column(String(64))


class PartyKey(Base):
    """A party's Ed25519 public key. The private key lives under SCOBANK_HOME/keys (0600, encrypted)."""

    __tablename__ = "party_keys"

    party: Mapped[str] = mapped_column(String(3), primary_key=True)
    public_key: Mapped[str] = mapped_column(String(64))  # raw 32 bytes, hex
    fingerprint: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class VersionSignature(Base):
    """The publishing party's Ed25519 signature over a version's content hash (hex, as ASCII)."""

    __tablename__ = "version_signatures"

    version_id: Mapped[int] = mapped_column(Integer, ForeignKey("dataset_versions.id", ondelete="CASCADE"),
                                            primary_key=True)
    party: Mapped[str] = mapped_column(String(3))
    content_hash: Mapped[str] = mapped_column(String(64))
    signature: Mapped[str] = mapped_column(String(128))  # hex
    key_fingerprint: Mapped[str] = mapped_column(String(16))
    signed_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)


class LedgerCheckpoint(Base):
    """A signed checkpoint of the ledger's Merkle tree (C2SP tlog-checkpoint): its size, root and note.

    The bank keeps them to refuse to sign a head inconsistent with an earlier one; the parties and
    witnesses keep their own copies, which is what makes a rewrite visible (scobank.access.checkpoints).
    """

    __tablename__ = "ledger_checkpoints"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger, index=True)
    root_hash: Mapped[str] = mapped_column(String(64))  # hex
    note: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(DateTime, default=utcnow)
