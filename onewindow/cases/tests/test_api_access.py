"""Other systems on the case API (API tokens, OAuth2), the public progress query and the documented schema."""

import json
from urllib.parse import urlencode

import pytest
from django.core.cache import cache
from django.test import Client

from onewindow.apiauth.constants import ClientRole
from onewindow.apiauth.services import api_client_create, api_token_create
from onewindow.cases import services
from onewindow.cases.models import Case
from onewindow.cases.selectors import PROGRESS_NOT_FOUND
from onewindow.cases.tests.factories import PDF_BYTES, person, submitted_case, valid_ric
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff

pytestmark = pytest.mark.django_db

API = "/api/v1/cases"
PROGRESS = "/api/v1/cases/progress"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # throttles count in the cache, which may be a shared Redis


@pytest.fixture
def dept_a():
    return DepartmentFactory(name="云溪县市场监督管理局")


@pytest.fixture
def dept_b():
    return DepartmentFactory(name="云溪县交通运输局")


@pytest.fixture
def item_a(dept_a):
    return published_item(department=dept_a, name="食品经营许可")


@pytest.fixture
def item_b(dept_b):
    return published_item(department=dept_b, name="道路运输经营许可")


def bearer(raw):
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


def application(version, **extra):
    body = {"item": version.item.implementation_code,
            "applicant": {"kind": "person", "name": "李明", "id_number": valid_ric(21)}}
    body.update(extra)
    return json.dumps(body)


# API clients ---------------------------------------------------------------------------------------


def test_a_client_scoped_to_department_a_cannot_see_or_touch_department_b(item_a, item_b, dept_a):
    client, _secret = api_client_create(actor=None, name="市场监管业务系统", departments=[dept_a],
                                        role=ClientRole.ACCEPT)
    _token, raw = api_token_create(actor=None, client=client)
    http = Client()
    a = submitted_case(version=item_a)
    b = submitted_case(version=item_b, applicant=person(2))

    assert [r["number"] for r in http.get(API, **bearer(raw)).json()["results"]] == [a.number]
    assert http.get(f"{API}/{b.number}", **bearer(raw)).status_code == 404
    assert http.post(f"{API}/{b.number}/accept", "{}", content_type="application/json",
                     **bearer(raw)).status_code == 404
    response = http.post(f"{API}/{a.number}/accept", "{}", content_type="application/json", **bearer(raw))
    assert response.status_code == 200 and response.json()["status"] == "accepted"

    # Filing: for its own department's items only, on the api channel by default.
    response = http.post(API, application(item_b), content_type="application/json", **bearer(raw))
    assert response.status_code == 403 and response.json()["code"] == "client_out_of_scope"
    response = http.post(API, application(item_a), content_type="application/json", **bearer(raw))
    assert response.status_code == 201, response.content
    assert response.json()["channel"] == "api"
    case = Case.objects.get(number=response.json()["number"])
    assert case.created_by == client.service_user and case.applicant.user is None


def test_a_read_only_client_reads_but_cannot_act(item_a, dept_a):
    client, _secret = api_client_create(actor=None, name="电子监察系统", departments=[dept_a], role=ClientRole.READ)
    _token, raw = api_token_create(actor=None, client=client)
    case = submitted_case(version=item_a)
    assert Client().get(f"{API}/{case.number}", **bearer(raw)).status_code == 200
    response = Client().post(f"{API}/{case.number}/accept", "{}", content_type="application/json", **bearer(raw))
    assert response.status_code == 403
    assert Client().post(API, application(item_a), content_type="application/json",
                         **bearer(raw)).status_code == 403


