"""Who is looking at a page: the same reader the API resolves (token or session cookie), kept on the
request so the layout can show the account menu. Pages never decide permissions from it."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Request

from scobank.access.gate import Reader
from scobank.api.deps import CurrentReader


def page_reader(request: Request, reader: CurrentReader) -> Reader:
    request.state.reader = reader
    return reader


PageReader = Annotated[Reader, Depends(page_reader)]
