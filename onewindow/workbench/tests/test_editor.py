import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from onewindow.catalogue import services
from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.models import ItemVersion, ServiceItem
from onewindow.catalogue.tests.factories import draft_item, published_item

from .helpers import editor_data

pytestmark = pytest.mark.django_db


def url(version, name="workbench:version"):
    return reverse(name, args=[version.pk])


def reload(version):
    return ItemVersion.objects.get(pk=version.pk)


def test_editor_shows_every_section_with_model_labels_and_autofocus(client, dept, editor):
    version = draft_item(department=dept, actor=editor)
    client.force_login(editor)
    response = client.get(url(version))
    page = response.content.decode()
    assert response.status_code == 200
    for title in ["基本信息", "受理条件与依据", "时限", "办理方式", "结果与联系方式", "主题与关键词",
                  "申请材料", "办理环节", "收费项目", "常见问题"]:
        assert title in page
    for label in ["设定依据", "承诺办结时限", "网上办理深度", "监督投诉电话", "可替代的电子证照类型", "环节时限"]:
        assert label in page
    assert 'name="name"' in page and "autofocus" in page
    assert 'aria-keyshortcuts="Control+S Alt+S"' in page
    assert "食品经营许可申请书" in page


def test_editor_shows_every_quality_violation_linked_to_its_field(client, dept, editor):
    version = draft_item(department=dept, actor=editor, legal_basis="", consult_phone="",
                         materials=[{"name": "申请书"}, {"name": "申请书"}])
    client.force_login(editor)
    response = client.get(url(version))
    page = response.content.decode()
    panel = response.context["panel"]
    assert {i.code for i in panel.errors} == {"legal_basis_required", "consult_phone_required", "material_duplicate"}
    assert 'href="#id_legal_basis"' in page
    assert 'href="#id_consult_phone"' in page
    assert 'href="#id_materials-1-name"' in page
    assert "行政权力事项必须填写设定依据。" in page
    assert 'aria-invalid="true"' in page


def test_save_draft_updates_elements_and_rows_in_the_order_entered(client, dept, editor):
    version = draft_item(department=dept, actor=editor)
    client.force_login(editor)
    data = editor_data(version, name="食品经营许可（新办）", promised_days="4", keywords="餐饮 许可",
                       rows={
                           "materials": [{"name": "营业执照", "necessity": "required", "form": "copy", "count": 2,
                                          "source": "government", "certificate_type": "营业执照"},
                                         {"name": "食品经营许可申请书", "necessity": "required", "form": "original",
                                          "count": 1, "source": "applicant"}],
                           "steps": [{"kind": "accept", "days": "1"}, {"kind": "review", "days": "1.5"},
                                     {"kind": "decide", "days": "1.5"}],
                           "fees": [],
                           "faqs": [{"question": "可以网上办吗？", "answer": "可以，在线预审后到窗口领证。"}],
                       })
    response = client.post(url(version), data)
    assert response.status_code == 302, response.context and response.context.get("alert")
    version = reload(version)
    assert version.name == "食品经营许可（新办）" and version.promised_days == 4
    assert [m.name for m in version.materials.all()] == ["营业执照", "食品经营许可申请书"]
    assert version.materials.all()[0].count == 2
    assert [s.kind for s in version.steps.all()] == ["accept", "review", "decide"]
    assert [f.question for f in version.faqs.all()] == ["可以网上办吗？"]
    assert ServiceItem.objects.get(pk=version.item_id).name == "食品经营许可（新办）"  # never published: name follows
    follow = client.get(response["Location"])
    assert "草稿已保存。" in follow.content.decode()


def test_rows_can_be_moved_and_deleted(client, dept, editor):
    version = draft_item(department=dept, actor=editor)
    client.force_login(editor)
    data = editor_data(version)
    # Third material first (ORDER), first material deleted.
    data["materials-2-ORDER"], data["materials-0-ORDER"] = "0", "3"
    data["materials-0-DELETE"] = "on"
    assert client.post(url(version), data).status_code == 302
    assert [m.name for m in reload(version).materials.all()] == ["食品安全管理制度", "营业执照"]


