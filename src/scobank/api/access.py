"""REST endpoints of the access area (thin: parse, call a service, return its public shape)."""

from __future__ import annotations

from datetime import date

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from pydantic import BaseModel

from scobank.access import sessions, tokens, users
from scobank.access.models import User
from scobank.deps import CurrentReader, DbSession, RequireUser, RowId
from scobank.config import get_settings
from scobank.errors import Unauthenticated

router = APIRouter(tags=["access"])


class LoginBody(BaseModel):
    email: str
    password: str


class TokenBody(BaseModel):
    scope: str = "read"
    expires_days: int | None = None
    name: str | None = None


class UserChange(BaseModel):
    role: str | None = None
    active: bool | None = None
    name: str | None = None


class UserBody(BaseModel):
    email: str
    organisation: str | None = None
    role: str = "viewer"
    password: str | None = None
    name: str | None = None


@router.post("/auth/login")
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
            "expires_at": done.expires_at.isoformat() + "Z"}


@router.post("/auth/logout")
def logout(request: Request, response: Response, session: DbSession) -> dict:
    """End the portal session of this cookie (if any) and clear the cookie."""
    sessions.logout(session, request.cookies.get(sessions.COOKIE_NAME))
    response.delete_cookie(sessions.COOKIE_NAME, path="/")
    return {"ok": True}


@router.get("/auth/me")
def me(reader: RequireUser, session: DbSession) -> dict:
    """Who the credentials belong to, with their party's SCO status and the credential's scopes."""
    user = session.get(User, reader.user_id)
    return {**users.public(session, user).to_dict(), "party_status": reader.party_status,
            "scopes": sorted(reader.scopes), "via": reader.via}


@router.get("/tokens")
def list_my_tokens(reader: RequireUser, session: DbSession) -> list[dict]:
    """Your tokens (never their secrets)."""
    return [t.to_dict() for t in tokens.list_tokens(session, user=session.get(User, reader.user_id))]


@router.post("/tokens", status_code=201)
def create_my_token(body: TokenBody, reader: RequireUser, session: DbSession) -> dict:
    """A new token for yourself, no wider than the credential you call with. Shown once."""
    if body.scope not in tokens.SCOPE_LEVELS or not set(tokens.SCOPE_LEVELS[body.scope]) <= set(reader.scopes):
        from scobank.errors import AccessDenied

        raise AccessDenied(f"your credential may not create a {body.scope!r} token")
    new = tokens.create_token(session, user=session.get(User, reader.user_id), scope=body.scope,
                              expires_days=body.expires_days, name=body.name)
    return {"id": new.id, "token": new.token, "scope": new.scope,
            "expires_at": new.expires_at.isoformat() + "Z" if new.expires_at else None}


@router.delete("/tokens/{token_id}")
def revoke_my_token(token_id: RowId, reader: RequireUser, session: DbSession) -> dict:
    """Revoke one of your tokens (someone else's is 404)."""
    owner = None if reader.is_operator else session.get(User, reader.user_id)
    return tokens.revoke_token(session, token_id=token_id, owner=owner).to_dict()


@router.get("/users")
def list_all_users(reader: RequireUser, session: DbSession) -> list[dict]:
    """Every user (platform administrators), or the users of the steward's party."""
    return [u.to_dict() for u in users.list_users(session, party=users.check_may_list(reader))]


@router.post("/users", status_code=201)
def create_a_user(body: UserBody, reader: RequireUser, session: DbSession) -> dict:
    """Add a user (platform administrators; stewards for their party; org admins for their org)."""
    users.check_may_manage(session, reader=reader, organisation=body.organisation, role=body.role)
    user = users.create_user(session, email=body.email, organisation=body.organisation, role=body.role,
                             password=body.password, name=body.name)
    return users.public(session, user).to_dict()


@router.patch("/users/{user_id}")
def change_a_user(user_id: RowId, body: UserChange, reader: RequireUser, session: DbSession) -> dict:
    """Change a user's role, name or active flag (who may: as for adding users); recorded in the ledger."""
    user = users.change_user(session, reader=reader, user=users.user_by_id(session, reader=reader, user_id=user_id), role=body.role,
                             active=body.active, name=body.name)
    return users.public(session, user).to_dict()


@router.get("/ledger")
def ledger_entries(
    reader: CurrentReader, session: DbSession, dataset: str | None = None, actor: str | None = None,
    action: str | None = None, party: str | None = None, since: date | None = None,
    until: date | None = None, limit: Annotated[int, Query(ge=1, le=1000)] = 100, before: int | None = None,
) -> dict:
    """Who used your data, for what, under which agreement (owners; newest first; `before` pages)."""
    from scobank.stewardship.ledger_views import owner_entries

    found = owner_entries(session, reader=reader, dataset=dataset, actor=actor, action=action, party=party,
                          since=since.isoformat() if since else None,
                          until=until.isoformat() if until else None, limit=limit, before_seq=before)
    return {"entries": found, "next_before": found[-1]["seq"] if len(found) == limit else None}


@router.get("/datasets/{slug}/policy")
def get_policy(slug: str, reader: CurrentReader, session: DbSession) -> dict:
    """The policy that applies to a dataset (anyone who may see the dataset may read its terms)."""
    from scobank.stewardship import policies as stewardship

    return stewardship.policy_view(session, reader=reader, slug=slug)


