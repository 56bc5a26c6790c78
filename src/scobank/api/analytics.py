"""REST endpoints of the analytics area (thin: parse, call a service, return its public shape)."""

from fastapi import APIRouter

router = APIRouter(tags=["analytics"])
