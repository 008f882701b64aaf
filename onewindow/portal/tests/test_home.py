import pytest
from django.urls import reverse

from onewindow.catalogue.models import ServiceItem
from onewindow.catalogue.tests.factories import draft_item, published_item

pytestmark = pytest.mark.django_db


def test_home_shows_search_themes_hot_items_lists_and_indicators(client, food_item):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="q"' in html and "输入事项名称或关键词" in html
    # Themes for persons and companies, linking to the browse page with the theme set
    assert "个人办事" in html and "法人办事" in html
    assert "生育收养" in html and "设立开办" in html
    assert "/guide/?theme=birth" in html
    # Hot items link to their guides
    assert "热门事项" in html
    assert reverse("portal:guide_detail", args=[food_item.item.implementation_code]) in html
    # Lists and the indicators
    assert reverse("portal:list_detail", args=["licensing"]) in html
    for label in ("马上办", "网上办", "就近办", "一次办"):
        assert label in html
    # Departments with their published item count
    assert "市场监管局" in html


def test_hot_items_are_ordered_by_popularity_then_name(client):
    low = published_item(name="婚姻登记", keywords="结婚")
    high = published_item(name="住房公积金提取", keywords="公积金")
    ServiceItem.objects.filter(pk=high.item_id).update(popularity=90)
    ServiceItem.objects.filter(pk=low.item_id).update(popularity=10)
    draft_item(name="未发布的事项")
    html = client.get(reverse("portal:home")).content.decode()
    section = html[html.index("热门事项"):]
    assert section.index("住房公积金提取") < section.index("婚姻登记")
    assert "未发布的事项" not in html


def test_home_with_an_empty_catalogue_still_renders(client):
    response = client.get(reverse("portal:home"))
    assert response.status_code == 200
    assert "暂无已公开的办事事项" in response.content.decode()


def test_nav_has_the_four_entries(client):
    html = client.get(reverse("portal:home")).content.decode()
    for label, url in (("首页", "/"), ("办事指南", "/guide/"), ("部门", "/departments/"), ("清单公开", "/lists/")):
        assert f'href="{url}"' in html and label in html
    assert 'aria-current="page">首页' in html
