"""Access requests by e-mail (issue 17, item 11): a new request is mailed to each steward of the owning
party, a decision (with the steward's reason) to the requester, each in their own mail language, through
a real SMTP server (aiosmtpd on 127.0.0.1) read back here; a recipient who unsubscribed from access-request
mail gets the in-app notice only, and keeps the exchange's mail."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.access.conftest import publish
from tests.smtp_server import smtp_server  # noqa: F401 - the real SMTP server this module reads back

pytestmark = pytest.mark.db
UNTIL = (date.today() + timedelta(days=90)).isoformat()


def _listed_secret(bank, tmp_path) -> None:
    publish(bank, tmp_path, "kz-secret", "kz-stat")
    result = bank.cli("policy", "set", "kz-secret", "--audience", "owner", "--listed")
    assert result.exit_code == 0, result.stderr


def _language(client, world, nick: str, lang: str) -> None:
    answer = client.put("/api/v1/exchange/mail-preferences", json={"language": lang}, headers=world.headers(nick))
    assert answer.status_code == 200 and answer.json()["language"] == lang


def _ask(client, world, nick: str, message: str | None = None) -> int:
    body = {"dataset": "kz-secret", "purpose": "research", "valid_until": UNTIL, "message": message}
    asked = client.post("/api/v1/access-requests", json=body, headers=world.headers(nick))
    assert asked.status_code == 201, asked.text
    return asked.json()["id"]


def _deliver(bank) -> tuple[int, int, int]:
    from scobank.mail.outbox import deliver_outbox

    with bank.session() as s:
        report = deliver_outbox(s)
    return report.sent, report.failed, report.unsubscribed


def test_stewards_hear_of_a_request_and_the_requester_of_the_refusal_each_in_their_language(
        bank, world, client, tmp_path, smtp_server):  # noqa: F811
    _listed_secret(bank, tmp_path)
    world.add_user("kz_steward2", "kz-stat", "steward")
    _language(client, world, "kz_steward", "ru")
    _language(client, world, "kz_steward2", "zh")
    _language(client, world, "ru_viewer", "ru")
    request_id = _ask(client, world, "ru_viewer", message="regional steel study")
    assert _deliver(bank) == (2, 0, 0)  # the two KAZ stewards; not RUS's steward, not the requester
    ru, zh = smtp_server.to(world.emails["kz_steward"]), smtp_server.to(world.emails["kz_steward2"])
    assert [m["Subject"] for m in ru] == ["Банк данных ШОС: запрос доступа к kz-secret"]
    assert [m["Subject"] for m in zh] == ["上合组织数据库：访问 kz-secret 的申请"]
    assert (ru[0]["Content-Language"], zh[0]["Content-Language"]) == ("ru", "zh")
    assert (f"{world.emails['ru_viewer']} запрашивает доступ к kz-secret для цели «исследования» до {UNTIL} "
            "и пишет: «regional steel study»") in ru[0].get_content()
    assert "http://bank.example/data-use" in zh[0].get_content() and "用途为“研究”" in zh[0].get_content()
    assert smtp_server.to(world.emails["ru_steward"]) == []

    refused = client.post(f"/api/v1/access-requests/{request_id}/refuse", headers=world.headers("kz_steward"),
                          json={"note": "regional figures are not released outside Kazakhstan"})
    assert refused.status_code == 200, refused.text
    assert _deliver(bank) == (1, 0, 0)
    [told] = smtp_server.to(world.emails["ru_viewer"])
    assert told["Subject"] == "Банк данных ШОС: по вашему запросу доступа к kz-secret принято решение"
    assert ("Ваш запрос доступа к kz-secret отклонён. Причина, указанная распорядителем: regional figures are "
            "not released outside Kazakhstan.") in told.get_content()


def test_an_approval_names_the_agreement_end_and_an_english_reader_gets_english(bank, world, client, tmp_path,
                                                                                smtp_server):  # noqa: F811
    _listed_secret(bank, tmp_path)
    request_id = _ask(client, world, "mn_viewer")
    _deliver(bank)
    [steward_mail] = smtp_server.to(world.emails["kz_steward"])
    assert steward_mail["Content-Language"] == "en"
    assert f"mn_viewer@example.org asks for access to kz-secret for research until {UNTIL}." in steward_mail.get_content()
    shorter = (date.today() + timedelta(days=30)).isoformat()
    narrowed = client.post(f"/api/v1/access-requests/{request_id}/narrow", headers=world.headers("kz_steward"),
                           json={"valid_until": shorter, "note": "one month first"})
    assert narrowed.status_code == 200, narrowed.text
    _deliver(bank)
    [told] = smtp_server.to(world.emails["mn_viewer"])
    assert (f"Your request for access to kz-secret was approved with narrower terms, until {shorter}. The "
            "steward's reason: one month first.") in told.get_content()


def test_the_unsubscribe_link_stops_access_request_mail_but_not_the_notice_or_the_exchange_mail(
        bank, world, client, tmp_path, smtp_server):  # noqa: F811
    _listed_secret(bank, tmp_path)
    _ask(client, world, "ru_viewer")
    _deliver(bank)
    [first] = smtp_server.to(world.emails["kz_steward"])
    link = first["List-Unsubscribe"].strip("<>")
    assert link.startswith("http://bank.example/data-use/unsubscribe?token=")
    path = link.removeprefix("http://bank.example")
    page = client.get(path + "&lang=ru")
    assert page.status_code == 200 and "Прекратить все письма о запросах доступа" in page.text
    assert client.post(path + "&lang=zh").status_code == 200  # the button, or a mail client's one-click POST
    assert client.post("/data-use/unsubscribe?token=forged").status_code == 404

    _ask(client, world, "mn_viewer")
    assert _deliver(bank) == (0, 0, 1)
    assert len(smtp_server.to(world.emails["kz_steward"])) == 1
    notices = client.get("/api/v1/access-notices", headers=world.headers("kz_steward")).json()
    assert [n["requester"] for n in notices] == [world.emails["mn_viewer"], world.emails["ru_viewer"]]
    exchange = client.get("/api/v1/exchange/mail-preferences", headers=world.headers("kz_steward")).json()
    assert exchange["subscribed"] is True  # only the access-request stream was stopped
