"""The reader's side of the exchange: their enterprises, listings, interests and notifications, and
the forms that create an enterprise profile and post a listing (an offer or a need)."""

from __future__ import annotations

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from pydantic import ValidationError

from scobank.deps import DbSession, RowId
from scobank.errors import BadRequest, Unauthenticated, UnknownCode
from scobank.exchange import alerts, interest, listings, profiles, registry
from scobank.exchange.registry_ids import KINDS as REGISTRY_KINDS
from scobank.exchange.kinds import KINDS, SIZE_BANDS
from scobank.exchange.schemas import EnterpriseCreate, ListingCreate
from scobank.search.listing_language import SearchNotice, search_notice
from scobank.web.i18n import LANGUAGES, request_language
from scobank.web.listing_fields import FIELDS, details_of
from scobank.web.render import render
from scobank.web.visitor import FormReader, PageReader

router = APIRouter(prefix="/exchange")
POSTABLE_KINDS = KINDS  # every kind: its fields are in listing_fields.FIELDS


def _need_login(reader) -> None:
    if reader.user_id is None:
        raise Unauthenticated("log in to use the cooperation exchange")


def _texts(values: dict[str, str]) -> dict[str, str]:
    return {lang: text.strip() for lang, text in values.items() if text and text.strip()}


def _problems(exc: ValidationError | BadRequest | UnknownCode) -> list[str]:
    if isinstance(exc, BadRequest | UnknownCode):
        return [exc.message]
    return [f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in exc.errors()]


@router.get("/mine", response_class=HTMLResponse)
def mine_page(request: Request, session: DbSession, reader: PageReader) -> HTMLResponse:
    _need_login(reader)
    return render(request, "exchange/mine.html", section="exchange",
                  enterprises=[profiles.private(e) for e in profiles.my_enterprises(session, reader=reader)],
                  listings=listings.search_listings(session, reader=reader, mine=True, limit=100),
                  interests=interest.list_interests(session, reader=reader),
                  notifications=alerts.list_notifications(session, reader=reader),
                  registry_kinds=_registry_kinds(),
                  json_url="/api/v1/exchange/interests")


@router.get("/enterprises/new", response_class=HTMLResponse)
def new_enterprise_page(request: Request, reader: PageReader) -> HTMLResponse:
    _need_login(reader)
    return render(request, "exchange/enterprise_form.html", section="exchange", size_bands=SIZE_BANDS,
                  problems=[], form={})


@router.post("/enterprises/new", response_model=None)
async def create_enterprise(request: Request, session: DbSession, reader: FormReader) -> Response:
    form = dict(await request.form())
    try:
        data = EnterpriseCreate(
            name=_texts({lang: form.get(f"name_{lang}", "") for lang in LANGUAGES}),
            description=_texts({lang: form.get(f"description_{lang}", "") for lang in LANGUAGES}),
            original_language=form.get("original_language", "en"), region=form.get("region") or None,
            city=form.get("city") or None, size_band=form.get("size_band", "small"),
            sectors=_split(form.get("sectors")), products=_split(form.get("products")),
            certifications=_split(form.get("certifications")),
            contacts=_texts({"email": form.get("email", ""), "phone": form.get("phone", "")}))
        profiles.create_enterprise(session, reader=reader, data=data)
    except (ValidationError, BadRequest) as exc:
        return render(request, "exchange/enterprise_form.html", section="exchange",
                      size_bands=SIZE_BANDS, problems=_problems(exc), form=form)
    return RedirectResponse("/exchange/mine", status_code=303)


def _registry_kinds() -> dict[str, list[str]]:
    """party -> the kinds of registry number the exchange checks there."""
    kinds: dict[str, list[str]] = {}
    for party, kind in REGISTRY_KINDS:
        kinds.setdefault(party, []).append(kind)
    return kinds


