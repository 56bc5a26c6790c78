"""CKAN's Action API (read side) at /api/3/action/, so `ckanapi`, CKAN harvesters and the tools built
on CKAN read the catalog as they read any CKAN site. Parameters come from the query string (GET) or
a JSON object (POST), as CKAN takes them; answers are CKAN's `{"help", "success", "result"}` and its
errors `{"success": false, "error": {"__type", "message"}}` (404 Not Found, 403 Authorization,
409 Validation). The services behind are the catalog's: same gate, same ledger as /api/v1."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from scobank.deps import CurrentReader, DbSession
from scobank.catalog import ckan
from scobank.errors import AccessDenied, BadRequest, NotFound, ScobankError, Unauthenticated

router = APIRouter(tags=["ckan"])
ERROR_TYPES = {NotFound: "Not Found Error", AccessDenied: "Authorization Error",
               Unauthenticated: "Authorization Error", BadRequest: "Validation Error"}
ERROR_STATUS = {"Not Found Error": 404, "Authorization Error": 403, "Validation Error": 409}


class CkanAnswer(BaseModel):
    help: str
    success: bool
    result: Any = None
    error: dict | None = None


async def _params(request: Request) -> dict:
    params: dict[str, Any] = dict(request.query_params)
    if request.method == "POST" and await request.body():
        try:
            body = await request.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise BadRequest("the body is not a JSON object") from None
        if not isinstance(body, dict):
            raise BadRequest("the body is not a JSON object")
        params.update(body)
    return params


Params = Annotated[dict, Depends(_params)]  # read in the event loop; the routes run in threads


def _answer(request: Request, action: str, produce: Callable[[], Any]) -> JSONResponse:
    help_url = f"{str(request.base_url).rstrip('/')}/api/3/action/help_show?name={action}"
    try:
        return JSONResponse({"help": help_url, "success": True, "result": produce()})
    except ScobankError as exc:
        kind = next((name for cls, name in ERROR_TYPES.items() if isinstance(exc, cls)), "Validation Error")
        return JSONResponse({"help": help_url, "success": False, "error": {"__type": kind, "message": str(exc)}},
                            status_code=ERROR_STATUS[kind])


def _base(request: Request) -> str:
    return str(request.base_url).rstrip("/")


def _lang(request: Request, params: dict) -> str:
    lang = str(params.get("lang") or request.headers.get("accept-language", "en")[:2] or "en").lower()
    return lang if lang in ("en", "ru", "zh") else "en"


def _required(params: dict, name: str) -> str:
    value = params.get(name)
    if not value or not isinstance(value, str):
        raise BadRequest(f"{name}: missing value")
    return value


def _flag(params: dict, name: str) -> bool:
    return str(params.get(name, "false")).lower() in ("true", "1", "yes")


ACTION = {"methods": ["GET", "POST"], "response_model": CkanAnswer}


@router.api_route("/package_list", **ACTION)
def package_list(request: Request, params: Params, session: DbSession, reader: CurrentReader):

    def produce():
        limit = ckan.whole_number(params, "limit", ckan.MAX_ROWS * 100, 0, ckan.MAX_ROWS * 100)
        return ckan.package_list(session, reader=reader, limit=limit, offset=ckan.whole_number(params, "offset", 0, 0, 10**9))
    return _answer(request, "package_list", produce)


@router.api_route("/package_search", **ACTION)
def package_search(request: Request, params: Params, session: DbSession, reader: CurrentReader):
    return _answer(request, "package_search", lambda: ckan.package_search(
        session, reader=reader, request=ckan.parse_search(params), base=_base(request), lang=_lang(request, params)))


@router.api_route("/package_show", **ACTION)
def package_show(request: Request, params: Params, session: DbSession, reader: CurrentReader):
    return _answer(request, "package_show", lambda: ckan.package_show(
        session, reader=reader, name=_required(params, "id"), base=_base(request), lang=_lang(request, params)))


@router.api_route("/resource_show", **ACTION)
def resource_show(request: Request, params: Params, session: DbSession, reader: CurrentReader):
    return _answer(request, "resource_show", lambda: ckan.resource_show(
        session, reader=reader, resource_id=_required(params, "id"), base=_base(request)))


@router.api_route("/organization_list", **ACTION)
def organization_list(request: Request, params: Params, session: DbSession):
    return _answer(request, "organization_list", lambda: ckan.organization_list(
        session, all_fields=_flag(params, "all_fields"), lang=_lang(request, params)))


@router.api_route("/organization_show", **ACTION)
def organization_show(request: Request, params: Params, session: DbSession, reader: CurrentReader):
    return _answer(request, "organization_show", lambda: ckan.organization_show(
        session, reader=reader, name=_required(params, "id"), base=_base(request), lang=_lang(request, params),
        include_datasets=_flag(params, "include_datasets")))


@router.api_route("/status_show", **ACTION)
def status_show(request: Request):
    return _answer(request, "status_show", lambda: ckan.status_show(_base(request)))