def test_oauth2_client_credentials_then_bearer_calls(item_a, dept_a):
    client, secret = api_client_create(actor=None, name="省政务服务平台", departments=[dept_a])
    response = Client().post("/api/v1/oauth/token",
                             urlencode({"grant_type": "client_credentials", "client_id": client.client_id,
                                        "client_secret": secret}),
                             content_type="application/x-www-form-urlencoded")
    access = response.json()["access_token"]
    key = {"HTTP_IDEMPOTENCY_KEY": "sync-0001"}
    first = Client().post(API, application(item_a), content_type="application/json", **bearer(access), **key)
    again = Client().post(API, application(item_a), content_type="application/json", **bearer(access), **key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert Case.objects.count() == 1


def test_a_staff_personal_token_works_like_the_session(item_a, dept_a):
    clerk = staff(Role.CLERK, dept_a)
    _token, raw = api_token_create(actor=None, user=clerk, name="窗口程序")
    case = submitted_case(version=item_a)
    response = Client().post(f"{API}/{case.number}/accept", json.dumps({"comment": "材料齐全"}),
                             content_type="application/json", **bearer(raw))
    assert response.status_code == 200 and response.json()["events"][-1]["comment"] == "材料齐全"


def test_session_posts_need_the_csrf_token(item_a, dept_a):
    clerk = staff(Role.CLERK, dept_a)
    case = submitted_case(version=item_a)
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(clerk)
    response = browser.post(f"{API}/{case.number}/accept", "{}", content_type="application/json")
    assert response.status_code == 403 and "CSRF" in response.json()["message"]


# Public progress -----------------------------------------------------------------------------------


def progress(body, **kwargs):
    return Client().post(PROGRESS, json.dumps(body), content_type="application/json", **kwargs)


def test_progress_query_with_the_right_tail(item_a, dept_a):
    clerk = staff(Role.CLERK, dept_a)
    case = services.case_accept(actor=clerk, case=submitted_case(version=item_a, applicant=person(31, name="赵六")))
    response = progress({"number": case.number, "id_tail": valid_ric(31)[-6:].lower()})
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["number"], body["status"], body["status_label"]) == (case.number, "accepted", "已受理（审查中）")
    assert body["item_name"] == "食品经营许可" and body["department_name"] == "云溪县市场监督管理局"
    assert [e["action"] for e in body["events"]] == ["submit", "accept"]
    assert body["due_at"] is not None and body["clock_state"] == "normal"
    text = response.content.decode()
    assert "赵六" not in text and valid_ric(31)[-6:] not in text and "13800000000" not in text
    form = Client().post(PROGRESS, {"number": case.number, "id_tail": valid_ric(31)[-6:]})
    assert form.status_code == 200


def test_wrong_tail_and_unknown_number_are_the_same_404(item_a):
    case = submitted_case(version=item_a, applicant=person(32))
    wrong = progress({"number": case.number, "id_tail": "000000"})
    unknown = progress({"number": "430422209901019999", "id_tail": valid_ric(32)[-6:]})
    assert wrong.status_code == unknown.status_code == 404
    assert wrong.json() == unknown.json() == {"code": "not_found", "message": PROGRESS_NOT_FOUND, "fields": {}}
    bad = progress({"number": case.number, "id_tail": "12"})
    assert bad.status_code == 400 and set(bad.json()["fields"]) == {"id_tail"}
    assert Client().get(PROGRESS).status_code == 405


def test_guessing_is_rate_limited_per_address_and_per_case(item_a, settings):
    case = submitted_case(version=item_a, applicant=person(33))
    settings.CASES_PROGRESS_RATE = "3/min"
    for _ in range(3):
        assert progress({"number": case.number, "id_tail": "000000"}).status_code == 404
    response = progress({"number": case.number, "id_tail": valid_ric(33)[-6:]})
    assert response.status_code == 429
    assert response.json()["code"] == "throttled" and "查询过于频繁" in response.json()["message"]
    assert int(response["Retry-After"]) > 0

    # From many addresses, the same case number is still limited.
    cache.clear()
    settings.CASES_PROGRESS_RATE = "100/min"
    settings.CASES_PROGRESS_NUMBER_RATE = "5/hour"
    statuses = [progress({"number": case.number, "id_tail": f"{i:06d}"}, REMOTE_ADDR=f"10.0.0.{i}").status_code
                for i in range(6)]
    assert statuses == [404] * 5 + [429]
    other = submitted_case(version=item_a, applicant=person(34))
    assert progress({"number": other.number, "id_tail": valid_ric(34)[-6:]}).status_code == 200


# Files through the API are kept with their fingerprint ---------------------------------------------


