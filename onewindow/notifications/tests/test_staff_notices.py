"""工作提醒 for staff: idempotent per key, masked, only the recipient can read or mark them."""

import pytest

from onewindow.core.errors import NotFound
from onewindow.notifications import selectors, services
from onewindow.notifications.models import StaffNotice
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff
from onewindow.supervision import notify

pytestmark = pytest.mark.django_db


@pytest.fixture
def people():
    dept = DepartmentFactory()
    return staff(Role.DEPARTMENT_HEAD, dept, username="head"), staff(Role.CLERK, dept, username="clerk")


def test_one_notice_per_user_and_key_however_often_the_alert_runs(people):
    head, clerk = people
    assert services.notify_users(users=[head, clerk, head], title="【红牌】YX-1", key="supervision:card:1") == 2
    assert services.notify_users(users=[head, clerk], title="【红牌】YX-1", key="supervision:card:1") == 0
    assert StaffNotice.objects.count() == 2
    assert services.notify_users(users=[head], title="说明", body="无标识的提醒可重复") == 1
    assert services.notify_users(users=[head], title="说明", body="无标识的提醒可重复") == 1


def test_phone_numbers_in_the_text_are_masked(people):
    head, _ = people
    services.notify_users(users=[head], title="回访", body="申请人电话 13800138000", key="k")
    assert "13800138000" not in StaffNotice.objects.get().body


def test_reading_and_marking_is_per_recipient(people):
    head, clerk = people
    services.notify_users(users=[head], title="a", key="a")
    services.notify_users(users=[head], title="b", key="b")
    notice = StaffNotice.objects.get(key="a")
    assert selectors.staff_unread_count(head) == 2 and selectors.staff_unread_count(clerk) == 0
    with pytest.raises(NotFound):
        services.staff_notice_mark_read(user=clerk, notice_id=notice.pk)
    assert services.staff_notice_mark_read(user=head, notice_id=notice.pk) == 1
    assert selectors.staff_unread_count(head) == 1
    assert services.staff_notice_mark_read(user=head) == 1
    assert selectors.staff_unread_count(head) == 0


def test_supervision_alerts_now_reach_staff_through_this_service(people):
    head, clerk = people
    assert notify.notify_staff(users=[head, clerk], title="【黄牌】YX-2", body="", key="supervision:card:2") is True
    assert set(StaffNotice.objects.values_list("recipient__username", flat=True)) == {"head", "clerk"}
