import datetime as dt
import re
from pathlib import Path

import pytest
from django.test import override_settings

from onewindow.cases import services as cases
from onewindow.cases.constants import Decision
from onewindow.cases.tests.factories import valid_ric
from onewindow.catalogue.tests.factories import published_item
from onewindow.documents import fonts
from onewindow.documents.constants import DocumentKind
from onewindow.documents.content import DocumentContent, build_content
from onewindow.documents.models import CaseDocument
from onewindow.documents.render import render_pdf

from .factories import county_department, new_case, pdf_text, team

pytestmark = pytest.mark.django_db


@pytest.fixture
def dept():
    return county_department()


@pytest.fixture
def people(dept):
    return team(dept)


def _issue(committed, people, dept, **decide):
    version = published_item(department=dept)
    case = new_case(version)
    committed(cases.case_accept, actor=people["clerk"], case=case)
    committed(cases.case_decide, actor=people["reviewer"], case=case, **decide)
    return case, CaseDocument.objects.get(case=case, kind__in=[DocumentKind.APPROVAL_DECISION,
                                                                DocumentKind.DENIAL_DECISION])


def test_the_pdf_embeds_a_subset_of_the_cjk_truetype_font_and_nothing_else(dept, people, committed):
    _case, document = _issue(committed, people, dept, decision=Decision.APPROVE)
    data = document.file.read()
    assert data.startswith(b"%PDF-")
    assert b"/FontFile2" in data  # TrueType outlines embedded
    assert b"WenQuanYi" in data or b"WQY" in data.upper()
    assert b"/BaseFont /Helvetica" not in data  # no un-embedded standard font
    assert b"/MediaBox [ 0 0 595.2756 841.8898 ]" in data  # A4


def test_the_denial_says_why_on_what_basis_and_how_to_appeal(dept, people, committed):
    case, document = _issue(committed, people, dept, decision=Decision.DENY, reason="经营场所与污染源距离不足 25 米",
                            basis="《食品经营许可管理办法》第十一条")
    text = build_content(event=document.event, kind=document.kind, number=document.number).plain_text
    for expected in ("云溪县市场监督管理局", "不予许可决定书", document.number, "李明", "食品经营许可", case.number,
                     "经营场所与污染源距离不足 25 米。", "《食品经营许可管理办法》第十一条", "第三十八条第二款",
                     "六十日内依法申请行政复议", "六个月内依法向人民法院提起行政诉讼"):
        assert expected in text
    full_id = case.applicant.id_number
    assert full_id not in text and f"**************{full_id[-4:]}" in text


def test_chinese_text_is_extractable_from_the_pdf(dept, people, committed):
    case, document = _issue(committed, people, dept, decision=Decision.APPROVE, reason="材料齐全，符合条件")
    text = pdf_text(document.file.read())
    if text is None:
        pytest.skip("poppler-utils (pdftotext) is not installed")
    flat = "".join(text.split())
    for expected in ("云溪县市场监督管理局", "准予许可决定书", document.number, "李明", case.number, "（电子印章）",
                     "六十日内", "六个月内"):
        assert expected in flat
    assert case.applicant.id_number not in flat


def test_correction_notice_lists_every_item_with_reason_where_and_the_rule(dept, people, committed):
    version = published_item(department=dept)
    specs = {m.name: m.pk for m in version.materials.all()}
    case = new_case(version, skip=("营业执照",))
    committed(cases.case_request_correction, actor=people["clerk"], case=case, items=[
        {"spec_id": specs["营业执照"], "reason": "未提交营业执照副本"},
        {"spec_id": specs["食品安全管理制度"], "reason": "缺少从业人员健康管理制度"},
    ], comment="请携带原件核验")
    document = CaseDocument.objects.get(case=case)
    content = build_content(event=document.event, kind=document.kind, number=document.number)
    assert content.table[1:] == [["1", "营业执照", "未提交营业执照副本"], ["2", "食品安全管理制度", "缺少从业人员健康管理制度"]]
    text = content.plain_text
    assert "请携带原件核验" in text and version.place in text and version.office_hours in text
    assert "本机关将依法作出是否受理的决定" in text and "一次性告知" in text


