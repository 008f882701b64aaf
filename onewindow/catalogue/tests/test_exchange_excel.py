"""Importing the catalogue from Excel: the template, what gets written, and every kind of bad file."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.exchange import catalogue_template
from onewindow.catalogue.exchange import fields as F
from onewindow.catalogue.models import ItemVersion, ServiceItem
from onewindow.catalogue.selectors import item_search
from onewindow.catalogue.tests.exchange_builders import (
    FEES,
    ITEM,
    MATERIALS,
    STEPS,
    catalogue,
    item_row,
    material_rows,
    run,
    step_rows,
    texts,
    workbook,
)
from onewindow.catalogue.tests.factories import draft_item, published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, UserFactory, staff

pytestmark = pytest.mark.django_db

CODE = "11430422MB000001"


@pytest.fixture
def dept():
    return DepartmentFactory(name="示范县市场监督管理局")


@pytest.fixture
def admin():
    return UserFactory(username="admin", is_superuser=True, is_staff=True)


# --- the template -------------------------------------------------------------------------------


def test_template_has_one_sheet_per_group_with_help_and_dropdowns():
    wb = load_workbook(io.BytesIO(catalogue_template()))
    assert wb.sheetnames == ["填写说明", ITEM, MATERIALS, STEPS, FEES, "常见问题", "下拉选项"]
    assert wb["下拉选项"].sheet_state == "hidden"

    ws = wb[ITEM]
    headers = [c.value for c in ws[1]]
    assert headers[:2] == ["*实施编码", "*基本编码"]
    assert "*办件类型" in headers and "承诺办结时限" in headers and "主题" in headers
    handling = f"{chr(ord('A') + headers.index('*办件类型'))}2"
    lists = [dv for dv in ws.data_validations.dataValidation if dv.type == "list"]
    dropdown = next(dv for dv in lists if handling in dv.sqref)
    assert dropdown.showErrorMessage
    options = wb["下拉选项"]
    column = next(c for c in options[1] if c.value == "办件类型").column_letter
    assert [options[f"{column}{r}"].value for r in (2, 3)] == ["即办件", "承诺件"]

    # 填写说明 explains every column of every sheet and shows an example row.
    help_rows = list(wb["填写说明"].iter_rows(values_only=True))
    explained = {(r[0], r[1]) for r in help_rows if r[0] in {s.title for s in F.SHEETS}}
    for sheet in F.SHEETS:
        for col in sheet.columns:
            assert (sheet.title, col.header) in explained
    example = next(r for r in help_rows if r[0] == ITEM and r[1] == "办件类型")
    assert example[4] == "即办件、承诺件" and example[5] == "承诺件"


def test_blank_template_imports_as_no_data():
    result = run(catalogue_template())
    assert texts(result) == ["文件中没有事项数据：「事项基本信息」从第 2 行起每行填写一个事项"]


def test_filled_template_imports(dept):
    wb = load_workbook(io.BytesIO(catalogue_template()))
    ws = wb[ITEM]
    headers = [str(c.value).lstrip("*") for c in ws[1]]
    row = item_row(CODE, dept)
    ws.append([row.get(h) for h in headers])
    buf = io.BytesIO()
    wb.save(buf)
    result = run(buf.getvalue())
    assert result.ok, texts(result)
    assert result.created == [CODE]


# --- what gets written --------------------------------------------------------------------------


def test_import_creates_draft_items_with_every_element(dept):
    content = workbook({
        ITEM: [item_row(CODE, dept, **{"特别程序": "现场核查、专家评审", "是否收费": "是", "办理形式": "窗口办理",
                                       "通办范围": "全市通办", "生效日期": "2030-01-01"})],
        MATERIALS: material_rows(CODE),
        STEPS: step_rows(CODE),
        FEES: [{"实施编码": CODE, "序号": 1, "收费项目名称": "工本费", "收费标准": "10 元", "收费依据": "某价〔2020〕1 号",
                "可减免": "是"}],
        "常见问题": [{"实施编码": CODE, "序号": 1, "问题": "要多久？", "解答": "5 个工作日。"}],
    })
    result = run(content)
    assert result.ok, texts(result)
    assert result.created == [CODE] and not result.published

    item = ServiceItem.objects.get(implementation_code=CODE)
    version = item.versions.get()
    assert version.status == VersionStatus.DRAFT and item.published_version is None
    assert item.department == dept and item.basic_code == "0001200001"
    assert version.item_type.code == "01"
    assert version.handling_type == "promised" and version.online_depth == 3
    assert version.for_person and version.for_company and version.has_fee
    assert version.special_procedures == ["site_check", "expert_review"]
    assert version.handling_form == "window" and version.cross_region_scope == "city"
    assert str(version.valid_from) == "2030-01-01"
    assert sorted(t.code for t in version.themes.all()) == ["food-drug", "operation"]
    # 序号 orders the materials, whatever the row order in the sheet.
    assert [m.name for m in version.materials.all()] == ["食品经营许可申请书", "营业执照"]
    assert version.materials.all()[1].certificate_type == "营业执照"
    assert [(s.kind, s.days) for s in version.steps.all()] == [
        ("accept", Decimal("1.0")), ("review", Decimal("2.0")), ("decide", Decimal("1.0")), ("complete", Decimal("1.0"))]
    fee = version.fees.get()
    assert (fee.name, fee.reducible) == ("工本费", True)
    assert version.faqs.get().answer == "5 个工作日。"


def test_department_by_exact_name(dept):
    content = catalogue(dept, **{"实施主体统一社会信用代码": ..., "实施主体名称": "示范县市场监督管理局"})
    result = run(content)
    assert result.ok, texts(result)
    assert ServiceItem.objects.get().department == dept


def test_draft_import_lists_what_blocks_publication_as_warnings(dept):
    result = run(catalogue(dept, **{"咨询电话": None}))
    assert result.ok
    assert "事项基本信息 第 2 行「咨询电话」：发布前须修改：咨询电话不能为空" in [str(w) for w in result.warnings]


def test_publish_as_superuser_publishes_and_indexes(dept, admin):
    result = run(catalogue(dept, codes=(CODE, "11430422MB000002")), actor=admin, publish=True)
    assert result.ok, texts(result)
    assert result.published == [CODE, "11430422MB000002"]
    assert ItemVersion.objects.filter(status=VersionStatus.PUBLISHED).count() == 2
    assert len(item_search(query="食品").results) == 2


def test_publish_needs_a_superuser(dept):
    editor = staff(Role.CATALOGUE_EDITOR, department=dept)
    result = run(catalogue(dept), actor=editor, publish=True)
    assert texts(result) == ["只有系统管理员（超级用户）可以导入并直接发布事项，请用 --user 指定超级用户"]
    assert not ServiceItem.objects.exists()


def test_publish_fails_whole_file_on_quality_errors_listed_per_item(dept, admin):
    second = "11430422MB000002"
    content = workbook({
        ITEM: [item_row(CODE, dept), item_row(second, dept, **{"咨询电话": None, "受理条件": None})],
        MATERIALS: material_rows(CODE),
        STEPS: step_rows(CODE) + step_rows(second, days=(1, 1, 1, 1)),
    })
    result = run(content, actor=admin, publish=True)
    assert not result.ok
    assert texts(result) == [
        "事项基本信息 第 3 行「受理条件」：受理条件不能为空",
        "事项基本信息 第 3 行「咨询电话」：咨询电话不能为空",
        f"办理环节（实施编码 {second}）：各环节时限之和（4）应等于承诺办结时限（5）",
    ]
    assert all(p.item_code == second for p in result.errors)
    assert result.error_lines()[0] == f"实施编码 {second}："
    assert not ServiceItem.objects.exists()


def test_editor_may_only_import_items_of_own_department(dept):
    other = DepartmentFactory()
    editor = staff(Role.CATALOGUE_EDITOR, department=dept)
    content = workbook({ITEM: [item_row(CODE, dept), item_row("11430422MB000002", other)]})
    result = run(content, actor=editor)
    assert texts(result) == [f"事项基本信息 第 3 行「实施主体名称」：您无权编辑“{other.name}”的事项"]
    assert not ServiceItem.objects.exists()
    assert run(workbook({ITEM: [item_row(CODE, dept)]}), actor=editor).created == [CODE]


def test_existing_published_item_gets_a_new_draft(dept):
    version = published_item(department=dept, code=CODE)
    content = catalogue(dept, **{"基本编码": version.item.basic_code, "承诺办结时限": 4})
    content = workbook({
        ITEM: [item_row(CODE, dept, **{"基本编码": version.item.basic_code, "承诺办结时限": 4})],
        STEPS: step_rows(CODE, days=(1, 1, 1, 1)),
    })
    result = run(content)
    assert result.ok, texts(result)
    assert result.updated == [CODE]
    item = ServiceItem.objects.get()
    draft = item.versions.get(number=2)
    assert draft.status == VersionStatus.DRAFT and draft.promised_days == 4
    assert item.published_version_id == version.pk and item.published_version.promised_days == 5
    # No 申请材料 sheet in the file: the materials are copied from the published version.
    assert [m.name for m in draft.materials.all()] == [m.name for m in version.materials.all()]


def test_existing_open_draft_is_updated_in_place(dept):
    version = draft_item(department=dept, code=CODE)
    content = workbook({ITEM: [item_row(CODE, dept, **{"基本编码": version.item.basic_code, "事项名称": "食品经营许可（新办）"})]})
    result = run(content)
    assert result.ok, texts(result)
    version.refresh_from_db()
    assert ItemVersion.objects.count() == 1
    assert version.name == "食品经营许可（新办）" and version.item.name == "食品经营许可（新办）"


def test_material_files_are_kept_when_the_material_is_imported_again(dept):
    version = draft_item(department=dept, code=CODE)
    material = version.materials.get(name="营业执照")
    material.blank_form.name = "catalogue/forms/licence.pdf"
    material.save()
    content = workbook({ITEM: [item_row(CODE, dept, **{"基本编码": version.item.basic_code})],
                        MATERIALS: material_rows(CODE)})
    assert run(content).ok
    assert version.materials.get(name="营业执照").blank_form.name == "catalogue/forms/licence.pdf"


def test_item_in_review_is_refused(dept):
    version = draft_item(department=dept, code=CODE)
    ItemVersion.objects.filter(pk=version.pk).update(status=VersionStatus.IN_REVIEW)
    result = run(workbook({ITEM: [item_row(CODE, dept, **{"基本编码": version.item.basic_code})]}))
    assert texts(result) == ["事项基本信息 第 2 行：该事项有待审核的版本，请先审核发布或退回后再导入"]


def test_codes_and_department_of_an_existing_item_cannot_change(dept):
    version = draft_item(department=dept, code=CODE)
    other = DepartmentFactory()
    result = run(workbook({ITEM: [item_row(CODE, other, **{"基本编码": "9999999999"})]}))
    assert texts(result) == [
        f"事项基本信息 第 2 行「基本编码」：基本编码（9999999999）与系统中该事项的基本编码（{version.item.basic_code}）不一致，编码不能修改",
        f"事项基本信息 第 2 行「实施主体名称」：实施主体（{other.name}）与系统中该事项的实施主体（{dept.name}）不一致，"
        "实施主体不能通过导入修改",
    ]


def test_failure_while_writing_rolls_back_everything(dept, admin, monkeypatch):
    from onewindow.catalogue import services
    from onewindow.core.errors import ApplicationError

    original = services.version_publish_unreviewed
    calls = []

    def flaky(**kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise ApplicationError("模拟的发布失败。")
        return original(**kwargs)

    monkeypatch.setattr(services, "version_publish_unreviewed", flaky)
    result = run(catalogue(dept, codes=(CODE, "11430422MB000002")), actor=admin, publish=True)
    assert texts(result) == ["事项基本信息 第 3 行：模拟的发布失败"]
    assert not ServiceItem.objects.exists()
    assert result.created == [] and result.published == []


# --- bad files: every problem, with sheet, row and column, nothing written ------------------------


def test_unknown_and_missing_columns(dept):
    rows = [item_row(CODE, dept, **{"事项名称": ..., "承诺时限": 5})]
    content = workbook({ITEM: rows, MATERIALS: [{"实施编码": CODE, "序号": 1, "材料": "申请书"}]})
    result = run(content)
    assert texts(result) == [
        "事项基本信息 第 1 行「承诺时限」：未知的列“承诺时限”，请核对列名（见「填写说明」）",
        "事项基本信息 第 1 行：缺少必填列“事项名称”",
        "申请材料 第 1 行「材料」：未知的列“材料”，请核对列名（见「填写说明」）",
        "申请材料 第 1 行：缺少必填列“材料名称”",
    ]
    assert not ServiceItem.objects.exists()


def test_unknown_sheet_is_reported(dept):
    content = workbook({ITEM: [item_row(CODE, dept)], "申请材料表": [{"实施编码": CODE, "序号": 1, "材料名称": "申请书"}]})
    assert texts(run(content)) == ["工作表「申请材料表」不属于导入模板：如是模板中的工作表，请改回原名称"
                                   "（事项基本信息、申请材料、办理环节、收费项目、常见问题）；不需要的请删除"]


def test_headers_are_matched_by_name_in_any_order_with_marks(dept):
    row = item_row(CODE, dept)
    columns = list(reversed(list(row)))
    content = workbook({ITEM: [[f"*{c}" if c == "事项名称" else f" {c} " for c in columns],
                               [row[c] for c in columns]]})
    result = run(content)
    assert result.ok, texts(result)


def test_bad_codes(dept, settings):
    settings.CATALOGUE_BASIC_CODE_PATTERN = r"^\d{10}$"
    content = workbook({ITEM: [
        item_row("AB", dept),
        item_row("11430422MB000002", dept, **{"基本编码": "12345"}),
        item_row(1.14304221234567e17, dept),
    ]})
    result = run(content)
    assert texts(result) == [
        "事项基本信息 第 2 行「实施编码」：实施编码“AB”格式不正确",
        "事项基本信息 第 3 行「基本编码」：基本编码“12345”格式不正确",
        "事项基本信息 第 4 行「实施编码」：实施编码被 Excel 当成了数字（1.14304221234567e+17），"
        "请把该列单元格格式设为“文本”后重新填写",
    ]


def test_promised_days_over_legal_days(dept):
    codes = [f"11430422MB00000{i}" for i in range(1, 5)]
    rows = [item_row(c, dept) for c in codes[:3]] + [item_row(codes[3], dept, **{"承诺办结时限": 30})]
    result = run(workbook({ITEM: rows}))
    assert texts(result) == ["事项基本信息 第 5 行「承诺办结时限」：承诺办结时限（30）不能超过法定办结时限（20）"]


def test_promised_days_over_legal_days_in_mixed_units(dept):
    result = run(workbook({ITEM: [item_row(CODE, dept, **{"法定时限单位": "自然日", "法定办结时限": 7,
                                                           "承诺办结时限": 6})]}))
    assert texts(result) == ["事项基本信息 第 2 行「承诺办结时限」：承诺办结时限（6工作日）不能超过法定办结时限（7自然日）"]


def test_unknown_department(dept):
    content = workbook({ITEM: [
        item_row(CODE, dept, **{"实施主体统一社会信用代码": ..., "实施主体名称": "示范县不存在局"}),
        item_row("11430422MB000002", dept, **{"实施主体统一社会信用代码": "11430422MB9999999X"}),
        item_row("11430422MB000003", dept, **{"实施主体统一社会信用代码": None}),
    ]})
    assert texts(run(content)) == [
        "事项基本信息 第 2 行「实施主体名称」：部门“示范县不存在局”不存在，请填写系统中部门的全称或统一社会信用代码",
        "事项基本信息 第 3 行「实施主体统一社会信用代码」：统一社会信用代码为“11430422MB9999999X”的部门不存在",
        "事项基本信息 第 4 行「实施主体名称」：请填写实施主体名称或统一社会信用代码",
    ]


def test_unknown_item_type(dept):
    content = workbook({ITEM: [item_row(CODE, dept, **{"事项类型": "99"}),
                               item_row("11430422MB000002", dept, **{"事项类型": "行政许可"}),
                               item_row("11430422MB000003", dept, **{"事项类型": 20}),
                               item_row("11430422MB000004", dept, **{"事项类型": "07 行政确认"})]})
    result = run(content)
    assert len(result.errors) == 1
    assert str(result.errors[0]).startswith("事项基本信息 第 2 行「事项类型」：事项类型“99”不存在，可选：01 行政许可、")


def test_unknown_choice_labels_and_bad_values(dept):
    content = workbook({
        ITEM: [item_row(CODE, dept, **{"办件类型": "急办件", "支持预约办理": "对", "承诺办结时限": "五",
                                       "特别程序": "听证、抽签", "主题": "婚姻登记、不存在的主题", "生效日期": "明年"})],
        MATERIALS: [{"实施编码": CODE, "序号": 1, "材料名称": "申请书", "必要性": "很必要"},
                    {"实施编码": CODE, "序号": 2, "材料名称": "证明", "必要性": "情形必要"}],
        STEPS: [{"实施编码": CODE, "序号": 1, "环节": "受理", "环节时限": 0.25}],
    })
    assert texts(run(content)) == [
        "事项基本信息 第 2 行「主题」：主题“不存在的主题”不存在",
        "事项基本信息 第 2 行「承诺办结时限」：承诺办结时限应为整数（现为“五”）",
        "事项基本信息 第 2 行「办件类型」：“急办件”不是有效的办件类型，可选：即办件、承诺件",
        "事项基本信息 第 2 行「特别程序」：“抽签”不是有效的特别程序，可选：听证、招标、拍卖、检验、检测、检疫、鉴定、专家评审、现场核查",
        "事项基本信息 第 2 行「支持预约办理」：支持预约办理应填“是”或“否”（现为“对”）",
        "事项基本信息 第 2 行「生效日期」：“明年”不是有效的生效日期，格式应为 2025-01-01",
        "申请材料 第 2 行「必要性」：“很必要”不是有效的必要性，可选：必要、情形必要、容缺",
        "申请材料 第 3 行「适用情形」：情形必要材料“证明”必须写明适用情形",
        "办理环节 第 2 行「环节时限」：环节时限最多保留 1 位小数（现为 0.25）",
    ]


def test_child_rows_referencing_unknown_code_or_repeating_sort(dept):
    content = workbook({
        ITEM: [item_row(CODE, dept)],
        MATERIALS: [*material_rows(CODE),
                    {"实施编码": "11430422MB999999", "序号": 1, "材料名称": "身份证"},
                    {"实施编码": CODE, "序号": 1, "材料名称": "身份证"},
                    {"实施编码": None, "序号": 3, "材料名称": "户口簿"},
                    {"实施编码": CODE, "序号": "一", "材料名称": "照片"}],
    })
    assert texts(run(content)) == [
        "申请材料 第 4 行「实施编码」：实施编码“11430422MB999999”在「事项基本信息」中不存在",
        "申请材料 第 5 行「序号」：序号 1 重复（与第 3 行相同）",
        "申请材料 第 6 行「实施编码」：实施编码不能为空",
        "申请材料 第 7 行「序号」：序号应为 1–32767 的整数（现为“一”）",
    ]


def test_duplicate_code_in_file(dept):
    content = workbook({ITEM: [item_row(CODE, dept), item_row("11430422MB000002", dept), item_row(CODE, dept)]})
    assert texts(run(content)) == [f"事项基本信息 第 4 行「实施编码」：实施编码“{CODE}”在文件中重复（与 事项基本信息 第 2 行 重复）"]


def test_every_problem_is_reported_and_nothing_written(dept):
    content = workbook({
        ITEM: [item_row(CODE, dept, **{"承诺办结时限": 30}),
               item_row("11430422MB000002", dept, **{"事项类型": "88", "办件类型": None}),
               item_row("11430422MB000003", dept)],
        MATERIALS: [{"实施编码": "X", "序号": 1, "材料名称": "身份证"}],
        STEPS: step_rows("11430422MB000003"),
    })
    result = run(content)
    assert len(result.errors) == 4
    assert {p.location.row for p in result.errors} == {2, 3}
    assert {p.location.sheet for p in result.errors} == {ITEM, MATERIALS}
    assert not ServiceItem.objects.exists()


def test_text_file_renamed_xlsx():
    assert texts(run(b"implementation_code,name\n1,x\n")) == [
        "文件不是有效的 Excel（.xlsx）文件，请使用 catalogue_template 生成的模板填写后导入"]


def test_pdf_renamed_xlsx():
    assert texts(run(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n")) == [
        "文件不是有效的 Excel（.xlsx）文件，请使用 catalogue_template 生成的模板填写后导入"]


def test_old_xls_and_other_zips_and_broken_xlsx():
    assert texts(run(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100))[0].startswith("这是旧版 Excel（.xls）文件")
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    assert texts(run(buf.getvalue()))[0].startswith("文件不是 Excel 工作簿")
    good = catalogue_template()
    assert texts(run(good[: len(good) // 2]))[0].startswith("文件已损坏")
    assert texts(run(b"")) == ["文件是空的"]


def test_empty_workbook():
    buf = io.BytesIO()
    Workbook().save(buf)
    assert texts(run(buf.getvalue())) == ["工作簿中没有「事项基本信息」工作表，请使用 catalogue_template 生成的模板填写"]
    assert texts(run(workbook({ITEM: [[]]}))) == [
        "事项基本信息 第 1 行：缺少必填列“实施编码”",
        "事项基本信息 第 1 行：缺少必填列“基本编码”",
        "事项基本信息 第 1 行：缺少必填列“事项名称”",
        "事项基本信息 第 1 行：缺少必填列“事项类型”",
        "事项基本信息 第 1 行：缺少必填列“办件类型”",
        "事项基本信息 第 1 行：缺少必填列“实施主体名称”或“实施主体统一社会信用代码”",
    ]


def test_huge_file_is_refused_before_opening(dept, settings, tmp_path, monkeypatch):
    from onewindow.catalogue.exchange import excel

    def must_not_open(*args, **kwargs):
        raise AssertionError("opened a file that is too big")

    monkeypatch.setattr(excel, "load_workbook", must_not_open)
    settings.CATALOGUE_IMPORT_MAX_BYTES = 2 * 1024 * 1024
    path = tmp_path / "big.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * (3 * 1024 * 1024))
    assert texts(run(path.read_bytes())) == ["文件过大（3.0 MB），超过 2.0 MB 的上限，请拆分成多个文件分批导入"]
    from onewindow.catalogue.exchange import catalogue_import

    assert [str(p) for p in catalogue_import(file=path).errors] == [
        "文件过大（3.0 MB），超过 2.0 MB 的上限，请拆分成多个文件分批导入"]


def test_zip_bomb_is_refused(settings):
    settings.CATALOGUE_IMPORT_MAX_BYTES = 100_000
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/workbook.xml", "<workbook/>")
        z.writestr("xl/worksheets/sheet1.xml", b"0" * 3_000_000)
    assert len(buf.getvalue()) < 100_000
    assert texts(run(buf.getvalue())) == ["文件解压后过大（可能是恶意构造的文件），无法导入"]


def test_too_many_rows(dept, settings):
    settings.CATALOGUE_IMPORT_MAX_ROWS = 3
    content = workbook({ITEM: [item_row(CODE, dept)], MATERIALS: [
        {"实施编码": CODE, "序号": i, "材料名称": f"材料{i}"} for i in range(1, 5)]})
    assert texts(run(content)) == ["申请材料：数据超过 3 行的上限，请拆分成多个文件分批导入"]


def test_blank_rows_between_data_are_skipped_and_row_numbers_stay_true(dept):
    content = workbook({ITEM: [list(item_row(CODE, dept)), list(item_row(CODE, dept).values()), [],
                               list(item_row("11430422MB000002", dept, **{"承诺办结时限": 99}).values())]})
    assert texts(run(content)) == ["事项基本信息 第 4 行「承诺办结时限」：承诺办结时限（99）不能超过法定办结时限（20）"]


def test_upload_from_a_web_form_is_checked_by_size_before_reading(dept, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from onewindow.catalogue.exchange import catalogue_import

    editor = staff(Role.CATALOGUE_EDITOR, department=dept)
    upload = SimpleUploadedFile("目录.xlsx", catalogue(dept))
    result = catalogue_import(file=upload, actor=editor)
    assert result.ok and result.filename == "目录.xlsx" and result.created == [CODE]
    assert result.as_dict()["summary"] == "导入完成：共 1 个事项，新建 1 个，更新 0 个，发布 0 个，未变化 0 个。"

    settings.CATALOGUE_IMPORT_MAX_BYTES = 1024 * 1024

    class Unreadable(io.BytesIO):
        size = 5 * 1024 * 1024
        name = "big.xlsx"

        def read(self, *args):
            raise AssertionError("read a file that is too big")

    big = Unreadable()
    assert [p.as_dict()["text"] for p in catalogue_import(file=big, actor=editor).errors] == [
        "文件过大（5.0 MB），超过 1.0 MB 的上限，请拆分成多个文件分批导入"]
