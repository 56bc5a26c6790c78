"""Filling the portal's forms from a test client: the CSRF token a page carries, and logging in."""

from __future__ import annotations

import re


def csrf_of(html: str) -> str:
    """The CSRF token of the first form on the page."""
    return re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)


def log_in(client, email: str, password: str, next_: str = "/"):
    form = client.get("/login").text
    return client.post("/login", data={"email": email, "password": password, "next": next_,
                                       "csrf_token": csrf_of(form)}, follow_redirects=False)
