"""The API's one error shape, for every failure a caller can cause.

`{"ok": false, "code", "message", "problems"}` (scobank.errors.ScobankError.to_dict) answers errors
raised by services, and also what FastAPI and Starlette decide before a route runs: a malformed,
missing or unknown parameter (422 `invalid-parameters`, one problem per parameter naming it), an
unknown route (404 `not-found`) and a method a route does not take (405 `method-not-allowed`).
"""

from __future__ import annotations

from typing import Literal

from fastapi import Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from scobank.api.error_texts import in_language
from scobank.catalogs import DEFAULT_LANGUAGE, language_asked
from scobank.errors import InvalidParameters, MethodNotAllowed, NotFound, Problem, ScobankError

MAX_VALUE_CHARS = 200
# Query parameters any route takes: `lang`, the portal's page language, which its JSON twin links keep.
EVERYWHERE = frozenset({"lang"})
# Where FastAPI found a parameter, as the problem's `file`.
PLACES = ("query", "path", "header", "cookie", "body")


def is_api(request: Request) -> bool:
    return request.url.path.startswith("/api/")


def error_response(exc: ScobankError, headers: dict | None = None, *, lang: str = DEFAULT_LANGUAGE) -> JSONResponse:
    """The error in the one shape, its messages in `lang` (`scobank.api.error_texts`)."""
    return JSONResponse(in_language(exc.to_dict(), lang), status_code=exc.status, headers=headers)


def error_language(request: Request) -> str:
    """The language an API caller reads errors in: `?lang=`, then Accept-Language, then English."""
    return language_asked(request.query_params.get("lang"), accept_language=request.headers.get("accept-language"))


def _shown(value: object) -> str | None:
    if value is None or isinstance(value, dict | list):
        return None
    text = str(value)
    return text if len(text) <= MAX_VALUE_CHARS else text[:MAX_VALUE_CHARS] + "…"


def _problem(error: dict) -> Problem:
    loc = [str(part) for part in error.get("loc", ())]
    place = loc[0] if loc and loc[0] in PLACES else "request"
    name = ".".join(loc[1:] if loc and loc[0] in PLACES else loc) or None
    return Problem(code="invalid-parameter", message=f"{name or place}: {error.get('msg', 'invalid')}",
                   file=place, column=name, value=_shown(error.get("input")))


def invalid_parameters(exc: RequestValidationError) -> InvalidParameters:
    """One problem per failing parameter or body field, each naming it."""
    problems = [_problem(e) for e in exc.errors()]
    names = ", ".join(dict.fromkeys(p.column or p.file for p in problems))
    return InvalidParameters(f"invalid request parameters: {names}", problems=problems)


def http_error(request: Request, exc: HTTPException) -> ScobankError:
    """Starlette's own refusals as our errors: no such route, a method the route does not take."""
    if exc.status_code == 404:
        return NotFound(f"no such address: {request.method} {request.url.path}")
    if exc.status_code == 405:
        return MethodNotAllowed(f"{request.url.path} does not take {request.method}")
    error = ScobankError(str(exc.detail))
    error.status = exc.status_code  # an instance attribute: the class keeps its own
    return error


def reject_unknown_query(request: Request) -> None:
    """A query parameter the route does not declare is refused (422 naming it), so a misspelling such
    as `filters=` for `filter=` cannot silently return everything."""
    route = request.scope.get("route")
    dependant = getattr(route, "dependant", None)
    if dependant is None:
        return
    unknown = sorted(set(request.query_params) - declared_query(dependant) - EVERYWHERE)
    if unknown:
        raise InvalidParameters(
            f"unknown query parameter{'s' if len(unknown) > 1 else ''}: {', '.join(unknown)}",
            problems=[Problem(code="unknown-parameter", file="query", column=name,
                              message=f"{name}: this route takes no such parameter") for name in unknown])


_DECLARED: dict[int, frozenset[str]] = {}  # id(route's dependant) -> its query parameter names


def declared_query(dependant) -> frozenset[str]:
    """Every query parameter a route declares, its dependencies' included (computed once per route)."""
    cached = _DECLARED.get(id(dependant))
    if cached is None:
        names: set[str] = set()
        stack = [dependant]
        while stack:
            node = stack.pop()
            names.update(param.alias for param in node.query_params)
            stack.extend(node.dependencies)
        cached = _DECLARED[id(dependant)] = frozenset(names)
    return cached

class ProblemPublic(BaseModel):
    """One thing wrong: `column` names the parameter or field, `file` where it was (query, path,
    header, body) or the file uploaded; `row` is the 1-based data row of a file."""

    code: str
    message: str
    file: str
    row: int | None = None
    column: str | None = None
    value: str | None = None


class ErrorPublic(BaseModel):
    """Every error of the API: `code` is the slug of the error class (scobank.errors)."""

    ok: Literal[False] = False
    code: str
    message: str
    problems: list[ProblemPublic]
