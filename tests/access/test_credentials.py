"""Users, API tokens, portal logins: what works, what stops working, and what a failure reveals."""

from __future__ import annotations

import json
from datetime import timedelta

from sqlalchemy import select, update

from scobank.access import sessions
from scobank.access.models import ApiToken, User


def test_users_create_and_tokens_create_print_a_token_that_the_api_accepts(bank, world, client):
    created = bank.cli("users", "create", "Aigerim@Example.org", "--org", "kz-stat", "--role", "editor",
                       "--password-stdin", input="a long passphrase\n")
    assert created.exit_code == 0, created.stderr
    made = bank.cli("tokens", "create", "aigerim@example.org", "--scope", "write", "--expires", "30", "--json")
    assert made.exit_code == 0, made.stderr
    token = json.loads(made.stdout)
    assert set(token) >= {"id", "token"} and token["token"].startswith("scb_")
    me = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {token['token']}"})
    assert me.status_code == 200
    body = me.json()
    assert (body["email"], body["organisation"], body["party"], body["role"], body["party_status"]) == (
        "aigerim@example.org", "kz-stat", "KAZ", "editor", "member")
    assert body["scopes"] == ["read", "write"]


def test_only_the_tokens_hash_is_stored(bank, world):
    secret = world.tokens["kz_viewer"]
    with bank.session() as s:
        stored = s.scalars(select(ApiToken.token_hash)).all()
    assert secret not in stored
    import hashlib

    assert hashlib.sha256(secret.encode()).hexdigest() in stored


def test_a_duplicate_user_is_a_conflict_and_an_unknown_org_is_named(bank, world):
    again = bank.cli("users", "create", world.emails["kz_viewer"], "--org", "kz-stat", "--role", "viewer")
    assert again.exit_code == 7 and "already exists" in again.stderr
    nowhere = bank.cli("users", "create", "x@example.org", "--org", "no-such-org", "--role", "viewer")
    assert nowhere.exit_code == 3 and "no-such-org" in nowhere.stderr


def test_bad_expired_and_revoked_tokens_get_the_same_401(bank, world, client):
    good = world.headers("kz_viewer")
    assert client.get("/api/v1/auth/me", headers=good).status_code == 200
    with bank.session() as s:
        tok = s.scalars(select(ApiToken).where(ApiToken.user_id == s.scalars(
            select(User.id).where(User.email == world.emails["kz_viewer"])).one())).one()
        tok.expires_at = tok.created_at - timedelta(seconds=1)
    expired = client.get("/api/v1/auth/me", headers=good)
    revoked_id = json.loads(bank.cli("tokens", "create", world.emails["kz_admin"], "--json").stdout)
    assert bank.cli("tokens", "revoke", str(revoked_id["id"])).exit_code == 0
    revoked = client.get("/api/v1/auth/me", headers={"Authorization": f"Bearer {revoked_id['token']}"})
    bad = client.get("/api/v1/auth/me", headers={"Authorization": "Bearer scb_not-a-token"})
    for response in (expired, revoked, bad):
        assert response.status_code == 401
        assert response.json()["message"] == "invalid, expired or revoked credentials"


def test_a_deactivated_users_tokens_stop_working(bank, world, client):
    assert bank.cli("users", "deactivate", world.emails["ru_viewer"]).exit_code == 0
    assert client.get("/api/v1/auth/me", headers=world.headers("ru_viewer")).status_code == 401


def test_no_credentials_on_a_route_that_needs_them_is_401(client, world):
    assert client.get("/api/v1/tokens").status_code == 401
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_user_manages_only_their_own_tokens(bank, world, client):
    mine = client.post("/api/v1/tokens", json={"scope": "read", "name": "laptop"},
                       headers=world.headers("kz_viewer"))
    assert mine.status_code == 201
    listed = client.get("/api/v1/tokens", headers=world.headers("kz_viewer")).json()
    assert {t["name"] for t in listed} == {None, "laptop"} and all("token" not in t for t in listed)
    other = client.delete(f"/api/v1/tokens/{mine.json()['id']}", headers=world.headers("ru_viewer"))
    assert other.status_code == 404
    assert client.delete(f"/api/v1/tokens/{mine.json()['id']}", headers=world.headers("kz_viewer")).status_code == 200
    stolen = bank.cli("--as", world.emails["ru_viewer"], "tokens", "create", world.emails["kz_viewer"])
    assert stolen.exit_code == 4


