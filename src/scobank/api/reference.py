"""REST endpoints of the reference area (thin: parse, call a service, return its public shape)."""

from fastapi import APIRouter

router = APIRouter(tags=["reference"])
