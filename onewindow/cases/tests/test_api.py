"""The case API as a client program sees it: the journey, idempotency, conflicts, bad input, scope,
personal data and query counts."""

import json
import threading

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client

from onewindow.cases import services
from onewindow.cases.constants import Action, CaseStatus
from onewindow.cases.models import Applicant, Case, CaseEvent, CaseMaterial
from onewindow.cases.tests.factories import EXE_BYTES, PDF_BYTES, PNG_BYTES, person, submitted_case, valid_ric
from onewindow.catalogue.tests.factories import published_item
from onewindow.core.models import AuditEvent
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, UserFactory, make_uscc, staff

pytestmark = pytest.mark.django_db

API = "/api/v1/cases"
ERROR_KEYS = {"code", "message", "fields"}
FORM_SCHEMA = {"type": "object", "required": ["shop_name"],
               "properties": {"shop_name": {"type": "string", "title": "店铺名称", "minLength": 2},
                              "area": {"type": "number", "title": "经营面积", "minimum": 1}}}


@pytest.fixture
def dept():
    return DepartmentFactory(name="云溪县市场监督管理局", short_name="县市场监管局")


@pytest.fixture
def version(dept):
    return published_item(department=dept, name="食品经营许可", form_schema=FORM_SCHEMA)


@pytest.fixture
def specs(version):
    return {m.name: m.pk for m in version.materials.all()}


@pytest.fixture
def clerk(dept):
    return staff(Role.CLERK, dept, username="clerk", name="钱窗口")


@pytest.fixture
def reviewer(dept):
    return staff(Role.REVIEWER, dept, username="reviewer", name="孙审批")


@pytest.fixture
def head(dept):
    return staff(Role.DEPARTMENT_HEAD, dept, username="head", name="李科长")


@pytest.fixture
def citizen():
    return UserFactory(username="citizen", name="李明")


def filed(version, **kwargs):
    """A case filed through the service, with form data that fits the item's form."""
    kwargs.setdefault("form_data", {"shop_name": "好味小吃"})
    return submitted_case(version=version, **kwargs)


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def pdf(name="材料.pdf"):
    return SimpleUploadedFile(name, PDF_BYTES, content_type="application/pdf")


def post_json(client, path, body=None, **kwargs):
    return client.post(f"{API}{path}", json.dumps(body or {}), content_type="application/json", **kwargs)


def application(version, *, files=None, id_number=None, form_data=None, **extra) -> dict:
    """A multipart application body as a browser or a client program sends it."""
    body = {
        "item": version.item.implementation_code,
        "applicant.kind": "person",
        "applicant.name": "李明",
        "applicant.id_number": id_number or valid_ric(7),
        "applicant.phone": "13800000000",
        "form_data": json.dumps(form_data if form_data is not None else {"shop_name": "好味小吃", "area": 30}),
    }
    for spec_id, upload in (files or {}).items():
        body[f"materials.{spec_id}"] = upload
    body.update(extra)
    return body


def assert_error(response, status, code=None, fields=()):
    assert response.status_code == status, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["message"]
    if code:
        assert body["code"] == code, body
    if fields:
        assert set(body["fields"]) == set(fields), body
    return body


# The journey ---------------------------------------------------------------------------------------


