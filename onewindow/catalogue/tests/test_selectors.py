import pytest

from onewindow.catalogue.selectors import item_search
from onewindow.catalogue.tests.factories import published_item

pytestmark = pytest.mark.django_db


def test_published_item_is_found_by_name_and_keyword():
    version = published_item()
    assert item_search(query="食品").results == [version]
    assert item_search(query="餐馆").results == [version]
    assert item_search(query="spjy").results == [version]
    assert item_search(query="婚姻").results == []


def test_expired_delegations_do_not_count_for_region_filter_or_nearby_indicator():
    from datetime import date

    from onewindow.catalogue.lists import indicators_build
    from onewindow.org.constants import DelegationMode
    from onewindow.org.models import Delegation
    from onewindow.org.tests.factories import TownshipFactory

    town = TownshipFactory()
    current, expired = published_item(), published_item(name="公共场所卫生许可", keywords="")
    Delegation.objects.create(item=current.item, region=town, mode=DelegationMode.DIRECT,
                              effective_from=date(2020, 1, 1))
    Delegation.objects.create(item=expired.item, region=town, mode=DelegationMode.ENTRUSTED,
                              effective_from=date(2020, 1, 1), effective_to=date(2021, 1, 1))
    assert item_search(region=town).results == [current]
    nearby = {i.key: i for i in indicators_build().items}["nearby"]
    assert (nearby.count, nearby.total, nearby.percent) == (1, 2, 50.0)


def test_search_ranks_name_matches_above_material_matches():
    by_material = published_item(name="公共场所卫生许可", keywords="",
                                 materials=[{"name": "食品安全管理制度", "necessity": "required"}])
    by_name = published_item()
    assert item_search(query="食品").results == [by_name, by_material]
