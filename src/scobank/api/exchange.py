"""REST endpoints of the exchange area (thin: parse, call a service, return its public shape).

Listings are anonymous (country, sectors, size band); contacts come from /interests/{id}/contacts or
/listings/{id}/contacts, and only after both sides accepted (else 403)."""

from __future__ import annotations

from typing import Annotated

import base64
import binascii
from urllib.parse import quote

from fastapi import APIRouter, Depends, Query, Response
from pydantic import BaseModel, Field

from scobank.api.errors import error_language
from scobank.api.totals import TOTAL_DOC, tell_total
from scobank.db import DbId
from scobank.errors import BadRequest
from scobank.deps import MAX_ID, CurrentReader, DbSession, RowId
from scobank.exchange import (alerts, conversation, funnel, interest, listings, mail, moderation, outcomes, profiles,
                              registry)
from scobank.exchange.matching.scorer import Filters
from scobank.exchange.matching.service import MatchReport, find_matches
from scobank.exchange.matching.weights import parse_weights
from scobank.exchange.ownership import owns
from scobank.search.listing_language import ListingCreated, search_notice
from scobank.exchange.schemas import (
    Contacts,
    EnterpriseCard,
    EnterpriseCreate,
    EnterprisePrivate,
    EnterpriseUpdate,
    ListingCreate,
    ListingPage,
    ListingPublic,
    ListingUpdate,
)

router = APIRouter(prefix="/exchange", tags=["exchange"])


class InterestCreate(BaseModel):
    from_enterprise_id: DbId
    message: str | None = Field(None, max_length=4000)
    source_listing_id: DbId | None = None


class OutcomeCreate(BaseModel):
    stage: str  # meeting | agreement
    enterprise_id: DbId | None = None  # the side confirming, when the caller owns both (the operator)


