"""Public pages cost a fixed number of queries, however big the catalogue is."""

import pytest
from django.urls import reverse

from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import DelegationMode
from onewindow.org.models import Delegation
from onewindow.org.tests.factories import DepartmentFactory, TownshipFactory

pytestmark = pytest.mark.django_db


def _catalogue(n: int) -> None:
    town = TownshipFactory()
    for i in range(n):
        version = published_item(department=DepartmentFactory(), name=f"测试事项{i}", keywords="测试",
                                 themes=["birth"], materials=[{"name": f"材料{i}", "necessity": "waivable"}])
        Delegation.objects.create(item=version.item, region=town, mode=DelegationMode.DIRECT,
                                  effective_from="2020-01-01")


@pytest.mark.parametrize("n", [2, 12])
@pytest.mark.parametrize(("url", "queries"), [
    (reverse("portal:home"), 4),  # themes, hot items, departments, indicators
    (reverse("portal:guide_search"), 6),  # results, nearby, departments, item types, themes, regions
    # + the theme lookup; a search ranks a page of ids (strong matches, then weaker ones when the page
    # reaches past them) and fetches those rows
    (reverse("portal:guide_search") + "?q=测试&theme=birth", 9),
    (reverse("portal:list_index"), 7),  # five lists (容缺 prefetches its materials) and the indicators
    (reverse("portal:list_detail", args=["waivable"]), 2),
    (reverse("portal:department_list"), 1),
])
def test_public_pages_have_a_fixed_query_count(client, django_assert_num_queries, n, url, queries):
    _catalogue(n)
    with django_assert_num_queries(queries):
        response = client.get(url)
    assert response.status_code == 200
