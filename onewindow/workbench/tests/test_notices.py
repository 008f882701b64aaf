"""工作提醒 page: the header shows the unread count; a notice opens where it points; only one's own notices."""

import pytest

from onewindow.accounts.testing import staff_login
from onewindow.notifications.models import StaffNotice
from onewindow.notifications.services import notify_users
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff

pytestmark = pytest.mark.django_db


@pytest.fixture
def head():
    return staff(Role.DEPARTMENT_HEAD, DepartmentFactory(), username="head")


def test_header_count_list_and_open(client, head):
    notify_users(users=[head], title="【红牌】YX-2026-0001 已超期", body="请尽快办理", url="/workbench/cases/YX-1/",
                 key="supervision:card:1")
    notify_users(users=[head], title="收到差评：YX-2026-0002", key="ratings:bad:1")
    staff_login(client, head)
    html = client.get("/workbench/").content.decode()
    assert "工作提醒" in html and 'wb-tab-count is-due">2<' in html
    html = client.get("/workbench/notices/").content.decode()
    assert "【红牌】YX-2026-0001 已超期" in html and "收到差评" in html
    notice = StaffNotice.objects.get(key="supervision:card:1")
    response = client.post(f"/workbench/notices/{notice.pk}/read/", {"next": notice.url})
    assert response.status_code == 302 and response["Location"] == "/workbench/cases/YX-1/"
    notice.refresh_from_db()
    assert notice.read_at is not None
    assert "只看未读" in html
    assert "收到差评" in client.get("/workbench/notices/?unread=1").content.decode()
    client.post("/workbench/notices/read/")
    assert not StaffNotice.objects.filter(read_at__isnull=True).exists()


def test_an_outside_link_is_not_followed_and_others_notices_are_not_found(client, head):
    other = staff(Role.CLERK, DepartmentFactory(), username="clerk")
    notify_users(users=[head], title="a", key="a")
    notify_users(users=[other], title="b", key="b")
    staff_login(client, head)
    mine = StaffNotice.objects.get(key="a")
    response = client.post(f"/workbench/notices/{mine.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/workbench/notices/"
    theirs = StaffNotice.objects.get(key="b")
    response = client.post(f"/workbench/notices/{theirs.pk}/read/", follow=True)
    assert "未找到该提醒" in response.content.decode()
    theirs.refresh_from_db()
    assert theirs.read_at is None
    assert "b" not in [n.title for n in response.context["page"].object_list]
