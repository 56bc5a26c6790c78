"""Health and version."""

from fastapi import APIRouter
from pydantic import BaseModel
from sqlalchemy import text

from scobank import __version__
from scobank.deps import DbSession

router = APIRouter(tags=["system"])


class HealthPublic(BaseModel):
    ok: bool
    version: str


@router.get("/health", response_model=HealthPublic)
def health(session: DbSession) -> HealthPublic:
    session.execute(text("SELECT 1"))
    return HealthPublic(ok=True, version=__version__)