class AttachmentIn(BaseModel):
    name: str = Field(..., min_length=1, max_length=200)
    content_type: str = Field("application/octet-stream", max_length=100)
    data_base64: str = Field(..., description="the file, base64-encoded (at most 700 KiB once decoded)")

    def decoded(self) -> conversation.Attachment:
        try:
            data = base64.b64decode(self.data_base64, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise BadRequest(f"attachment {self.name!r}: data_base64 is not base64 ({exc})") from exc
        return conversation.Attachment(name=self.name, content_type=self.content_type, data=data)


class MessageCreate(BaseModel):
    text: str = Field("", max_length=conversation.MAX_TEXT_CHARS)
    attachment: AttachmentIn | None = None


class SavedSearchCreate(BaseModel):
    name: str
    criteria: alerts.Criteria


class RegistryIdSet(BaseModel):
    kind: str  # inn, ogrn, bin, uscc, gstin, cin, unp, stir, ntn, national_id
    value: str
    party: str | None = None  # default: the enterprise's country


class RegistryIdReview(BaseModel):
    decision: str  # approve | refuse | revoke
    reason: str | None = None  # required to refuse or revoke


class MailPreferencesSet(BaseModel):
    language: str | None = None  # en | ru | zh: the language of the reader's exchange e-mail
    subscribed: bool | None = None
    alerts: list[str] | None = None  # the alert groups to mail (search, interest, message, outcome, moderation)


class ModerationSet(BaseModel):
    required: bool
    scope: str = "all"  # all | unverified: moderate only the enterprises no steward has verified


class ModerationDecision(BaseModel):
    approve: bool
    reason: str | None = Field(None, max_length=1000)  # required to refuse; sent to the author


class ReportCreate(BaseModel):
    reason: str = Field(..., max_length=1000)


class ReportCreated(BaseModel):
    id: int


@router.post("/enterprises", response_model=EnterprisePrivate, status_code=201)
def create_enterprise(body: EnterpriseCreate, session: DbSession, reader: CurrentReader):
    return profiles.private(profiles.create_enterprise(session, reader=reader, data=body))


@router.get("/enterprises", response_model=list[EnterprisePrivate])
def my_enterprises(session: DbSession, reader: CurrentReader):
    return [profiles.private(e) for e in profiles.my_enterprises(session, reader=reader)]


@router.get("/enterprises/{enterprise_id}", response_model=EnterprisePrivate | EnterpriseCard)
def get_enterprise(enterprise_id: RowId, session: DbSession, reader: CurrentReader):
    enterprise = profiles.get_enterprise(session, enterprise_id=enterprise_id)
    mine = owns(reader, enterprise) and not reader.is_anonymous
    return profiles.private(enterprise) if mine else profiles.card(enterprise)


@router.patch("/enterprises/{enterprise_id}", response_model=EnterprisePrivate)
def update_enterprise(enterprise_id: RowId, body: EnterpriseUpdate, session: DbSession, reader: CurrentReader):
    return profiles.private(profiles.update_enterprise(session, reader=reader, enterprise_id=enterprise_id, data=body))


@router.delete("/enterprises/{enterprise_id}", status_code=204)
def delete_enterprise(enterprise_id: RowId, session: DbSession, reader: CurrentReader) -> None:
    profiles.delete_enterprise(session, reader=reader, enterprise_id=enterprise_id)


@router.get("/enterprises/{enterprise_id}/registry-ids", response_model=list[registry.RegistryIdPublic])
def registry_ids(enterprise_id: RowId, session: DbSession, reader: CurrentReader):
    return registry.registry_ids(session, reader=reader, enterprise_id=enterprise_id)


@router.put("/enterprises/{enterprise_id}/registry-ids", response_model=list[registry.RegistryIdPublic])
def set_registry_id(enterprise_id: RowId, body: RegistryIdSet, session: DbSession, reader: CurrentReader):
    return registry.set_registry_id(session, reader=reader, enterprise_id=enterprise_id, kind=body.kind,
                                    value=body.value, party=body.party)


@router.post("/enterprises/{enterprise_id}/registry-ids/{party}/review",
             response_model=list[registry.RegistryIdPublic])
def review_registry_id(enterprise_id: RowId, party: str, body: RegistryIdReview, session: DbSession,
                       reader: CurrentReader):
    return registry.review_registry_id(session, reader=reader, enterprise_id=enterprise_id, party=party,
                                       decision=body.decision, reason=body.reason)


@router.post("/listings", response_model=ListingCreated, status_code=201)
def create_listing(body: ListingCreate, session: DbSession, reader: CurrentReader,
                   lang: Annotated[str, Depends(error_language)]):
    """A draft listing (publish it with POST /listings/{id}/publish). `search_notice` tells its author, in
    the reader's language (`?lang=`, Accept-Language), when search will not find it by meaning or from
    another language (its text is in a member language search does not yet read); it is created all the same."""
    created = listings.public(session, listings.create_listing(session, reader=reader, data=body), reader=reader)
    notice = search_notice(title=body.title, description=body.description, lang=lang)
    return ListingCreated(**created.model_dump(), search_notice=notice)


@router.get("/listings", response_model=ListingPage, responses=TOTAL_DOC)
def search_listings(session: DbSession, reader: CurrentReader, response: Response, kind: str | None = None,
                    side: str | None = None,
                    hs: str | None = None, party: str | None = None, certification: str | None = None,
                    size_band: str | None = None, mine: bool = False, limit: int = Query(50, ge=1, le=200),
                    offset: int = Query(0, ge=0, le=MAX_ID)):
    page = listings.search_listings(session, reader=reader, kind=kind, side=side, hs=hs, party=party,
                                    certification=certification, size_band=size_band, mine=mine, limit=limit,
                                    offset=offset)
    tell_total(response, page.total)
    return page


@router.get("/listings/{listing_id}", response_model=ListingPublic)
def get_listing(listing_id: RowId, session: DbSession, reader: CurrentReader):
    return listings.public(session, listings.visible_listing(session, reader=reader, listing_id=listing_id),
                           reader=reader)


@router.patch("/listings/{listing_id}", response_model=ListingPublic)
def update_listing(listing_id: RowId, body: ListingUpdate, session: DbSession, reader: CurrentReader):
    return listings.public(session, listings.update_listing(session, reader=reader, listing_id=listing_id, data=body),
                           reader=reader)


@router.delete("/listings/{listing_id}", status_code=204)
def delete_listing(listing_id: RowId, session: DbSession, reader: CurrentReader) -> None:
    listings.delete_listing(session, reader=reader, listing_id=listing_id)


@router.post("/listings/{listing_id}/publish", response_model=ListingPublic)
def publish_listing(listing_id: RowId, session: DbSession, reader: CurrentReader):
    return listings.public(session, listings.publish_listing(session, reader=reader, listing_id=listing_id),
                           reader=reader)


@router.post("/listings/{listing_id}/renew", response_model=ListingPublic)
def renew_listing(listing_id: RowId, session: DbSession, reader: CurrentReader,
                  days: int = Query(90, ge=1, le=3650)):
    return listings.public(session, listings.renew_listing(session, reader=reader, listing_id=listing_id, days=days),
                           reader=reader)


@router.post("/listings/{listing_id}/expire", response_model=ListingPublic)
def expire_listing(listing_id: RowId, session: DbSession, reader: CurrentReader):
    return listings.public(session, listings.expire_listing(session, reader=reader, listing_id=listing_id),
                           reader=reader)


@router.post("/listings/{listing_id}/review", response_model=ListingPublic)
def review_listing(listing_id: RowId, body: ModerationDecision, session: DbSession, reader: CurrentReader):
    """A steward approves a listing in the moderation queue, or refuses it with a reason."""
    return listings.public(session, moderation.decide(session, reader=reader, listing_id=listing_id,
                                                      approve=body.approve, reason=body.reason), reader=reader)


@router.post("/listings/{listing_id}/reports", response_model=ReportCreated, status_code=201)
def report_listing(listing_id: RowId, body: ReportCreate, session: DbSession, reader: CurrentReader):
    return ReportCreated(id=moderation.report_listing(session, reader=reader, listing_id=listing_id,
                                                      reason=body.reason))


@router.get("/moderation/queue", response_model=list[moderation.QueueItem])
def moderation_queue(session: DbSession, reader: CurrentReader):
    return moderation.moderation_queue(session, reader=reader)


@router.get("/listings/{listing_id}/matches", response_model=MatchReport)
def listing_matches(listing_id: RowId, session: DbSession, reader: CurrentReader,
                    item: int | None = Query(None, ge=0, le=MAX_ID), limit: int = Query(20, ge=1, le=200),
                    explain: int = Query(10, ge=0, le=50),
                    weights: Annotated[str | None, Query(description="e.g. hs:0.5,text:0")] = None,
                    party: Annotated[list[str] | None, Query()] = None,
                    certification: Annotated[list[str] | None, Query()] = None,
                    size: Annotated[list[str] | None, Query()] = None, other_parties_only: bool = False):
    filters = Filters(parties=tuple(p.upper() for p in party or ()), certifications=tuple(certification or ()),
                      sizes=tuple(size or ()), other_parties_only=other_parties_only)
    return find_matches(session, reader=reader, listing_id=listing_id, item=item, weights=parse_weights(weights),
                        filters=filters, limit=limit, explain=explain)


@router.get("/listings/{listing_id}/contacts", response_model=Contacts)
def listing_contacts(listing_id: RowId, session: DbSession, reader: CurrentReader):
    return interest.listing_contacts(session, reader=reader, listing_id=listing_id)


@router.post("/listings/{listing_id}/interest", response_model=interest.InterestPublic, status_code=201)
def express_interest(listing_id: RowId, body: InterestCreate, session: DbSession, reader: CurrentReader):
    row = interest.express_interest(session, reader=reader, listing_id=listing_id,
                                    from_enterprise_id=body.from_enterprise_id, message=body.message,
                                    source_listing_id=body.source_listing_id)
    return interest.public(session, row, reader=reader)


@router.get("/interests", response_model=list[interest.InterestPublic])
def my_interests(session: DbSession, reader: CurrentReader):
    return interest.list_interests(session, reader=reader)


@router.post("/interests/{interest_id}/accept", response_model=interest.InterestPublic)
def accept_interest(interest_id: RowId, session: DbSession, reader: CurrentReader):
    return interest.public(session, interest.accept_interest(session, reader=reader, interest_id=interest_id),
                           reader=reader)


@router.post("/interests/{interest_id}/withdraw", response_model=interest.InterestPublic)
def withdraw_interest(interest_id: RowId, session: DbSession, reader: CurrentReader):
    return interest.public(session, interest.withdraw_interest(session, reader=reader, interest_id=interest_id),
                           reader=reader)


@router.post("/interests/{interest_id}/outcome", response_model=interest.InterestPublic)
def confirm_outcome(interest_id: RowId, body: OutcomeCreate, session: DbSession, reader: CurrentReader):
    """The caller's side confirms a meeting or an agreement; it counts once both sides confirmed."""
    row = outcomes.confirm_outcome(session, reader=reader, interest_id=interest_id, stage=body.stage,
                                   enterprise_id=body.enterprise_id)
    return interest.public(session, row, reader=reader)


@router.get("/interests/{interest_id}/messages", response_model=list[conversation.ThreadMessagePublic])
def thread(interest_id: RowId, session: DbSession, reader: CurrentReader):
    return conversation.list_messages(session, reader=reader, interest_id=interest_id)


@router.post("/interests/{interest_id}/messages", response_model=conversation.ThreadMessagePublic, status_code=201)
def post_message(interest_id: RowId, body: MessageCreate, session: DbSession, reader: CurrentReader):
    return conversation.post_message(session, reader=reader, interest_id=interest_id, text=body.text,
                                     attachment=body.attachment.decoded() if body.attachment else None)


@router.get("/interests/{interest_id}/messages/{message_id}/attachment", response_class=Response,
            responses={200: {"content": {"application/octet-stream": {}}}})
def message_attachment(interest_id: RowId, message_id: RowId, session: DbSession, reader: CurrentReader):
    found = conversation.get_attachment(session, reader=reader, interest_id=interest_id, message_id=message_id)
    return Response(found.data, media_type=found.content_type,
                    headers={"Content-Disposition": f"attachment; filename*=UTF-8''{quote(found.name)}"})


@router.get("/interests/{interest_id}/contacts", response_model=Contacts)
def interest_contacts(interest_id: RowId, session: DbSession, reader: CurrentReader):
    return interest.reveal_contacts(session, reader=reader, interest_id=interest_id)


@router.get("/notifications", response_model=list[alerts.NotificationPublic])
def notifications(session: DbSession, reader: CurrentReader, unread_only: bool = False):
    return alerts.list_notifications(session, reader=reader, unread_only=unread_only)


@router.post("/notifications/{notification_id}/read", response_model=alerts.NotificationPublic)
def read_notification(notification_id: RowId, session: DbSession, reader: CurrentReader):
    return alerts.mark_read(session, reader=reader, notification_id=notification_id)


@router.get("/mail-preferences", response_model=mail.MailPreferences)
def mail_preferences(session: DbSession, reader: CurrentReader):
    return mail.preferences(session, reader=reader)


@router.put("/mail-preferences", response_model=mail.MailPreferences)
def set_mail_preferences(body: MailPreferencesSet, session: DbSession, reader: CurrentReader):
    return mail.set_preferences(session, reader=reader, language=body.language, subscribed=body.subscribed,
                                alerts=body.alerts)


@router.post("/unsubscribe", status_code=204)
def unsubscribe(session: DbSession, token: Annotated[str, Query(max_length=64)]) -> None:
    """The one-click unsubscribe of every exchange e-mail (RFC 8058): the token names the user."""
    mail.unsubscribe(session, token=token)


@router.get("/saved-searches", response_model=list[alerts.SavedSearchPublic])
def saved_searches(session: DbSession, reader: CurrentReader):
    return alerts.list_searches(session, reader=reader)


@router.post("/saved-searches", response_model=alerts.SavedSearchPublic, status_code=201)
def save_search(body: SavedSearchCreate, session: DbSession, reader: CurrentReader):
    return alerts.save_search(session, reader=reader, name=body.name, criteria=body.criteria)


@router.delete("/saved-searches/{search_id}", status_code=204)
def delete_search(search_id: RowId, session: DbSession, reader: CurrentReader) -> None:
    alerts.delete_search(session, reader=reader, search_id=search_id)


@router.get("/funnel", response_model=funnel.FunnelReport)
def outcome_funnel(session: DbSession, by: str = "party"):
    return funnel.funnel(session, by=by)


@router.put("/moderation/{party}", status_code=204)
def set_moderation(party: str, body: ModerationSet, session: DbSession, reader: CurrentReader) -> None:
    listings.set_moderation(session, reader=reader, party=party.upper(), required=body.required, scope=body.scope)
