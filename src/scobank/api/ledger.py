"""The ledger's transparency: signed checkpoints, consistency proofs, inclusion proofs of one's own entries."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from scobank.access import checkpoints
from scobank.access.schemas import CheckpointsPublic, ConsistencyProofPublic, InclusionProofPublic
from scobank.deps import DbSession, RequireUser

router = APIRouter(tags=["ledger"])

Size = Annotated[int, Query(ge=0, le=2**62)]


@router.get("/ledger/checkpoints", response_model=CheckpointsPublic)
def ledger_checkpoints(session: DbSession, limit: Annotated[int, Query(ge=1, le=1000)] = 20) -> dict:
    """The newest signed checkpoints of the ledger (C2SP tlog-checkpoint notes) and the verifier key.
    Keep them: `scobank ledger verify --against HEADS` later proves the ledger still extends them."""
    return checkpoints.published(session, limit=limit)


@router.get("/ledger/consistency", response_model=ConsistencyProofPublic)
def ledger_consistency(session: DbSession, first: Size, second: Size | None = None) -> dict:
    """The RFC 9162 consistency proof from tree size `first` to `second` (default: the newest checkpoint)."""
    return checkpoints.consistency(session, first=first, second=second)


@router.get("/ledger/proof", response_model=InclusionProofPublic)
def ledger_inclusion_proof(session: DbSession, reader: RequireUser, seq: Annotated[int, Query(ge=1, le=2**62)]) -> dict:
    """An inclusion proof of one of your own ledger entries in the newest checkpoint (no one else's)."""
    return checkpoints.inclusion(session, reader=reader, seq=seq)
