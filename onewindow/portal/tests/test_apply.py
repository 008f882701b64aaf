"""在线办理: guide → draft → review → one case; uploads checked by content; nothing lost, nothing twice."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.shortcuts import resolve_url
from django.urls import reverse

from onewindow.applications.models import ApplicationDraft, DraftFile
from onewindow.cases.constants import CaseStatus, Channel
from onewindow.cases.models import Case, CaseMaterial
from onewindow.catalogue.tests.factories import published_item

from .hall_helpers import SCHEMA, citizen, exe_as_pdf, pdf, person_fields, png, slot


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def user(db):
    return citizen()


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def _specs(version):
    return {m.name: m for m in version.materials.all()}


def _start(client, version) -> ApplicationDraft:
    response = client.get(reverse("portal:apply_start", args=[version.item.implementation_code]))
    assert response.status_code == 302
    draft = ApplicationDraft.objects.get()
    assert response["Location"] == reverse("portal:apply_edit", args=[draft.pk])
    return draft


def test_guide_has_the_online_button_and_the_visitor_is_asked_to_sign_in(client, food_item):
    html = client.get(reverse("portal:guide_detail", args=[food_item.item.implementation_code])).content.decode()
    start = reverse("portal:apply_start", args=[food_item.item.implementation_code])
    assert f'href="{start}"' in html and "在线办理" in html
    response = client.get(start)
    assert response.status_code == 302
    assert response["Location"].startswith(resolve_url("workbench:login") if "workbench" in response["Location"]
                                            else "/accounts/login/")
    assert ApplicationDraft.objects.count() == 0


def test_item_without_online_application_is_refused_in_chinese(signed_in, db):
    version = published_item(online_depth=2)
    response = signed_in.get(reverse("portal:apply_start", args=[version.item.implementation_code]))
    assert response.status_code == 409
    assert "该事项暂不支持网上申请" in response.content.decode()


def test_whole_journey_creates_exactly_one_case(signed_in, user, food_item):
    draft = _start(signed_in, food_item)
    specs = _specs(food_item)
    page = signed_in.get(reverse("portal:apply_edit", args=[draft.pk])).content.decode()
    for text in ("申请人信息", "上传申请材料", "必要", "容缺", "情形必要", "适用情形：委托他人代为办理的", "保存草稿",
                 "下一步：核对信息"):
        assert text in page, text
    assert "<script>" not in page and " onclick=" not in page and " onchange=" not in page.replace(
        'name="language" onchange', "")  # the shared language picker is not ours

    url = reverse("portal:apply_edit", args=[draft.pk])
    response = signed_in.post(url, {**person_fields(), "action": "review",
                                    slot(specs["食品经营许可申请书"]): pdf(), slot(specs["食品安全管理制度"]): png()})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == reverse("portal:apply_review", args=[draft.pk])
    review = signed_in.get(response["Location"]).content.decode()
    for text in ("请核对申请信息", "李明", "申请书.pdf", "照片.png", "确认提交", "前办结"):
        assert text in review, text
    assert person_fields()["id_number"] not in review  # masked on screen

    submit = signed_in.post(reverse("portal:apply_review", args=[draft.pk]))
    assert submit.status_code == 302
    assert submit["Location"] == reverse("portal:apply_done", args=[draft.pk])
    case = Case.objects.get()
    assert case.status == CaseStatus.SUBMITTED and case.channel == Channel.ONLINE
    assert case.applicant.user == user and case.created_by == user
    assert case.idempotency_key == f"draft-{draft.pk}"
    assert sorted(m.original_name for m in CaseMaterial.objects.filter(case=case)) == ["照片.png", "申请书.pdf"]
    assert not DraftFile.objects.exists()  # the case holds the files now

    done = signed_in.get(submit["Location"]).content.decode()
    assert case.number in done and "申请已提交" in done and "受理后开始计时" in done and "接下来会发生什么" in done

    # Double click and back button: the same POST again, and the review page again, never a second case.
    again = signed_in.post(reverse("portal:apply_review", args=[draft.pk]), follow=True)
    assert "不会重复提交" in again.content.decode() and case.number in again.content.decode()
    back = signed_in.get(reverse("portal:apply_review", args=[draft.pk]), follow=True)
    assert back.redirect_chain[-1][0] == reverse("portal:apply_done", args=[draft.pk])
    edit = signed_in.post(url, {**person_fields(), "action": "review"}, follow=True)
    assert "不会重复提交" in edit.content.decode()
    assert Case.objects.count() == 1


def test_apply_again_resumes_the_open_draft(signed_in, food_item):
    first = _start(signed_in, food_item)
    signed_in.get(reverse("portal:apply_start", args=[food_item.item.implementation_code]))
    assert ApplicationDraft.objects.get() == first


def test_disguised_executable_is_refused_next_to_its_slot_and_nothing_else_is_lost(signed_in, food_item):
    draft = _start(signed_in, food_item)
    specs = _specs(food_item)
    response = signed_in.post(reverse("portal:apply_edit", args=[draft.pk]), {
        **person_fields(name="王芳"), "action": "save",
        slot(specs["食品经营许可申请书"]): pdf(), slot(specs["营业执照"]): exe_as_pdf()})
    assert response.status_code == 400
    html = response.content.decode()
    assert "文件“营业执照.pdf”的内容不是 PDF、JPG、PNG 或 OFD 文件" in html
    assert 'value="王芳"' in html  # what was typed is still on the page ...
    draft.refresh_from_db()
    assert draft.applicant_data["name"] == "王芳"  # ... and saved
    assert list(DraftFile.objects.values_list("original_name", flat=True)) == ["申请书.pdf"]  # the good file kept


def test_upload_by_xhr_returns_json_with_progressable_result_and_chinese_error(signed_in, food_item):
    draft = _start(signed_in, food_item)
    spec = _specs(food_item)["食品经营许可申请书"]
    url = reverse("portal:apply_material", args=[draft.pk, spec.pk])
    ok = signed_in.post(url, {"file": png("平面图.png")}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert ok.status_code == 200 and ok.json()["is_image"] and ok.json()["name"] == "平面图.png"
    preview = signed_in.get(url)
    assert preview["Content-Type"] == "image/png" and preview["X-Content-Type-Options"] == "nosniff"
    bad = signed_in.post(url, {"file": exe_as_pdf("平面图.pdf")}, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert bad.status_code == 400
    assert "内容不是 PDF、JPG、PNG 或 OFD" in bad.json()["message"]
    assert DraftFile.objects.get().original_name == "平面图.png"  # the earlier file stays


def test_draft_survives_an_expired_session(client, user, food_item):
    client.force_login(user)
    draft = _start(client, food_item)
    specs = _specs(food_item)
    url = reverse("portal:apply_edit", args=[draft.pk])
    client.post(url, {**person_fields(address="云溪县城关镇 1 号"), "action": "save",
                      slot(specs["食品经营许可申请书"]): pdf()})
    client.logout()  # the session ends while the form is open

    late = client.post(url, {**person_fields(address="改了但未保存"), "action": "save"})
    assert late.status_code == 302 and "next=" in late["Location"]
    autosave = client.post(reverse("portal:apply_autosave", args=[draft.pk]), {"name": "x"},
                           HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert autosave.status_code == 401 and "登录已超时" in autosave.json()["message"]

    client.force_login(user)
    page = client.get(url).content.decode()
    assert 'value="云溪县城关镇 1 号"' in page and "申请书.pdf" in page


def test_autosave_keeps_half_typed_fields(signed_in, food_item):
    draft = _start(signed_in, food_item)
    response = signed_in.post(reverse("portal:apply_autosave", args=[draft.pk]), {"kind": "person", "name": "赵"},
                              HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert response.status_code == 200 and "已自动保存" in response.json()["message"]
    draft.refresh_from_db()
    assert draft.applicant_data["name"] == "赵"


def test_review_is_blocked_until_required_material_and_identity_are_there(signed_in, food_item):
    draft = _start(signed_in, food_item)
    specs = _specs(food_item)
    response = signed_in.post(reverse("portal:apply_edit", args=[draft.pk]),
                              {**person_fields(id_number="110105199001010000"), "action": "review"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "居民身份证号码无效" in html
    assert html.count("请上传此材料。") == 1  # only the 必要 one: not 容缺, 情形必要 or 免提交
    assert f'id="{slot(specs["食品经营许可申请书"])}"' in html
    # Going straight to the review page does not help.
    assert signed_in.get(reverse("portal:apply_review", args=[draft.pk])).status_code == 302
    assert signed_in.post(reverse("portal:apply_review", args=[draft.pk])).status_code == 302
    assert not Case.objects.exists()


def test_schema_form_errors_are_shown_per_field(signed_in, db):
    version = published_item(form_schema=SCHEMA, materials=[])
    draft = _start(signed_in, version)
    response = signed_in.post(reverse("portal:apply_edit", args=[draft.pk]), {
        **person_fields(), "action": "review", "f_shop_name": "一" * 25, "f_area": "0", "f_staff": "abc",
        "f_category": "bar", "f_email": "not-mail", "f_branches": "[oops"})
    assert response.status_code == 400
    form = response.context["sform"]
    assert set(form.errors) == {"f_shop_name", "f_area", "f_staff", "f_category", "f_email", "f_branches"}
    html = response.content.decode()
    for label in ("店铺名称", "经营面积（平方米）", "经营类别", "开业日期", "连锁经营", "与营业执照一致"):
        assert label in html, label
    assert '<option value="snack">小吃店</option>' in html
    assert 'type="date"' in html

    ok = signed_in.post(reverse("portal:apply_edit", args=[draft.pk]), {
        **person_fields(), "action": "review", "f_shop_name": "李记小吃", "f_area": "35.5", "f_staff": "3",
        "f_category": "snack", "f_open_date": "2026-12-01", "f_chain": "on", "f_branches": '["城关镇"]'})
    assert ok.status_code == 302
    submitted = signed_in.post(reverse("portal:apply_review", args=[draft.pk]), follow=True)
    assert submitted.redirect_chain[-1][0] == reverse("portal:apply_done", args=[draft.pk]), [
        str(m) for m in submitted.context["messages"]]
    case = Case.objects.get()
    assert case.form_data == {"shop_name": "李记小吃", "area": 35.5, "staff": 3, "category": "snack",
                              "open_date": "2026-12-01", "chain": True, "branches": ["城关镇"]}


def test_a_company_applies_with_its_credit_code(signed_in, food_item):
    from onewindow.org.tests.factories import make_uscc

    draft = _start(signed_in, food_item)
    spec = _specs(food_item)["食品经营许可申请书"]
    signed_in.post(reverse("portal:apply_edit", args=[draft.pk]), {
        "kind": "company", "company_name": "云溪县青禾餐饮有限公司", "credit_code": make_uscc(5).lower(),
        "legal_representative": "王秀英", "phone": "0734-1234567", "action": "review", slot(spec): pdf()})
    signed_in.post(reverse("portal:apply_review", args=[draft.pk]))
    applicant = Case.objects.get().applicant
    assert applicant.kind == "company" and applicant.name == "云溪县青禾餐饮有限公司"
    assert applicant.credit_code == make_uscc(5)


def test_someone_elses_draft_is_404(client, food_item):
    owner = citizen("owner")
    client.force_login(owner)
    draft = _start(client, food_item)
    client.force_login(citizen("other", mobile="13900000000"))
    assert client.get(reverse("portal:apply_edit", args=[draft.pk])).status_code == 404
    # A POST that fails comes back with the message (the project's ApplicationErrorMiddleware), then 404.
    posted = client.post(reverse("portal:apply_review", args=[draft.pk]), follow=True)
    assert posted.status_code == 404 and "未找到该申请草稿" in posted.content.decode()
    assert not Case.objects.exists()


# --- real-name accounts (onewindow.accounts) -----------------------------------------------------------------

def _profile(user, seq, **kwargs):
    from onewindow.accounts.models import CitizenProfile
    from onewindow.cases.tests.factories import valid_ric

    return CitizenProfile.objects.create(user=user, kind=kwargs.pop("kind", "person"), mobile=user.mobile,
                                         name=user.name, id_number=valid_ric(seq), **kwargs)


def test_real_name_account_applies_as_itself_without_typing_its_id(signed_in, user, food_item):
    profile = _profile(user, 21)
    draft = _start(signed_in, food_item)
    page = signed_in.get(reverse("portal:apply_edit", args=[draft.pk])).content.decode()
    assert "实名账户" in page and 'name="id_number"' not in page
    assert profile.id_number not in page and profile.id_number[-4:] in page  # masked
    spec = _specs(food_item)["食品经营许可申请书"]
    # Typed identity fields are ignored: the account's identity is used.
    signed_in.post(reverse("portal:apply_edit", args=[draft.pk]), {
        "phone": "13800138000", "name": "冒名", "id_number": person_fields()["id_number"], "action": "review",
        slot(spec): pdf()})
    signed_in.post(reverse("portal:apply_review", args=[draft.pk]))
    applicant = Case.objects.get().applicant
    assert (applicant.name, applicant.id_number, applicant.user) == ("李明", profile.id_number, user)


def test_authorised_member_applies_for_the_company_and_both_see_the_case(client, food_item):
    import datetime as dt

    from onewindow.accounts.models import CompanyAuthorization
    from onewindow.org.tests.factories import make_uscc

    boss = citizen("boss", name="王秀英", mobile="13900139000")
    _profile(boss, 22, kind="company", company_name="云溪县青禾农业发展有限公司", credit_code=make_uscc(22))
    member = citizen("member", name="陈晓", mobile="13700137000")
    _profile(member, 23)
    CompanyAuthorization.objects.create(company=boss, member=member, valid_from=dt.date(2020, 1, 1), granted_by=boss)
    client.force_login(member)
    draft = _start(client, food_item)
    page = client.get(reverse("portal:apply_edit", args=[draft.pk])).content.decode()
    assert "以谁的名义申请" in page and "云溪县青禾农业发展有限公司" in page and "企业授权" in page
    assert "陈晓（本人）" in page
    spec = _specs(food_item)["食品经营许可申请书"]
    client.post(reverse("portal:apply_edit", args=[draft.pk]), {
        "on_behalf": str(boss.pk), "phone": "13700137000", "action": "review", slot(spec): pdf()})
    client.post(reverse("portal:apply_review", args=[draft.pk]))
    case = Case.objects.get()
    assert case.applicant.kind == "company" and case.applicant.user == boss and case.created_by == member
    assert case.number in client.get(reverse("portal:my_cases")).content.decode()
    client.force_login(boss)
    assert case.number in client.get(reverse("portal:my_cases")).content.decode()


def test_a_forged_company_choice_is_refused(client, food_item):
    boss = citizen("boss2", name="王秀英", mobile="13900139001")
    member = citizen("member2", name="陈晓", mobile="13700137001")
    _profile(member, 24)
    client.force_login(member)
    draft = _start(client, food_item)
    spec = _specs(food_item)["食品经营许可申请书"]
    client.post(reverse("portal:apply_edit", args=[draft.pk]), {
        "on_behalf": str(boss.pk), "phone": "13700137000", "action": "review", slot(spec): pdf()})
    client.post(reverse("portal:apply_review", args=[draft.pk]))
    case = Case.objects.get()
    assert case.applicant.user == member  # not an allowed choice: the account's own identity is used
