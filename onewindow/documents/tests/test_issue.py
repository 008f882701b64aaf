import datetime as dt
import logging

import pytest
from freezegun import freeze_time

from onewindow.cases import services as cases
from onewindow.cases.constants import CaseStatus, Decision, DeliveryMethod
from onewindow.cases.models import CaseEvent
from onewindow.cases.signals import case_event_committed
from onewindow.cases.tests.factories import pdf
from onewindow.catalogue.tests.factories import published_item
from onewindow.documents import services
from onewindow.documents.constants import DocumentKind
from onewindow.documents.models import CaseDocument, DocumentIssuer, DocumentSequence
from onewindow.documents.selectors import documents_for_case
from onewindow.org.tests.factories import DepartmentFactory

from .factories import county_department, new_case, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept():
    return county_department()


@pytest.fixture
def version(dept):
    return published_item(department=dept)


@pytest.fixture
def people(dept):
    return team(dept)


def _kinds(case):
    return [(d.kind, d.number) for d in documents_for_case(case)]


def test_number_format_is_issuer_code_kind_word_year_and_five_digits():
    assert services.document_number_format(code="云溪市监", kind=DocumentKind.ACCEPTANCE_NOTICE, year=2025,
                                           serial=12) == "云溪市监受字〔2025〕第00012号"
    assert services.document_number_format(code="云溪市监", kind=DocumentKind.DENIAL_DECISION, year=2025,
                                           serial=1) == "云溪市监不许字〔2025〕第00001号"


def test_issuer_code_comes_from_region_and_short_name_and_is_unique(dept):
    assert services.issuer_code_for(dept) == "云溪市场监管"
    twin = DepartmentFactory(name="云溪县市场监督管理局分局", short_name="市场监管局", region=dept.region)
    assert services.issuer_code_for(twin) == f"云溪市场监管{twin.pk}"  # never the same numbers twice
    DocumentIssuer.objects.filter(department=dept).update(code="云溪市监")
    assert services.issuer_code_for(dept) == "云溪市监"


@freeze_time("2025-09-30 10:00:00+08:00")
def test_every_transition_issues_its_document_with_gap_free_numbers(version, people, committed):
    DocumentIssuer.objects.create(department=version.item.department, code="云溪市监")
    clerk, reviewer, head = people["clerk"], people["reviewer"], people["head"]
    spec = version.materials.get(name="营业执照")
    case = new_case(version, skip=("营业执照",))
    committed(cases.case_request_correction, actor=clerk, case=case, items=[{"spec_id": spec.pk, "reason": "未提交"}])
    committed(cases.case_resubmit, actor=clerk, case=case, files={spec.pk: pdf()})
    committed(cases.case_accept, actor=clerk, case=case)
    committed(cases.case_suspend, actor=reviewer, case=case, kind="expert_review", reason="需专家评审",
              expected_end=dt.date(2025, 10, 20))
    committed(cases.case_resume, actor=reviewer, case=case)
    committed(cases.case_request_extension, actor=reviewer, case=case, days=5, reason="情况复杂")
    committed(cases.case_decide_extension, actor=head, case=case, approve=True)
    committed(cases.case_decide, actor=reviewer, case=case, decision=Decision.APPROVE)
    committed(cases.case_complete, actor=reviewer, case=case)
    committed(cases.case_deliver, actor=clerk, case=case, method=DeliveryMethod.WINDOW)
    assert _kinds(case) == [
        (DocumentKind.CORRECTION_NOTICE, "云溪市监补字〔2025〕第00001号"),
        (DocumentKind.ACCEPTANCE_NOTICE, "云溪市监受字〔2025〕第00001号"),
        (DocumentKind.SUSPENSION_NOTICE, "云溪市监特字〔2025〕第00001号"),
        (DocumentKind.EXTENSION_NOTICE, "云溪市监延字〔2025〕第00001号"),
        (DocumentKind.APPROVAL_DECISION, "云溪市监许字〔2025〕第00001号"),
        (DocumentKind.DELIVERY_RECEIPT, "云溪市监送字〔2025〕第00001号"),
    ]
    # Each document belongs to the event that issued it.
    for document in documents_for_case(case):
        assert document.event.case_id == case.pk and document.file.size == document.size > 1000

    second = new_case(version, seq=2)
    committed(cases.case_accept, actor=clerk, case=second)
    committed(cases.case_decide, actor=reviewer, case=second, decision=Decision.DENY, reason="场所不符合要求",
              basis="《食品经营许可管理办法》第十一条")
    third = new_case(version, seq=3)
    committed(cases.case_refuse, actor=clerk, case=third, reason="不属于本机关职权范围")
    assert [n for _, n in _kinds(second)] == ["云溪市监受字〔2025〕第00002号", "云溪市监不许字〔2025〕第00001号"]
    assert _kinds(third) == [(DocumentKind.REFUSAL_DECISION, "云溪市监不受字〔2025〕第00001号")]


