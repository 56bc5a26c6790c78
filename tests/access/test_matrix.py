"""THE AUTHORIZATION MATRIX: every /api route x every role x every policy kind x with/without agreement.

Readers: anonymous, the owners (kz-stat's viewer, editor, admin, steward; a platform administrator), other
members' and parties' users, and agreement holders: three users holding their own agreement and one
(tr_org) whose organisation holds it. Policies include "owner only, others ask" (`listed`): any logged-in
reader sees its listing (title, publisher, description) and may ask for it, and gets a 403 everywhere else.

The routes come from the application's own route table (`create_app().routes`). RULES must name every
one of them (a route without a rule fails `test_every_api_route_has_a_rule`): add a Rule when you add a
route. A dataset rule says which gate action the route is (metadata, query, export, write, admin, ...);
the expected answer comes from `expected()`, an independent statement of the access rules written out
by hand (it does not call the gate), and is checked against the real HTTP answer:

    allow -> neither 401, 403 nor 404, and no 5xx;   404 -> may not know it exists;   403 -> may know, may not.

Anonymous callers may get 401 where others get 403/404 (and always on routes that need a login).
Every permitted read of rows or files must leave a ledger entry naming the reader and the dataset.
"""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

ROLES = ("anonymous", "kz_viewer", "kz_editor", "kz_admin", "kz_steward", "ru_steward", "mn_viewer",
         "tr_viewer", "tr_org", "platform")
OWNERS = {"kz_viewer", "kz_editor", "kz_admin", "kz_steward", "platform"}  # kz-stat publishes everything
WRITERS = {"kz_editor", "kz_admin", "kz_steward", "platform"}
ADMINS = {"kz_steward", "platform"}
AGREEMENT_HOLDERS = {"ru_steward", "mn_viewer", "tr_viewer", "tr_org"}  # hold one on every "-agr" dataset
ORG_AGREEMENT = {"tr_org": "tr-customs"}  # holds it through its organisation, not as a user
TOMORROW = (date.today() + timedelta(days=1)).isoformat()
UNTIL = (date.today() + timedelta(days=60)).isoformat()

# Policy kinds: the `scobank policy set` arguments, and who is in the audience besides the owners.
POLICIES: dict[str, tuple[list[str], set[str]]] = {
    "public": (["--audience", "public"], set(ROLES)),
    "members": (["--audience", "members"], {"ru_steward"}),
    "parties-member": (["--audience", "parties:RUS"], {"ru_steward"}),
    "parties-observer": (["--audience", "parties:MNG"], {"mn_viewer"}),
    "orgs": (["--audience", "orgs:ru-minprom"], {"ru_steward"}),
    "owner": (["--audience", "owner"], set()),
    "aggregates": (["--audience", "members", "--aggregates-only", "5"], {"ru_steward"}),
    "no-export": (["--audience", "members", "--no-export"], {"ru_steward"}),
    "purposes": (["--audience", "members", "--purposes", "research"], {"ru_steward"}),
    "embargo": (["--audience", "public", "--embargo", TOMORROW], set(ROLES)),
    "listed": (["--audience", "owner", "--listed"], set()),
}
LISTING_ACTIONS = {"listing-metadata", "request"}  # what a listed dataset's listing gives a logged-in reader


def slug_of(policy: str, agreement: bool) -> str:
    return f"m-{policy}{'-agr' if agreement else ''}"


CASES = [(p, a) for p in POLICIES for a in (False, True)]


def visible(role: str, policy: str, agreement: bool) -> bool:
    return role in OWNERS or role in POLICIES[policy][1] or (agreement and role in AGREEMENT_HOLDERS)


def _by_audience(role: str, policy: str, action: str) -> str:
    """What the policy alone gives a non-owner in its audience (no purpose is stated in these calls)."""
    if policy in ("embargo", "purposes"):
        return "403"
    if action in ("query", "metadata"):
        return "allow"
    if action == "diff":  # a diff shows rows
        return "403" if policy == "aggregates" else "allow"
    # export: rows, and the owner and the reader's party must allow bulk export
    if policy in ("aggregates", "no-export"):
        return "403"
    if policy == "public":
        return "allow"
    return "allow" if role == "ru_steward" else "403"  # observers may not export by default


def listed_to(role: str, policy: str, agreement: bool) -> bool:
    """`role` knows the dataset only by its listing (title, publisher, description) and may ask for it."""
    return policy == "listed" and role != "anonymous" and not visible(role, policy, agreement)


