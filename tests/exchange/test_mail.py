"""E-mail delivered through a real SMTP server (aiosmtpd on 127.0.0.1), each recipient in their own
language, with a working unsubscribe link; refused recipients are reported and tried again."""

from __future__ import annotations

import pytest

from scobank.errors import MailUnavailable, NotFound
from scobank.exchange import alerts, interest, mail
from scobank.exchange.conversation import post_message
from tests.exchange.conftest import CHN_STEWARD, KAZ_FIRM, UZB_FIRM, make_enterprise, post

pytestmark = pytest.mark.db


def _story(s):
    seller = make_enterprise(s, KAZ_FIRM, contacts={"email": "sales@steppe-steel.kz"})
    buyer = make_enterprise(s, CHN_STEWARD, contacts={"email": "buy@xj.cn"})
    offer = post(s, KAZ_FIRM, seller, "product_offer", {"hs_code": "720838", "volume_per_year": 10})
    row = interest.express_interest(s, reader=CHN_STEWARD, listing_id=offer.id, from_enterprise_id=buyer.id)
    interest.accept_interest(s, reader=KAZ_FIRM, interest_id=row.id)
    post_message(s, reader=KAZ_FIRM, interest_id=row.id, text="Когда удобно созвониться?")
    return offer


def test_each_recipient_reads_the_mail_in_their_language_from_the_smtp_server(bank, smtp_server):
    with bank.session() as s:
        mail.set_preferences(s, reader=KAZ_FIRM, language="ru")
        mail.set_preferences(s, reader=CHN_STEWARD, language="zh")
        offer = _story(s)
        report = mail.deliver_outbox(s)
        again = mail.deliver_outbox(s)
    assert (report.sent, report.failed, again.sent) == (3, 0, 0)  # interest + accepted + message; nothing twice
    to_seller = smtp_server.to("sales@steppe-steel.kz")
    to_buyer = smtp_server.to("buy@xj.cn")
    assert [m["Subject"] for m in to_seller] == ["Биржа ШОС: предприятие заинтересовано в вашем объявлении"]
    assert to_seller[0]["Content-Language"] == "ru"
    assert f"Предприятие из страны «Китай» заинтересовано в вашем объявлении {offer.id}" in to_seller[0].get_content()
    assert [m["Subject"] for m in to_buyer] == ["上合组织合作交易平台：您的意向已被接受",
                                                "上合组织合作交易平台：对方发来新消息"]
    assert f"来自哈萨克斯坦的对方就信息{offer.id}发来新消息" in to_buyer[1].get_content()
    assert "Когда удобно" not in to_buyer[1].get_content()  # the message's text stays in the bank
    assert "如需停止接收此类邮件" in to_buyer[0].get_content()


def test_the_unsubscribe_link_stops_further_mail_and_an_unknown_token_is_refused(bank, smtp_server):
    with bank.session() as s:
        mail.set_preferences(s, reader=KAZ_FIRM, language="ru")
        mail.set_preferences(s, reader=CHN_STEWARD, language="zh")
        token = mail.mail_setting(s, KAZ_FIRM.user_id).unsubscribe_token
        header = f"<http://bank.example/exchange/unsubscribe?token={token}>"
        _story(s)
        mail.deliver_outbox(s)
        assert smtp_server.to("sales@steppe-steel.kz")[0]["List-Unsubscribe"] == header
        mail.unsubscribe(s, token=token)
        with pytest.raises(NotFound):
            mail.unsubscribe(s, token="forged")
        uzb = make_enterprise(s, UZB_FIRM)
        listing = post(s, KAZ_FIRM, make_enterprise(s, KAZ_FIRM, contacts={"email": "sales@steppe-steel.kz"}),
                       "product_offer", {"hs_code": "520100", "volume_per_year": 10})
        interest.express_interest(s, reader=UZB_FIRM, listing_id=listing.id, from_enterprise_id=uzb.id)
        report = mail.deliver_outbox(s)
        assert mail.preferences(s, reader=KAZ_FIRM).subscribed is False
    assert (report.sent, report.unsubscribed) == (0, 1)
    assert len(smtp_server.to("sales@steppe-steel.kz")) == 1


def test_a_refused_recipient_is_reported_and_kept_and_a_missing_server_is_a_clear_error(bank, smtp_server,
                                                                                          monkeypatch):
    from scobank.config import reset_settings

    with bank.session() as s:
        seller = make_enterprise(s, KAZ_FIRM, contacts={"email": "nobody@refused.example"})
        buyer = make_enterprise(s, CHN_STEWARD)
        offer = post(s, KAZ_FIRM, seller, "product_offer", {"hs_code": "720838", "volume_per_year": 10})
        interest.express_interest(s, reader=CHN_STEWARD, listing_id=offer.id, from_enterprise_id=buyer.id)
        report = mail.deliver_outbox(s)
        assert (report.sent, report.failed) == (0, 1)
        assert "nobody@refused.example" in report.errors[0] and "550" in report.errors[0]
        monkeypatch.setenv("SCOBANK_SMTP_PORT", "1")
        reset_settings()
        with pytest.raises(MailUnavailable, match="127.0.0.1:1 cannot be reached"):
            mail.deliver_outbox(s)


def test_the_unsubscribe_page_changes_nothing_until_its_button_is_pressed(bank):
    from fastapi.testclient import TestClient

    from scobank.api.app import create_app

    with bank.session() as s:
        token = mail.mail_setting(s, KAZ_FIRM.user_id).unsubscribe_token
    with TestClient(create_app()) as client:
        page = client.get(f"/exchange/unsubscribe?token={token}&lang=ru")
        assert page.status_code == 200 and "Прекратить все письма биржи кооперации" in page.text
        with bank.session() as s:
            assert mail.preferences(s, reader=KAZ_FIRM).subscribed is True
        done = client.post(f"/exchange/unsubscribe?token={token}&lang=zh")
        assert done.status_code == 200 and "您将不再收到合作交易平台的邮件" in done.text
        assert client.post("/api/v1/exchange/unsubscribe?token=forged").status_code == 404
    with bank.session() as s:
        assert mail.preferences(s, reader=KAZ_FIRM).subscribed is False


def test_alerts_turned_off_are_not_mailed_and_the_others_still_are(bank, smtp_server):
    from scobank.errors import BadRequest

    with bank.session() as s:
        mail.set_preferences(s, reader=CHN_STEWARD, language="zh", alerts=["interest"])  # no messages
        with pytest.raises(BadRequest, match="unknown alerts 'newsletter'"):
            mail.set_preferences(s, reader=CHN_STEWARD, alerts=["newsletter"])
        assert mail.preferences(s, reader=CHN_STEWARD).alerts == ["interest"]
        _story(s)  # the buyer is told of the acceptance (interest) and of the seller's message
        in_app = [n.topic for n in alerts.list_notifications(s, reader=CHN_STEWARD)]
        report = mail.deliver_outbox(s)
    assert in_app == ["message", "mutual"]  # both still shown in the portal
    assert report.sent == 2  # the seller's interest mail and the buyer's acceptance; no mail of the message
    assert [m["Subject"] for m in smtp_server.to("buy@xj.cn")] == ["上合组织合作交易平台：您的意向已被接受"]
