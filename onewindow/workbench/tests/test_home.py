import pytest
from django.urls import reverse

from onewindow.catalogue import services
from onewindow.catalogue.tests.factories import draft_item

pytestmark = pytest.mark.django_db


def test_anonymous_user_is_sent_to_login(client):
    response = client.get(reverse("workbench:items"))
    assert response.status_code == 302
    assert reverse("workbench:login") in response["Location"]


def test_editor_sees_catalogue_and_quality_but_not_the_review_queue(client, editor):
    client.force_login(editor)
    page = client.get(reverse("workbench:home")).content.decode()
    assert "张编辑，您好" in page
    assert "事项编辑员" in page and "示范县市场监督管理局" in page
    assert reverse("workbench:items") in page
    assert reverse("workbench:quality_report") in page
    assert reverse("workbench:review_queue") not in page


def test_head_sees_the_review_queue_with_its_count(client, dept, editor, head):
    version = draft_item(department=dept, actor=editor)
    services.version_submit(actor=editor, version=version)
    client.force_login(head)
    response = client.get(reverse("workbench:home"))
    page = response.content.decode()
    assert reverse("workbench:review_queue") in page
    assert response.context["review_count"] == 1
    assert "个版本待审核" in page


def test_clerk_sees_the_desk_and_cases_but_not_the_catalogue(client, clerk):
    client.force_login(clerk)
    page = client.get(reverse("workbench:home")).content.decode()
    assert "窗口人员" in page
    assert reverse("workbench:desk") in page and reverse("workbench:cases") in page
    assert "您当前没有可使用的工作台功能" not in page
    assert reverse("workbench:items") not in page


def test_user_without_any_role_is_told_so(client):
    from onewindow.org.tests.factories import UserFactory

    client.force_login(UserFactory())
    page = client.get(reverse("workbench:home")).content.decode()
    assert "您当前没有可使用的工作台功能" in page
    assert reverse("workbench:items") not in page and reverse("workbench:desk") not in page