def test_journey_file_correct_resubmit_decide_complete_and_read_the_timeline(version, specs, citizen, clerk,
                                                                               reviewer):
    me, window, review = login(citizen), login(clerk), login(reviewer)

    # A citizen files 食品经营许可 online with two of the three materials.
    response = me.post(API, application(version, files={specs["食品经营许可申请书"]: pdf("申请书.pdf"),
                                                         specs["食品安全管理制度"]: pdf("制度.pdf")}))
    assert response.status_code == 201, response.content
    case = response.json()
    number = case["number"]
    assert response["Location"].endswith(f"/api/v1/cases/{number}")
    assert (case["status"], case["status_label"], case["channel"]) == ("submitted", "待受理", "online")
    assert case["item"]["name"] == "食品经营许可" and case["department"]["short_name"] == "县市场监管局"
    assert case["applicant"]["identifier_masked"] == "*" * 14 + valid_ric(7)[-4:]
    assert case["applicant"]["identifier"] is None
    slots = {m["name"]: m for m in case["materials"]}
    assert [f["original_name"] for f in slots["食品经营许可申请书"]["files"]] == ["申请书.pdf"]
    assert slots["营业执照"]["files"] == []
    assert Applicant.objects.get().user == citizen
    assert case["allowed_actions"] == ["withdraw"]

    # The clerk sees it in the inbox and asks, in ONE notice, for everything that is missing or wrong.
    inbox = window.get(API).json()
    assert [row["number"] for row in inbox["results"]] == [number]
    assert "request-correction" in window.get(f"{API}/{number}").json()["allowed_actions"]
    response = post_json(window, f"/{number}/request-correction", {
        "items": [{"spec_id": specs["营业执照"], "reason": "未提交"},
                  {"spec_id": specs["食品经营许可申请书"], "reason": "未签字"}],
        "comment": "请一次性补齐以上材料",
    })
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "correction_requested"
    notice = response.json()["correction_notices"][0]
    assert [i["name"] for i in notice["items"]] == ["营业执照", "食品经营许可申请书"]

    # The citizen sees the notice and resubmits both files.
    mine = me.get(f"{API}/{number}").json()
    assert mine["status_label"] == "待补正" and mine["allowed_actions"] == ["resubmit", "withdraw"]
    response = me.post(f"{API}/{number}/resubmit", {f"materials.{specs['营业执照']}": pdf("执照.pdf"),
                                                    f"materials.{specs['食品经营许可申请书']}": pdf("申请书2.pdf"),
                                                    "comment": "已补齐"})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "submitted"

    # Accepted, decided, completed, delivered.
    assert post_json(window, f"/{number}/accept").json()["status"] == "accepted"
    response = post_json(review, f"/{number}/decide", {"decision": "approve", "reason": "符合条件"})
    assert response.status_code == 200, response.content
    assert response.json()["decision"] == "approve"
    assert post_json(review, f"/{number}/complete").json()["status"] == "completed"
    response = post_json(window, f"/{number}/deliver", {"method": "window"})
    assert response.json()["status"] == "delivered" and response.json()["delivery"]["method"] == "window"

    # The applicant reads the timeline: every public step, no staff names, no internal data.
    mine = me.get(f"{API}/{number}").json()
    assert [e["action"] for e in mine["events"]] == [
        Action.SUBMIT, Action.REQUEST_CORRECTION, Action.RESUBMIT, Action.ACCEPT, Action.DECIDE, Action.COMPLETE,
        Action.DELIVER]
    assert all(e["actor"] is None and e["data"] == {} for e in mine["events"])
    assert mine["events"][1]["comment"] == "请一次性补齐以上材料"
    staff_view = window.get(f"{API}/{number}").json()
    assert staff_view["events"][3]["actor"] == "钱窗口"
    slots = {m["name"]: m for m in staff_view["materials"]}
    assert [(f["original_name"], f["superseded"]) for f in slots["食品经营许可申请书"]["files"]] == [
        ("申请书.pdf", True), ("申请书2.pdf", False)]


def test_json_application_without_files_and_company_applicant(version, citizen):
    body = {"item": version.item.implementation_code, "channel": "mobile",
            "applicant": {"kind": "company", "name": "云溪县好味餐饮有限公司", "credit_code": make_uscc(901),
                          "legal_representative": "王五"},
            "form_data": {"shop_name": "好味小吃"}}
    response = post_json(login(citizen), "", body)
    assert response.status_code == 201, response.content
    assert response.json()["applicant"]["kind"] == "company"
    assert response.json()["channel"] == "mobile"


# Idempotency ---------------------------------------------------------------------------------------


def test_a_retried_submission_with_the_same_key_creates_one_case(version, specs, citizen):
    me = login(citizen)
    key = {"Idempotency-Key": "7d1c0f0e-2b4e-4c35-9a51-0d1c2b3a4f5e"}
    first = me.post(API, application(version, files={specs["营业执照"]: pdf()}), headers=key)
    again = me.post(API, application(version, files={specs["营业执照"]: pdf()}), headers=key)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["number"] == again.json()["number"]
    assert Case.objects.count() == 1 and CaseMaterial.objects.count() == 1

    # Another caller's key space is their own; a new key is a new case.
    assert login(UserFactory()).post(API, application(version), headers=key).status_code == 201
    assert me.post(API, application(version), headers={"Idempotency-Key": "another"}).status_code == 201
    assert Case.objects.count() == 3


def test_the_same_key_for_a_different_application_is_a_conflict(version, dept, citizen):
    me = login(citizen)
    key = {"Idempotency-Key": "k-1"}
    assert me.post(API, application(version), headers=key).status_code == 201
    other = published_item(department=dept, name="小餐饮登记")
    assert_error(me.post(API, application(other), headers=key), 409, "idempotency_key_reused")
    assert_error(me.post(API, application(version), headers={"Idempotency-Key": "has space"}), 400,
                 fields={"Idempotency-Key"})