def expected(role: str, policy: str, agreement: bool, action: str) -> str:
    """The access rules, written out: "allow", "403" or "404"."""
    if action in LISTING_ACTIONS:
        if role in OWNERS:
            return "allow"  # (asking for their own: a 400 saying they have it, after the gate)
        if listed_to(role, policy, agreement):
            return "allow"
        action = "metadata"
    if listed_to(role, policy, agreement):
        return "403"
    if role in OWNERS:
        if action == "write":
            return "allow" if role in WRITERS else "403"
        if action == "admin":
            return "allow" if role in ADMINS else "403"
        return "allow"
    if not visible(role, policy, agreement):
        return "404"
    if action in ("write", "admin"):
        return "403"
    if action == "metadata":
        return "allow"
    if role in POLICIES[policy][1] and _by_audience(role, policy, action) == "allow":
        return "allow"
    if agreement and role in AGREEMENT_HOLDERS:  # agreements grant rows for statistics, no export
        return "allow" if action in ("query", "diff") else "403"
    return "403"


def expected_ledger(role: str, policy: str, agreement: bool) -> str:
    if role in OWNERS:
        return "allow"
    return "403" if visible(role, policy, agreement) or listed_to(role, policy, agreement) else "404"


def expected_revoke(role: str, policy: str, agreement: bool) -> str:
    """Revoking an agreement held by ru_steward: its holder or the owning steward; others: 404."""
    return "allow" if role in ADMINS or role == "ru_steward" else "404"


@dataclass(frozen=True)
class Rule:
    pattern: str  # regex over "METHOD /path/template", full match
    kind: str
    params: dict = field(default_factory=dict)
    json: Any = None
    upload: bool = False
    login: bool = False  # anonymous always gets 401
    listed: str | None = None  # what a reader who knows the dataset only by its listing gets, if not the rule's


DATASET_KINDS = {"metadata", "listing-metadata", "request", "query", "export", "diff", "write", "admin", "ledger",
                 "revoke", "analytics"}

