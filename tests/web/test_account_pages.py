"""Logging in and out through the portal, and the account page (tokens, language)."""

from __future__ import annotations

import re

import pytest

from scobank.access.reader import OPERATOR
from tests.web.forms import csrf_of, log_in


@pytest.fixture
def steward(bank):
    from scobank.access.users import create_user
    from scobank.catalog.organisations import create_organisation
    from scobank.catalog.schemas import OrganisationCreate

    with bank.session() as session:
        create_organisation(session, data=OrganisationCreate(
            slug="kazstat", party="KAZ", names={"en": "Bureau of National Statistics"}), actor=OPERATOR)
        create_user(session, email="steward@stat.kz", organisation="kazstat", role="steward",
                    password="correct horse battery")
    return "steward@stat.kz"


def test_a_steward_logs_in_and_is_sent_back_where_they_were(client, steward):
    answer = log_in(client, steward, "correct horse battery", next_="/account")
    assert answer.status_code == 303 and answer.headers["location"] == "/account"
    account = client.get("/account?lang=ru").text
    assert "steward@stat.kz" in account and "kazstat" in account
    assert "Выйти" in account  # the menu now offers to log out


def test_a_wrong_password_shows_the_form_again_with_the_reason(client, steward):
    answer = log_in(client, steward, "wrong")
    assert answer.status_code == 200
    assert "The e-mail or the password is not right." in answer.text
    assert client.get("/account", follow_redirects=False).headers["location"] == "/login?next=/account"


def test_a_login_form_without_its_csrf_token_is_refused(client, steward):
    client.get("/login")
    answer = client.post("/login", data={"email": steward, "password": "correct horse battery",
                                         "csrf_token": "forged"}, follow_redirects=False)
    assert answer.status_code == 403
    assert "scobank_session" not in answer.cookies


def test_an_api_token_made_on_the_account_page_is_shown_once_and_works(client, steward):
    log_in(client, steward, "correct horse battery")
    page = client.post("/account/tokens", data={"name": "scripts", "scope": "read",
                                                "csrf_token": csrf_of(client.get("/account").text)})
    token = re.search(r'<code id="new-token">([^<]+)</code>', page.text).group(1)
    client.cookies.clear()
    me = client.get("/api/v1/auth/me", headers={"authorization": f"Bearer {token}"})
    assert me.status_code == 200 and me.json()["email"] == steward


def test_logging_out_ends_the_session(client, steward):
    log_in(client, steward, "correct horse battery")
    client.post("/logout", data={"csrf_token": csrf_of(client.get("/account").text)})
    assert client.get("/account", follow_redirects=False).status_code == 303