@router.put("/datasets/{slug}/policy")
def put_policy(slug: str, document: dict, reader: RequireUser, session: DbSession) -> dict:
    """Replace a dataset's policy: a new version (the party's steward or a platform administrator)."""
    from scobank.stewardship import policies as stewardship

    return stewardship.set_policy(session, reader=reader, slug=slug, document=document)


@router.get("/datasets/{slug}/policy/history")
def get_policy_history(slug: str, reader: RequireUser, session: DbSession) -> list[dict]:
    """Every version of a dataset's own policy, oldest first (stewards)."""
    from scobank.stewardship import policies as stewardship

    return stewardship.policy_history(session, reader=reader, slug=slug)


class RequestBody(BaseModel):
    dataset: str
    purpose: str
    valid_until: date
    valid_from: date | None = None
    aggregates_only_k: int | None = None
    export: bool = False
    message: str | None = None


class DecisionBody(BaseModel):
    note: str | None = None
    # narrowing only: the terms granted (within the requested ones)
    valid_until: date | None = None
    aggregates_only_k: int | None = None
    export: bool | None = None


class GrantBody(BaseModel):
    dataset: str
    user: str
    purpose: str
    valid_until: date
    valid_from: date | None = None
    aggregates_only_k: int | None = None
    export: bool = False


@router.post("/access-requests", status_code=201)
def file_request(body: RequestBody, reader: RequireUser, session: DbSession) -> dict:
    """Ask the owning steward for access to a dataset for a purpose and a period."""
    from scobank.stewardship import requests

    terms = requests.Terms(body.purpose, body.valid_until, body.valid_from, body.aggregates_only_k, body.export)
    return requests.create_request(session, reader=reader, slug=body.dataset, terms=terms, message=body.message)


@router.get("/access-requests")
def list_access_requests(reader: RequireUser, session: DbSession, status: str | None = None,
                         dataset: str | None = None) -> list[dict]:
    """Your requests; for a steward also those on the party's datasets."""
    from scobank.stewardship import requests

    return requests.list_requests(session, reader=reader, status=status, slug=dataset)


def _decide(request_id: int, decision: str, body: DecisionBody, reader, session) -> dict:
    from scobank.stewardship import requests

    narrowed = None
    if decision == "narrow":
        narrowed = requests.narrowed_terms(session, request_id=request_id, valid_until=body.valid_until,
                                           aggregates_only_k=body.aggregates_only_k, export=body.export)
    return requests.decide(session, reader=reader, request_id=request_id, decision=decision, note=body.note,
                           narrowed=narrowed)


@router.post("/access-requests/{request_id}/approve")
def approve_request(request_id: RowId, reader: RequireUser, session: DbSession,
                    body: DecisionBody | None = None) -> dict:
    """Approve as asked: creates the agreement (owning party's steward)."""
    return _decide(request_id, "approve", body or DecisionBody(), reader, session)


@router.post("/access-requests/{request_id}/narrow")
def narrow_request(request_id: RowId, body: DecisionBody, reader: RequireUser, session: DbSession) -> dict:
    """Approve with narrower terms: shorter, aggregates only, no export (owning party's steward)."""
    return _decide(request_id, "narrow", body, reader, session)


@router.post("/access-requests/{request_id}/refuse")
def refuse_request(request_id: RowId, reader: RequireUser, session: DbSession,
                   body: DecisionBody | None = None) -> dict:
    """Refuse (owning party's steward)."""
    return _decide(request_id, "refuse", body or DecisionBody(), reader, session)


@router.get("/agreements")
def list_agreements(reader: RequireUser, session: DbSession, dataset: str | None = None) -> list[dict]:
    """Agreements you hold, and those on datasets you own."""
    from scobank.stewardship import requests

    return requests.list_agreements(session, reader=reader, slug=dataset)


@router.post("/agreements", status_code=201)
def grant_agreement(body: GrantBody, reader: RequireUser, session: DbSession) -> dict:
    """Grant an agreement directly, without a request (owning party's steward)."""
    from scobank.stewardship import requests

    terms = requests.Terms(body.purpose, body.valid_until, body.valid_from, body.aggregates_only_k, body.export)
    return requests.grant_agreement(session, reader=reader, slug=body.dataset, user_email=body.user, terms=terms)


@router.post("/agreements/{agreement_id}/revoke")
def revoke_agreement(agreement_id: RowId, reader: RequireUser, session: DbSession) -> dict:
    """End an agreement now (its holder, or the owning steward)."""
    from scobank.stewardship import requests

    return requests.revoke_agreement(session, reader=reader, agreement_id=agreement_id)


@router.get("/datasets/{slug}/signature")
def get_signature(slug: str, reader: CurrentReader, session: DbSession, version: int | None = None) -> dict:
    """The publishing party's Ed25519 signature of each version's content hash, with its public key.
    Verify a downloaded Parquet file offline: `scobank verify FILE --signature THIS.json`."""
    from scobank.stewardship.signatures import dataset_signatures

    return dataset_signatures(session, reader=reader, slug=slug, number=version)