RULES: list[Rule] = [
    # one dataset: the gate decides
    Rule(r"GET /api/v1/datasets/\{slug\}", "listing-metadata"),
    Rule(r"PATCH /api/v1/datasets/\{slug\}", "write", json={"license": "CC-BY-4.0"}),
    Rule(r"POST /api/v1/datasets/\{slug\}/versions", "write", upload=True),
    Rule(r"POST /api/v1/datasets/\{slug\}/versions/\{number\}/withdraw", "write", json={"reason": "matrix check"}),
    Rule(r"POST /api/v1/datasets/\{slug\}/versions/\{number\}/republish", "write", json={}),
    Rule(r"GET /api/v1/datasets/\{slug\}/versions", "metadata"),
    Rule(r"GET /api/v1/datasets/\{slug\}/versions/\{number\}", "metadata"),
    Rule(r"GET /api/v1/datasets/\{slug\}/diff", "diff", params={"from": 1, "to": 2}),
    Rule(r"GET /api/v1/datasets/\{slug\}/rows", "query", params={"group_by": "region", "agg": "count"}),
    Rule(r"GET /api/v1/datasets/\{slug\}/export", "export", params={"format": "csv"}),
    Rule(r"GET /api/v1/datasets/\{slug\}/datapackage\.json", "metadata"),
    Rule(r"GET /api/v1/datasets/\{slug\}/sdmx/structure", "diff"),  # its codelists list the rows' values
    # SDMX REST: data are an export; a dataflow with its codelists (references=all) shows the rows' values
    Rule(r"GET /api/v1/sdmx/rest/data/\{flow_ref\}(/\{key\}(/\{provider_ref\})?)?", "export"),
    # (a listed dataset is no dataflow: SDMX lists only what one may read, so 404, not the listing's 403)
    Rule(r"GET /api/v1/sdmx/rest/\{structure\}/\{agency_id\}/\{resource_id\}(/\{version\})?", "diff",
         params={"references": "all"}, listed="404"),
    Rule(r"GET /api/v1/datasets/\{slug\}/policy", "metadata"),
    Rule(r"PUT /api/v1/datasets/\{slug\}/policy", "admin", json={"audience": "nobody"}, login=True),
    Rule(r"GET /api/v1/datasets/\{slug\}/policy/history", "admin", login=True),
    Rule(r"GET /api/v1/datasets/\{slug\}/signature", "metadata"),
    Rule(r"GET /api/v1/ledger", "ledger", params={"dataset": "{slug}"}, login=True),
    Rule(r"GET /api/v1/ledger/(checkpoints|consistency)", "open", params={"first": 0}),
    Rule(r"GET /api/v1/ledger/proof", "login-object", params={"seq": 1}),  # only your own entries
    Rule(r"POST /api/v1/access-requests", "request", login=True,
         json={"dataset": "{slug}", "purpose": "research", "valid_until": UNTIL}),
    Rule(r"POST /api/v1/access-requests/\{request_id\}/(approve|narrow|refuse)", "admin", json={}, login=True),
    Rule(r"POST /api/v1/agreements", "admin", login=True,
         json={"dataset": "{slug}", "user": "mn_viewer@example.org", "purpose": "bogus", "valid_until": UNTIL}),
    Rule(r"POST /api/v1/agreements/\{agreement_id\}/revoke", "revoke", login=True),
    # analytics read their input datasets' rows for statistics (these inputs have the wrong shape, so a
    # permitted call ends in the analytics' own 4xx, after the gate)
    Rule(r"GET /api/v1/analytics/(complexity|substitution|opportunities|complementarity|overview|dependency|convert)",
         "analytics", params={"dataset": "{slug}"}),
    Rule(r"GET /api/v1/(analytics|ai)/forecast", "analytics", params={"dataset": "{slug}", "country": "KAZ"}),
    Rule(r"GET /api/v1/analytics/members/\{iso3\}/profile", "open"),
    # mirror data: a source the reader may not read is named in a notice, never a 403
    Rule(r"GET /api/v1/analytics/members/\{iso3\}/mirror", "open"),
    # SQL reads rows like a diff does: never on aggregates-only data
    Rule(r"GET /api/v1/sql", "analytics", params={"q": 'SELECT count(*) FROM "{slug}"'}),
    Rule(r"POST /api/v1/sql", "analytics", json={"sql": 'SELECT count(*) FROM "{slug}"'}),
    # CKAN's Action API: the same gate, CKAN's shapes (at /api/3/action and /api/action, GET and POST)
    Rule(r"(GET|POST) /api(/3)?/action/package_show", "listing-metadata", params={"id": "{slug}"}),
    Rule(r"(GET|POST) /api(/3)?/action/resource_show", "metadata", params={"id": "{slug}--csv"}),
    Rule(r"(GET|POST) /api(/3)?/action/(package_list|package_search)", "listing", params={"rows": 1000}),
    Rule(r"(GET|POST) /api(/3)?/action/(organization_list|status_show)", "open"),
    Rule(r"(GET|POST) /api(/3)?/action/organization_show", "open", params={"id": "kz-stat"}),
    # listings: a dataset one may not see is absent, counts included
    Rule(r"GET /api/v1/datasets", "listing"),
    Rule(r"GET /api/v1/search", "listing", params={"q": "matrixdata", "limit": 100}),
    Rule(r"GET /api/v1/catalog\.jsonld", "listing"),
    Rule(r"GET /api/v1/sdmx/rest/\{structure\}(/\{agency_id\})?", "listing"),  # every dataflow one may see
    Rule(r"GET /api/v1/products/\{classification\}/\{code\}", "listing-subset"),
    Rule(r"GET /api/v1/ai/hs-suggest", "open", params={"text": "steel"}),
    # no dataset involved
    Rule(r"GET /api/v1/health", "open"),
    Rule(r"GET /api/v1/reference/.*", "open"),
    Rule(r"PUT /api/v1/reference/parties/\{party\}", "platform",
         json={"status": "member", "valid_from": "2030-01-01", "source": "matrix test"}),
    Rule(r"GET /api/v1/organisations", "open"),
    Rule(r"GET /api/(openapi\.json|docs|docs/oauth2-redirect|redoc)", "open"),
    Rule(r"POST /api/v1/organisations", "platform", json={"slug": "kz-stat", "party": "KAZ", "names": {"en": "x"}}),
    Rule(r"POST /api/v1/datasets", "org-write",
         json={"slug": "m-created", "organisation": "kz-stat", "title": {"en": "new"}}),
    Rule(r"POST /api/v1/auth/login", "open", json={"email": "kz_viewer@example.org",
                                                   "password": "correct horse battery"}),
    Rule(r"POST /api/v1/auth/logout", "open"),
    Rule(r"GET /api/v1/auth/me|GET /api/v1/tokens|GET /api/v1/(access-requests|access-notices|agreements)", "login"),
    Rule(r"POST /api/v1/access-notices/\{notice_id\}/read", "login-object"),
    Rule(r"POST /api/v1/tokens", "login", json={"scope": "read"}),
    Rule(r"DELETE /api/v1/tokens/\{token_id\}", "login-object"),
    Rule(r"GET /api/v1/users", "list-users"),
    Rule(r"PATCH /api/v1/users/\{user_id\}", "manage-users", json={"role": "viewer"}),  # kz_viewer, unchanged
    Rule(r"POST /api/v1/users", "manage-users", json={"email": "not-an-email", "organisation": "kz-stat",
                                                       "role": "viewer"}),
    # the cooperation exchange holds no dataset; its ownership rules are tested in tests/exchange
    Rule(r"(GET|POST|PUT|PATCH|DELETE) /api/v1/exchange/.*", "exchange"),
]


