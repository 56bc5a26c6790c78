"""The home page: the bloc at a glance."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from scobank.api.deps import DbSession
from scobank.web.render import render
from scobank.web.visitor import PageReader

router = APIRouter()


@router.get("/", response_class=HTMLResponse)
def home_page(request: Request, session: DbSession, reader: PageReader) -> HTMLResponse:
    return render(request, "home.html", json_url="/api/v1/health")
