import threading

import pytest
from django.db import connection

from onewindow.catalogue import services
from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.models import ItemVersion, SearchTerm, ServiceItem
from onewindow.catalogue.selectors import item_search
from onewindow.catalogue.tests.factories import draft_item, published_item, valid_version_data
from onewindow.core.errors import ApplicationError, Conflict, PermissionDenied
from onewindow.core.models import AuditEvent
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept():
    return DepartmentFactory(name="示范县市场监督管理局")


@pytest.fixture
def editor(dept):
    return staff(Role.CATALOGUE_EDITOR, dept, username="editor")


@pytest.fixture
def head(dept):
    return staff(Role.DEPARTMENT_HEAD, dept, username="head")


def test_item_create_makes_a_draft_and_audits_it(editor, dept):
    version = services.item_create(actor=editor, department=dept, implementation_code="11430422MB0001",
                                   basic_code="0000100001", data=valid_version_data())
    assert version.status == VersionStatus.DRAFT and version.number == 1
    assert [m.name for m in version.materials.all()] == ["食品经营许可申请书", "营业执照", "食品安全管理制度"]
    assert version.item.name == "食品经营许可"
    assert AuditEvent.objects.filter(action="catalogue.item_create", object_id=str(version.item.pk)).exists()


@pytest.mark.parametrize("code", ["短", "含有中文的编码号码", "abc def ghi"])
def test_bad_implementation_code_is_refused_with_a_field_error(editor, dept, code):
    with pytest.raises(ApplicationError) as exc:
        services.item_create(actor=editor, department=dept, implementation_code=code, basic_code="0000100001",
                             data=valid_version_data())
    assert "implementation_code" in exc.value.fields
    assert not ServiceItem.objects.exists()


def test_duplicate_code_is_refused(editor, dept):
    draft_item(department=dept, code="11430422MB0001")
    with pytest.raises(ApplicationError, match="已存在"):
        draft_item(department=dept, code="11430422MB0001")


def test_editor_of_another_department_may_not_create_or_edit(dept):
    outsider = staff(Role.CATALOGUE_EDITOR, DepartmentFactory())
    with pytest.raises(PermissionDenied):
        services.item_create(actor=outsider, department=dept, implementation_code="11430422MB0002",
                             basic_code="0000100001", data=valid_version_data())
    version = draft_item(department=dept)
    with pytest.raises(PermissionDenied):
        services.version_update(actor=outsider, version=version, data={"name": "改名"})


def test_promised_over_legal_is_a_clear_error_not_a_database_crash(editor, dept):
    version = draft_item(department=dept)
    with pytest.raises(ApplicationError) as exc:
        services.version_update(actor=editor, version=version, data={"promised_days": 99})
    assert "promised_days" in exc.value.fields
    version.refresh_from_db()
    assert version.promised_days == 5  # nothing half-saved


def test_submit_lists_every_violation_at_once(editor, dept):
    version = draft_item(department=dept, legal_basis="", consult_phone="", visits_required=1, online_depth=4)
    with pytest.raises(ApplicationError) as exc:
        services.version_submit(actor=editor, version=version)
    assert exc.value.code == "quality_violations"
    assert {"legal_basis", "consult_phone", "visits_required"} <= set(exc.value.fields)
    version.refresh_from_db()
    assert version.status == VersionStatus.DRAFT


def test_four_eyes_the_submitter_cannot_publish(dept):
    head_who_edits = staff(Role.DEPARTMENT_HEAD, dept)
    version = draft_item(department=dept, actor=head_who_edits)
    services.version_submit(actor=head_who_edits, version=version)
    with pytest.raises(PermissionDenied, match="双人复核"):
        services.version_approve(actor=head_who_edits, version=version)


def test_review_and_publish_by_another_person(editor, head, dept):
    version = draft_item(department=dept, actor=editor)
    services.version_submit(actor=editor, version=version)
    version = services.version_approve(actor=head, version=version, comment="同意发布")
    item = ServiceItem.objects.get(pk=version.item_id)
    assert version.status == VersionStatus.PUBLISHED and version.valid_from is not None
    assert item.published_version_id == version.pk
    assert item_search(query="食品").results == [version]
    assert AuditEvent.objects.filter(action="catalogue.version_publish", reason="同意发布").exists()


def test_editor_may_not_review(editor, dept):
    other_editor = staff(Role.CATALOGUE_EDITOR, dept)
    version = draft_item(department=dept, actor=editor)
    services.version_submit(actor=editor, version=version)
    with pytest.raises(PermissionDenied):
        services.version_approve(actor=other_editor, version=version)


def test_reject_needs_a_comment_and_returns_to_draft(editor, head, dept):
    version = draft_item(department=dept, actor=editor)
    services.version_submit(actor=editor, version=version)
    with pytest.raises(ApplicationError) as exc:
        services.version_reject(actor=head, version=version, comment="  ")
    assert "comment" in exc.value.fields
    version = services.version_reject(actor=head, version=version, comment="设定依据条款有误")
    assert version.status == VersionStatus.DRAFT and version.review_comment == "设定依据条款有误"


