"""A user of another department who opens an item by URL must not learn that it exists (404)."""

import pytest
from django.urls import reverse

from onewindow.catalogue import services
from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.models import ItemVersion
from onewindow.catalogue.tests.factories import draft_item, published_item

pytestmark = pytest.mark.django_db


def test_another_departments_user_gets_404_everywhere(client, dept, editor, outsider):
    published = published_item(department=dept)
    draft = draft_item(department=dept, actor=editor)
    in_review = services.version_submit(actor=editor, version=draft_item(department=dept, actor=editor))
    client.force_login(outsider)
    gets = [
        reverse("workbench:item", args=[published.item_id]),
        reverse("workbench:item_history", args=[published.item_id]),
        reverse("workbench:version", args=[published.pk]),
        reverse("workbench:version", args=[draft.pk]),
        reverse("workbench:version_discard", args=[draft.pk]),
        reverse("workbench:version_retire", args=[published.pk]),
        reverse("workbench:version_review", args=[in_review.pk]),
    ]
    for url in gets:
        response = client.get(url)
        assert response.status_code == 404, url
        assert "事项不存在或不在您的管理范围内" in response.content.decode()
    posts = [
        reverse("workbench:version", args=[draft.pk]),
        reverse("workbench:version_check", args=[draft.pk]),
        reverse("workbench:version_discard", args=[draft.pk]),
        reverse("workbench:version_retire", args=[published.pk]),
        reverse("workbench:version_approve", args=[in_review.pk]),
        reverse("workbench:version_reject", args=[in_review.pk]),
        reverse("workbench:item_revise", args=[published.item_id]),
    ]
    for url in posts:
        assert client.post(url, {"reason": "x", "comment": "x"}).status_code == 404, url
    assert ItemVersion.objects.get(pk=draft.pk).status == VersionStatus.DRAFT
    assert ItemVersion.objects.get(pk=in_review.pk).status == VersionStatus.IN_REVIEW
    assert ItemVersion.objects.get(pk=published.pk).status == VersionStatus.PUBLISHED


def test_a_user_without_catalogue_role_in_the_same_department_is_refused(client, dept, clerk):
    published = published_item(department=dept)
    client.force_login(clerk)
    response = client.get(reverse("workbench:version", args=[published.pk]))
    assert response.status_code == 403
    assert "您没有事项管理权限" in response.content.decode()


def test_an_unknown_id_gets_the_same_chinese_404(client, editor):
    client.force_login(editor)
    response = client.get(reverse("workbench:version", args=[987654]))
    assert response.status_code == 404
    assert "事项不存在或不在您的管理范围内" in response.content.decode()
