"""REST endpoints of the ai area (thin: parse, call a service, return its public shape)."""

from fastapi import APIRouter

router = APIRouter(tags=["ai"])
