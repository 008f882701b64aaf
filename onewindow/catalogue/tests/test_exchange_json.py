"""Export and JSON import: the catalogue round-trips between installations, in JSON and in Excel."""

import json

import pytest

from onewindow.catalogue import services
from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.exchange import catalogue_export, export_payloads
from onewindow.catalogue.exchange.export import versions_for_export
from onewindow.catalogue.models import ServiceItem, Theme
from onewindow.catalogue.tests.exchange_builders import run, texts
from onewindow.catalogue.tests.factories import draft_item, published_item, valid_version_data
from onewindow.org.tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return UserFactory(username="admin", is_superuser=True)


def _rich_catalogue():
    """Published items using every kind of element, and one item with a newer open draft."""
    market, civil = DepartmentFactory(name="示范县市场监督管理局"), DepartmentFactory(name="示范县民政局")
    published_item(department=market, code="11430422MB000001", has_fee=True, special_procedures=["site_check"],
                   fees=[{"name": "工本费", "standard": "10 元", "basis": "某价〔2020〕1 号", "reducible": True}],
                   faqs=[{"question": "要多久？", "answer": "5 个工作日。"}], legal_days_unit="natural",
                   legal_days=30, form_schema={"type": "object"}, themes=list(Theme.objects.filter(
                       code__in=["operation", "food-drug"])))
    published_item(department=civil, code="11430422MB000002", name="婚姻登记", item_type=_type("07"),
                   acceptance_conditions="=HYPERLINK(\"http://example.com\") 是文字，不是公式",
                   handling_type="instant", promised_days=0, legal_days=None, time_limit_note="当场办结",
                   steps=[{"kind": "accept", "days": 0}, {"kind": "decide", "days": 0}], online_depth=4,
                   visits_required=0, supports_mail_delivery=True)
    newer = published_item(department=market, code="11430422MB000003", name="药品零售许可")
    draft = services.version_start_draft(actor=None, item=newer.item)
    services.version_update(actor=None, version=draft, data={"name": "药品零售许可（新）", "promised_days": 3,
                                                               "steps": [{"kind": "accept", "days": 1.5},
                                                                         {"kind": "decide", "days": 1.5}]})
    draft_item(department=civil, code="11430422MB000004", name="只有草稿的事项")


def _type(code):
    from onewindow.catalogue.models import ItemType

    return ItemType.objects.get(code=code)


def _items(content: bytes) -> list:
    return json.loads(content)["items"]


@pytest.mark.parametrize("file_format", ["json", "xlsx"])
def test_published_catalogue_round_trips_into_an_empty_installation(admin, file_format):
    _rich_catalogue()
    before = export_payloads()
    assert [i["implementation_code"] for i in before] == ["11430422MB000001", "11430422MB000002", "11430422MB000003"]
    content = catalogue_export(file_format=file_format)

    ServiceItem.objects.all().delete()
    result = run(content, filename=f"catalogue.{file_format}", actor=admin, publish=True)
    assert result.ok, texts(result)
    assert result.created == result.published == [i["implementation_code"] for i in before]

    assert export_payloads() == before
    assert before[0]["fees"][0]["basis"] == "某价〔2020〕1 号" and before[0]["themes"] == ["operation", "food-drug"]


def test_all_drafts_export_round_trips_as_drafts():
    _rich_catalogue()
    before = export_payloads(all_drafts=True)
    assert [i["name"] for i in before] == ["食品经营许可", "婚姻登记", "药品零售许可（新）", "只有草稿的事项"]
    assert before[2]["steps"][0]["days"] == 1.5
    content = catalogue_export(file_format="json", all_drafts=True)
    assert json.loads(content)["scope"] == "all_drafts"

    ServiceItem.objects.all().delete()
    result = run(content, filename="drafts.json")
    assert result.ok, texts(result)
    assert len(result.created) == 4 and not result.published
    assert not ServiceItem.objects.filter(published_version__isnull=False).exists()
    assert export_payloads(all_drafts=True) == before


def test_importing_the_same_export_again_changes_nothing(admin):
    _rich_catalogue()
    content = catalogue_export(file_format="json")
    result = run(content, filename="c.json", actor=admin, publish=True)
    assert result.ok, texts(result)
    assert result.unchanged == ["11430422MB000001", "11430422MB000002"]
    # The third item has an open draft: the import overwrites the draft and publishes it.
    assert result.updated == result.published == ["11430422MB000003"]


