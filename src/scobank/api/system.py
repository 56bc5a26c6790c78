"""Health and version."""

from fastapi import APIRouter
from sqlalchemy import text

from scobank import __version__
from scobank.deps import DbSession

router = APIRouter(tags=["system"])


@router.get("/health")
def health(session: DbSession) -> dict:
    session.execute(text("SELECT 1"))
    return {"ok": True, "version": __version__}
