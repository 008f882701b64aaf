"""The OpenAPI schema is valid and complete, and the docs page works offline (DESIGN.md §10)."""

import json
import re
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

CATALOGUE_OPERATIONS = {
    "catalogue_items_list", "catalogue_items_retrieve", "catalogue_lists_retrieve", "catalogue_lists_xlsx",
    "catalogue_indicators_retrieve", "catalogue_item_types_list", "catalogue_themes_list",
    "catalogue_departments_list", "catalogue_regions_list", "api_root",
}


@pytest.fixture
def schema(client) -> dict:
    response = client.get("/api/schema/", {"format": "json"})
    assert response.status_code == 200
    return json.loads(response.content)


def test_schema_validates_without_warnings(tmp_path):
    # What `make test` runs: any warning (an unannotated view, an enum name clash) fails.
    out = tmp_path / "openapi.yaml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(out))
    assert out.read_text(encoding="utf-8").startswith("openapi: 3.")


def test_schema_is_served_as_yaml_and_json(client, schema):
    response = client.get("/api/schema/")
    assert response.status_code == 200
    assert response.content.decode().startswith("openapi: 3.")
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "OneWindow API"


def test_every_public_operation_is_documented(schema):
    operations = {}
    for path, methods in schema["paths"].items():
        for method, operation in methods.items():
            operations[operation["operationId"]] = (path, method, operation)
    assert set(operations) >= CATALOGUE_OPERATIONS
    for operation_id in CATALOGUE_OPERATIONS:
        path, method, operation = operations[operation_id]
        assert method == "get", operation_id
        assert operation["tags"] and operation["summary"], operation_id
        assert "200" in operation["responses"], operation_id


def test_errors_are_documented_with_the_error_body(schema):
    error = schema["components"]["schemas"]["Error"]
    assert set(error["properties"]) == {"code", "message", "fields"}
    documented = []
    for path, methods in schema["paths"].items():
        if not path.startswith("/api/v1/catalogue/"):
            continue
        for operation in methods.values():
            for status, response in operation["responses"].items():
                if status.startswith("4"):
                    assert response["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/Error"}
                    documented.append((operation["operationId"], status))
    assert ("catalogue_items_list", "400") in documented
    assert ("catalogue_items_retrieve", "404") in documented
    assert ("catalogue_lists_retrieve", "404") in documented


def test_item_search_parameters_and_page_shape(schema):
    operation = schema["paths"]["/api/v1/catalogue/items"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert set(params) == {"search", "department", "region", "item_type", "theme", "handling_type", "online_depth",
                           "audience", "page", "page_size"}
    assert params["page_size"]["schema"]["maximum"] == 100
    assert params["handling_type"]["schema"]["enum"] == ["instant", "promised"]
    assert (params["online_depth"]["schema"]["minimum"], params["online_depth"]["schema"]["maximum"]) == (1, 4)
    page = schema["components"]["schemas"]["ItemPage"]
    assert set(page["properties"]) == {"results", "page", "page_size", "has_next", "next", "previous"}
    assert page["properties"]["next"]["nullable"] is True


def test_choices_are_named_enums_with_label_companions(schema):
    components = schema["components"]["schemas"]
    assert components["HandlingTypeEnum"]["enum"] == ["instant", "promised"]
    assert components["TimeUnitEnum"]["enum"] == ["workday", "natural"]
    detail = components["ItemDetail"]["properties"]
    for field in ("handling_type", "online_depth", "exercise_level", "handling_form", "result_type"):
        assert f"{field}_label" in detail, field
    assert "xlsx" not in json.dumps(components["PublishedList"])


def test_excel_download_is_documented_as_binary(schema):
    responses = schema["paths"]["/api/v1/catalogue/lists/{kind}.xlsx"]["get"]["responses"]
    sheet = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert responses["200"]["content"][sheet]["schema"] == {"type": "string", "format": "binary"}


def _docs_html(client) -> str:
    """The docs page and its start-up script (a file, not inline: the Content-Security-Policy forbids that)."""
    response = client.get("/api/docs/")
    assert response.status_code == 200
    script = client.get("/api/docs/", {"script": ""})
    assert script.status_code == 200
    return response.content.decode() + script.content.decode()


def test_docs_page_loads_nothing_from_other_hosts(client):
    html = _docs_html(client)
    hosts = {urlsplit(url).hostname for url in re.findall(r"https?://[^\s\"'<>)]+", html)}
    assert hosts <= {"testserver"}, hosts
    assert not re.search(r"""(src|href)=["']//""", html)  # no protocol-relative URLs either


def test_docs_page_assets_are_served_locally(client):
    html = _docs_html(client)
    assets = re.findall(r"""(?:src|href)=["']([^"']+)["']""", html)
    assert any(a.endswith("swagger-ui-bundle.js") for a in assets)
    assert any(a.endswith("swagger-ui.css") for a in assets)
    for asset in assets:
        assert asset.startswith("/"), asset
        response = client.get(asset)
        assert response.status_code == 200, asset
        if hasattr(response, "streaming_content"):
            b"".join(response.streaming_content)
            response.close()
    assert '"/api/schema/"' in html


def test_docs_page_does_not_ask_the_online_validator(client):
    # Swagger UI otherwise shows a badge image fetched from validator.swagger.io for every visitor.
    assert '"validatorUrl": null' in _docs_html(client)
