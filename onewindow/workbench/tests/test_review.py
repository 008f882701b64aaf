import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from onewindow.catalogue import services
from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.models import ItemVersion, ServiceItem
from onewindow.catalogue.selectors import item_search
from onewindow.catalogue.tests.factories import draft_item, published_item

pytestmark = pytest.mark.django_db
QUEUE = "/workbench/catalogue/review/"


def url(version, name):
    return reverse(f"workbench:{name}", args=[version.pk])


def submitted(dept, editor, **overrides):
    version = draft_item(department=dept, actor=editor, **overrides)
    return services.version_submit(actor=editor, version=version)


def reload(version):
    return ItemVersion.objects.get(pk=version.pk)


def test_queue_lists_versions_in_review_in_the_reviewers_scope(client, dept, other_dept, editor, head, outsider):
    mine = submitted(dept, editor, name="食品经营许可")
    draft_item(department=dept, actor=editor, name="仍是草稿")
    other = draft_item(department=other_dept, actor=outsider, name="道路运输经营许可")
    services.version_submit(actor=outsider, version=other)
    client.force_login(head)
    response = client.get(QUEUE)
    assert [v.pk for v in response.context["versions"]] == [mine.pk]
    page = response.content.decode()
    assert "仍是草稿" not in page and "道路运输经营许可" not in page


def test_queue_refuses_an_editor(client, editor):
    client.force_login(editor)
    response = client.get(QUEUE)
    assert response.status_code == 403
    assert "只有部门负责人或系统管理员可以审核发布事项" in response.content.decode()


def test_queue_runs_a_fixed_number_of_queries(client, dept, editor, head):
    client.force_login(head)
    submitted(dept, editor)
    client.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        client.get(QUEUE)
    for _ in range(5):
        submitted(dept, editor)
    with CaptureQueriesContext(connection) as many:
        client.get(QUEUE)
    assert len(few) == len(many)


def test_review_page_shows_the_diff_against_the_published_version(client, dept, editor, head):
    published = published_item(department=dept)
    draft = services.version_start_draft(actor=editor, item=published.item)
    services.version_update(actor=editor, version=draft, data={
        "promised_days": 4, "keywords": "餐饮 小吃",
        "steps": [{"kind": "accept", "days": 1}, {"kind": "review", "days": 1}, {"kind": "decide", "days": 1},
                  {"kind": "complete", "days": 1}],
        "materials": [{"name": "食品经营许可申请书"}, {"name": "营业执照", "source": "government",
                                                      "certificate_type": "营业执照"},
                      {"name": "健康证明", "necessity": "required"}],
    })
    services.version_submit(actor=editor, version=draft)
    client.force_login(head)
    response = client.get(url(draft, "version_review"))
    assert response.status_code == 200
    diff = response.context["diff"]
    changed = {c.name: (c.old, c.new) for c in diff.fields}
    assert changed["promised_days"] == ("5", "4")
    assert changed["keywords"] == ("餐饮 餐馆 饭店 小吃", "餐饮 小吃")
    materials = next(c for c in diff.children if c.relation == "materials")
    assert materials.added == ["健康证明"] and materials.removed == ["食品安全管理制度"]
    steps = next(c for c in diff.children if c.relation == "steps")
    assert [r.key for r in steps.changed] == ["审查"]
    page = response.content.decode()
    assert "与现行版本（第 1 版）的差异" in page and "健康证明" in page and "新增" in page and "删除" in page
    assert "质量检查" in page


def test_the_submitter_cannot_approve_the_button_is_disabled_and_the_service_refuses(client, dept, head):
    version = draft_item(department=dept, actor=head)
    services.version_submit(actor=head, version=version)
    client.force_login(head)
    page = client.get(url(version, "version_review")).content.decode()
    assert "审核发布须由编辑、提交人以外的人员进行（双人复核）。" in page
    assert "disabled" in page
    response = client.post(url(version, "version_approve"), {"comment": ""})
    assert response.status_code == 403
    assert "审核发布须由编辑、提交人以外的人员进行（双人复核）。" in response.content.decode()
    assert reload(version).status == VersionStatus.IN_REVIEW


def test_a_head_who_edited_the_draft_cannot_approve_it(client, dept, editor, head):
    version = draft_item(department=dept, actor=editor)
    services.version_update(actor=head, version=version, data={"keywords": "负责人改过"})
    services.version_submit(actor=editor, version=version)
    client.force_login(head)
    assert client.get(url(version, "version_review")).context["four_eyes"]
    response = client.post(url(version, "version_approve"), {"comment": ""})
    assert response.status_code == 403
    assert reload(version).status == VersionStatus.IN_REVIEW


def test_another_head_approves_and_the_item_is_published_and_found(client, dept, editor, head):
    version = submitted(dept, editor, name="食品经营许可", keywords="餐饮 饭店")
    client.force_login(head)
    response = client.post(url(version, "version_approve"), {"comment": "要素齐全，同意发布"})
    assert response.status_code == 302
    version = reload(version)
    assert version.status == VersionStatus.PUBLISHED and version.reviewed_by == head
    assert version.review_comment == "要素齐全，同意发布"
    assert ServiceItem.objects.get(pk=version.item_id).published_version_id == version.pk
    assert item_search(query="饭店").results == [version]
    assert "已发布" in client.get(response["Location"]).content.decode()


