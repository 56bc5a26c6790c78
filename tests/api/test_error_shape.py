"""One error shape on the API, `{"ok": false, "code", "message", "problems"}`, for every error class of
scobank.errors and for what FastAPI and Starlette refuse before a route runs; the portal answers the
same errors with its error page."""

from __future__ import annotations

import pytest

from scobank.errors import ALL_ERRORS, IngestRejected, Problem, ScobankError, ValidationReport

SHAPE = {"ok", "code", "message", "problems"}


def _instance(cls: type[ScobankError]) -> ScobankError:
    if cls is IngestRejected:
        report = ValidationReport("trade.csv", rows_read=3, problems=[
            Problem("bad-hs-code", "HS code '1012' has 4 digits; expected 6", "trade.csv", 2, "k", "1012")])
        return IngestRejected(report)
    return cls(f"a {cls.__name__} for the test",
               problems=[Problem("example", "what is wrong", "trade.csv", 3, "v", "-1")])


@pytest.fixture
def raising(app):
    """A route (added to the real app, behind the real handlers) that raises the error class named."""
    by_name = {cls.__name__: cls for cls in ALL_ERRORS}

    def raise_it(name: str) -> None:
        raise _instance(by_name[name])

    app.add_api_route("/api/v1/test-errors/{name}", raise_it, methods=["GET"])
    app.add_api_route("/test-errors/{name}", raise_it, methods=["GET"])
    return app


@pytest.mark.parametrize("cls", ALL_ERRORS, ids=lambda c: c.__name__)
def test_every_error_class_answers_in_the_one_shape_with_its_status(raising, client, cls):
    answer = client.get(f"/api/v1/test-errors/{cls.__name__}")
    body = answer.json()
    assert answer.status_code == cls.status
    assert set(body) >= SHAPE and body["ok"] is False and body["code"] == cls.code
    assert body["message"] == _instance(cls).message
    first = body["problems"][0]
    assert (first["file"], first["row"], first["column"], first["value"]) in {
        ("trade.csv", 3, "v", "-1"), ("trade.csv", 2, "k", "1012")}


@pytest.mark.parametrize("cls", [c for c in ALL_ERRORS if c.status not in (401,)], ids=lambda c: c.__name__)
def test_the_portal_answers_the_same_errors_with_its_error_page(raising, client, cls):
    answer = client.get(f"/test-errors/{cls.__name__}")
    assert answer.status_code == cls.status
    assert answer.headers["content-type"].startswith("text/html")
    assert _instance(cls).message in answer.text


def test_error_codes_and_exit_codes_are_declared_once_each():
    codes = [cls.code for cls in ALL_ERRORS]
    assert len(codes) == len(set(codes))
    assert all(isinstance(cls.exit_code, int) and cls.exit_code >= 2 for cls in ALL_ERRORS)


def test_a_malformed_parameter_is_a_422_naming_it(client):
    body = client.get("/api/v1/datasets", params={"limit": "many"}).json()
    assert (body["ok"], body["code"]) == (False, "invalid-parameters")
    assert [(p["file"], p["column"], p["value"]) for p in body["problems"]] == [("query", "limit", "many")]
    assert "limit" in body["message"]


def test_an_out_of_range_parameter_names_it_too(client):
    answer = client.get("/api/v1/datasets", params={"limit": 0, "offset": -1})
    assert answer.status_code == 422
    assert sorted(p["column"] for p in answer.json()["problems"]) == ["limit", "offset"]


def test_a_bad_body_field_is_named_with_its_path(client):
    answer = client.post("/api/v1/auth/login", json={"email": "a@b.org"})
    assert answer.status_code == 422
    assert [(p["file"], p["column"]) for p in answer.json()["problems"]] == [("body", "password")]


def test_a_body_that_is_not_json_is_a_422_in_the_shape(client):
    answer = client.post("/api/v1/auth/login", content=b"{not json", headers={"content-type": "application/json"})
    assert answer.status_code == 422
    assert answer.json()["code"] == "invalid-parameters"


def test_an_unknown_query_parameter_is_refused_naming_it(client):
    """A misspelled `filters=` used to return every row; now it says what it did not understand."""
    answer = client.get("/api/v1/datasets/anything/rows", params={"filters": "year:eq:2020", "limit": 5})
    assert answer.status_code == 422
    body = answer.json()
    assert body["message"] == "unknown query parameter: filters"
    assert [(p["code"], p["file"], p["column"]) for p in body["problems"]] == [("unknown-parameter", "query", "filters")]


def test_declared_parameters_of_dependencies_are_known(client):
    """`purpose` is declared by the reader dependency, `filter` by the route: neither is unknown."""
    answer = client.get("/api/v1/datasets/anything/rows", params={"filter": "year:eq:2020", "purpose": "research"})
    assert answer.status_code == 404 and answer.json()["code"] == "not-found"


def test_an_unknown_route_under_api_is_a_404_in_the_shape(client):
    answer = client.get("/api/v1/no-such-thing")
    assert answer.status_code == 404
    assert answer.json() == {"ok": False, "code": "not-found", "problems": [],
                             "message": "no such address: GET /api/v1/no-such-thing"}


def test_a_method_a_route_does_not_take_is_a_405_in_the_shape(client):
    answer = client.delete("/api/v1/health")
    assert answer.status_code == 405
    assert answer.json() == {"ok": False, "code": "method-not-allowed", "problems": [],
                             "message": "/api/v1/health does not take DELETE"}
    assert answer.headers["allow"] == "GET"


def test_an_unknown_page_is_the_portal_error_page(client):
    answer = client.get("/no-such-page")
    assert answer.status_code == 404
    assert answer.headers["content-type"].startswith("text/html")


@pytest.mark.parametrize("number", ["9223372036854775808", "99999999999999999999999", "0", "-1"])
def test_an_id_beyond_a_database_integer_is_a_422_not_a_500(client, number):
    answer = client.get(f"/api/v1/exchange/listings/{number}")
    assert answer.status_code == 422
    assert [(p["file"], p["column"], p["value"]) for p in answer.json()["problems"]] == [("path", "listing_id", number)]


def test_the_largest_database_integer_is_a_plain_not_found(client):
    answer = client.get(f"/api/v1/exchange/listings/{2**31 - 1}")  # the largest id an INTEGER column holds
    assert answer.status_code == 404 and answer.json()["code"] == "not-found"
