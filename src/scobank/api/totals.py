"""The total of a list over all its pages, as every list route gives it: the `X-Total-Count` header
(with a `total` in the body where the body is an object), documented once for the OpenAPI."""

from __future__ import annotations

from fastapi import Response

TOTAL_HEADER = "X-Total-Count"
TOTAL_DOC = {200: {"headers": {TOTAL_HEADER: {"description": "items over all pages",
                                              "schema": {"type": "integer"}}}}}


def tell_total(response: Response, total: int) -> None:
    response.headers[TOTAL_HEADER] = str(total)
