"""The reader's e-mail from the exchange: the language it is written in, which alerts are mailed, and
all of it on or off. Service: `scobank.exchange.mail` (preferences, ledgered there)."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from scobank.deps import DbSession
from scobank.errors import Unauthenticated
from scobank.exchange import mail
from scobank.web.render import render
from scobank.web.visitor import FormReader, PageReader

router = APIRouter(prefix="/exchange")


@router.get("/mail", response_class=HTMLResponse)
def mail_page(request: Request, session: DbSession, reader: PageReader, saved: bool = False) -> HTMLResponse:
    if reader.user_id is None:
        raise Unauthenticated("log in to choose the e-mail you receive from the exchange")
    return render(request, "exchange/mail.html", section="exchange", prefs=mail.preferences(session, reader=reader),
                  groups=list(mail.ALERT_GROUPS), saved=saved,
                  json_url="/api/v1/exchange/mail-preferences")


@router.post("/mail", response_model=None)
async def save_mail(request: Request, session: DbSession, reader: FormReader) -> Response:
    form = await request.form()
    mail.set_preferences(session, reader=reader, language=str(form.get("language") or "") or None,
                         subscribed=form.get("subscribed") == "on",
                         alerts=[str(g) for g in form.getlist("alerts")])
    return RedirectResponse("/exchange/mail?saved=1", status_code=303)