def api_routes() -> list[tuple[str, str]]:
    """("METHOD", "/path/template") of every route under /api, from the app's route table."""
    from scobank.api.app import create_app

    found = []
    for route in create_app().routes:
        contexts = route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]
        for ctx in contexts:
            path = getattr(ctx, "path_format", None) or getattr(ctx, "path", "")
            if not (path.startswith("/api") or path.startswith("/docs")):
                continue
            for method in sorted((getattr(ctx, "methods", None) or set()) - {"HEAD"}):
                found.append((method, path))
    return found


def rule_for(method: str, path: str) -> Rule | None:
    return next((r for r in RULES if re.fullmatch(r.pattern, f"{method} {path}")), None)


ROUTES = api_routes()


def test_every_api_route_has_a_rule():
    missing = [f"{m} {p}" for m, p in ROUTES if rule_for(m, p) is None]
    assert missing == [], "add a Rule to tests/access/test_matrix.py for: " + ", ".join(missing)


# ----------------------------------------------------------------------------------------------------
# The world: kz-stat (KAZ, member) publishes one dataset per policy kind, twice (with/without agreements)


@dataclass
class World:
    bank: Any
    client: TestClient
    tokens: dict[str, str]
    ids: dict[str, int]  # slug -> dataset id
    requests: dict[str, int]  # slug -> a refused request (deciding again: 409 after the gate)
    agreements: dict[str, int]  # slug -> a revoked agreement held by ru_steward
    users: dict[str, int]  # role -> user id

    def headers(self, role: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[role]}"} if role in self.tokens else {}

    def email(self, role: str) -> str:
        return f"{role}@example.org" if role != "anonymous" else "anonymous"


CSV_V1 = "region,year,tonnes\nAkmola,2022,120\nAlmaty,2022,340\nAtyrau,2022,15\n"
CSV_V2 = CSV_V1 + "Akmola,2023,130\n"


def _build(bank, tmp) -> World:
    from scobank.access import tokens, users
    from scobank.stewardship import requests
    from scobank.access.reader import OPERATOR
    from scobank.access.models import AccessRequest, Agreement
    from scobank.catalog.models import Dataset, Organisation
    from scobank.catalog.schemas import DatasetCreate
    from scobank.catalog.publish import publish_version
    from scobank.db import utcnow

    from .conftest import ensure_parties, make_org

    with bank.session() as s:
        ensure_parties(s)
        for slug, party in (("kz-stat", "KAZ"), ("ru-minprom", "RUS"), ("mn-nso", "MNG"), ("tr-tuik", "TUR"),
                            ("tr-customs", "TUR")):
            make_org(s, slug, party)
    toks: dict[str, str] = {}
    user_ids: dict[str, int] = {}
    with bank.session() as s:
        for role, org, kind in [("kz_viewer", "kz-stat", "viewer"), ("kz_editor", "kz-stat", "editor"),
                                ("kz_admin", "kz-stat", "admin"), ("kz_steward", "kz-stat", "steward"),
                                ("ru_steward", "ru-minprom", "steward"), ("mn_viewer", "mn-nso", "viewer"),
                                ("tr_viewer", "tr-tuik", "viewer"), ("tr_org", "tr-customs", "viewer"),
                                ("platform", None, "platform-admin")]:
            user = users.create_user(s, email=f"{role}@example.org", organisation=org, role=kind,
                                     password="correct horse battery")
            toks[role] = tokens.create_token(s, user=user, scope="admin").token
            user_ids[role] = user.id
    v1, v2 = tmp / "v1.csv", tmp / "v2.csv"
    v1.write_text(CSV_V1)
    v2.write_text(CSV_V2)
    ids, reqs, agrs = {}, {}, {}
    for policy, agreement in CASES:
        slug = slug_of(policy, agreement)
        with bank.session() as s:
            meta = DatasetCreate(slug=slug, organisation="kz-stat", title={"en": f"matrixdata {slug}"})
            publish_version(s, dataset=slug, source=v1, actor=OPERATOR, new_dataset=meta)
            publish_version(s, dataset=slug, source=v2, actor=OPERATOR)
        result = bank.cli("policy", "set", slug, *POLICIES[policy][0])
        assert result.exit_code == 0, result.stderr
        with bank.session() as s:
            ds = s.scalars(select(Dataset).where(Dataset.slug == slug)).one()
            ids[slug] = ds.id
            holder = users.find_user(s, "ru_steward@example.org")
            today = utcnow().date()
            refused = AccessRequest(user_id=holder.id, dataset_id=ds.id, purpose="research", valid_from=today,
                                    valid_until=today + timedelta(days=30), status="refused")
            revoked = Agreement(user_id=holder.id, dataset_id=ds.id, purpose="statistics", valid_from=today,
                                valid_until=today + timedelta(days=30), revoked_at=utcnow())
            s.add_all([refused, revoked])
            s.flush()
            reqs[slug], agrs[slug] = refused.id, revoked.id
            if agreement:
                for role in sorted(AGREEMENT_HOLDERS - set(ORG_AGREEMENT)):
                    requests.grant_agreement(s, reader=OPERATOR, slug=slug, user_email=f"{role}@example.org",
                                             terms=requests.Terms("statistics", today + timedelta(days=30)))
                for org in ORG_AGREEMENT.values():  # as an approved request for an organisation leaves it
                    s.add(Agreement(organisation_id=s.scalar(select(Organisation.id).where(Organisation.slug == org)),
                                    dataset_id=ds.id, purpose="statistics", valid_from=today,
                                    valid_until=today + timedelta(days=30), granted_by="operator"))
    from scobank.api.app import create_app

    return World(bank, TestClient(create_app()), toks, ids, reqs, agrs, user_ids)