# Concurrency and wrong states ----------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_two_clerks_accepting_at_once_one_succeeds_the_other_gets_a_conflict():
    dept = DepartmentFactory()
    case = submitted_case(version=published_item(department=dept))
    clients = [login(staff(Role.CLERK, dept)) for _ in range(2)]
    barrier = threading.Barrier(2)
    results = []

    def accept(client):
        barrier.wait()
        try:
            response = post_json(client, f"/{case.number}/accept")
            results.append((response.status_code, response.json()))
        finally:
            connection.close()

    threads = [threading.Thread(target=accept, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(status for status, _ in results) == [200, 409]
    conflict = next(body for status, body in results if status == 409)
    assert conflict["code"] == "invalid_transition"
    assert conflict["message"] == "办件当前状态为“已受理（审查中）”，不能受理。"
    assert CaseEvent.objects.filter(case=case, action=Action.ACCEPT).count() == 1


@pytest.mark.django_db(transaction=True)
def test_two_retries_racing_with_the_same_key_file_one_case():
    version = published_item(department=DepartmentFactory(), form_schema=FORM_SCHEMA)
    citizen = UserFactory(username="racer")
    clients = [login(citizen), login(citizen)]
    barrier = threading.Barrier(2)
    results = []

    def submit(client):
        barrier.wait()
        try:
            response = client.post(API, application(version), headers={"Idempotency-Key": "race-1"})
            results.append((response.status_code, response.json().get("number")))
        finally:
            connection.close()

    threads = [threading.Thread(target=submit, args=(c,)) for c in clients]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(status for status, _ in results) == [200, 201], results
    assert len({number for _, number in results}) == 1
    assert Case.objects.count() == 1 and Applicant.objects.count() == 1


WRONG_STATE = [
    ("decide", {"decision": "approve"}, "不能作出决定"),
    ("complete", {}, "不能办结"),
    ("deliver", {"method": "window"}, "不能送达"),
    ("resubmit", {}, "不能提交补正"),
    ("suspend", {"kind": "hearing", "reason": "听证"}, "不能启动特别程序"),
    ("resume", {}, "不能结束特别程序"),
    ("extend", {"days": 5, "reason": "情况复杂"}, "不能申请延期"),
    ("approve-extension", {"approve": True}, "不能审批延期"),
]


@pytest.mark.parametrize(("action", "body", "reason"), WRONG_STATE, ids=[w[0] for w in WRONG_STATE])
def test_actions_in_the_wrong_state_are_409_with_the_reason(version, head, action, body, reason):
    case = filed(version)
    response = post_json(login(head), f"/{case.number}/{action}", body)
    error = assert_error(response, 409)
    assert reason in error["message"]
    if error["code"] == "invalid_transition":
        assert "待受理" in error["message"]
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED


def test_accepting_twice_and_withdrawing_after_the_decision_are_conflicts(version, clerk, reviewer):
    case = filed(version)
    assert post_json(login(clerk), f"/{case.number}/accept").status_code == 200
    assert "已受理" in assert_error(post_json(login(clerk), f"/{case.number}/accept"), 409)["message"]
    post_json(login(reviewer), f"/{case.number}/decide", {"decision": "approve"})
    assert_error(post_json(login(clerk), f"/{case.number}/withdraw"), 409, "invalid_transition")
    assert_error(post_json(login(clerk), f"/{case.number}/refuse", {"reason": "x"}), 409)


def test_suspend_resume_extend_and_approve_extension(version, clerk, reviewer, head):
    case = services.case_accept(actor=clerk, case=filed(version))
    review = login(reviewer)
    response = post_json(review, f"/{case.number}/suspend", {"kind": "expert_review", "reason": "需组织专家评审",
                                                             "expected_end": "2030-01-10"})
    assert response.json()["status"] == "suspended" and response.json()["clock_state"] == "paused"
    assert post_json(review, f"/{case.number}/resume", {"comment": "评审通过"}).json()["status"] == "accepted"
    response = post_json(review, f"/{case.number}/extend", {"days": 30, "reason": "情况复杂"})
    assert_error(response, 400, fields={"days"})
    assert post_json(review, f"/{case.number}/extend", {"days": 5, "reason": "情况复杂"}).status_code == 200
    assert_error(post_json(review, f"/{case.number}/approve-extension", {"approve": True}), 403)
    response = post_json(login(head), f"/{case.number}/approve-extension", {"approve": True, "comment": "同意"})
    assert response.status_code == 200, response.content
    assert response.json()["extension_days"] == 5
    assert response.json()["extensions"][0]["status"] == "approved"


def test_refuse_and_withdraw_need_and_keep_reasons(version, clerk, citizen):
    case = filed(version)
    assert_error(post_json(login(clerk), f"/{case.number}/refuse", {"reason": " "}), 400, "required", {"reason"})
    response = post_json(login(clerk), f"/{case.number}/refuse", {"reason": "不属于本部门职权范围"})
    assert response.json()["status"] == "refused" and response.json()["closed_reason"] == "不属于本部门职权范围"
    own = filed(version, applicant=person(3, user=citizen))
    response = post_json(login(citizen), f"/{own.number}/withdraw", {"reason": "不再经营"})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"


# Bad input: a clear message per field, nothing half-saved ------------------------------------------


def test_an_invalid_id_number_is_a_field_error_and_nothing_is_saved(version, citizen):
    response = login(citizen).post(API, application(version, id_number="110105199001010000"))
    body = assert_error(response, 400, "invalid", {"applicant.id_number"})
    assert "居民身份证号码无效" in body["fields"]["applicant.id_number"][0]
    response = post_json(login(citizen), "", {"item": version.item.implementation_code,
                                              "applicant": {"kind": "company", "name": "某公司",
                                                            "credit_code": "91430422MA4L000000"}})
    assert "统一社会信用代码无效" in assert_error(response, 400, fields={"applicant.credit_code"})["fields"][
        "applicant.credit_code"][0]
    response = post_json(login(citizen), "", {"item": version.item.implementation_code,
                                              "applicant": {"kind": "person", "name": "李明"}})
    assert_error(response, 400, fields={"applicant.id_number"})
    assert Applicant.objects.count() == 0 and Case.objects.count() == 0


def test_a_disguised_executable_is_refused_and_nothing_is_saved(version, specs, citizen):
    files = {specs["营业执照"]: SimpleUploadedFile("营业执照.pdf", EXE_BYTES, content_type="application/pdf"),
             specs["食品经营许可申请书"]: pdf()}
    response = login(citizen).post(API, application(version, files=files))
    body = assert_error(response, 400, "file_type_not_allowed", {f"materials.{specs['营业执照']}"})
    assert "营业执照.pdf" in body["message"]
    assert (Applicant.objects.count(), Case.objects.count(), CaseMaterial.objects.count()) == (0, 0, 0)


def test_oversize_and_empty_files_are_refused(version, specs, citizen, settings):
    settings.CASES_MAX_FILE_BYTES = 100
    big = SimpleUploadedFile("big.png", PNG_BYTES + b"\x00" * 200, content_type="image/png")
    response = login(citizen).post(API, application(version, files={specs["营业执照"]: big}))
    assert_error(response, 400, "file_too_large", {f"materials.{specs['营业执照']}"})
    empty = SimpleUploadedFile("empty.pdf", b"", content_type="application/pdf")
    response = login(citizen).post(API, application(version, files={specs["营业执照"]: empty}))
    assert_error(response, 400, "file_empty", {f"materials.{specs['营业执照']}"})
    assert Case.objects.count() == 0


def test_unknown_file_fields_and_materials_of_another_item(version, dept, citizen):
    response = login(citizen).post(API, application(version, attachment=pdf()))
    assert_error(response, 400, "invalid", {"attachment"})
    foreign = published_item(department=dept, name="小餐饮登记").materials.first()
    response = login(citizen).post(API, application(version, files={foreign.pk: pdf()}))
    assert_error(response, 400, fields={f"materials.{foreign.pk}"})


def test_form_data_that_does_not_match_the_schema(version, citizen):
    response = login(citizen).post(API, application(version, form_data={"area": 0}))
    assert_error(response, 400, "invalid_form", {"form_data.shop_name", "form_data.area"})
    response = login(citizen).post(API, {**application(version), "form_data": "{not json"})
    assert_error(response, 400, "invalid", {"form_data"})
    assert Case.objects.count() == 0 and Applicant.objects.count() == 0


def test_action_bodies_are_validated_with_field_errors(version, clerk, reviewer):
    case = filed(version)
    response = post_json(login(clerk), f"/{case.number}/request-correction",
                         {"items": [{"spec_id": "x"}, {"reason": "缺"}]})
    assert_error(response, 400, "invalid", {"items.0.spec_id", "items.1.spec_id"})
    services.case_accept(actor=clerk, case=case)
    response = post_json(login(reviewer), f"/{case.number}/decide", {"decision": "maybe"})
    assert_error(response, 400, "invalid", {"decision"})
    response = post_json(login(reviewer), f"/{case.number}/decide", {"decision": "deny", "reason": "不符合条件"})
    assert_error(response, 400, "required", {"basis"})
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_an_unpublished_or_unknown_item(citizen):
    assert_error(login(citizen).post(API, {"item": "NO-SUCH", "applicant.kind": "person", "applicant.name": "李明",
                                           "applicant.id_number": valid_ric(1)}), 400, "item_not_published", {"item"})


# Scope and roles ----------------------------------------------------------------------------------


def test_a_reviewer_of_another_department_gets_404(version, reviewer):
    case = services.case_accept(actor=staff(Role.CLERK, version.item.department), case=filed(version))
    outsider = login(staff(Role.REVIEWER, DepartmentFactory(name="云溪县交通运输局"), username="outsider"))
    assert_error(outsider.get(f"{API}/{case.number}"), 404, "not_found")
    assert_error(post_json(outsider, f"/{case.number}/decide", {"decision": "approve"}), 404, "not_found")
    assert outsider.get(API).json()["count"] == 0
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_a_clerk_may_not_decide_403(version, clerk):
    case = services.case_accept(actor=clerk, case=filed(version))
    assert_error(post_json(login(clerk), f"/{case.number}/decide", {"decision": "approve"}), 403,
                 "permission_denied")


def test_applicants_see_only_their_own_cases(version, citizen):
    mine = filed(version, applicant=person(1, user=citizen))
    filed(version, applicant=person(2))
    me = login(citizen)
    assert [r["number"] for r in me.get(API).json()["results"]] == [mine.number]
    other = Case.objects.exclude(pk=mine.pk).get()
    assert_error(me.get(f"{API}/{other.number}"), 404)
    assert_error(post_json(me, f"/{other.number}/withdraw"), 404)


def test_typing_someone_elses_id_number_does_not_open_their_cases(version, citizen):
    owner = UserFactory(username="owner")
    theirs = filed(version, applicant=person(5, user=owner))
    response = login(citizen).post(API, application(version, id_number=valid_ric(5)))
    assert response.status_code == 201
    assert Applicant.objects.get(id_number=valid_ric(5)).user == owner
    numbers = [r["number"] for r in login(citizen).get(API).json()["results"]]
    assert numbers == [response.json()["number"]] and theirs.number not in numbers


def test_unauthenticated_calls_get_401_with_the_scheme(version):
    response = Client().get(API)
    body = assert_error(response, 401, "not_authenticated")
    assert body["message"]
    assert response["WWW-Authenticate"].startswith("Bearer")
    assert_error(Client().post(API, application(version)), 401)


def test_window_staff_file_at_the_window_and_citizens_cannot_pick_the_window(version, clerk, citizen):
    response = login(clerk).post(API, application(version))
    assert response.status_code == 201 and response.json()["channel"] == "window"
    assert Applicant.objects.get().user is None  # staff filing for someone never links their own account
    assert_error(login(citizen).post(API, application(version, channel="window")), 400, fields={"channel"})


# Personal data ------------------------------------------------------------------------------------


def test_full_id_number_only_for_roles_that_need_it_and_every_view_is_audited(version, clerk, citizen):
    case = filed(version, applicant=person(4, user=citizen),
                          agent={"name": "王代办", "id_number": valid_ric(8), "phone": "13900000000"})
    masked = login(clerk).get(f"{API}/{case.number}").json()
    assert masked["applicant"]["identifier"] is None and masked["personal_data_revealed"] is False
    assert masked["applicant"]["identifier_masked"].endswith(valid_ric(4)[-4:])
    assert valid_ric(4) not in json.dumps(masked) and valid_ric(8) not in json.dumps(masked)
    assert masked["agent"]["id_number_masked"] == "*" * 14 + valid_ric(8)[-4:]
    assert not AuditEvent.objects.filter(action="cases.view_personal_data").exists()

    full = login(clerk).get(f"{API}/{case.number}", {"reveal": "1"}).json()
    assert full["applicant"]["identifier"] == valid_ric(4) and full["agent"]["id_number"] == valid_ric(8)
    assert full["personal_data_revealed"] is True
    audit = AuditEvent.objects.get(action="cases.view_personal_data")
    assert (audit.actor, audit.object_id, audit.object_repr) == (clerk, str(case.pk), case.number)
    assert audit.new_values == {"fields": ["applicant.identifier", "agent.id_number"]}

    for user in (citizen, staff(Role.INSPECTOR, version.item.department)):
        assert_error(login(user).get(f"{API}/{case.number}", {"reveal": "1"}), 403, "personal_data_denied")
    assert AuditEvent.objects.filter(action="cases.view_personal_data").count() == 1


# Lists ---------------------------------------------------------------------------------------------


def test_list_filters_and_inbox_order(version, clerk, dept):
    a = services.case_accept(actor=clerk, case=filed(version, applicant=person(1, name="张三")))
    b = filed(version, applicant=person(2, name="李四"))
    other = published_item(department=dept, name="小餐饮登记")
    c = submitted_case(version=other, applicant=person(3, name="王五"))
    window = login(clerk)

    def numbers(**params):
        response = window.get(API, params)
        assert response.status_code == 200, response.content
        return [r["number"] for r in response.json()["results"]]

    assert numbers() == [a.number, b.number, c.number]  # clocked first, then by submission
    assert numbers(status="submitted") == [b.number, c.number]
    assert set(numbers(status=["submitted", "accepted"])) == {a.number, b.number, c.number}
    assert numbers(item=other.item.implementation_code) == [c.number]
    assert numbers(search="李四") == [b.number]
    assert numbers(search=c.number[:-1]) != []
    assert numbers(clock="normal") == [a.number]
    assert numbers(clock="overdue") == []
    assert numbers(ordering="-submitted_at") == [c.number, b.number, a.number]
    assert numbers(department=dept.pk) == [a.number, b.number, c.number]
    row = window.get(API).json()["results"][0]
    assert row["clock_state"] == "normal" and row["url"].endswith(f"/api/v1/cases/{a.number}")
    assert row["applicant"] == {"kind": "person", "kind_label": "自然人", "name": "张三",
                                "identifier_masked": "*" * 14 + valid_ric(1)[-4:]}
    body = assert_error(window.get(API, {"status": "nope", "clock": "red", "page_size": 1000}), 400)
    assert set(body["fields"]) == {"status", "clock", "page_size"}
    assert body["message"] == "查询参数有误，请检查标出的参数。"
    assert_error(window.get(API, {"submitted_from": "2025-02-01", "submitted_to": "2025-01-01"}), 400,
                 fields={"submitted_to"})
    assert_error(window.get(API, {"department": 999999}), 400, fields={"department"})


def test_overdue_and_warning_filters(version, clerk):
    from freezegun import freeze_time

    with freeze_time("2025-11-03 10:00:00+08:00"):
        late = services.case_accept(actor=clerk, case=filed(version))
    with freeze_time("2025-11-10 09:00:00+08:00"):  # due Mon 10th 17:30, warned from Fri 7th
        soon = services.case_accept(actor=clerk, case=filed(version, applicant=person(2)))
        window = login(clerk)
        assert [r["number"] for r in window.get(API, {"clock": "warning"}).json()["results"]] == [late.number]
        assert [r["number"] for r in window.get(API, {"clock": "normal"}).json()["results"]] == [soon.number]
    with freeze_time("2025-11-11 09:00:00+08:00"):
        response = login(clerk).get(API, {"clock": "overdue"}).json()
        assert [r["number"] for r in response["results"]] == [late.number]
        assert response["results"][0]["clock_state_label"] == "已超期"


def test_a_page_costs_the_same_number_of_queries_whatever_its_size(version, clerk, django_assert_num_queries):
    window = login(clerk)
    for i in range(3):
        filed(version, applicant=person(i + 1))
    with django_assert_num_queries(5):  # session, user, staff roles, count, page
        assert window.get(API).json()["count"] == 3
    for i in range(3, 12):
        filed(version, applicant=person(i + 1))
    with django_assert_num_queries(5):
        assert len(window.get(API).json()["results"]) == 12


def test_the_detail_costs_a_fixed_number_of_queries(version, clerk, django_assert_num_queries):
    small = filed(version, all_materials=False)
    big = services.case_accept(actor=clerk, case=filed(version, applicant=person(2)))
    window = login(clerk)
    window.get(f"{API}/{small.number}")  # warm the session
    # session, user, roles, case, materials, version materials, notices, extensions, pauses, events
    with django_assert_num_queries(10):
        window.get(f"{API}/{small.number}")
    with django_assert_num_queries(10):
        window.get(f"{API}/{big.number}")
