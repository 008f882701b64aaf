"""The public catalogue API as a client program sees it: shapes, filters, errors, query counts."""

import datetime
import io
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from onewindow.catalogue import services
from onewindow.catalogue.constants import HandlingType, ListKind, StepKind
from onewindow.catalogue.tests.factories import draft_item, item_type, published_item
from onewindow.org.constants import DelegationMode, RegionLevel
from onewindow.org.models import Delegation
from onewindow.org.tests.factories import DepartmentFactory, RegionFactory, TownshipFactory, UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/catalogue"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERROR_KEYS = {"code", "message", "fields"}


# Elements of a valid 即办件 (decided at the counter, no days).
INSTANT = {"handling_type": HandlingType.INSTANT, "promised_days": 0,
           "steps": [{"kind": StepKind.ACCEPT, "days": 0}, {"kind": StepKind.DECIDE, "days": 0}]}


def promised(days: int) -> dict:
    return {"handling_type": HandlingType.PROMISED, "promised_days": days,
            "steps": [{"kind": StepKind.ACCEPT, "days": 1}, {"kind": StepKind.DECIDE, "days": days - 1}]}


def get(client, path, **params):
    response = client.get(f"{API}{path}", params)
    assert response["Content-Type"].startswith(("application/json", XLSX)), response["Content-Type"]
    return response