@pytest.fixture(scope="module")
def world(_template, tmp_path_factory) -> Iterator[World]:
    """One bank for the whole matrix (built once: ~20 datasets with two versions each)."""
    from tests.conftest import PG_ADMIN_URL, Bank, _configure, _pg_exec

    template_url, template_home = _template
    home = tmp_path_factory.mktemp("matrix") / "home"
    shutil.copytree(template_home, home, ignore=shutil.ignore_patterns("bank.db*"))
    name = None
    if PG_ADMIN_URL:
        name = f"m_{uuid.uuid4().hex[:12]}"
        _pg_exec(f'CREATE DATABASE "{name}" TEMPLATE "{template_url.rsplit("/", 1)[1]}"')
        url = PG_ADMIN_URL.rsplit("/", 1)[0] + f"/{name}"
    else:
        shutil.copyfile(template_home / "bank.db", home / "bank.db")
        url = f"sqlite:///{home / 'bank.db'}"
    mp = pytest.MonkeyPatch()
    _configure(mp, home, url)
    bank = Bank(home=home, url=url)
    built = _build(bank, home.parent)
    yield built
    from scobank.db import reset_engines

    mp.undo()
    reset_engines()
    if name:
        _pg_exec(f'DROP DATABASE IF EXISTS "{name}"')


@pytest.fixture(autouse=True)
def _this_bank(request, monkeypatch):
    """Point settings at the matrix bank again (another module's test may have run in between)."""
    if "world" in request.fixturenames:
        from tests.conftest import _configure

        w = request.getfixturevalue("world")
        _configure(monkeypatch, w.bank.home, w.bank.url)


# ----------------------------------------------------------------------------------------------------
# Calling a route and judging the answer


def _fill(value: Any, slug: str) -> Any:
    if isinstance(value, str):
        return value.replace("{slug}", slug)
    if isinstance(value, dict):
        return {k: _fill(v, slug) for k, v in value.items()}
    return value


def call(w: World, method: str, path: str, rule: Rule, role: str, slug: str | None = None):
    values = {"slug": slug, "number": 1, "token_id": 999_999, "listing_id": 1, "enterprise_id": 1,
              "interest_id": 1, "message_id": 1, "notification_id": 1, "notice_id": 999_999, "search_id": 1, "party": "KAZ", "iso3": "KAZ", "revision": "HS22", "classification": "HS22",
              "code": "01", "user_id": w.users["kz_viewer"], "structure": "dataflow", "agency_id": "SCOBANK",
              "flow_ref": (slug or "").upper().replace("-", "_"), "resource_id": (slug or "").upper().replace("-", "_"),
              "key": "all", "provider_ref": "all", "version": "latest", "request_id": w.requests.get(slug or ""), "agreement_id": w.agreements.get(slug or "")}
    url = re.sub(r"\{(\w+)\}", lambda m: str(values[m.group(1)]), path)
    kwargs: dict[str, Any] = {"headers": w.headers(role), "params": _fill(rule.params, slug or "")}
    if rule.json is not None:
        kwargs["json"] = _fill(rule.json, slug or "")
    elif rule.upload:
        kwargs["files"] = {"file": ("empty.csv", b"", "text/csv")}
    elif method in ("POST", "PUT", "PATCH"):
        kwargs["json"] = {}
    w.client.cookies.clear()
    answer = w.client.request(method, url, **kwargs)
    w.client.cookies.clear()
    return answer