def _split(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").split(",") if part.strip()]


@router.get("/listings/new", response_class=HTMLResponse)
def new_listing_page(request: Request, session: DbSession, reader: PageReader,
                     kind: str = "product_request") -> HTMLResponse:
    _need_login(reader)
    if kind not in FIELDS:
        raise BadRequest(f"kind: unknown listing kind {kind!r}; expected one of {', '.join(KINDS)}")
    return _form(request, session, reader, form={"kind": kind}, problems=[])


def _form(request: Request, session, reader, *, form: dict, problems: list[str], suggestions=None,
          notice: SearchNotice | None = None) -> HTMLResponse:
    kind = form.get("kind") if form.get("kind") in FIELDS else "product_request"
    return render(request, "exchange/listing_form.html", section="exchange", kinds=POSTABLE_KINDS,
                  fields=FIELDS[kind], problems=problems, form=form, suggestions=suggestions, notice=notice,
                  enterprises=[profiles.private(e) for e in profiles.my_enterprises(session, reader=reader)])


def _search_notice(request: Request, form: dict) -> SearchNotice | None:
    """What search will not read of the texts typed so far (`scobank.search.listing_language`)."""
    return search_notice(title=_texts({lang: form.get(f"title_{lang}", "") for lang in LANGUAGES}),
                         description=_texts({lang: form.get(f"description_{lang}", "") for lang in LANGUAGES}),
                         lang=request_language(request))


def _suggest(request: Request, session, reader, form: dict) -> HTMLResponse:
    """The HS suggester on the title and description typed so far; the best code fills an empty field."""
    from scobank.ai.hs_suggest import suggest_hs

    words = " ".join(str(v) for k, v in form.items() if k.startswith(("title_", "description_", "process")) and v)
    answer = suggest_hs(session, words, top=3)
    if answer.suggestions and not str(form.get("hs_code", "")).strip():
        form = {**form, "hs_code": answer.suggestions[0].code}
    notice = _search_notice(request, form)  # says, in the reader's language, what an unread language means
    quiet = answer.suggestions or (notice is not None and answer.status == "language-not-supported")
    return _form(request, session, reader, form=form, problems=[] if quiet else [answer.message],
                 suggestions=answer.suggestions, notice=notice)


@router.post("/listings/new", response_model=None)
async def create_listing(request: Request, session: DbSession, reader: FormReader) -> Response:
    """Create the listing and publish it at once (or send it to the steward when moderated). A listing
    written in a language search does not yet read is first shown back with the notice and a "Publish
    anyway" button (`action=publish-anyway`): told, never refused."""
    form = dict(await request.form())
    if form.get("action") == "suggest":
        return _suggest(request, session, reader, form)
    notice = _search_notice(request, form)
    if notice is not None and form.get("action") != "publish-anyway":
        return _form(request, session, reader, form=form, problems=[], notice=notice)
    kind = form.get("kind", "product_request")
    try:
        data = ListingCreate(
            enterprise_id=int(form.get("enterprise_id") or 0), kind=kind,
            title=_texts({lang: form.get(f"title_{lang}", "") for lang in LANGUAGES}),
            description=_texts({lang: form.get(f"description_{lang}", "") for lang in LANGUAGES}),
            original_language=form.get("original_language", "en"), details=details_of(kind, form))
        created = listings.create_listing(session, reader=reader, data=data)
        listings.publish_listing(session, reader=reader, listing_id=created.id)
    except (ValidationError, BadRequest, UnknownCode) as exc:
        return _form(request, session, reader, form=form, problems=_problems(exc), notice=notice)
    return RedirectResponse(f"/exchange/listings/{created.id}", status_code=303)


@router.post("/notifications/{notification_id}/read")
def read_notification(notification_id: RowId, session: DbSession, reader: FormReader) -> RedirectResponse:
    alerts.mark_read(session, reader=reader, notification_id=notification_id)
    return RedirectResponse("/exchange/mine#notifications", status_code=303)


@router.post("/enterprises/{enterprise_id}/registry-id")
def set_registry_id(enterprise_id: RowId, session: DbSession, reader: FormReader, kind: str = Form(...),
                    value: str = Form(..., max_length=40)) -> RedirectResponse:
    """The company's registry number in its own country, checked on entry; a steward then verifies it."""
    registry.set_registry_id(session, reader=reader, enterprise_id=enterprise_id, kind=kind, value=value)
    return RedirectResponse("/exchange/mine#ent-h", status_code=303)
