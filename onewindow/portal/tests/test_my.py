"""我的办件, 站内信 and 个人信息: the applicant's own cases only, correction of what was asked, withdraw,
delivery choice, documents, messages with the unread count in the header."""

from __future__ import annotations

import pytest
from django.core.cache import cache
from django.urls import reverse

from onewindow.applications.models import DeliveryPreference
from onewindow.cases import services
from onewindow.cases.constants import CaseStatus
from onewindow.cases.models import Case, CaseMaterial
from onewindow.cases.tests.factories import person, submitted_case
from onewindow.catalogue.tests.factories import published_item
from onewindow.notifications.models import Message
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff

from .hall_helpers import citizen, exe_as_pdf, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def dept():
    return DepartmentFactory(name="云溪县市场监督管理局")


@pytest.fixture
def version(dept):
    return published_item(department=dept, supports_mail_delivery=True)


@pytest.fixture
def clerk(dept):
    return staff(Role.CLERK, dept, username="clerk")


@pytest.fixture
def user():
    return citizen()


@pytest.fixture
def applicant(user):
    return person(3, user=user)


@pytest.fixture
def case(version, applicant, user):
    return submitted_case(version=version, applicant=applicant, actor=user, idempotency_key="k1")


@pytest.fixture
def signed_in(client, user):
    client.force_login(user)
    return client


def test_my_cases_lists_only_my_cases_with_status_badges(signed_in, case, version):
    other = submitted_case(version=version, applicant=person(4, name="张三"))
    html = signed_in.get(reverse("portal:my_cases")).content.decode()
    assert case.number in html and "待受理" in html and "badge-primary" in html
    assert other.number not in html
    # Another person's case is a 404, not a 403: whether it exists is not disclosed.
    assert signed_in.get(reverse("portal:my_case", args=[other.number])).status_code == 404
    assert signed_in.post(reverse("portal:my_case_withdraw", args=[other.number]),
                          {"confirm": "on"}, follow=True).status_code == 404
    assert Case.objects.get(pk=other.pk).status == CaseStatus.SUBMITTED


def test_my_cases_list_costs_the_same_queries_for_3_or_13_cases(signed_in, version, applicant, user,
                                                                 django_assert_max_num_queries):
    for i in range(3):
        submitted_case(version=version, applicant=applicant, actor=user, idempotency_key=f"a{i}")
    with django_assert_max_num_queries(12) as few:
        signed_in.get(reverse("portal:my_cases"))
    for i in range(10):
        submitted_case(version=version, applicant=applicant, actor=user, idempotency_key=f"b{i}")
    with django_assert_max_num_queries(len(few.captured_queries)) as many:
        response = signed_in.get(reverse("portal:my_cases"))
    assert response.content.decode().count("hl-case-row") == 13
    assert len(many.captured_queries) == len(few.captured_queries)


def test_case_page_shows_timeline_current_step_and_deadline_after_acceptance(signed_in, case, clerk):
    services.case_accept(actor=clerk, case=case)
    case.refresh_from_db()
    html = signed_in.get(reverse("portal:my_case", args=[case.number])).content.decode()
    for text in ("提交申请", "受理", "办理过程", "办结期限", f"{case.due_at.astimezone().year}年", "已受理（审查中）",
                 'aria-current="step"', "撤回申请", "结果送达方式"):
        assert text in html, text


def test_correction_reuploads_only_the_asked_materials(signed_in, case, clerk, version):
    specs = {m.name: m for m in version.materials.all()}
    asked = specs["营业执照"]
    services.case_request_correction(actor=clerk, case=case, items=[{"spec_id": asked.pk, "reason": "复印件不清晰"}])
    html = signed_in.get(reverse("portal:my_case", args=[case.number])).content.decode()
    assert "补正材料通知" in html and "复印件不清晰" in html
    assert f'name="material-{asked.pk}"' in html
    assert f'name="material-{specs["食品经营许可申请书"].pk}"' not in html  # only what was asked

    url = reverse("portal:my_case_correction", args=[case.number])
    bad = signed_in.post(url, {f"material-{asked.pk}": exe_as_pdf()}, follow=True)
    assert "内容不是 PDF、JPG、PNG 或 OFD" in bad.content.decode()
    # A file for a slot that was not asked is ignored; the asked one is taken.
    done = signed_in.post(url, {f"material-{asked.pk}": pdf("营业执照清晰版.pdf"),
                                f"material-{specs['食品经营许可申请书'].pk}": pdf("多余.pdf")}, follow=True)
    assert "补正材料已提交" in done.content.decode()
    case.refresh_from_db()
    assert case.status == CaseStatus.SUBMITTED
    current = CaseMaterial.objects.filter(case=case, superseded=False)
    assert "营业执照清晰版.pdf" in current.values_list("original_name", flat=True)
    assert not current.filter(original_name="多余.pdf").exists()


def test_withdraw_asks_for_confirmation_then_withdraws(signed_in, case):
    url = reverse("portal:my_case_withdraw", args=[case.number])
    page = signed_in.get(url).content.decode()
    assert "确认撤回申请" in page
    unconfirmed = signed_in.post(url, {"reason": "不办了"})
    assert unconfirmed.status_code == 400 and "请勾选确认后再撤回" in unconfirmed.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.SUBMITTED
    done = signed_in.post(url, {"reason": "不办了", "confirm": "on"}, follow=True)
    assert "申请已撤回" in done.content.decode()
    assert Case.objects.get(pk=case.pk).status == CaseStatus.WITHDRAWN
    again = signed_in.get(url, follow=True)
    assert "不能撤回" in again.content.decode()