def test_a_read_token_cannot_mint_a_write_token(client, bank, world):
    read = json.loads(bank.cli("tokens", "create", world.emails["kz_editor"], "--scope", "read", "--json").stdout)
    answer = client.post("/api/v1/tokens", json={"scope": "write"},
                         headers={"Authorization": f"Bearer {read['token']}"})
    assert answer.status_code == 403


def test_login_sets_a_signed_httponly_cookie_and_logout_ends_it(client, world):
    answer = client.post("/api/v1/auth/login", json={"email": world.emails["kz_steward"],
                                                     "password": "correct horse battery"})
    assert answer.status_code == 200
    cookie = answer.headers["set-cookie"]
    assert cookie.startswith(f"{sessions.COOKIE_NAME}=") and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/api/v1/auth/me").json()["via"] == "cookie"
    csrf = answer.json()["csrf_token"]
    assert client.post("/api/v1/auth/logout", headers={sessions.CSRF_HEADER: csrf}).status_code == 200
    value = cookie.split(";")[0].split("=", 1)[1]
    client.cookies.set(sessions.COOKIE_NAME, value)
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_forged_cookie_is_401(client, world):
    client.cookies.set(sessions.COOKIE_NAME, "abc.def")
    assert client.get("/api/v1/auth/me").status_code == 401


def test_a_wrong_password_and_an_unknown_email_get_the_same_answer(client, world):
    wrong = client.post("/api/v1/auth/login", json={"email": world.emails["kz_viewer"], "password": "nope-nope"})
    unknown = client.post("/api/v1/auth/login", json={"email": "ghost@example.org", "password": "nope-nope"})
    assert wrong.status_code == unknown.status_code == 401
    assert wrong.json() == unknown.json()


def test_five_failed_logins_lock_the_account_even_for_the_right_password(client, world):
    email = world.emails["kz_viewer"]
    for _ in range(sessions.LOCK_AFTER):
        assert client.post("/api/v1/auth/login", json={"email": email, "password": "wrong-guess"}).status_code == 401
    locked = client.post("/api/v1/auth/login", json={"email": email, "password": "correct horse battery"})
    assert locked.status_code == 429
    assert client.post("/api/v1/auth/login", json={"email": world.emails["kz_admin"],
                                                   "password": "correct horse battery"}).status_code == 200


def test_a_change_made_with_the_cookie_needs_the_csrf_token(client, world):
    answer = client.post("/api/v1/auth/login", json={"email": world.emails["kz_viewer"],
                                                     "password": "correct horse battery"})
    csrf = answer.json()["csrf_token"]
    assert client.post("/api/v1/tokens", json={"scope": "read"}).status_code == 403
    assert client.post("/api/v1/tokens", json={"scope": "read"}, headers={sessions.CSRF_HEADER: "x"}).status_code == 403
    assert client.post("/api/v1/tokens", json={"scope": "read"}, headers={sessions.CSRF_HEADER: csrf}).status_code == 201


def test_csrf_tokens_belong_to_one_session(bank, world):
    with bank.session() as s:
        user = s.scalars(select(User).where(User.email == world.emails["kz_viewer"])).one()
        one, two = sessions.start_session(s, user=user), sessions.start_session(s, user=user)
    assert sessions.check_csrf(one.cookie_value, one.csrf_token)
    assert not sessions.check_csrf(two.cookie_value, one.csrf_token)
    assert not sessions.check_csrf(None, one.csrf_token)


def test_the_cli_acts_as_a_user_with_as(bank, world):
    listed = bank.cli("--as", world.emails["kz_viewer"], "users", "list")
    assert listed.exit_code == 4
    assert bank.cli("--as", world.emails["kz_steward"], "users", "list", "--json").exit_code == 0
    nobody = bank.cli("--as", "nobody@example.org", "users", "list")
    assert nobody.exit_code == 3


def test_passwords_are_argon2_hashes(bank, world):
    with bank.session() as s:
        stored = s.scalars(select(User.password_hash).where(User.email == world.emails["kz_viewer"])).one()
        s.execute(update(User).where(User.id < 0).values(name="-"))
    assert stored.startswith("$argon2id$") and "correct horse" not in stored