def test_a_blank_extra_row_is_ignored(client, dept, editor):
    version = draft_item(department=dept, actor=editor)
    client.force_login(editor)
    data = editor_data(version)
    data["steps-TOTAL_FORMS"] = "5"  # one blank row added by the page
    data.update({"steps-4-kind": "", "steps-4-days": "0", "steps-4-ORDER": "5"})
    assert client.post(url(version), data).status_code == 302
    assert reload(version).steps.count() == 4


def test_invalid_input_is_shown_next_to_the_field_and_nothing_is_saved(client, dept, editor):
    version = draft_item(department=dept, actor=editor)
    client.force_login(editor)
    data = editor_data(version, name="不会保存", visits_required="12",
                       rows={"materials": [{"name": "身份证明", "necessity": "conditional", "condition": "",
                                            "form": "original", "count": 1, "source": "applicant"}]})
    response = client.post(url(version), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "草稿未保存" in page
    assert "情形必要材料须写明适用情形。" in page
    assert "visits_required" in response.context["form"].errors
    assert reload(version).name == "食品经营许可"


def test_promised_days_over_legal_days_comes_back_from_the_service_as_a_field_error(client, dept, editor):
    version = draft_item(department=dept, actor=editor)
    client.force_login(editor)
    response = client.post(url(version), editor_data(version, legal_days="3", promised_days="5"))
    assert response.status_code == 400
    assert "承诺办结时限不能超过法定办结时限。" in response.context["form"].errors["promised_days"]


def test_file_upload_is_stored_and_kept_on_the_next_save(client, dept, editor):
    version = draft_item(department=dept, actor=editor)
    client.force_login(editor)
    data = editor_data(version)
    data["materials-0-blank_form"] = SimpleUploadedFile("申请书.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    assert client.post(url(version), data).status_code == 302
    stored = reload(version).materials.all()[0].blank_form.name
    assert stored.startswith("catalogue/forms/")
    version = reload(version)
    assert client.post(url(version), editor_data(version, name="再次保存")).status_code == 302
    assert reload(version).materials.all()[0].blank_form.name == stored


def test_upload_of_a_wrong_type_is_refused(client, dept, editor):
    version = draft_item(department=dept, actor=editor)
    client.force_login(editor)
    data = editor_data(version)
    data["materials-0-sample"] = SimpleUploadedFile("x.exe", b"MZ", content_type="application/octet-stream")
    response = client.post(url(version), data)
    assert response.status_code == 400
    assert not reload(version).materials.all()[0].sample


def test_a_stale_form_does_not_overwrite_someone_elses_save(client, dept, editor, head):
    version = draft_item(department=dept, actor=editor)
    data = editor_data(version, name="我的修改")
    services.version_update(actor=head, version=version, data={"name": "负责人的修改"})
    client.force_login(editor)
    response = client.post(url(version), data)
    assert response.status_code == 409
    assert "已被他人修改" in response.content.decode()
    assert reload(version).name == "负责人的修改"
    data["stamp"] = response.context["stamp"]  # the page now carries the new stamp: saving again overwrites
    assert client.post(url(version), data).status_code == 302
    assert reload(version).name == "我的修改"


def test_submit_with_violations_lists_them_all_and_stays_a_draft(client, dept, editor):
    version = draft_item(department=dept, actor=editor)
    client.force_login(editor)
    data = editor_data(version, action="submit", legal_basis="", complaint_phone="", place="",
                       rows={"steps": [{"kind": "accept", "days": "1"}]})
    response = client.post(url(version), data)
    assert response.status_code == 400
    page = response.content.decode()
    assert "草稿已保存，但未能提交审核" in page
    codes = {i.code for i in response.context["panel"].errors}
    assert {"legal_basis_required", "complaint_phone_required", "place_required", "step_missing",
            "step_days_mismatch"} <= codes
    for message in ["行政权力事项必须填写设定依据。", "监督投诉电话不能为空。", "需要到现场办理的事项必须填写办理地点。",
                    "办理环节缺少“决定”。"]:
        assert message in page
    version = reload(version)
    assert version.status == VersionStatus.DRAFT
    assert version.legal_basis == ""  # the edits were saved


def test_submit_clean_sends_it_to_review(client, dept, editor):
    version = draft_item(department=dept, actor=editor)
    client.force_login(editor)
    response = client.post(url(version), editor_data(version, action="submit", change_summary="首次编制"))
    assert response.status_code == 302
    version = reload(version)
    assert version.status == VersionStatus.IN_REVIEW
    assert version.submitted_by == editor and version.change_summary == "首次编制"
    page = client.get(response["Location"]).content.decode()
    assert "已提交审核" in page
    assert 'name="action"' not in page  # read-only now


def test_live_check_applies_the_rules_to_unsaved_input(client, dept, editor):
    version = draft_item(department=dept, actor=editor)
    client.force_login(editor)
    response = client.post(url(version, "workbench:version_check"), editor_data(version, consult_phone=""),
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert "<html" not in page
    assert "咨询电话不能为空。" in page and "尚未保存" in page
    assert reload(version).consult_phone  # nothing written


def test_live_check_with_malformed_input_says_so(client, dept, editor):
    version = draft_item(department=dept, actor=editor)
    client.force_login(editor)
    response = client.post(url(version, "workbench:version_check"), editor_data(version, legal_days="abc"))
    page = response.content.decode()
    assert "部分内容格式不正确" in page and "法定办结时限" in page


def test_published_version_is_read_only_with_a_new_revision_button(client, dept, editor):
    version = published_item(department=dept)
    client.force_login(editor)
    page = client.get(url(version)).content.decode()
    assert "新建修订版本" in page
    assert 'name="action"' not in page
    response = client.post(url(version), editor_data(version, name="直接改已发布版本"))
    assert response.status_code == 302
    assert reload(version).name == "食品经营许可"


def test_new_revision_copies_the_published_version(client, dept, editor):
    version = published_item(department=dept)
    client.force_login(editor)
    response = client.post(reverse("workbench:item_revise", args=[version.item_id]))
    draft = ItemVersion.objects.get(item=version.item, number=2)
    assert response["Location"] == url(draft)
    assert draft.status == VersionStatus.DRAFT and draft.created_by == editor
    assert [m.name for m in draft.materials.all()] == [m.name for m in version.materials.all()]
    # A second revision is refused while the first is open, with the service's message.
    response = client.post(reverse("workbench:item_revise", args=[version.item_id]), follow=True)
    assert "已有未发布的草稿" in response.content.decode()


def test_discard_draft_asks_first(client, dept, editor):
    published = published_item(department=dept)
    draft = services.version_start_draft(actor=editor, item=published.item)
    client.force_login(editor)
    confirm = client.get(url(draft, "workbench:version_discard")).content.decode()
    assert "确认删除草稿" in confirm and "现行的第 1 版不受影响" in confirm
    response = client.post(url(draft, "workbench:version_discard"))
    assert response.status_code == 302
    assert not ItemVersion.objects.filter(pk=draft.pk).exists()
    assert ItemVersion.objects.filter(pk=published.pk).exists()


def test_discarding_the_only_draft_removes_the_item(client, dept, editor):
    draft = draft_item(department=dept, actor=editor)
    client.force_login(editor)
    response = client.post(url(draft, "workbench:version_discard"))
    assert response["Location"] == reverse("workbench:items")
    assert not ServiceItem.objects.filter(pk=draft.item_id).exists()


def test_item_url_opens_the_open_draft_else_the_published_version(client, dept, editor):
    published = published_item(department=dept)
    client.force_login(editor)
    assert client.get(reverse("workbench:item", args=[published.item_id]))["Location"] == url(published)
    draft = services.version_start_draft(actor=editor, item=published.item)
    assert client.get(reverse("workbench:item", args=[published.item_id]))["Location"] == url(draft)


def test_history_lists_every_version_with_people_and_comments(client, dept, editor, head, head2):
    version = draft_item(department=dept, actor=editor)
    services.version_submit(actor=editor, version=version)
    services.version_reject(actor=head, version=version, comment="受理条件需细化")
    services.version_submit(actor=editor, version=version)
    services.version_approve(actor=head2, version=version)
    revision = services.version_start_draft(actor=editor, item=version.item)
    client.force_login(editor)
    response = client.get(reverse("workbench:item_history", args=[version.item_id]))
    page = response.content.decode()
    assert [v.number for v in response.context["versions"]] == [revision.number, version.number]
    assert "王局长" in page and "张编辑" in page
    assert "已发布" in page and "草稿" in page
    assert "退回修改" in page and "受理条件需细化" in page  # the review trail keeps every comment
