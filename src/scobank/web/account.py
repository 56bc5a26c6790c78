"""Account pages: log in, log out, the reader's account (tokens, language)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse

from scobank.web.render import render
from scobank.web.visitor import PageReader

router = APIRouter()


@router.get("/login", response_class=HTMLResponse)
def login_page(request: Request, reader: PageReader, next: str = "/") -> HTMLResponse:
    return render(request, "account/login.html", next=_safe_next(next), failed=False)


def _safe_next(target: str) -> str:
    """Only a path on this site (no scheme, no //host) may be a place to return to after logging in."""
    return target if target.startswith("/") and not target.startswith("//") else "/"