def test_published_version_is_immutable_and_a_revision_copies_everything(editor, head, dept):
    v1 = published_item(department=dept)
    with pytest.raises(Conflict):
        services.version_update(actor=editor, version=v1, data={"name": "新名称"})
    v2 = services.version_start_draft(actor=editor, item=v1.item)
    assert v2.number == 2 and v2.status == VersionStatus.DRAFT
    assert [m.name for m in v2.materials.all()] == [m.name for m in v1.materials.all()]
    assert [s.kind for s in v2.steps.all()] == [s.kind for s in v1.steps.all()]
    with pytest.raises(Conflict):
        services.version_start_draft(actor=editor, item=v1.item)  # one open draft at a time


def test_publishing_a_revision_retires_the_previous_version(editor, head, dept):
    v1 = published_item(department=dept)
    v2 = services.version_start_draft(actor=editor, item=v1.item)
    services.version_update(actor=editor, version=v2, data={"name": "食品经营许可（含仅销售预包装食品备案）"})
    services.version_submit(actor=editor, version=v2)
    services.version_approve(actor=head, version=v2)
    v1.refresh_from_db()
    assert v1.status == VersionStatus.RETIRED and v1.valid_to is not None
    assert not SearchTerm.objects.filter(version=v1).exists()
    assert item_search(query="预包装").results[0].pk == v2.pk
    assert ItemVersion.objects.filter(item=v1.item, status=VersionStatus.PUBLISHED).count() == 1


def test_retire_removes_the_item_from_the_public_catalogue(head, dept):
    v1 = published_item(department=dept)
    with pytest.raises(ApplicationError):
        services.version_retire(actor=head, version=v1, reason="")
    services.version_retire(actor=head, version=v1, reason="事项取消")
    assert item_search(query="食品").results == []
    assert ServiceItem.objects.get(pk=v1.item_id).published_version is None


def test_discarding_the_only_draft_removes_the_item(editor, dept):
    version = draft_item(department=dept, actor=editor)
    services.version_discard(actor=editor, version=version)
    assert not ServiceItem.objects.exists()
    assert AuditEvent.objects.filter(action="catalogue.item_delete").exists()


def test_wrong_state_transitions_are_conflicts(editor, head, dept):
    version = draft_item(department=dept, actor=editor)
    with pytest.raises(Conflict):
        services.version_approve(actor=head, version=version)
    with pytest.raises(Conflict):
        services.version_retire(actor=head, version=version, reason="x")
    published = published_item(department=dept)
    with pytest.raises(Conflict):
        services.version_submit(actor=editor, version=published)


@pytest.mark.django_db(transaction=True)
def test_two_reviewers_approving_at_once_publish_exactly_once(dept):
    editor = staff(Role.CATALOGUE_EDITOR, dept)
    heads = [staff(Role.DEPARTMENT_HEAD, dept) for _ in range(2)]
    version = draft_item(department=dept, actor=editor)
    services.version_submit(actor=editor, version=version)
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def approve(head):
        barrier.wait()
        try:
            services.version_approve(actor=head, version=version)
            outcomes.append("ok")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(h,)) for h in heads]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["conflict", "ok"]
    assert AuditEvent.objects.filter(action="catalogue.version_publish").count() == 1


def test_someone_who_edited_the_draft_may_not_approve_it(editor, dept):
    second_head = staff(Role.DEPARTMENT_HEAD, dept)
    version = draft_item(department=dept, actor=editor)
    services.version_update(actor=second_head, version=version, data={"keywords": "餐饮"})  # edits in between
    services.version_submit(actor=editor, version=version)
    with pytest.raises(PermissionDenied, match="双人复核"):
        services.version_approve(actor=second_head, version=version)
    assert second_head.pk in services.version_editors(version=version)


def test_a_save_over_someone_elses_newer_save_is_refused(editor, dept):
    version = draft_item(department=dept, actor=editor)
    opened_at = version.updated_at
    services.version_update(actor=editor, version=version, data={"keywords": "第一次"})
    with pytest.raises(Conflict) as exc:
        services.version_update(actor=editor, version=version, data={"keywords": "第二次"},
                                expected_updated_at=opened_at)
    assert exc.value.code == "stale"
    version.refresh_from_db()
    assert version.keywords == "第一次"


def test_a_version_can_be_withdrawn_from_review(editor, head, dept):
    version = draft_item(department=dept, actor=editor)
    services.version_submit(actor=editor, version=version)
    version = services.version_withdraw(actor=editor, version=version)
    assert version.status == VersionStatus.DRAFT
    with pytest.raises(Conflict):
        services.version_withdraw(actor=editor, version=version)
    assert AuditEvent.objects.filter(action="catalogue.version_withdraw").exists()
