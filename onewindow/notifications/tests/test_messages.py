import datetime as dt

import pytest
from freezegun import freeze_time

from onewindow.cases import services as cases
from onewindow.cases.constants import Decision, DeliveryMethod
from onewindow.cases.models import CaseEvent
from onewindow.cases.signals import case_event_committed
from onewindow.cases.tests.factories import pdf, person
from onewindow.catalogue.tests.factories import published_item
from onewindow.core.errors import NotFound
from onewindow.documents.tests.factories import applicant_with_account, new_case
from onewindow.notifications.models import Delivery, Message
from onewindow.notifications.selectors import messages_for_case, messages_for_user, unread_count
from onewindow.notifications.services import message_mark_read
from onewindow.notifications.texts import short_date
from onewindow.org.tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@freeze_time("2025-11-03 10:00:00+08:00")  # a Monday
def test_each_public_step_tells_the_applicant_in_chinese(dept, people, committed, no_channels):
    version = published_item(department=dept)
    spec = version.materials.get(name="营业执照")
    case = committed(new_case, version, skip=("营业执照",))
    committed(cases.case_request_correction, actor=people["clerk"], case=case,
              items=[{"spec_id": spec.pk, "reason": "未提交"}])
    committed(cases.case_resubmit, actor=people["clerk"], case=case, files={spec.pk: pdf()})
    committed(cases.case_accept, actor=people["clerk"], case=case)
    committed(cases.case_suspend, actor=people["reviewer"], case=case, kind="inspection", reason="送检",
              expected_end=dt.date(2025, 11, 20))
    committed(cases.case_resume, actor=people["reviewer"], case=case)
    committed(cases.case_request_extension, actor=people["reviewer"], case=case, days=2, reason="复杂")  # internal
    committed(cases.case_decide_extension, actor=people["head"], case=case, approve=True)
    committed(cases.case_record_visit, actor=people["clerk"], case=case)  # not a message
    committed(cases.case_decide, actor=people["reviewer"], case=case, decision=Decision.APPROVE)
    committed(cases.case_complete, actor=people["reviewer"], case=case)
    committed(cases.case_deliver, actor=people["clerk"], case=case, method=DeliveryMethod.MAIL,
              address="云溪县人民路 1 号", tracking_number="SF1234567890")
    messages = list(messages_for_case(case))
    assert [m.title for m in messages] == ["申请已提交", "请补正材料", "已收到补正材料", "申请已受理", "进入检验程序",
                                           "特别程序已结束", "办理期限延长", "申请已准予", "申请已办结", "办理结果已送达"]
    case.refresh_from_db()
    accepted = messages[3]
    assert accepted.body == (f"您的【食品经营许可】申请已受理，办件编号{case.number}，预计11月10日前办结。")
    assert accepted.template == "case_accepted" and accepted.params == {
        "item": "食品经营许可", "number": case.number, "due": "11月10日"}
    assert "营业执照" in messages[1].body and "《补正材料通知书》" in messages[1].body
    assert "11月20日前结束" in messages[4].body
    assert f"预计{short_date(case.due_at)}前办结" in messages[6].body and "延长2个工作日" in messages[6].body
    assert "快递单号SF1234567890" in messages[9].body
    assert all(m.applicant_id == case.applicant_id and m.recipient_id is None for m in messages)
    assert not Delivery.objects.exists()  # no channel configured: in-app only


def test_denial_and_refusal_give_the_reason_and_the_remedy(dept, people, committed, no_channels):
    version = published_item(department=dept)
    case = new_case(version)
    committed(cases.case_accept, actor=people["clerk"], case=case)
    committed(cases.case_decide, actor=people["reviewer"], case=case, decision=Decision.DENY,
              reason="场所面积不足。", basis="《食品经营许可管理办法》")
    denied = Message.objects.get(case=case, template="case_denied")
    assert "理由：场所面积不足。" in denied.body and "六十日内申请行政复议" in denied.body
    other = new_case(version, seq=2)
    committed(cases.case_refuse, actor=people["clerk"], case=other, reason="不属于本机关职权范围")
    assert "理由：不属于本机关职权范围。" in Message.objects.get(case=other).body


def test_the_year_is_named_when_the_date_is_not_this_year():
    assert short_date(dt.date(2026, 1, 5), today=dt.date(2025, 12, 30)) == "2026年1月5日"
    assert short_date(dt.date(2025, 12, 31), today=dt.date(2025, 12, 30)) == "12月31日"


def test_messages_reach_the_account_and_can_be_marked_read(dept, people, committed, no_channels):
    applicant, citizen = applicant_with_account()
    version = published_item(department=dept)
    case = committed(new_case, version, applicant=applicant)
    committed(cases.case_accept, actor=people["clerk"], case=case)
    assert [m.title for m in messages_for_user(citizen)] == ["申请已受理", "申请已提交"]
    assert unread_count(citizen) == 2
    first = messages_for_user(citizen).last()
    assert message_mark_read(user=citizen, message_id=first.pk) == 1
    assert unread_count(citizen) == 1
    stranger = UserFactory(username="stranger")
    assert unread_count(stranger) == 0 and not messages_for_user(stranger).exists()
    with pytest.raises(NotFound):
        message_mark_read(user=stranger, message_id=first.pk)
    assert message_mark_read(user=citizen) == 1 and unread_count(citizen) == 0


def test_messages_kept_for_an_applicant_without_account_appear_once_they_link_one(dept, people, committed,
                                                                                    no_channels):
    applicant = person(5, name="赵敏")
    case = committed(new_case, published_item(department=dept), applicant=applicant)
    assert Message.objects.get(case=case).recipient is None
    user = UserFactory(username="zhaomin")
    applicant.user = user
    applicant.save(update_fields=["user"])
    assert unread_count(user) == 1


def test_the_receiver_may_run_twice_without_a_second_message_or_send(dept, people, committed, gateway):
    case = new_case(published_item(department=dept))
    committed(cases.case_accept, actor=people["clerk"], case=case)
    event = CaseEvent.objects.get(case=case, action="accept")
    for _ in range(2):
        committed(case_event_committed.send, sender=type(case), case_id=case.pk, event_id=event.pk,
                  action=event.action)
    assert Message.objects.filter(event=event).count() == 1
    assert Delivery.objects.filter(message__event=event).count() == 1
    assert len(gateway.requests) == 1


def test_messages_for_user_is_one_query(dept, people, committed, no_channels, django_assert_num_queries):
    applicant, citizen = applicant_with_account()
    version = published_item(department=dept)
    for _ in range(3):
        committed(new_case, version, applicant=applicant)
    with django_assert_num_queries(1):
        assert len([m.case.number for m in messages_for_user(citizen)]) == 3


def test_waiver_acceptance_names_what_to_supply_and_by_when(dept, people, committed, no_channels):
    version = published_item(department=dept)
    waivable = version.materials.get(name="食品安全管理制度")
    case = new_case(version, skip=("食品安全管理制度",))
    with freeze_time("2025-11-03 10:00:00+08:00"):
        committed(cases.case_accept, actor=people["clerk"], case=case, waivers={waivable.pk: dt.date(2025, 11, 14)})
    message = Message.objects.get(case=case, template="case_accepted_waiver")
    assert "请于11月14日前补交：食品安全管理制度。" in message.body
    assert message.params["materials"] == "食品安全管理制度" and message.params["supply_by"] == "11月14日"
