"""The OpenAPI document is complete: a response model on every route, the error shape, the security
schemes, X-Purpose on every gated route; and its docs pages load nothing from a CDN."""

from __future__ import annotations

import re

# Routes whose answer is not a JSON model, each with the media types it declares instead.
NOT_JSON = {"GET /api/v1/datasets/{slug}/export": "text/csv", "GET /api/v1/catalog.jsonld": "application/ld+json",
            "GET /api/v1/datasets/{slug}/sdmx/structure": "application/vnd.sdmx.structure+xml",
            # the SDMX REST API: data as the Accept header asks, structures as SDMX-ML
            **{f"GET /api/v1/sdmx/rest/data/{{flow_ref}}{tail}": "application/vnd.sdmx.genericdata+xml"
               for tail in ("", "/{key}", "/{key}/{provider_ref}")},
            **{f"GET /api/v1/sdmx/rest/{{structure}}{tail}": "application/vnd.sdmx.structure+xml"
               for tail in ("", "/{agency_id}", "/{agency_id}/{resource_id}", "/{agency_id}/{resource_id}/{version}")},
            # a message's attachment: the file's own bytes (its type is the sender's)
            "GET /api/v1/exchange/interests/{interest_id}/messages/{message_id}/attachment": "application/octet-stream"}


def api_routes(app):
    for route in app.routes:
        for ctx in (route.effective_route_contexts() if hasattr(route, "effective_route_contexts") else [route]):
            path = getattr(ctx, "path_format", None) or getattr(ctx, "path", "")
            if path.startswith("/api/v1/") and getattr(ctx, "include_in_schema", False):
                for method in sorted((ctx.methods or set()) - {"HEAD"}):
                    yield f"{method} {path}", ctx


def test_every_api_route_declares_its_response_model(app):
    missing = []
    for name, ctx in api_routes(app):
        if ctx.status_code == 204 or name in NOT_JSON:
            continue
        if ctx.response_model is None or ctx.response_model in (dict, list):
            missing.append(name)
    assert missing == []


def test_routes_without_a_json_model_document_their_media_type(client):
    paths = client.get("/api/openapi.json").json()["paths"]
    for name, media in NOT_JSON.items():
        method, path = name.split(" ")
        assert media in paths[path][method.lower()]["responses"]["200"]["content"]


def test_every_model_is_in_the_document_and_no_route_answers_untyped_json(client):
    doc = client.get("/api/openapi.json").json()
    untyped = []
    for path, item in doc["paths"].items():
        for method, op in item.items():
            for status, response in op["responses"].items():
                schema = response.get("content", {}).get("application/json", {}).get("schema")
                if status.startswith("2") and schema == {}:
                    untyped.append(f"{method.upper()} {path} {status}")
    assert untyped == []
    assert "ErrorPublic" in doc["components"]["schemas"] and "HTTPValidationError" not in doc["components"]["schemas"]


def test_errors_are_documented_in_the_one_shape(client):
    doc = client.get("/api/openapi.json").json()
    op = doc["paths"]["/api/v1/datasets/{slug}"]["get"]
    for status in ("404", "422"):
        assert op["responses"][status]["content"]["application/json"]["schema"] == {
            "$ref": "#/components/schemas/ErrorPublic"}
    assert set(doc["components"]["schemas"]["ErrorPublic"]["required"]) == {"code", "message", "problems"}


def test_the_two_credentials_are_security_schemes(client):
    schemes = client.get("/api/openapi.json").json()["components"]["securitySchemes"]
    assert schemes["bearerToken"] == {"type": "http", "scheme": "bearer", "description": schemes["bearerToken"]["description"]}
    assert (schemes["sessionCookie"]["type"], schemes["sessionCookie"]["in"], schemes["sessionCookie"]["name"]) == (
        "apiKey", "cookie", "scobank_session")


def test_every_gated_route_documents_x_purpose_and_its_credentials(app, client):
    from scobank.deps import current_reader

    doc = client.get("/api/openapi.json").json()["paths"]
    gated = []
    for name, ctx in api_routes(app):
        stack, found = [ctx.dependant], False
        while stack and not found:
            node = stack.pop()
            found = node.call is current_reader
            stack.extend(node.dependencies)
        if found:
            gated.append(name)
    assert len(gated) >= 50
    for name in gated:
        method, path = name.split(" ")
        op = doc[path][method.lower()]
        headers = {p["name"] for p in op.get("parameters", []) if p["in"] == "header"}
        assert "X-Purpose" in headers, name
        assert {"bearerToken": []} in op["security"] and {"sessionCookie": []} in op["security"], name


def test_the_api_docs_load_their_assets_from_the_bank_not_a_cdn(client):
    for page in ("/api/docs", "/api/redoc"):
        html = client.get(page).text
        sources = re.findall(r'(?:src|href)="([^"]+)"', html)
        assert sources and all(s.startswith("/api/") for s in sources), sources
        assert "cdn" not in html.lower() and "https://" not in html.replace("https://github.com", "")
        for source in sources:
            assert client.get(source).status_code == 200, source
