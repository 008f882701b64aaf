import pytest
from django.urls import reverse

from onewindow.catalogue.constants import HandlingType, StepKind
from onewindow.catalogue.tests.factories import draft_item, item_type, published_item
from onewindow.org.tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db

INSTANT = {"handling_type": HandlingType.INSTANT, "promised_days": 0,
           "steps": [{"kind": StepKind.ACCEPT, "days": 0}, {"kind": StepKind.DECIDE, "days": 0}],
           "materials": [{"name": "居民身份证", "necessity": "required"}]}


def search(client, **params):
    return client.get(reverse("portal:guide_search"), params)


def names(response) -> list[str]:
    return [v.name for v in response.context["page"].results]


@pytest.mark.parametrize("query", ["食品", "餐馆", "spjy", "spjyxk", "食品经营许可"])
def test_food_licence_is_found_by_name_keyword_and_pinyin_initials(client, food_item, query):
    published_item(name="婚姻登记", keywords="结婚", materials=[{"name": "户口簿", "necessity": "required"}])
    response = search(client, q=query)
    assert response.status_code == 200
    assert names(response)[0] == "食品经营许可"
    html = response.content.decode()
    assert reverse("portal:guide_detail", args=[food_item.item.implementation_code]) in html


def test_result_shows_department_time_online_depth_visits_and_nearby(client, food_item):
    html = search(client, q="食品").content.decode()
    assert "示范县市场监督管理局" in html
    assert "承诺 5 个工作日" in html
    assert "网上预审" in html
    assert "最多跑一次" in html
    assert "可在城关镇就近办" in html


def test_instant_and_zero_visit_labels(client):
    published_item(name="生育登记", keywords="生育", online_depth=4, visits_required=0, **INSTANT)
    html = search(client, q="生育").content.decode()
    assert "即办" in html and "全程网办" in html and "零跑动" in html


def test_filters_narrow_the_results(client, food_item):
    other_dept = DepartmentFactory(name="示范县民政局")
    published_item(department=other_dept, name="婚姻登记", keywords="结婚", item_type=item_type("07"),
                   for_company=False, online_depth=2, themes=["marriage"], **INSTANT)
    assert names(search(client, department=other_dept.pk)) == ["婚姻登记"]
    assert names(search(client, theme="operation")) == ["食品经营许可"]
    assert names(search(client, theme="marriage")) == ["婚姻登记"]
    assert names(search(client, audience="company")) == ["食品经营许可"]
    assert sorted(names(search(client, audience="person"))) == ["婚姻登记", "食品经营许可"]
    assert names(search(client, item_type="07")) == ["婚姻登记"]
    assert names(search(client, handling_type="instant")) == ["婚姻登记"]
    assert names(search(client, online="1")) == ["食品经营许可"]
    assert names(search(client, region=food_item.item.delegations.get().region.code)) == ["食品经营许可"]
    response = search(client, theme="operation")
    assert response.context["title"] == "经营许可"
    assert "经营许可" in response.content.decode()


@pytest.mark.parametrize("params", [
    {"department": "abc"}, {"department": "999999"}, {"department": "-1"}, {"theme": "no-such-theme"},
    {"audience": "alien"}, {"item_type": "zz"}, {"handling_type": "slow"}, {"region": "x"}, {"region": "999999"},
    {"page": "abc"}, {"page": "0"}, {"page": "-3"}, {"page": "99999999999999999999"}, {"q": "食" * 500},
    {"department": "1' OR 1=1"},
])
def test_bad_filter_values_do_not_fail(client, food_item, params):
    response = search(client, **params)
    assert response.status_code == 200
    if "q" not in params:
        assert "已忽略" in response.content.decode()
        assert names(response) == ["食品经营许可"]


def test_page_beyond_the_end_is_an_empty_page_not_an_error(client, food_item):
    response = search(client, page="7")
    assert response.status_code == 200
    assert names(response) == []
    assert "回到第一页" in response.content.decode()


def test_pagination_with_previous_and_next(client):
    department = DepartmentFactory()
    for i in range(21):
        published_item(department=department, name=f"测试事项{i:02d}", keywords="测试",
                       materials=[{"name": f"材料{i}", "necessity": "required"}])
    first = search(client)
    assert len(names(first)) == 20
    html = first.content.decode()
    assert "下一页" in html and "上一页" not in html
    assert "page=2" in html
    second = search(client, page=2)
    assert len(names(second)) == 1
    html = second.content.decode()
    assert "上一页" in html and "下一页" not in html


def test_empty_results_suggest_hot_items_and_themes(client, food_item):
    response = search(client, q="火星移民")
    html = response.content.decode()
    assert "没有找到与“火星移民”相关的事项" in html
    assert "大家都在办" in html and "食品经营许可" in html
    assert "按主题浏览" in html and "?theme=birth" in html


def test_drafts_are_not_listed(client):
    draft_item(name="食品经营许可")
    assert names(search(client, q="食品")) == []


def test_htmx_request_returns_only_the_result_list(client, food_item):
    response = client.get(reverse("portal:guide_search"), {"q": "餐馆"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert "食品经营许可" in html
    assert 'hx-swap-oob="true"' in html  # the heading and the screen-reader status follow the filters
    assert 'id="search-status"' in html
    assert "HX-Request" in response["Vary"]
    # A history restore needs the whole page
    full = client.get(reverse("portal:guide_search"), {"q": "餐馆"},
                      headers={"HX-Request": "true", "HX-History-Restore-Request": "true"})
    assert "<html" in full.content.decode()


def test_search_page_is_a_plain_form_that_works_without_javascript(client, food_item):
    html = search(client).content.decode()
    assert '<form id="guide-filters"' in html and 'method="get"' in html and 'action="/guide/"' in html
    assert 'hx-push-url="true"' in html and 'hx-target="#results"' in html
    for name in ("q", "department", "theme", "audience", "item_type", "handling_type", "online"):
        assert f'name="{name}"' in html
    assert '<label for="f-department">' in html


def test_active_filter_chips_remove_one_filter(client, food_item):
    html = search(client, q="食品", theme="operation", audience="company").content.decode()
    assert "移除筛选条件：经营许可" in html
    assert 'href="/guide/?q=%E9%A3%9F%E5%93%81&amp;audience=company"' in html


def test_department_filter_makes_a_department_page(client, food_item, market_department):
    response = search(client, department=market_department.pk)
    assert response.context["title"] == "示范县市场监督管理局"
    assert names(response) == ["食品经营许可"]