def test_export_document_has_a_schema_version():
    published_item()
    doc = json.loads(catalogue_export(file_format="json"))
    assert doc["schema"] == "onewindow.catalogue" and doc["schema_version"] == 1 and doc["scope"] == "published"
    item = doc["items"][0]
    assert item["item_type"] == "01" and item["handling_type"] == "promised" and item["for_person"] is True
    assert item["department"]["credit_code"]


def test_export_reads_a_fixed_number_of_queries(django_assert_num_queries):
    published_item()
    with django_assert_num_queries(6):
        export_payloads()
    published_item()
    published_item()
    with django_assert_num_queries(6):
        assert len(export_payloads()) == 3
    assert versions_for_export().count() == 3


def _document(items, **extra):
    return json.dumps({"schema": "onewindow.catalogue", "schema_version": 1, "items": items, **extra}).encode()


def _item(dept, **overrides):
    item = {
        "implementation_code": "11430422MB000001", "basic_code": "0001200001",
        "department": {"credit_code": dept.credit_code},
        **{k: v for k, v in valid_version_data().items() if k not in ("item_type", "materials", "steps")},
        "item_type": "01",
        "steps": [{"kind": "accept", "days": 1}, {"kind": "review", "days": 3}, {"kind": "decide", "days": 1}],
    }
    item.update(overrides)
    return item


def test_json_import_creates_items():
    dept = DepartmentFactory()
    result = run(_document([_item(dept, themes=["operation"])]), filename="c.json")
    assert result.ok, texts(result)
    version = ServiceItem.objects.get().versions.get()
    assert version.status == VersionStatus.DRAFT and version.steps.count() == 3
    assert [t.code for t in version.themes.all()] == ["operation"]


def test_json_problems_are_reported_with_paths():
    dept = DepartmentFactory()
    items = [
        _item(dept, handling_type="承诺件", for_person="是", promised_days=30, colour="red",
              materials=[{"name": "申请书", "necessity": "must"}]),
        _item(dept, implementation_code="11430422MB000002", item_type="行政许可", department="示范县不存在局",
              legal_days="20"),
    ]
    result = run(_document(items), filename="c.json")
    assert texts(result) == [
        "items[0].colour：未知的字段“colour”",
        "items[0].for_person：服务对象-自然人应为 true 或 false（现为 \"是\"）",
        "items[0].handling_type：\"承诺件\" 不是有效的办件类型，可选值：\"instant\"、\"promised\"",
        "items[0].materials[0].necessity：\"must\" 不是有效的必要性，可选值：\"required\"、\"conditional\"、\"waivable\"",
        "items[0].promised_days：承诺办结时限（30）不能超过法定办结时限（20）",
        "items[1].item_type：事项类型“行政许可”不存在，可选：01 行政许可、02 行政处罚、03 行政强制、04 行政征收、05 行政给付、"
        "06 行政检查、07 行政确认、08 行政奖励、09 行政裁决、10 其他行政权力、20 公共服务",
        "items[1].legal_days：法定办结时限应为整数（现为“20”）",
        "items[1].department.name：部门“示范县不存在局”不存在，请填写系统中部门的全称或统一社会信用代码",
    ]
    assert not ServiceItem.objects.exists()


def test_json_envelope_problems():
    assert texts(run(b"{\"items\": [", filename="c.json")) == ["不是有效的 JSON：第 1 行第 12 列附近格式错误"]
    assert texts(run(b"[]", filename="c.json")) == ["JSON 文件应为一个对象，并包含 items 数组（事项列表）"]
    assert texts(run(_document([], schema_version=2), filename="c.json")) == [
        "schema_version：不支持的 schema_version：2（本系统支持 1）"]
    assert texts(run(_document([]), filename="c.json")) == ["items：文件中没有事项数据（items 为空）"]
    assert texts(run("\ufeff{\"schema_version\": 1, \"items\": [1]}".encode(), filename="c.json")) == ["items[0]：应为对象"]
    assert texts(run(b"\xff\xfe{", filename="c.json")) == ["JSON 文件须为 UTF-8 编码"]


def test_json_detected_by_content_without_extension():
    dept = DepartmentFactory()
    result = run(_document([_item(dept)]), filename="upload.txt")
    assert result.ok and result.file_format == "json"


def test_json_duplicate_codes_and_caps(settings):
    dept = DepartmentFactory()
    assert texts(run(_document([_item(dept), _item(dept)]), filename="c.json")) == [
        "items[1].implementation_code：实施编码“11430422MB000001”在文件中重复（与 items[0] 重复）"]
    settings.CATALOGUE_IMPORT_MAX_ROWS = 1
    assert texts(run(_document([_item(dept), _item(dept)]), filename="c.json")) == [
        "items：事项超过 1 个的上限，请拆分成多个文件分批导入"]
