"""One naming across the CLI and the API: walks `scobank --help`'s command tree (click's) and the
OpenAPI document, and checks that each command and the route it mirrors take the same parameter names
(`--group-by` is `group_by`, `--organisation` is `organisation`) and the same format names. A parameter
one side lacks must be listed below with the reason, so a new difference fails here."""

from __future__ import annotations

import pytest
import typer

from scobank.catalog.export import FORMATS

# CLI command -> the API operation it mirrors.
PAIRS = {
    "query": "GET /api/v1/datasets/{slug}/rows",
    "export": "GET /api/v1/datasets/{slug}/export",
    "sdmx structure": "GET /api/v1/datasets/{slug}/sdmx/structure",
    "datapackage": "GET /api/v1/datasets/{slug}/datapackage.json",
    "signature": "GET /api/v1/datasets/{slug}/signature",
    "datasets list": "GET /api/v1/datasets",
    "datasets diff": "GET /api/v1/datasets/{slug}/diff",
    "access-requests list": "GET /api/v1/access-requests",
    "agreements list": "GET /api/v1/agreements",
    "ledger show": "GET /api/v1/ledger",
    "sql": "GET /api/v1/sql",
    "search": "GET /api/v1/search",
    "catalog-search": "GET /api/v1/search",
    "ai hs-suggest": "GET /api/v1/ai/hs-suggest",
    "ingest": "POST /api/v1/datasets/{slug}/versions",
}
# What a command takes as its argument(s), named as the API names the same thing.
ARGUMENTS = {"sql": {"statement": "q"}, "search": {"text": "q"}, "catalog-search": {"q": "q"},
             "ai hs-suggest": {"text": "text"}, "datasets diff": {"a": "from", "b": "to"},
             "ingest": {"file": "file"}}
# Parameters only one side has, and why (each must really be one-sided: the last test checks).
ONE_SIDED = {
    "catalog-search": {"kind": "api: catalog-search lists datasets only",
                       "per_kind": "api: catalog-search lists datasets only, no groups by kind"},
    "sql": {"timeout": "cli: the server's is fixed"},
    "ingest": {"slug": "api: the CLI's is --dataset", "organisation": "cli: the dataset is created with its organisation (POST /datasets in the API)",
               "dataset": "cli: the API's is the path's slug", "title": "cli: POST /datasets in the API"},
}
GLOBAL = {"purpose", "as_json", "output", "lang", "version"}  # --purpose is the root's; lang and version below


def _commands() -> dict:
    from scobank.cli import app

    found: dict = {}

    def walk(command, path: list[str]) -> None:
        subs = getattr(command, "commands", None)
        if subs:
            for name, sub in subs.items():
                if not getattr(sub, "hidden", False):
                    walk(sub, [*path, name])
        else:
            found[" ".join(path)] = command

    walk(typer.main.get_command(app), [])
    return found


def _cli_names(name: str, command) -> set[str]:
    names = set()
    for param in command.params:
        if param.param_type_name == "argument":
            names.add(ARGUMENTS.get(name, {}).get(param.name, param.name))
        else:
            longs = [o for o in param.opts + param.secondary_opts if o.startswith("--")] or [f"--{param.name}"]
            names.add(longs[0][2:].replace("-", "_") if longs[0] != "--json" else "as_json")
    return names


def _api_names(doc: dict, operation: str) -> set[str]:
    method, path = operation.split(" ")
    op = doc["paths"][path][method.lower()]
    names = {p["name"] for p in op.get("parameters", []) if p["in"] in ("query", "path")}
    for content in op.get("requestBody", {}).get("content", {}).values():
        schema = content["schema"]
        if "$ref" in schema:
            schema = doc["components"]["schemas"][schema["$ref"].split("/")[-1]]
        names |= set(schema.get("properties", {}))
    return names


@pytest.fixture(scope="module")
def openapi() -> dict:
    from scobank.api.app import create_app

    return create_app().openapi()


@pytest.mark.parametrize("name", sorted(PAIRS))
def test_a_command_and_its_route_take_the_same_names(name, openapi):
    command = _commands()[name]
    cli, api = _cli_names(name, command), _api_names(openapi, PAIRS[name])
    allowed = set(ONE_SIDED.get(name, {})) | GLOBAL
    assert sorted((api - cli) - allowed) == [], f"{name}: the API takes these and the CLI does not"
    assert sorted((cli - api) - allowed) == [], f"{name}: the CLI takes these and the API does not"


def test_no_command_uses_a_second_word_for_an_api_name():
    """The words the issue found differing: --org (organisation), requests (access-requests)."""
    commands = _commands()
    assert "access-requests list" in commands and not any(c.startswith("requests ") for c in commands)
    for name, command in commands.items():
        for param in command.params:
            longs = [o for o in getattr(param, "opts", []) if o.startswith("--")]
            assert longs[:1] != ["--org"], f"{name}: --org is --organisation (kept as a second spelling)"


def test_export_formats_are_named_alike_everywhere(openapi):
    params = openapi["paths"]["/api/v1/datasets/{slug}/export"]["get"]["parameters"]
    enum = next(p for p in params if p["name"] == "format")["schema"]["enum"]
    assert sorted(enum) == sorted(FORMATS)
    help_text = next(p for p in _commands()["export"].params if p.name == "fmt").help
    assert [f for f in FORMATS if f not in help_text] == []
    from scobank.web import catalog as pages

    assert list(pages.FORMATS) == list(FORMATS)  # the dataset page offers the same downloads


def test_every_one_sided_parameter_listed_is_still_one_sided(openapi):
    """A difference closed on both sides leaves the list, so the reasons given stay true."""
    stale = []
    for name, params in ONE_SIDED.items():
        cli, api = _cli_names(name, _commands()[name]), _api_names(openapi, PAIRS[name])
        stale += [f"{name} {p}" for p in params if p in GLOBAL or (p in cli) == (p in api)]
    assert stale == []