def names(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [row["name"] for row in response.json()["results"]]


def assert_invalid(response, *fields):
    assert response.status_code == 400, response.content
    body = response.json()
    assert set(body) == ERROR_KEYS
    assert body["code"] == "invalid"
    assert body["message"] == "查询参数有误，请检查标出的参数。"
    assert sorted(body["fields"]) == sorted(fields)
    for messages in body["fields"].values():
        assert messages and all(isinstance(m, str) and m for m in messages)
    return body


# Item search ----------------------------------------------------------------------------------


def test_search_returns_published_items_only(client):
    published_item(name="食品经营许可")
    draft_item(name="食品生产许可")

    response = get(client, "/items", search="食品")

    assert names(response) == ["食品经营许可"]
    body = response.json()
    assert set(body) == {"results", "page", "page_size", "has_next", "next", "previous"}
    assert (body["page"], body["page_size"], body["has_next"], body["next"], body["previous"]) == (1, 20, False, None, None)


def test_summary_row_has_values_labels_and_detail_url(client):
    version = published_item(**INSTANT, online_depth=4, visits_required=0)

    row = get(client, "/items").json()["results"][0]

    code = version.item.implementation_code
    assert row["implementation_code"] == code
    assert row["version"] == 1
    assert row["item_type"] == {"code": "01", "name": "行政许可"}
    assert row["department"]["id"] == version.item.department_id
    assert (row["handling_type"], row["handling_type_label"]) == ("instant", "即办件")
    assert (row["online_depth"], row["online_depth_label"]) == (4, "Ⅳ级 全程网办")
    assert (row["promised_days"], row["promised_days_unit"], row["promised_days_unit_label"]) == (0, "workday", "工作日")
    assert row["visits_required"] == 0
    assert row["url"] == f"http://testserver{API}/items/{code}"
    assert client.get(row["url"]).status_code == 200


def test_search_by_keyword_and_pinyin_initials_ranks_name_matches_first(client):
    published_item(name="食品经营许可")
    published_item(name="小餐饮登记", keywords="餐饮")
    published_item(name="公共场所卫生许可", keywords="饭店 食品")  # 食品 only as a keyword

    # name > keyword > material (the factory's materials mention 食品 too)
    assert names(get(client, "/items", search="食品")) == ["食品经营许可", "公共场所卫生许可", "小餐饮登记"]
    assert names(get(client, "/items", search="spjy")) == ["食品经营许可"]
    assert "小餐饮登记" in names(get(client, "/items", search="餐饮"))
    assert names(get(client, "/items", search="婚姻")) == []


def test_pages_link_to_each_other_and_keep_the_filters(client):
    for n in range(5):
        published_item(name=f"食品经营许可{n}")

    first = get(client, "/items", search="食品", page_size=2).json()
    assert first["has_next"] is True and first["previous"] is None
    query = parse_qs(urlsplit(first["next"]).query)
    assert query == {"search": ["食品"], "page_size": ["2"], "page": ["2"]}

    second = client.get(first["next"]).json()
    assert second["page"] == 2 and second["has_next"] is True
    assert "page" not in parse_qs(urlsplit(second["previous"]).query)
    assert client.get(second["previous"]).json()["results"] == first["results"]

    third = client.get(second["next"]).json()
    assert (len(third["results"]), third["has_next"], third["next"]) == (1, False, None)
    seen = [r["implementation_code"] for page in (first, second, third) for r in page["results"]]
    assert len(set(seen)) == 5

    beyond = get(client, "/items", search="食品", page_size=2, page=9).json()
    assert (beyond["results"], beyond["has_next"]) == ([], False)


def test_filters(client):
    county = RegionFactory()
    township = TownshipFactory(parent=county)
    market = DepartmentFactory(name="示范县市场监督管理局")
    civil = DepartmentFactory(name="示范县民政局")
    town_office = DepartmentFactory(name="第一镇人民政府", region=township)
    food = published_item(department=market, name="食品经营许可", themes=["food-drug"],
                          handling_type=HandlingType.PROMISED, online_depth=3, for_person=False, for_company=True)
    published_item(department=civil, name="婚姻登记", item_type=item_type("07"), themes=["marriage"],
                   **INSTANT, online_depth=2, for_person=True,
                   for_company=False)
    published_item(department=town_office, name="临时救助", item_type=item_type("05"), online_depth=4, visits_required=0,
                   for_company=False)
    Delegation.objects.create(item=food.item, region=township, mode=DelegationMode.FRONT_DESK_ONLY,
                              effective_from=datetime.date(2026, 1, 1))

    def found(**params):
        return sorted(names(get(client, "/items", **params)))

    assert found(department=civil.pk) == ["婚姻登记"]
    assert found(region=township.code) == ["临时救助", "食品经营许可"]  # own department + delegated
    assert found(region=county.code) == ["婚姻登记", "食品经营许可"]
    assert found(item_type="07") == ["婚姻登记"]
    assert found(theme="food-drug") == ["食品经营许可"]
    assert found(handling_type="instant") == ["婚姻登记"]
    assert found(online_depth=3) == ["临时救助", "食品经营许可"]
    assert found(online_depth=4) == ["临时救助"]
    assert found(audience="company") == ["食品经营许可"]
    assert found(audience="person") == ["临时救助", "婚姻登记"]
    assert found(search="食品", region=township.code, audience="company") == ["食品经营许可"]


def test_empty_parameters_count_as_absent(client):
    published_item()
    params = dict.fromkeys(["search", "department", "region", "item_type", "theme", "handling_type", "online_depth",
                            "audience", "page", "page_size"], "")
    body = get(client, "/items", **params).json()
    assert (len(body["results"]), body["page"], body["page_size"]) == (1, 1, 20)
    assert len(get(client, "/items", search="   ").json()["results"]) == 1


@pytest.mark.parametrize(
    ("params", "fields"),
    [
        ({"department": "999999"}, ["department"]),
        ({"department": "abc"}, ["department"]),
        ({"department": "-1"}, ["department"]),
        ({"department": "99999999999999999999999999"}, ["department"]),
        ({"region": "999999"}, ["region"]),
        ({"region": "43"}, ["region"]),
        ({"region": "4304ab"}, ["region"]),
        ({"item_type": "99"}, ["item_type"]),
        ({"item_type": "0101010"}, ["item_type"]),
        ({"theme": "nope"}, ["theme"]),
        ({"handling_type": "fast"}, ["handling_type"]),
        ({"online_depth": "7"}, ["online_depth"]),
        ({"online_depth": "0"}, ["online_depth"]),
        ({"online_depth": "2.5"}, ["online_depth"]),
        ({"audience": "alien"}, ["audience"]),
        ({"page": "abc"}, ["page"]),
        ({"page": "0"}, ["page"]),
        ({"page": "-3"}, ["page"]),
        ({"page": "1" * 30}, ["page"]),
        ({"page_size": "101"}, ["page_size"]),
        ({"page_size": "0"}, ["page_size"]),
        ({"page_size": "-20"}, ["page_size"]),
        ({"search": "食" * 101}, ["search"]),
        ({"search": "a\x00b"}, ["search"]),
        ({"theme": "x\x00"}, ["theme"]),
        ({"department": "1", "theme": "nope", "online_depth": "7", "page": "abc"},
         ["department", "theme", "online_depth", "page"]),
    ],
)
def test_bad_parameters_are_a_400_naming_each_one(client, params, fields):
    assert_invalid(get(client, "/items", **params), *fields)


def test_unknown_department_message_is_chinese(client):
    body = assert_invalid(get(client, "/items", department=424242), "department")
    assert body["fields"]["department"] == ["部门不存在。"]
    body = assert_invalid(get(client, "/items", theme="nope", item_type="99", region="110000"),
                          "theme", "item_type", "region")
    assert body["fields"] == {"theme": ["主题不存在。"], "item_type": ["事项类型不存在。"], "region": ["行政区划不存在。"]}


@pytest.mark.parametrize(
    "search",
    [
        "' OR 1=1; DROP TABLE catalogue_serviceitem; --",
        "食品\" UNION SELECT * FROM accounts_user --",
        "🍜🍜 餐饮 🍜",
        "%_%\\",
        "食",  # one character: the substring fallback
        "‮ spjy",
        "ｓｐｊｙ",
        "<script>alert(1)</script>",
        "食" * 100,
        "\t\n",
    ],
)
def test_odd_search_text_never_breaks(client, search):
    published_item()
    response = get(client, "/items", search=search)
    assert response.status_code == 200
    assert set(response.json()) == {"results", "page", "page_size", "has_next", "next", "previous"}


def test_raw_odd_query_strings_never_break(client):
    published_item()
    for raw in ["search=%ED%A0%80", "search=%FF%FE", "page=%00", "department=%00", "region=%00",
                "page_size=1e3", "page=١", "search=" + "%E9%A3%9F" * 3000, "search&page", "=&=&&",
                "department=1&department=abc", "format=json"]:
        response = client.get(f"{API}/items?{raw}")
        assert response.status_code in (200, 400), (raw, response.status_code)
        assert response["Content-Type"] == "application/json"


def test_an_unknown_format_is_a_json_404(client):
    response = client.get(f"{API}/items?format=xml")
    assert (response.status_code, response["Content-Type"]) == (404, "application/json")
    assert set(response.json()) == ERROR_KEYS


def test_substring_fallback_search_pages_on(client):
    published_item(name="食品经营许可")
    published_item(name="食品生产许可")
    first = get(client, "/items", search="品", page_size=1).json()
    assert first["has_next"] is True
    assert len(client.get(first["next"]).json()["results"]) == 1


def test_search_costs_a_fixed_number_of_queries_per_page(client, django_assert_num_queries,
                                                         django_assert_max_num_queries):
    for n in range(3):
        published_item(name=f"食品经营许可{n}")
    with django_assert_num_queries(1):
        assert len(get(client, "/items").json()["results"]) == 3
    # A search: count strong matches, rank one page of ids (+ the weaker matches when the page reaches
    # past the strong ones), fetch the rows. Never more, however many items match.
    with django_assert_max_num_queries(4):
        get(client, "/items", search="食品", page_size=2)
    for n in range(10):
        published_item(name=f"食品销售备案{n}")
    with django_assert_max_num_queries(4):
        assert len(get(client, "/items", search="食品", page_size=50).json()["results"]) == 13


def test_each_lookup_parameter_costs_one_query(client, django_assert_num_queries):
    version = published_item(themes=["food-drug"])
    department = version.item.department
    region_code = department.region.code
    with django_assert_num_queries(5):
        response = get(client, "/items", department=department.pk, region=region_code, item_type="01",
                       theme="food-drug", handling_type="promised", online_depth=3, audience="person")
    assert len(response.json()["results"]) == 1


# Item detail ----------------------------------------------------------------------------------


def _full_item(n_materials: int = 3):
    township = TownshipFactory()
    materials = [{"name": f"材料{i}", "necessity": "required"} for i in range(n_materials - 1)]
    materials.append({
        "name": "食品经营许可申请书", "necessity": "conditional", "condition": "连锁经营的", "form": "original_and_copy",
        "count": 2, "source": "government", "issuing_body": "市场监管局", "certificate_type": "营业执照",
        "acceptance_standard": "加盖公章",
        "blank_form": SimpleUploadedFile("申请书.docx", b"blank form"),
    })
    version = published_item(
        themes=["food-drug", "start-business"],
        special_procedures=["site_check", "expert_review"],
        has_fee=True,
        fees=[{"name": "工本费", "standard": "每证 10 元", "basis": "湘价费〔2020〕1 号", "reducible": True}],
        faqs=[{"question": "可以网上办理吗？", "answer": "可以。"}],
        materials=materials,
    )
    Delegation.objects.create(item=version.item, region=township, mode=DelegationMode.ENTRUSTED,
                              effective_from=datetime.date(2026, 1, 1), document="示政发〔2026〕1号")
    expired_town = TownshipFactory()
    Delegation.objects.create(item=version.item, region=expired_town, mode=DelegationMode.DIRECT,
                              effective_from=datetime.date(2020, 1, 1), effective_to=datetime.date(2021, 1, 1))
    return version, township


def test_detail_is_the_whole_guide(client):
    version, township = _full_item()
    code = version.item.implementation_code

    response = get(client, f"/items/{code}")

    assert response.status_code == 200
    guide = response.json()
    assert guide["implementation_code"] == code
    assert guide["version"] == 1
    assert guide["valid_from"] == version.valid_from.isoformat()
    assert guide["time_reduction_rate"] == 0.75
    assert (guide["handling_type"], guide["handling_type_label"]) == ("promised", "承诺件")
    assert (guide["handling_form"], guide["handling_form_label"]) == ("online_and_window", "网上办理、窗口办理")
    assert guide["item_type"] == {"code": "01", "name": "行政许可"}
    department = version.item.department
    assert guide["department"]["id"] == department.pk
    assert guide["department"]["credit_code"] == department.credit_code
    assert guide["department"]["phone"] == department.phone
    assert guide["department"]["region"]["code"] == department.region.code
    assert guide["keywords"] == ["餐饮", "餐馆", "饭店", "小吃"]
    assert sorted(t["code"] for t in guide["themes"]) == ["food-drug", "start-business"]
    assert guide["special_procedures"] == [{"value": "site_check", "label": "现场核查"},
                                           {"value": "expert_review", "label": "专家评审"}]
    assert guide["legal_basis"] and guide["acceptance_conditions"] and guide["place"] and guide["consult_phone"]
    assert guide["result_sample"] is None

    assert [m["name"] for m in guide["materials"]] == ["材料0", "材料1", "食品经营许可申请书"]
    plain, form = guide["materials"][0], guide["materials"][2]
    assert (plain["blank_form"], plain["sample"], plain["reusable"]) == (None, None, False)
    assert (form["necessity"], form["necessity_label"], form["condition"]) == ("conditional", "情形必要", "连锁经营的")
    assert (form["form"], form["form_label"], form["count"]) == ("original_and_copy", "原件和复印件", 2)
    assert (form["source"], form["source_label"]) == ("government", "政府部门核发")
    assert (form["certificate_type"], form["reusable"]) == ("营业执照", True)
    assert form["blank_form"].startswith("http://testserver/media/catalogue/forms/")

    assert [(s["kind"], s["kind_label"], s["name"], s["days"]) for s in guide["steps"]][:2] == [
        ("accept", "受理", "受理", 1.0), ("review", "审查", "审查", 2.0)]
    assert guide["fees"] == [{"sort": 1, "name": "工本费", "standard": "每证 10 元", "basis": "湘价费〔2020〕1 号",
                              "reducible": True, "note": ""}]
    assert guide["faqs"] == [{"sort": 1, "question": "可以网上办理吗？", "answer": "可以。"}]
    assert guide["delegations"] == [{
        "region": {"code": township.code, "name": township.name, "level": RegionLevel.TOWNSHIP.value,
                   "level_label": "乡镇（街道）"},
        "mode": "entrusted", "mode_label": "委托行使", "effective_from": "2026-01-01", "effective_to": None,
        "document": "示政发〔2026〕1号",
    }]


def test_detail_shows_the_published_version_not_a_newer_draft(client):
    version = published_item(name="食品经营许可")
    draft = services.version_start_draft(actor=None, item=version.item)
    services.version_update(actor=None, version=draft, data={"name": "食品经营许可（草稿）"})

    guide = get(client, f"/items/{version.item.implementation_code}").json()

    assert (guide["name"], guide["version"]) == ("食品经营许可", 1)


@pytest.mark.parametrize("make", ["draft", "retired", "unknown"])
def test_unpublished_or_unknown_item_is_a_404(client, make):
    if make == "draft":
        code = draft_item().item.implementation_code
    elif make == "retired":
        version = published_item()
        services.version_retire(actor=UserFactory(is_superuser=True), version=version, reason="取消")
        code = version.item.implementation_code
    else:
        code = "NO-SUCH-CODE"
    response = get(client, f"/items/{code}")
    assert response.status_code == 404
    assert response.json() == {"code": "not_found", "message": "未找到该事项，或该事项尚未发布。", "fields": {}}


@pytest.mark.parametrize("code", ["x" * 5000, "%00", "abc%00def", quote("'; DROP TABLE x;--"), quote("食品🍜")])
def test_odd_item_codes_are_a_404(client, code):
    response = client.get(f"{API}/items/{code}")
    assert response.status_code == 404
    assert set(response.json()) == ERROR_KEYS


def test_detail_query_count_does_not_grow_with_materials(client, django_assert_num_queries):
    few, _ = _full_item(3)
    many, _ = _full_item(30)
    with django_assert_num_queries(7):
        assert len(get(client, f"/items/{few.item.implementation_code}").json()["materials"]) == 3
    with django_assert_num_queries(7):
        assert len(get(client, f"/items/{many.item.implementation_code}").json()["materials"]) == 30


def test_the_api_is_read_only(client):
    version = published_item()
    for path in ["/items", f"/items/{version.item.implementation_code}", "/lists/powers", "/themes"]:
        for method in (client.post, client.put, client.patch, client.delete):
            response = method(f"{API}{path}", data={}, content_type="application/json")
            assert response.status_code == 405, (path, method)
            assert response.json()["code"] == "method_not_allowed"


def test_unknown_paths_answer_with_the_error_body(client):
    for path in ["/api/v1/nothing", f"{API}/items/", f"{API}/nope", "/api/v1/catalogue/"]:
        response = client.get(path)
        assert response.status_code == 404, path
        assert response.json()["code"] == "not_found"


# Lists and indicators -------------------------------------------------------------------------


def _catalogue_for_lists():
    licensing = published_item(name="食品经营许可", has_fee=True,
                               fees=[{"name": "工本费", "standard": "每证 10 元", "basis": "某文件"}])
    published_item(name="老年人优待证办理", item_type=item_type("20"), legal_days=None, **promised(3),
                   materials=[{"name": "身份证", "necessity": "required"}])
    return licensing


@pytest.mark.parametrize("kind", ListKind.values)
def test_every_list_kind_has_columns_and_rows(client, kind):
    _catalogue_for_lists()
    body = get(client, f"/lists/{kind}").json()
    assert body["kind"] == kind
    assert body["title"] == ListKind(kind).label
    assert body["columns"][0] == {"key": "index", "label": "序号"}
    keys = [c["key"] for c in body["columns"]]
    assert body["count"] == len(body["rows"]) >= 1
    assert [row["index"] for row in body["rows"]] == list(range(1, body["count"] + 1))
    assert all(list(row) == keys for row in body["rows"])


def test_list_rows_are_the_published_items(client):
    licensing = _catalogue_for_lists()
    draft_item(name="未发布的许可")
    rows = get(client, "/lists/licensing").json()["rows"]
    assert [(r["code"], r["name"], r["promised_days"]) for r in rows] == [
        (licensing.item.implementation_code, "食品经营许可", "5个工作日")]
    fees = get(client, "/lists/fees").json()["rows"]
    assert [(r["name"], r["fee_name"], r["fee_standard"]) for r in fees] == [("食品经营许可", "工本费", "每证 10 元")]


def test_unknown_list_kind_is_a_404(client):
    for path in ["/lists/nope", "/lists/nope.xlsx", "/lists/POWERS", "/lists/nope?format=xlsx"]:
        response = get(client, path)
        assert response.status_code == 404, path
        assert response.json() == {"code": "not_found", "message": "没有这种清单。", "fields": {}}


@pytest.mark.parametrize("path", ["/lists/licensing.xlsx", "/lists/licensing?format=xlsx"])
def test_list_as_excel(client, path):
    _catalogue_for_lists()
    response = get(client, path)
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    assert "attachment" in response["Content-Disposition"] and ".xlsx" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet["A1"].value.endswith("行政许可事项清单")
    assert [c.value for c in sheet[3]][:3] == ["序号", "实施编码", "事项名称"]
    assert sheet["C4"].value == "食品经营许可"


def test_excel_by_accept_header(client):
    _catalogue_for_lists()
    response = client.get(f"{API}/lists/powers", HTTP_ACCEPT=XLSX)
    assert (response.status_code, response["Content-Type"]) == (200, XLSX)
    assert client.get(f"{API}/lists/powers", HTTP_ACCEPT="application/json")["Content-Type"] == "application/json"


def test_list_query_count_is_fixed(client, django_assert_num_queries):
    _catalogue_for_lists()
    with django_assert_num_queries(2):  # versions, then their fees
        get(client, "/lists/fees")
    for n in range(5):
        published_item(name=f"收费事项{n}", has_fee=True, fees=[{"name": "费", "standard": "1 元", "basis": "文件"}])
    with django_assert_num_queries(2):
        assert get(client, "/lists/fees").json()["count"] == 6


def test_indicators_count_and_percent(client, django_assert_num_queries):
    township = TownshipFactory()
    instant = published_item(**INSTANT, online_depth=4, visits_required=0)
    published_item(online_depth=2, visits_required=2)
    delegated = published_item()
    published_item(online_depth=3)
    Delegation.objects.create(item=delegated.item, region=township, mode=DelegationMode.DIRECT,
                              effective_from=datetime.date(2026, 1, 1))

    with django_assert_num_queries(1):
        body = get(client, "/indicators").json()

    assert body["total"] == 4 and body["department"] is None
    by_key = {i["key"]: (i["label"], i["count"], i["percent"]) for i in body["items"]}
    assert by_key == {
        "instant": ("马上办", 1, 25.0),
        "online": ("网上办", 3, 75.0),
        "full_online": ("全程网办", 1, 25.0),
        "nearby": ("就近办", 1, 25.0),
        "one_visit": ("一次办", 3, 75.0),
        "zero_visit": ("零跑动", 1, 25.0),
    }

    department = instant.item.department
    body = get(client, "/indicators", department=department.pk).json()
    assert body["total"] == 1
    assert body["department"] == {"id": department.pk, "name": department.name, "short_name": ""}
    assert_invalid(get(client, "/indicators", department=987654), "department")


def test_indicators_of_an_empty_catalogue(client):
    body = get(client, "/indicators").json()
    assert body["total"] == 0
    assert {i["percent"] for i in body["items"]} == {0.0}


# Dictionaries ---------------------------------------------------------------------------------


def test_item_types(client, django_assert_num_queries):
    with django_assert_num_queries(1):
        types = get(client, "/item-types").json()
    assert types[0] == {"code": "01", "name": "行政许可", "is_power": True}
    assert {"code": "20", "name": "公共服务", "is_power": False} in types


def test_themes_by_audience(client):
    themes = get(client, "/themes").json()
    assert {"code": "marriage", "name": "婚姻登记", "audience": "person", "audience_label": "个人"} in themes
    company = get(client, "/themes", audience="company").json()
    assert company and {t["audience"] for t in company} == {"company"}
    assert_invalid(get(client, "/themes", audience="alien"), "audience")


def test_departments_with_region(client, django_assert_num_queries):
    township = TownshipFactory()
    county_department = DepartmentFactory(name="示范县民政局")
    DepartmentFactory(name="第一镇人民政府", region=township)
    with django_assert_num_queries(1):
        departments = get(client, "/departments").json()
    first = departments[0]
    assert first["name"] == "示范县民政局" and first["id"] == county_department.pk
    assert first["credit_code"] == county_department.credit_code
    assert first["region"] == {"code": "430422", "name": "示范县", "level": "county", "level_label": "县级"}
    assert [d["name"] for d in get(client, "/departments", region=township.code).json()] == ["第一镇人民政府"]
    assert_invalid(get(client, "/departments", region="999999"), "region")


def test_regions_flat_with_parent_codes(client, django_assert_num_queries):
    county = RegionFactory()
    town = TownshipFactory(parent=county)
    with django_assert_num_queries(1):
        regions = get(client, "/regions").json()
    assert regions == [
        {"code": county.code, "name": county.name, "level": "county", "level_label": "县级", "kind": "admin",
         "kind_label": "行政区划", "parent_code": None},
        {"code": town.code, "name": town.name, "level": "township", "level_label": "乡镇（街道）", "kind": "admin",
         "kind_label": "行政区划", "parent_code": county.code},
    ]
    assert [r["code"] for r in get(client, "/regions", parent=county.code).json()] == [town.code]
    assert [r["code"] for r in get(client, "/regions", level="county").json()] == [county.code]
    assert_invalid(get(client, "/regions", parent="12", level="planet"), "parent", "level")


# Root and language ----------------------------------------------------------------------------


def test_api_root_lists_the_endpoints(client):
    body = client.get("/api/v1/").json()
    assert body["catalogue_items"]["url"] == f"http://testserver{API}/items"
    assert body["catalogue_item"]["url"] == f"http://testserver{API}/items/{{implementation_code}}"
    assert body["docs"]["url"] == "http://testserver/api/docs/"
    for entry in body.values():
        assert entry["description"]
        if "{" not in entry["url"]:
            # Every listed address answers: public ones with 200, one that needs query parameters says
            # which with a 400, one that needs a signed-in caller with a 401 in the same error shape.
            response = client.get(entry["url"])
            assert response.status_code in (200, 400, 401), entry["url"]
            if response.status_code == 400:
                assert response.json()["fields"], entry["url"]


def test_values_stay_stable_in_english(client):
    published_item()
    row = client.get(f"{API}/items", HTTP_ACCEPT_LANGUAGE="en").json()["results"][0]
    assert row["handling_type"] == "promised"
    assert isinstance(row["handling_type_label"], str) and row["handling_type_label"]