def test_a_steward_changes_a_role_in_their_party_and_the_ledger_says_who_did_it(bank, world, client):
    from scobank.access.models import LedgerEntry

    with bank.session() as s:
        editor_id = s.scalars(select(User.id).where(User.email == world.emails["kz_editor"])).one()
    changed = client.patch(f"/api/v1/users/{editor_id}", json={"role": "admin", "name": "Dana"},
                           headers=world.headers("kz_steward"))
    assert changed.status_code == 200, changed.text
    assert (changed.json()["role"], changed.json()["name"]) == ("admin", "Dana")
    me = client.get("/api/v1/auth/me", headers=world.headers("kz_editor")).json()
    assert me["role"] == "admin"  # the next request already acts with the new role
    with bank.session() as s:
        entry = s.scalars(select(LedgerEntry).where(LedgerEntry.action == "user-change")).one()
        assert entry.actor == world.emails["kz_steward"]
        assert json.loads(entry.detail) == {"user": world.emails["kz_editor"], "organisation": "kz-stat",
                                            "role": "admin", "name": "Dana"}


def test_who_may_change_a_user_and_who_may_not(bank, world, client):
    with bank.session() as s:
        ids = dict(s.execute(select(User.email, User.id)).all())
    viewer, admin = ids[world.emails["kz_viewer"]], ids[world.emails["kz_admin"]]
    cases = [  # (caller, target, body, status)
        ("kz_admin", viewer, {"role": "editor"}, 200),  # an org admin: its viewers and editors
        ("kz_admin", viewer, {"role": "steward"}, 403),  # ... but cannot make a steward
        ("kz_editor", viewer, {"role": "editor"}, 403),
        ("ru_steward", viewer, {"active": False}, 403),  # another party's steward
        ("kz_steward", admin, {"role": "bogus"}, 400),
        ("kz_steward", ids[world.emails["kz_steward"]], {"role": "viewer"}, 403),  # not oneself
        ("kz_steward", 999_999, {"active": False}, 403),  # an unknown id is not revealed
        ("platform", 999_999, {"active": False}, 404),
    ]
    got = [(who, target, body, client.patch(f"/api/v1/users/{target}", json=body,
                                            headers=world.headers(who)).status_code)
           for who, target, body, _ in cases]
    assert got == cases


def test_users_set_from_the_cli_deactivates_and_reactivates(bank, world, client):
    off = bank.cli("--as", world.emails["kz_steward"], "users", "set", world.emails["kz_viewer"], "--inactive")
    assert off.exit_code == 0, off.stderr
    assert "deactivated" in off.stdout
    assert client.get("/api/v1/auth/me", headers=world.headers("kz_viewer")).status_code == 401
    on = bank.cli("users", "set", world.emails["kz_viewer"], "--active", "--json")
    assert on.exit_code == 0 and json.loads(on.stdout)["active"] is True
    assert client.get("/api/v1/auth/me", headers=world.headers("kz_viewer")).status_code == 200
    denied = bank.cli("--as", world.emails["ru_steward"], "users", "set", world.emails["kz_viewer"], "--role", "admin")
    assert denied.exit_code != 0 and "may not manage" in denied.stderr


def test_a_steward_lists_only_their_partys_users(world, client):
    listed = client.get("/api/v1/users", headers=world.headers("ru_steward"))
    assert listed.status_code == 200
    assert sorted(u["email"] for u in listed.json()) == sorted([world.emails["ru_steward"], world.emails["ru_viewer"]])
    assert client.get("/api/v1/users", headers=world.headers("kz_admin")).status_code == 403
    assert len(client.get("/api/v1/users", headers=world.headers("platform")).json()) == 9


def test_a_stranger_guessing_cannot_lock_the_owner_out_and_waits_longer_each_time(bank, world, client):
    from fastapi.testclient import TestClient

    from scobank.api.app import create_app

    email = world.emails["kz_steward"]
    with TestClient(create_app(), client=("203.0.113.9", 5000)) as stranger:
        for _ in range(sessions.LOCK_AFTER):
            assert stranger.post("/api/v1/auth/login", json={"email": email, "password": "guess"}).status_code == 401
        first = stranger.post("/api/v1/auth/login", json={"email": email, "password": "guess"})
    owner = client.post("/api/v1/auth/login", json={"email": email, "password": "correct horse battery"})
    assert owner.status_code == 200, owner.text  # from the owner's own address: not slowed at all
    assert first.status_code == 429 and "try again in" in first.json()["message"]  # the stranger waits
    with bank.session() as s:
        row = s.get(sessions.LoginFailure, f"{email} from 203.0.113.9")
        waits = row.locked_until - row.window_start
        sessions.record_failure(s, email, "203.0.113.9")  # one more failure after the wait doubles it
        assert s.get(sessions.LoginFailure, f"{email} from 203.0.113.9").locked_until - row.window_start > waits
