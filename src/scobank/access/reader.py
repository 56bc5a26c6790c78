"""Who is asking, what they ask to do, and about which dataset: the access kernel every area passes down.

`Reader` is resolved once per request or CLI call by `scobank.access.identity` from a token, a session
cookie or the local operator. Services receive it and hand it to the gate (`scobank.access.gate`) and
the ledger; they never look at tokens or cookies.

This module imports nothing of the bank, so the pillars (ingest, lake, the gate, the ledger) and every
area can name a reader without pulling in the catalog or anything above it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum


class Action(StrEnum):
    LISTING = "listing"  # see that it exists: title, publisher, description (to ask for access)
    METADATA = "metadata"  # see that it exists, its metadata and versions
    QUERY = "query"  # rows or aggregates through the query API, analytics inputs
    EXPORT = "export"  # bulk download of a version
    WRITE = "write"  # publish a version, edit metadata
    ADMIN = "admin"  # change the policy, approve requests


@dataclass(frozen=True)
class Reader:
    """Who is asking. `party` is the ISO3 of the reader's organisation's party."""

    user_id: int | None = None
    email: str | None = None
    organisation_id: int | None = None
    party: str | None = None
    role: str = "anonymous"  # anonymous | viewer | editor | admin | steward | platform-admin | operator
    scopes: frozenset[str] = field(default_factory=frozenset)
    party_status: str | None = None  # member | observer | partner | None (resolved on login)
    purpose: str | None = None  # the purpose the caller states for this request (X-Purpose / ?purpose=)
    via: str = "none"  # how it was authenticated: none | token | cookie | cli

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None and self.role == "anonymous"

    @property
    def is_operator(self) -> bool:
        """The local operator of this installation (the CLI without --as): full rights."""
        return self.role in ("operator", "platform-admin")


@dataclass(frozen=True)
class DatasetRef:
    """What the gate needs to know of a dataset: its id, the publishing organisation and that
    organisation's party (the owners), and its slug for messages. The catalog makes them
    (`scobank.catalog.refs`); access never reads the catalog's tables."""

    id: int | None
    organisation_id: int | None
    party: str | None
    slug: str


ANONYMOUS = Reader()
OPERATOR = Reader(role="operator", email="operator@localhost", scopes=frozenset({"read", "write", "admin"}),
                  via="cli")

__all__ = ["ANONYMOUS", "OPERATOR", "Action", "DatasetRef", "Reader"]