def judge(status: int, want: str, role: str, login: bool) -> bool:
    if status >= 500:
        return False
    if role == "anonymous" and login:
        return status == 401
    if want == "allow":
        return status not in (401, 403, 404)
    if role == "anonymous":
        return status in (401, int(want))
    return status == int(want)


def _last_seq(w: World) -> int:
    from scobank.access.models import LedgerEntry

    with w.bank.session() as s:
        return s.scalar(select(func.max(LedgerEntry.seq))) or 0


def _read_recorded(w: World, after: int, role: str, slug: str, action: str) -> bool:
    from scobank.access.models import LedgerEntry

    with w.bank.session() as s:
        return s.scalar(select(func.count(LedgerEntry.seq)).where(
            LedgerEntry.seq > after, LedgerEntry.dataset_id == w.ids[slug], LedgerEntry.action == action,
            LedgerEntry.actor == w.email(role))) > 0


LEDGERED = ("query", "export")  # a read of rows: permitted or refused, it is in the ledger
DATASET_ROUTES = [(m, p) for m, p in ROUTES if (r := rule_for(m, p)) is not None and r.kind in DATASET_KINDS]
OTHER_ROUTES = [(m, p) for m, p in ROUTES if (r := rule_for(m, p)) is not None and r.kind not in DATASET_KINDS]


@pytest.mark.slow
@pytest.mark.parametrize(("method", "path"), DATASET_ROUTES, ids=[f"{m} {p}" for m, p in DATASET_ROUTES])
def test_dataset_route_follows_the_rules_for_every_role_policy_and_agreement(world, method, path):
    rule = rule_for(method, path)
    wrong = []
    for policy, agreement in CASES:
        slug = slug_of(policy, agreement)
        for role in ROLES:
            if rule.kind == "ledger":
                want = expected_ledger(role, policy, agreement)
            elif rule.kind == "revoke":
                want = expected_revoke(role, policy, agreement)
            elif rule.kind == "analytics":  # rows for statistics: like a diff
                want = expected(role, policy, agreement, "diff")
            else:
                want = expected(role, policy, agreement, rule.kind)
            if rule.listed and listed_to(role, policy, agreement):
                want = rule.listed
            before = _last_seq(world) if rule.kind in LEDGERED else 0
            answer = call(world, method, path, rule, role, slug)
            if not judge(answer.status_code, want, role, rule.login):
                wrong.append(f"{role} on {slug}: want {want}, got {answer.status_code} {answer.text[:120]}")
            elif want == "allow" and rule.kind in ("query", "export") and not _read_recorded(
                    world, before, role, slug, rule.kind):
                wrong.append(f"{role} on {slug}: permitted {rule.kind} left no ledger entry")
            elif want != "allow" and rule.kind in LEDGERED and not _read_recorded(world, before, role, slug, "refused"):
                wrong.append(f"{role} on {slug}: refused {rule.kind} ({answer.status_code}) left no ledger entry")
    assert wrong == [], f"{method} {path}:\n" + "\n".join(wrong)


def _slugs_in(answer) -> set[str]:
    text = answer.text
    return {slug_of(p, a) for p, a in CASES if mentions(text, slug_of(p, a))}


def mentions(text: str, slug: str) -> bool:
    """`slug` appears as itself (m-owner, not as the start of m-owner-agr)."""
    return re.search(rf"(?<![\w-]){re.escape(slug)}(?![\w-])", text) is not None