def test_waiver_acceptance_and_instant_decisions_issue_documents(dept, people, committed):
    version = published_item(department=dept)
    waivable = version.materials.get(name="食品安全管理制度")
    case = new_case(version, skip=("食品安全管理制度",))
    committed(cases.case_accept, actor=people["clerk"], case=case,
              waivers={waivable.pk: dt.date.today() + dt.timedelta(days=7)})
    assert [k for k, _ in _kinds(case)] == [DocumentKind.ACCEPTANCE_NOTICE]

    from onewindow.catalogue.constants import HandlingType, StepKind

    instant = published_item(department=dept, name="公章刻制备案", handling_type=HandlingType.INSTANT,
                             promised_days=0, steps=[{"kind": StepKind.ACCEPT, "days": 0},
                                                     {"kind": StepKind.DECIDE, "days": 0}])
    quick = new_case(instant, seq=2)
    committed(cases.case_complete_instantly, actor=people["clerk"], case=quick)
    assert [k for k, _ in _kinds(quick)] == [DocumentKind.APPROVAL_DECISION]


def test_a_new_year_starts_at_number_one(version, people, committed):
    with freeze_time("2025-12-31 16:00:00+08:00"):
        committed(cases.case_accept, actor=people["clerk"], case=new_case(version))
        committed(cases.case_accept, actor=people["clerk"], case=new_case(version, seq=2))
    with freeze_time("2026-01-05 09:00:00+08:00"):
        later = new_case(version, seq=3)
        committed(cases.case_accept, actor=people["clerk"], case=later)
    numbers = list(CaseDocument.objects.order_by("id").values_list("number", flat=True))
    assert numbers == ["云溪市场监管受字〔2025〕第00001号", "云溪市场监管受字〔2025〕第00002号",
                       "云溪市场监管受字〔2026〕第00001号"]
    assert DocumentSequence.objects.get(year=2025).last == 2


def test_events_without_a_document_issue_nothing(version, people, committed):
    case = committed(new_case, version)
    committed(cases.case_record_visit, actor=people["clerk"], case=case)
    assert not CaseDocument.objects.exists()


def test_the_receiver_may_run_twice_without_a_second_document_or_number(version, people, committed):
    case = new_case(version)
    committed(cases.case_accept, actor=people["clerk"], case=case)
    event = CaseEvent.objects.get(case=case, action="accept")
    for _ in range(2):
        case_event_committed.send(sender=type(case), case_id=case.pk, event_id=event.pk, action=event.action)
    assert CaseDocument.objects.count() == 1
    assert DocumentSequence.objects.get().last == 1
    assert services.document_issue(event=event, kind=DocumentKind.ACCEPTANCE_NOTICE).number.endswith("第00001号")


def test_a_render_failure_keeps_the_transition_and_the_number_and_is_repaired_later(
        version, people, committed, monkeypatch, caplog):
    case = new_case(version)

    def broken(content):
        raise RuntimeError("font exploded")

    monkeypatch.setattr(services, "render_pdf", broken)
    with caplog.at_level(logging.ERROR, logger="onewindow.documents.receivers"):
        committed(cases.case_accept, actor=people["clerk"], case=case)  # does not raise
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED
    assert not CaseDocument.objects.exists()
    assert "documents_regenerate" in caplog.text
    assert not DocumentSequence.objects.filter(last__gt=0).exists()  # the number was not used up

    monkeypatch.undo()
    from django.core.management import call_command

    call_command("documents_regenerate")
    (kind, number), = _kinds(case)
    assert kind == DocumentKind.ACCEPTANCE_NOTICE and number.endswith("第00001号")
    report = services.documents_create_missing()
    assert report.created == [] and report.failed == []


def test_regenerate_dry_run_lists_what_is_missing(version, people, monkeypatch, committed, capsys):
    case = new_case(version)
    def broken(content):
        raise OSError("disk full")

    monkeypatch.setattr(services, "render_pdf", broken)
    committed(cases.case_accept, actor=people["clerk"], case=case)
    from django.core.management import call_command

    call_command("documents_regenerate", "--dry-run", "--case", case.number)
    assert "1 document(s) missing." in capsys.readouterr().out
    assert not CaseDocument.objects.exists()
