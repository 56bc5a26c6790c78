"""Portal pages (server-rendered). Filled in by the web area."""

from fastapi import APIRouter

router = APIRouter(include_in_schema=False)
