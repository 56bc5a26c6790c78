"""The conversation of an expression of interest in the portal: the message thread with attachments,
and each side's confirmation of a meeting and an agreement. Only the two sides see it (the services
answer NotFound to anyone else)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scobank.deps import DbSession, RowId
from scobank.exchange import conversation, interest, outcomes
from scobank.web.render import render
from scobank.web.visitor import FormReader, PageReader

router = APIRouter(prefix="/exchange")


@router.get("/interests/{interest_id}/thread", response_class=HTMLResponse)
def thread_page(request: Request, interest_id: RowId, session: DbSession, reader: PageReader) -> HTMLResponse:
    shown = interest.view_interest(session, reader=reader, interest_id=interest_id)
    messages = conversation.list_messages(session, reader=reader, interest_id=interest_id)
    mine = {c.stage for c in shown.confirmations if c.mine}
    counterpart = {c.stage for c in shown.confirmations if not c.mine}
    return render(request, "exchange/thread.html", section="exchange", interest=shown, messages=messages,
                  confirmed_by_me=mine, confirmed_by_them=counterpart, stages=outcomes.STAGES,
                  max_attachment_kib=conversation.MAX_ATTACHMENT_BYTES // 1024,
                  json_url=f"/api/v1/exchange/interests/{interest_id}/messages")


@router.post("/interests/{interest_id}/messages")
async def post_message(interest_id: RowId, session: DbSession, reader: FormReader, text: str = Form(""),
                       attachment: UploadFile | None = None) -> RedirectResponse:
    found = None
    if attachment is not None and attachment.filename:
        data = await attachment.read(conversation.MAX_ATTACHMENT_BYTES + 1)
        found = conversation.Attachment(name=attachment.filename, data=data,
                                        content_type=attachment.content_type or "application/octet-stream")
    conversation.post_message(session, reader=reader, interest_id=interest_id, text=text, attachment=found)
    return RedirectResponse(f"/exchange/interests/{interest_id}/thread#messages", status_code=303)


@router.get("/interests/{interest_id}/messages/{message_id}/attachment")
def attachment(interest_id: RowId, message_id: RowId, session: DbSession, reader: PageReader) -> Response:
    found = conversation.get_attachment(session, reader=reader, interest_id=interest_id, message_id=message_id)
    return Response(found.data, media_type=found.content_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.name)}"})


@router.post("/interests/{interest_id}/outcome")
def confirm_outcome(interest_id: RowId, session: DbSession, reader: FormReader,
                    stage: str = Form(...)) -> RedirectResponse:
    outcomes.confirm_outcome(session, reader=reader, interest_id=interest_id, stage=stage)
    return RedirectResponse(f"/exchange/interests/{interest_id}/thread#outcomes", status_code=303)