def test_extension_and_suspension_notices_carry_dates(dept, people, committed):
    version = published_item(department=dept)
    case = new_case(version)
    committed(cases.case_accept, actor=people["clerk"], case=case)
    committed(cases.case_suspend, actor=people["reviewer"], case=case, kind="testing", reason="需送检",
              expected_end=dt.date(2031, 3, 9))
    committed(cases.case_resume, actor=people["reviewer"], case=case)
    committed(cases.case_request_extension, actor=people["reviewer"], case=case, days=3, reason="需补充现场核查")
    committed(cases.case_decide_extension, actor=people["head"], case=case, approve=True)
    case.refresh_from_db()
    suspension = CaseDocument.objects.get(kind=DocumentKind.SUSPENSION_NOTICE)
    text = build_content(event=suspension.event, kind=suspension.kind, number=suspension.number).plain_text
    assert "检测" in text and "2031年3月9日" in text and "第四十五条" in text
    extension = CaseDocument.objects.get(kind=DocumentKind.EXTENSION_NOTICE)
    text = build_content(event=extension.event, kind=extension.kind, number=extension.number).plain_text
    due = case.due_at.astimezone(dt.timezone(dt.timedelta(hours=8)))
    assert "需补充现场核查" in text and "延长3个工作日" in text and f"{due.year}年{due.month}月{due.day}日前作出决定" in text


def test_typed_text_cannot_inject_markup_and_long_lists_flow_onto_more_pages(dept, people, committed):
    content = DocumentContent(kind=DocumentKind.CORRECTION_NOTICE, title="补正材料通知书", number="测试〔2025〕第00001号",
                              issuer="云溪县市场监督管理局", date=dt.date(2025, 1, 2), addressee="<b>张三</b> & 李四",
                              facts=[("申请人", "<font size=40>x</font>")],
                              paragraphs=["[[table]]"],
                              table=[["序号", "材料名称", "原因"]] + [[str(i), f"材料{i}", "<b>缺失</b>"] for i in range(60)])
    data = render_pdf(content)
    assert data.startswith(b"%PDF-") and len(re.findall(rb"/Type /Page(?!s)", data)) >= 2
    text = pdf_text(data)
    if text is not None:
        assert "<b>张三</b> & 李四" in text and "<b>缺失</b>" in text


def test_a_missing_configured_font_says_what_to_do(tmp_path):
    fonts._register.cache_clear()
    with override_settings(DOCUMENTS_FONT_PATH=str(tmp_path / "nope.ttf")), \
            pytest.raises(fonts.FontUnavailable, match="DOCUMENTS_FONT_PATH"):
        fonts.register_font()


def test_a_cff_opentype_font_is_refused_with_a_clear_message():
    otf = next(iter(Path("/usr/share/fonts/opentype/noto").glob("NotoSansCJK-Regular.ttc")), None)
    if otf is None:
        pytest.skip("no CFF-based CJK font on this machine")
    with override_settings(DOCUMENTS_FONT_PATH=str(otf)), pytest.raises(fonts.FontUnavailable, match="TrueType"):
        fonts.register_font()


def test_the_font_is_found_without_configuration():
    path = fonts.font_path()
    assert path.is_file() and path.suffix in {".ttc", ".ttf"}


def test_company_applicants_show_their_public_credit_code(dept, people, committed):
    from onewindow.cases.services import applicant_get_or_create
    from onewindow.org.tests.factories import make_uscc

    company = applicant_get_or_create(kind="company", name="云溪好味餐饮有限公司", credit_code=make_uscc(900))
    version = published_item(department=dept)
    case = new_case(version, applicant=company)
    committed(cases.case_accept, actor=people["clerk"], case=case)
    document = CaseDocument.objects.get(case=case)
    content = build_content(event=document.event, kind=document.kind, number=document.number)
    assert ("统一社会信用代码", company.credit_code) in content.facts
    assert valid_ric(1) not in content.plain_text