def test_approving_a_revision_retires_the_previous_version(client, dept, editor, head):
    published = published_item(department=dept)
    draft = services.version_start_draft(actor=editor, item=published.item)
    services.version_submit(actor=editor, version=draft)
    client.force_login(head)
    client.post(url(draft, "version_approve"), {"comment": ""})
    assert reload(published).status == VersionStatus.RETIRED
    assert ServiceItem.objects.get(pk=published.item_id).published_version_id == draft.pk


def test_reject_requires_a_comment(client, dept, editor, head):
    version = submitted(dept, editor)
    client.force_login(head)
    response = client.post(url(version, "version_reject"), {"comment": "  "})
    assert response.status_code == 400
    assert "退回修改须填写审核意见。" in response.content.decode()
    assert reload(version).status == VersionStatus.IN_REVIEW


def test_reject_with_a_comment_returns_it_to_the_editor(client, dept, editor, head):
    version = submitted(dept, editor)
    client.force_login(head)
    response = client.post(url(version, "version_reject"), {"comment": "请补充受理条件"})
    assert response["Location"] == QUEUE
    version = reload(version)
    assert version.status == VersionStatus.DRAFT and version.review_comment == "请补充受理条件"
    client.force_login(editor)
    page = client.get(url(version, "version")).content.decode()
    assert "审核退回意见" in page and "请补充受理条件" in page


def test_an_editor_cannot_open_the_review_page(client, dept, editor, head):
    version = draft_item(department=dept, actor=head)
    services.version_submit(actor=head, version=version)
    client.force_login(editor)
    assert client.get(url(version, "version_review")).status_code == 403
    assert client.post(url(version, "version_approve")).status_code == 403


def test_review_of_a_version_not_in_review_goes_back_to_the_version(client, dept, editor, head):
    version = draft_item(department=dept, actor=editor)
    client.force_login(head)
    response = client.get(url(version, "version_review"))
    assert response["Location"] == url(version, "version")


def test_approve_is_refused_while_quality_errors_remain(client, dept, editor, head):
    version = submitted(dept, editor)
    # Someone changed the data under the review (e.g. an import): the page and the service both refuse.
    ItemVersion.objects.filter(pk=version.pk).update(consult_phone="")
    client.force_login(head)
    page = client.get(url(version, "version_review")).content.decode()
    assert "本版本还有质量错误，不能发布" in page
    response = client.post(url(version, "version_approve"), {"comment": ""})
    assert response.status_code == 400
    assert "不符合规范" in response.content.decode()


# --------------------------------------------------------------------------------------------------
# Retire


def test_retire_asks_for_a_reason_then_withdraws_the_item(client, dept, head):
    version = published_item(department=dept)
    client.force_login(head)
    page = client.get(url(version, "version_retire")).content.decode()
    assert "废止原因" in page and "确认废止" in page
    response = client.post(url(version, "version_retire"), {"reason": ""})
    assert response.status_code == 200
    assert "请填写废止原因。" in response.content.decode()
    assert "请勾选确认后再废止。" in response.content.decode()
    assert reload(version).status == VersionStatus.PUBLISHED
    response = client.post(url(version, "version_retire"), {"reason": "事项已取消", "confirm": "on"})
    assert response.status_code == 302
    assert reload(version).status == VersionStatus.RETIRED
    assert ServiceItem.objects.get(pk=version.item_id).published_version is None
    assert item_search(query="食品").results == []


def test_an_editor_cannot_retire(client, dept, editor):
    version = published_item(department=dept)
    client.force_login(editor)
    assert "只有部门负责人或系统管理员可以废止事项" in client.get(url(version, "version_retire")).content.decode()
    response = client.post(url(version, "version_retire"), {"reason": "想废止", "confirm": "on"})
    assert response.status_code == 403
    assert "您无权审核发布该部门的事项。" in response.content.decode()
    assert reload(version).status == VersionStatus.PUBLISHED


def test_review_and_editor_pages_have_unique_element_ids(client, dept, editor, head):
    import re
    from collections import Counter

    version = submitted(dept, editor)
    draft = draft_item(department=dept, actor=editor)
    client.force_login(head)
    for page_url in (url(version, "version_review"), url(draft, "version")):
        html = client.get(page_url).content.decode()
        html = re.sub(r"<template.*?</template>", "", html, flags=re.S)  # row templates are not in the DOM
        dupes = [i for i, n in Counter(re.findall(r'\sid="([^"]+)"', html)).items() if n > 1]
        assert dupes == [], page_url


def test_editor_withdraws_a_version_from_review(client, django_user_model):
    from onewindow.catalogue import services as catalogue_services
    from onewindow.catalogue.tests.factories import draft_item
    from onewindow.org.constants import Role
    from onewindow.org.tests.factories import DepartmentFactory, staff

    dept = DepartmentFactory()
    editor = staff(Role.CATALOGUE_EDITOR, dept)
    version = draft_item(department=dept, actor=editor)
    catalogue_services.version_submit(actor=editor, version=version)
    client.force_login(editor)
    page = client.get(f"/workbench/catalogue/versions/{version.pk}/")
    assert "撤回修改" in page.content.decode()
    response = client.post(f"/workbench/catalogue/versions/{version.pk}/withdraw/", follow=True)
    assert "已撤回为草稿" in response.content.decode()
    version.refresh_from_db()
    assert version.status == "draft"