def test_uploaded_files_keep_name_type_size_and_sha256(item_a):
    import hashlib

    from django.core.files.uploadedfile import SimpleUploadedFile

    from onewindow.org.tests.factories import UserFactory

    citizen = UserFactory()
    http = Client()
    http.force_login(citizen)
    spec = item_a.materials.get(name="营业执照")
    response = http.post(API, {"item": item_a.item.implementation_code, "applicant.kind": "person",
                               "applicant.name": "李明", "applicant.id_number": valid_ric(40),
                               f"materials.{spec.pk}": SimpleUploadedFile("执照.jpg.pdf", PDF_BYTES)})
    assert response.status_code == 201, response.content
    slot = next(m for m in response.json()["materials"] if m["spec_id"] == spec.pk)
    assert slot["files"][0] | {"id": 0, "uploaded_at": "", "url": ""} == {
        "id": 0, "url": "", "original_name": "执照.jpg.pdf", "content_type": "application/pdf", "size": len(PDF_BYTES),
        "sha256": hashlib.sha256(PDF_BYTES).hexdigest(), "status": "submitted", "status_label": "已提交",
        "note": "", "uploaded_at": "", "superseded": False}


# Schema --------------------------------------------------------------------------------------------


CASE_OPERATIONS = {
    "cases_list", "cases_create", "cases_retrieve", "cases_progress", "cases_accept", "cases_refuse",
    "cases_request_correction", "cases_resubmit", "cases_decide", "cases_complete", "cases_deliver",
    "cases_withdraw", "cases_suspend", "cases_resume", "cases_extend", "cases_approve_extension",
    "oauth_token_create", "cases_material_download",
}


def test_every_case_operation_is_documented_with_security_and_errors(client):
    schema = json.loads(client.get("/api/schema/", {"format": "json"}).content)
    operations = {op["operationId"]: (path, op) for path, methods in schema["paths"].items()
                  for op in methods.values()}
    assert set(operations) >= CASE_OPERATIONS
    schemes = schema["components"]["securitySchemes"]
    assert schemes["tokenAuth"]["scheme"] == "bearer"
    assert schemes["oauth2"]["flows"]["clientCredentials"]["tokenUrl"] == "/api/v1/oauth/token"
    for operation_id in CASE_OPERATIONS - {"cases_progress", "oauth_token_create"}:
        path, op = operations[operation_id]
        assert {"tokenAuth": []} in op["security"] and {"cookieAuth": []} in op["security"], operation_id
        assert op["summary"] and op["tags"] == ["办件"], operation_id
        for status in ("401", "404") if operation_id != "cases_list" and operation_id != "cases_create" else ("401",):
            assert op["responses"][status]["content"]["application/json"]["schema"] == {
                "$ref": "#/components/schemas/Error"}, (operation_id, status)
    for operation_id in CASE_OPERATIONS - {"cases_list", "cases_create", "cases_retrieve", "cases_progress",
                                           "oauth_token_create", "cases_material_download"}:
        assert "409" in operations[operation_id][1]["responses"], operation_id
    assert "security" not in operations["cases_progress"][1] or operations["cases_progress"][1]["security"] == [{}]
    create = operations["cases_create"][1]
    assert set(create["requestBody"]["content"]) == {"application/json", "multipart/form-data"}
    assert any(p["name"] == "Idempotency-Key" and p["in"] == "header" for p in create["parameters"])


def test_material_files_download_for_those_who_see_the_case_and_staff_downloads_are_audited(item_a, dept_a):
    from onewindow.core.models import AuditEvent
    from onewindow.org.tests.factories import UserFactory

    citizen = UserFactory()
    case = submitted_case(version=item_a, applicant=person(41, user=citizen))
    me, window = Client(), Client()
    me.force_login(citizen)
    window.force_login(staff(Role.CLERK, dept_a))
    file = me.get(f"{API}/{case.number}").json()["materials"][0]["files"][0]
    response = me.get(file["url"])
    assert response.status_code == 200 and b"".join(response.streaming_content) == PDF_BYTES
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert not AuditEvent.objects.filter(action="cases.download_material").exists()
    assert window.get(file["url"]).status_code == 200
    audit = AuditEvent.objects.get(action="cases.download_material")
    assert audit.new_values["material"] == file["id"]

    outsider = Client()
    outsider.force_login(staff(Role.CLERK, DepartmentFactory()))
    assert outsider.get(file["url"]).status_code == 404
    assert window.get(f"{API}/{case.number}/materials/999999").json()["message"] == "未找到该材料文件。"
