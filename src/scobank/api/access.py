"""REST endpoints of the access area (thin: parse, call a service, return its public shape)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel, Field

from scobank.api.totals import TOTAL_DOC, tell_total
from scobank.access import sessions, tokens, users
from scobank.access.schemas import (
    AccessNoticePublic,
    AccessRequestPublic,
    AgreementPublic,
    DonePublic,
    LedgerPagePublic,
    LoginPublic,
    MePublic,
    NewTokenPublic,
    PolicyVersionPublic,
    PolicyViewPublic,
    SignaturesPublic,
    TokenPublic,
    UserPublic,
)
from scobank.config import get_settings
from scobank.deps import MAX_ID, CurrentReader, DbSession, RequireUser, RowId
from scobank.errors import Unauthenticated

router = APIRouter(tags=["access"])
# A k for "aggregates only, groups of at least k": a count of rows, never beyond what a table holds.
KAnonymity = Annotated[int | None, Field(ge=2, le=1_000_000)]


class LoginBody(BaseModel):
    email: str = Field(max_length=254)
    password: str = Field(max_length=1024)


class TokenBody(BaseModel):
    scope: str = "read"
    expires_days: int | None = Field(None, ge=1, le=3650, description="days of validity; none = no end")
    name: str | None = Field(None, max_length=200)


class UserChange(BaseModel):
    role: str | None = None
    active: bool | None = None
    name: str | None = Field(None, max_length=200)


class UserBody(BaseModel):
    email: str = Field(max_length=254)
    organisation: str | None = None
    role: str = "viewer"
    password: str | None = Field(None, max_length=1024)
    name: str | None = Field(None, max_length=200)


@router.post("/auth/login", response_model=LoginPublic)
def login(body: LoginBody, request: Request, response: Response, session: DbSession) -> dict:
    """Check e-mail and password; set the session cookie; return the user and the CSRF token. Failed
    logins slow down the account from this address, and this address (429 with the wait)."""
    try:
        done = sessions.login(session, email=body.email, password=body.password,
                              address=request.client.host if request.client else None)
    except Unauthenticated:
        session.commit()  # keep the failed attempt (lockout) although the request fails
        raise
    response.set_cookie(sessions.COOKIE_NAME, done.cookie_value,
                        **sessions.cookie_attributes(secure=get_settings().session_cookie_secure))
    return {"ok": True, "user": users.public(session, done.user).to_dict(), "csrf_token": done.csrf_token,
            "expires_at": done.expires_at}


@router.post("/auth/logout", response_model=DonePublic)
def logout(request: Request, response: Response, session: DbSession) -> dict:
    """End the portal session of this cookie (if any) and clear the cookie."""
    sessions.logout(session, request.cookies.get(sessions.COOKIE_NAME))
    response.delete_cookie(sessions.COOKIE_NAME, path="/")
    return {"ok": True}


@router.get("/auth/me", response_model=MePublic)
def me(reader: RequireUser, session: DbSession) -> dict:
    """Who the credentials belong to, with their party's SCO status and the credential's scopes."""
    user = users.find_user(session, reader.email)
    return {**users.public(session, user).to_dict(), "party_status": reader.party_status,
            "scopes": sorted(reader.scopes), "via": reader.via}


@router.get("/tokens", response_model=list[TokenPublic])
def list_my_tokens(reader: RequireUser, session: DbSession) -> list:
    """Your tokens (never their secrets)."""
    return tokens.list_tokens(session, user=users.find_user(session, reader.email))


@router.post("/tokens", status_code=201, response_model=NewTokenPublic)
def create_my_token(body: TokenBody, reader: RequireUser, session: DbSession):
    """A new token for yourself, no wider than the credential you call with. Shown once."""
    return tokens.create_own_token(session, reader=reader, scope=body.scope, expires_days=body.expires_days,
                                   name=body.name)


@router.delete("/tokens/{token_id}", response_model=TokenPublic)
def revoke_my_token(token_id: RowId, reader: RequireUser, session: DbSession):
    """Revoke one of your tokens (someone else's is 404)."""
    return tokens.revoke_own_token(session, reader=reader, token_id=token_id)


@router.get("/users", response_model=list[UserPublic])
def list_all_users(reader: RequireUser, session: DbSession) -> list:
    """Every user (platform administrators), or the users of the steward's party."""
    return users.list_users(session, party=users.check_may_list(reader))


@router.post("/users", status_code=201, response_model=UserPublic)
def create_a_user(body: UserBody, reader: RequireUser, session: DbSession):
    """Add a user (platform administrators; stewards for their party; org admins for their org)."""
    users.check_may_manage(session, reader=reader, organisation=body.organisation, role=body.role)
    user = users.create_user(session, email=body.email, organisation=body.organisation, role=body.role,
                             password=body.password, name=body.name)
    return users.public(session, user)


@router.patch("/users/{user_id}", response_model=UserPublic)
def change_a_user(user_id: RowId, body: UserChange, reader: RequireUser, session: DbSession):
    """Change a user's role, name or active flag (who may: as for adding users); recorded in the ledger."""
    user = users.change_user(session, reader=reader, user=users.user_by_id(session, reader=reader, user_id=user_id),
                             role=body.role, active=body.active, name=body.name)
    return users.public(session, user)


@router.get("/ledger", response_model=LedgerPagePublic, responses=TOTAL_DOC)
def ledger_entries(
    reader: CurrentReader, session: DbSession, response: Response, dataset: str | None = None, actor: str | None = None,
    action: str | None = None, party: str | None = None, since: date | None = None,
    until: date | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100,
    before: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None,
) -> dict:
    """Who used your data, for what, under which agreement (owners; newest first; `before` pages)."""
    from scobank.stewardship.ledger_views import owner_page

    page = owner_page(session, reader=reader, dataset=dataset, actor=actor, action=action, party=party,
                      since=since.isoformat() if since else None,
                      until=until.isoformat() if until else None, limit=limit, before_seq=before)
    tell_total(response, page["total"])
    return page


@router.get("/datasets/{slug}/policy", response_model=PolicyViewPublic)
def get_policy(slug: str, reader: CurrentReader, session: DbSession) -> dict:
    """The policy that applies to a dataset (anyone who may see the dataset may read its terms)."""
    from scobank.stewardship import policies as stewardship

    return stewardship.policy_view(session, reader=reader, slug=slug)


@router.put("/datasets/{slug}/policy", response_model=PolicyViewPublic)
def put_policy(slug: str, document: dict[str, Any], reader: RequireUser, session: DbSession) -> dict:
    """Replace a dataset's policy: a new version (the party's steward or a platform administrator)."""
    from scobank.stewardship import policies as stewardship

    return stewardship.set_policy(session, reader=reader, slug=slug, document=document)


@router.get("/datasets/{slug}/policy/history", response_model=list[PolicyVersionPublic])
def get_policy_history(slug: str, reader: RequireUser, session: DbSession) -> list[dict]:
    """Every version of a dataset's own policy, oldest first (stewards)."""
    from scobank.stewardship import policies as stewardship

    return stewardship.policy_history(session, reader=reader, slug=slug)


class RequestBody(BaseModel):
    dataset: str
    purpose: str = Field(max_length=100)
    valid_until: date
    valid_from: date | None = None
    aggregates_only_k: KAnonymity = None
    export: bool = False
    message: str | None = Field(None, max_length=4000)
    for_organisation: bool = Field(False, description="ask for your whole organisation: the agreement goes to it")


class DecisionBody(BaseModel):
    note: str | None = Field(None, max_length=4000)
    # narrowing only: the terms granted (within the requested ones)
    valid_until: date | None = None
    aggregates_only_k: KAnonymity = None
    export: bool | None = None


class GrantBody(BaseModel):
    dataset: str
    user: str
    purpose: str = Field(max_length=100)
    valid_until: date
    valid_from: date | None = None
    aggregates_only_k: KAnonymity = None
    export: bool = False


@router.post("/access-requests", status_code=201, response_model=AccessRequestPublic)
def file_request(body: RequestBody, reader: RequireUser, session: DbSession) -> dict:
    """Ask the owning steward for access to a dataset for a purpose and a period."""
    from scobank.stewardship import requests

    terms = requests.Terms(body.purpose, body.valid_until, body.valid_from, body.aggregates_only_k, body.export)
    return requests.create_request(session, reader=reader, slug=body.dataset, terms=terms, message=body.message,
                                   for_organisation=body.for_organisation)


@router.get("/access-requests", response_model=list[AccessRequestPublic], responses=TOTAL_DOC)
def list_access_requests(reader: RequireUser, session: DbSession, response: Response, status: str | None = None,
                         dataset: str | None = None) -> list[dict]:
    """Your requests; for a steward also those on the party's datasets (all of them: the total is their
    number)."""
    from scobank.stewardship import requests

    found = requests.list_requests(session, reader=reader, status=status, slug=dataset)
    tell_total(response, len(found))
    return found


def _decide(request_id: int, decision: str, body: DecisionBody, reader, session) -> dict:
    from scobank.stewardship import requests

    narrowed = None
    if decision == "narrow":
        narrowed = requests.narrowed_terms(session, request_id=request_id, valid_until=body.valid_until,
                                           aggregates_only_k=body.aggregates_only_k, export=body.export)
    return requests.decide(session, reader=reader, request_id=request_id, decision=decision, note=body.note,
                           narrowed=narrowed)


@router.post("/access-requests/{request_id}/approve", response_model=AccessRequestPublic)
def approve_request(request_id: RowId, reader: RequireUser, session: DbSession,
                    body: DecisionBody | None = None) -> dict:
    """Approve as asked: creates the agreement (owning party's steward)."""
    return _decide(request_id, "approve", body or DecisionBody(), reader, session)


@router.post("/access-requests/{request_id}/narrow", response_model=AccessRequestPublic)
def narrow_request(request_id: RowId, body: DecisionBody, reader: RequireUser, session: DbSession) -> dict:
    """Approve with narrower terms: shorter, aggregates only, no export (owning party's steward)."""
    return _decide(request_id, "narrow", body, reader, session)


@router.post("/access-requests/{request_id}/refuse", response_model=AccessRequestPublic)
def refuse_request(request_id: RowId, reader: RequireUser, session: DbSession,
                   body: DecisionBody | None = None) -> dict:
    """Refuse (owning party's steward)."""
    return _decide(request_id, "refuse", body or DecisionBody(), reader, session)


@router.get("/access-notices", response_model=list[AccessNoticePublic], responses=TOTAL_DOC)
def list_access_notices(reader: RequireUser, session: DbSession, response: Response,
                        unread_only: bool = False) -> list[dict]:
    """Your notices: new requests on your party's datasets (stewards), decisions on your requests."""
    from scobank.stewardship import notices

    found = notices.list_notices(session, reader=reader, unread_only=unread_only)
    tell_total(response, len(found))
    return found


@router.post("/access-notices/{notice_id}/read", response_model=AccessNoticePublic)
def read_access_notice(notice_id: RowId, reader: RequireUser, session: DbSession) -> dict:
    from scobank.stewardship import notices

    return notices.mark_read(session, reader=reader, notice_id=notice_id)


@router.get("/agreements", response_model=list[AgreementPublic], responses=TOTAL_DOC)
def list_agreements(reader: RequireUser, session: DbSession, response: Response,
                    dataset: str | None = None) -> list[dict]:
    """Agreements you hold, and those on datasets you own."""
    from scobank.stewardship import requests

    found = requests.list_agreements(session, reader=reader, slug=dataset)
    tell_total(response, len(found))
    return found


@router.post("/agreements", status_code=201, response_model=AgreementPublic)
def grant_agreement(body: GrantBody, reader: RequireUser, session: DbSession) -> dict:
    """Grant an agreement directly, without a request (owning party's steward)."""
    from scobank.stewardship import requests

    terms = requests.Terms(body.purpose, body.valid_until, body.valid_from, body.aggregates_only_k, body.export)
    return requests.grant_agreement(session, reader=reader, slug=body.dataset, user_email=body.user, terms=terms)


@router.post("/agreements/{agreement_id}/revoke", response_model=AgreementPublic)
def revoke_agreement(agreement_id: RowId, reader: RequireUser, session: DbSession) -> dict:
    """End an agreement now (its holder, or the owning steward)."""
    from scobank.stewardship import requests

    return requests.revoke_agreement(session, reader=reader, agreement_id=agreement_id)


@router.get("/datasets/{slug}/signature", response_model=SignaturesPublic)
def get_signature(slug: str, reader: CurrentReader, session: DbSession,
                  version: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> dict:
    """The publishing party's Ed25519 signature of each version's content hash, with its public key.
    Verify a downloaded Parquet file offline: `scobank verify FILE --signature THIS.json`."""
    from scobank.stewardship.signatures import dataset_signatures

    return dataset_signatures(session, reader=reader, slug=slug, number=version)