@pytest.mark.parametrize(("method", "path"), OTHER_ROUTES, ids=[f"{m} {p}" for m, p in OTHER_ROUTES])
def test_other_route_follows_its_rule_for_every_role(world, method, path):
    rule = rule_for(method, path)
    wrong = []
    for role in ROLES:
        answer = call(world, method, path, rule, role)
        status = answer.status_code
        ok = status < 500
        if rule.kind == "listing":
            want = {slug_of(p, a) for p, a in CASES if visible(role, p, a)}
            got = _slugs_in(answer)
            if path == "/api/v1/search" and status == 200:  # the listings one may ask for come apart
                body = answer.json()
                got = {s for s in got if mentions(json.dumps({k: v for k, v in body.items() if k != "listed"}), s)}
                asks = {r["id"] for r in body["listed"]}
                ok = ok and asks == {slug_of(p, a) for p, a in CASES if listed_to(role, p, a)}
                ok = ok and all(set(r["details"]) == {"listed_only", "organisation", "party", "description",
                                                      "request_url"} for r in body["listed"])
            if path == "/api/v1/datasets" and status == 200:  # also the listings one may ask for, marked so
                asks = {slug_of(p, a) for p, a in CASES if listed_to(role, p, a)}
                ok = ok and all(d["listed_only"] == (d["slug"] in asks) for d in answer.json() if d["slug"] in got)
                want = want | asks
            ok = ok and status == 200 and got == want
            if ok and path == "/api/v1/search":
                ok = answer.json()["total"] == len(want)
        elif rule.kind == "listing-subset":  # what it finds may be partial, but never more than visible
            got = _slugs_in(answer)
            ok = ok and status == 200 and got <= {slug_of(p, a) for p, a in CASES if visible(role, p, a)}
        elif rule.kind == "open":
            ok = ok and status not in (401, 403)
        elif rule.kind == "login":
            ok = ok and (status == 401 if role == "anonymous" else status not in (401, 403, 404))
        elif rule.kind == "login-object":
            ok = ok and (status == 401 if role == "anonymous" else status != 401)
        elif rule.kind == "platform":
            ok = ok and (status not in (401, 403, 404) if role == "platform" else status in (401, 403))
        elif rule.kind == "list-users":  # stewards see their own party's users
            allowed = role in ("platform", "kz_steward", "ru_steward")
            ok = ok and (status == 200 if allowed else status in (401, 403))
            if ok and role == "ru_steward":
                ok = {u["party"] for u in answer.json()} == {"RUS"}
        elif rule.kind == "manage-users":
            allowed = role in ("platform", "kz_steward", "kz_admin")
            ok = ok and (status not in (401, 403, 404) if allowed else status in (401, 403))
        elif rule.kind == "org-write":
            ok = ok and (status not in (401, 403, 404) if role in WRITERS else status in (401, 403, 404))
        elif rule.kind == "exchange" and role == "anonymous" and method in ("POST", "PUT", "PATCH", "DELETE"):
            ok = ok and status in (401, 403, 404, 422)  # never a success: 404 "no such listing" reveals nothing
        if not ok:
            wrong.append(f"{role}: got {status} {answer.text[:160]}")
    assert wrong == [], f"{method} {path} ({rule.kind}):\n" + "\n".join(wrong)


def _get_routes_with_slug() -> list[str]:
    from scobank.api.app import create_app

    found = []
    for route in create_app().routes:
        for ctx in (route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]):
            path = getattr(ctx, "path_format", None) or getattr(ctx, "path", "")
            if "GET" in (getattr(ctx, "methods", None) or set()) and "{slug}" in path:
                found.append(path)
    return found


def test_a_steward_of_another_member_cannot_read_an_owner_only_dataset_by_any_route(world):
    """Every GET route with a {slug} (API and portal pages), and every listing, as RUS's steward
    (token, then the portal's cookie): the owner-only dataset stays unknown."""
    slug = slug_of("owner", False)
    pages = _get_routes_with_slug()
    assert len(pages) >= 10
    login = world.client.post("/api/v1/auth/login", json={"email": "ru_steward@example.org",
                                                          "password": "correct horse battery"})
    cookie = login.cookies.get("scobank_session")
    leaks = []
    for path in pages:
        url = path.replace("{slug}", slug).replace("{number}", "1")
        rule = rule_for("GET", path)  # an API route's own parameters: an unknown one would be a 422
        params = {k: str(v).replace("{slug}", slug) for k, v in rule.params.items()} if rule else {"from": 1, "to": 2}
        for how in ("token", "cookie"):
            world.client.cookies.clear()
            if how == "cookie":
                world.client.cookies.set("scobank_session", cookie)
            answer = world.client.get(url, params=params,
                                      headers=world.headers("ru_steward") if how == "token" else {})
            if answer.status_code != 404 or mentions(answer.text, f"matrixdata {slug}"):
                leaks.append(f"{url} ({how}): {answer.status_code}")
    for url in ("/api/v1/datasets", "/api/v1/search?q=matrixdata", "/api/v1/catalog.jsonld", "/datasets",
                "/datasets?q=matrixdata", "/"):
        for how in ("token", "cookie"):
            world.client.cookies.clear()
            if how == "cookie":
                world.client.cookies.set("scobank_session", cookie)
            answer = world.client.get(url, headers=world.headers("ru_steward") if how == "token" else {})
            if mentions(answer.text, f"matrixdata {slug}") or mentions(answer.text, slug):
                leaks.append(f"{url} ({how}) lists it")
    world.client.cookies.clear()
    assert leaks == []


