"""The demo's accounts: one steward per member, each able to log in with the printed password."""

from __future__ import annotations

from sqlalchemy import func, select

from scobank.stewardship import demo
from scobank.access.models import User


def test_the_demo_creates_a_steward_per_member_and_they_can_log_in(bank, client):
    with bank.session() as s:
        lines = demo.populate(s, data_dir=None)
    with bank.session() as s:
        again = demo.populate(s, data_dir=None)
        stewards = s.scalar(select(func.count(User.id)).where(User.role == "steward"))
    assert stewards == 10  # the ten members of 2025/26, Belarus included
    text = "\n".join(lines)
    email, password = demo.steward_login("KAZ")
    assert email in text and password in text and demo.PORTAL in text
    assert len(again) == len(lines) and "\n".join(again).count("steward of") == 10
    login = client.post("/api/v1/auth/login", json={"email": email, "password": password})
    assert login.status_code == 200
    assert (login.json()["user"]["party"], login.json()["user"]["role"]) == ("KAZ", "steward")
    names = client.get("/api/v1/organisations?party=CHN").json()[0]["names"]
    assert names["zh"] == "国家统计局" and names["ru"].startswith("Национальное")
