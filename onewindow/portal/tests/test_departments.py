import pytest
from django.urls import reverse

from onewindow.catalogue.tests.factories import draft_item, published_item
from onewindow.org.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


def test_department_list_shows_item_counts_in_one_query(client, django_assert_num_queries):
    busy = DepartmentFactory(name="示范县市场监督管理局")
    quiet = DepartmentFactory(name="示范县民政局")
    empty = DepartmentFactory(name="示范县档案馆")
    for i in range(3):
        published_item(department=busy, name=f"许可{i}", materials=[{"name": f"材料{i}", "necessity": "required"}])
    published_item(department=quiet, name="婚姻登记")
    draft_item(department=quiet, name="收养登记")
    draft_item(department=empty, name="档案查询")
    with django_assert_num_queries(1):
        response = client.get(reverse("portal:department_list"))
    html = response.content.decode()
    assert "示范县市场监督管理局" in html and "3 个事项" in html
    assert "示范县民政局" in html and "1 个事项" in html
    assert "示范县档案馆" not in html
    assert f"/guide/?department={busy.pk}" in html