LISTING_PAGES = {"/api/v1/datasets/{slug}", "/datasets/{slug}", "/datasets/{slug}/request-access"}


@pytest.mark.parametrize("how", ["token", "cookie"])
def test_a_listed_dataset_shows_its_listing_and_never_its_data_on_any_route(world, how):
    """Every GET route with a {slug} (API and portal pages) as RUS's steward: the listed owner-only
    dataset answers its listing on the listing routes and a 403 naming the way to ask on every other;
    no answer holds a row, a version or its policy."""
    slug = slug_of("listed", False)
    pages = _get_routes_with_slug()
    login = world.client.post("/api/v1/auth/login", json={"email": "ru_steward@example.org",
                                                          "password": "correct horse battery"})
    cookie = login.cookies.get("scobank_session")
    wrong = []
    for path in pages:
        url = path.replace("{slug}", slug).replace("{number}", "1")
        rule = rule_for("GET", path)
        params = {k: str(v).replace("{slug}", slug) for k, v in rule.params.items()} if rule else {"from": 1, "to": 2}
        world.client.cookies.clear()
        if how == "cookie":
            world.client.cookies.set("scobank_session", cookie)
        answer = world.client.get(url, params=params, headers=world.headers("ru_steward") if how == "token" else {})
        want = 200 if path in LISTING_PAGES else 403
        rows = [v for v in ("Akmola", "Almaty", "Atyrau", "tonnes") if v in answer.text]
        if answer.status_code != want or rows:
            wrong.append(f"{url}: {answer.status_code} (want {want}){' shows ' + ', '.join(rows) if rows else ''}")
        elif path in LISTING_PAGES and f"matrixdata {slug}" not in answer.text:
            wrong.append(f"{url}: the listing lacks its title")
    world.client.cookies.clear()
    assert wrong == []


def test_the_matrix_rules_agree_with_the_ledger_of_reads(world):
    """A permitted read through the API leaves exactly the entry an owner sees in GET /ledger."""
    slug = slug_of("members", False)
    rows = world.client.get(f"/api/v1/datasets/{slug}/rows", headers=world.headers("ru_steward"))
    assert rows.status_code == 200
    seen = world.client.get("/api/v1/ledger", params={"dataset": slug, "action": "query", "limit": 1},
                            headers=world.headers("kz_steward")).json()["entries"][0]
    assert (seen["actor"], seen["party"], seen["dataset"], seen["rows"]) == (
        "ru_steward@example.org", "RUS", slug, len(rows.json()["rows"]))
    assert json.loads(json.dumps(seen))["hash"]


def test_the_cli_gives_a_listed_datasets_listing_and_refuses_its_data_with_a_ledger_entry(world):
    """The CLI surface with --as: RUS's steward sees the listing of the listed owner-only dataset, and
    each read of its data (query, export, SQL, data package) is refused (exit 4) and lands in the ledger."""
    slug = slug_of("listed", False)
    who = ("--as", "ru_steward@example.org")
    shown = world.bank.cli(*who, "datasets", "list", "--listed", "--json")
    assert shown.exit_code == 0, shown.stderr
    [listing] = [d for d in json.loads(shown.stdout) if d["slug"] == slug]
    assert (listing["listed_only"], listing["latest_version"], listing["title"]) == (True, None, {"en": f"matrixdata {slug}"})
    wrong = []
    for args in (("query", slug), ("export", slug, "--format", "csv"), ("sql", 'SELECT count(*) FROM "m-listed"'),
                 ("datapackage", slug, "--output", str(world.bank.home / "dp"))):
        before = _last_seq(world)
        result = world.bank.cli(*who, *args)
        if result.exit_code != 4 or "Akmola" in result.stdout or "Traceback" in result.stderr:
            wrong.append(f"{args[0]}: exit {result.exit_code} {result.stdout[:80]} {result.stderr[:120]}")
        elif not _read_recorded(world, before, "ru_steward", slug, "refused"):
            wrong.append(f"{args[0]}: refused without a ledger entry")
    assert wrong == []