def test_delivery_choice_mail_needs_an_address_and_is_kept_for_staff(signed_in, case):
    url = reverse("portal:my_case_delivery", args=[case.number])
    missing = signed_in.post(url, {"method": "mail", "recipient": "李明", "phone": "13800138000"}, follow=True)
    assert "请填写邮寄地址" in missing.content.decode()
    assert not DeliveryPreference.objects.exists()
    signed_in.post(url, {"method": "mail", "recipient": "李明", "phone": "13800138000", "address": "云溪县人民路 8 号"})
    pref = DeliveryPreference.objects.get(case=case)
    assert (pref.method, pref.address) == ("mail", "云溪县人民路 8 号")
    html = signed_in.get(reverse("portal:my_case", args=[case.number])).content.decode()
    assert "您已选择：免费邮寄" in html
    signed_in.post(url, {"method": "window"})
    pref.refresh_from_db()
    assert (pref.method, pref.address) == ("window", "")


def test_documents_are_listed_with_download_links(signed_in, case, clerk):
    from onewindow.cases.models import CaseEvent
    from onewindow.documents.services import documents_issue_for_event

    services.case_accept(actor=clerk, case=case)
    documents_issue_for_event(event=CaseEvent.objects.get(case=case, action="accept"))
    html = signed_in.get(reverse("portal:my_case", args=[case.number])).content.decode()
    assert "受理通知书" in html
    doc = case.documents.get()
    assert reverse("documents:download", args=[doc.pk]) in html
    assert signed_in.get(reverse("documents:download", args=[doc.pk])).status_code == 200


def test_messages_unread_count_in_header_and_mark_read(signed_in, case, applicant, user):
    for i in range(3):
        Message.objects.create(recipient=user, applicant=applicant, case=case, title=f"办件进展 {i}", body="您的申请已受理。")
    html = signed_in.get(reverse("portal:home")).content.decode()
    assert 'class="nav-badge">3<' in html
    first = Message.objects.order_by("id").first()
    signed_in.post(reverse("portal:my_messages"), {"message": first.pk})
    page = signed_in.get(reverse("portal:my_messages")).content.decode()
    assert 'class="nav-badge">2<' in page and "办件进展 1" in page
    second = Message.objects.order_by("id")[1]
    opened = signed_in.post(reverse("portal:my_messages"), {"message": second.pk, "open": "1"})
    assert opened["Location"] == reverse("portal:my_case", args=[case.number])
    assert 'class="nav-badge">1<' in signed_in.get(opened["Location"]).content.decode()
    signed_in.post(reverse("portal:my_messages"))
    assert "nav-badge" not in signed_in.get(reverse("portal:my_messages")).content.decode()
    # Someone else's message cannot be marked.
    other = Message.objects.create(applicant=person(5, name="王五"), title="别人的", body="x")
    signed_in.post(reverse("portal:my_messages"), {"message": other.pk}, follow=True)
    other.refresh_from_db()
    assert other.read_at is None


def test_profile_is_the_account_page_and_visitor_is_sent_to_sign_in(client, signed_in, user):
    assert signed_in.get(reverse("portal:my_profile"))["Location"] == reverse("accounts:profile")
    client.logout()
    for name in ("portal:my_cases", "portal:my_messages", "portal:my_profile"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and "next=" in response["Location"]


def test_hall_pages_have_no_inline_script_and_are_not_cached(signed_in, case, user, version):
    from onewindow.accounts.tests.test_security import audit
    from onewindow.applications.services import draft_open

    draft = draft_open(user=user, item_code=version.item.implementation_code)
    urls = [reverse("portal:my_cases"), reverse("portal:my_case", args=[case.number]),
            reverse("portal:my_case_withdraw", args=[case.number]), reverse("portal:my_messages"),
            reverse("portal:apply_edit", args=[draft.pk])]
    for url in urls:
        response = signed_in.get(url)
        assert response.status_code == 200, url
        assert "no-store" in response["Cache-Control"], url
        assert not audit(response.content.decode()).problems, url
    assert not audit(signed_in.get(reverse("portal:progress")).content.decode()).problems


def test_waived_material_is_supplied_from_the_case_page(signed_in, version, applicant, user, clerk):
    import datetime as dt

    from django.utils import timezone

    waivable = version.materials.get(name="食品安全管理制度")
    case = submitted_case(version=version, applicant=applicant, actor=user, skip=("食品安全管理制度",))
    services.case_accept(actor=clerk, case=case, waivers={waivable.pk: timezone.localdate() + dt.timedelta(days=5)})
    html = signed_in.get(reverse("portal:my_case", args=[case.number])).content.decode()
    assert "容缺材料补交" in html and f'name="material-{waivable.pk}"' in html
    url = reverse("portal:my_case_supply", args=[case.number])
    bad = signed_in.post(url, {"spec": waivable.pk, f"material-{waivable.pk}": exe_as_pdf("制度.pdf")}, follow=True)
    assert "内容不是 PDF、JPG、PNG 或 OFD" in bad.content.decode()
    done = signed_in.post(url, {"spec": waivable.pk, f"material-{waivable.pk}": pdf("制度.pdf")}, follow=True)
    assert "容缺材料已补交" in done.content.decode() and "容缺材料补交" not in done.content.decode()
    assert case.waivers.get().supplied_at is not None


def test_staff_see_only_their_own_applications_in_the_hall(client, case, clerk):
    """A clerk's department cases belong in the workbench; the hall shows the account's own applications."""
    client.force_login(clerk)
    assert case.number not in client.get(reverse("portal:my_cases")).content.decode()
    assert client.get(reverse("portal:my_case", args=[case.number])).status_code == 404
