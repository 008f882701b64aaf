import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from onewindow.catalogue import services
from onewindow.catalogue.models import MaterialSpec
from onewindow.catalogue.tests.factories import draft_item, published_item
from onewindow.org.constants import DelegationMode, Role
from onewindow.org.models import Delegation
from onewindow.org.tests.factories import TownshipFactory, staff

pytestmark = pytest.mark.django_db

GUIDE_QUERIES = 8  # version + 6 prefetches (materials, steps, fees, faqs, themes, delegations) + halls


def guide_url(version) -> str:
    return reverse("portal:guide_detail", args=[version.item.implementation_code])


def test_guide_shows_everything_a_citizen_needs_to_come_once(client, food_item):
    response = client.get(guide_url(food_item))
    assert response.status_code == 200
    html = response.content.decode()
    # Identity and basics
    for text in ("<h1", "食品经营许可", "行政许可", "示范县市场监督管理局", "《中华人民共和国食品安全法》第三十五条",
                 "自然人、法人", "有与经营的食品品种、数量相适应的经营场所。", food_item.item.implementation_code,
                 "食品经营许可证"):
        assert text in html, text
    # Materials with necessity, 容缺, condition, form/count, source, 免提交, acceptance standard
    for text in ("食品经营许可申请书", "申请人签字或盖章", "营业执照", "免提交：可用“营业执照”电子证照", "复印件",
                 "政府部门核发", "食品安全管理制度", "容缺", "受理后 5 个工作日内补交", "情形必要",
                 "适用情形：委托他人代为办理的", "共 4 份材料，其中 1 份可容缺，1 份可用电子证照免提交"):
        assert text in html, text
    # Steps with days, time limits and the reduction rate
    for text in ("办理流程", "受理", "审查", "决定", "办结", "20 个工作日", "5 个工作日", "75%", "现场核查"):
        assert text in html, text
    # Handling, fees, flags, cross-region
    for text in ("承诺件", "网上办理、窗口办理", "Ⅲ级 在线预审", "最多跑一次", "不收费", "网上预约", "全市通办"):
        assert text in html, text
    # Where: place and hours, the county hall and the township delegation with its mode and hall
    for text in ("示范县政务服务中心一楼 3 号窗口", "工作日 9:00-12:00", "人民路 1 号市民之家", "城关镇",
                 "服务前移", "城关镇便民服务中心", "城关镇政府大院一楼"):
        assert text in html, text
    # Phones as tel: links, FAQ as details/summary, version and valid-from
    assert 'href="tel:07341234567"' in html and 'href="tel:12345"' in html
    assert "<details" in html and "<summary>小吃店也要办吗？</summary>" in html
    assert "第 1 版" in html
    assert f"{timezone.localdate():%Y年%-m月%-d日}" in html
    # Print button (enabled by JS) and the print-only notice header
    assert "data-print" in html and "一次性告知单" in html


def test_fees_are_listed_with_their_basis(client):
    version = published_item(has_fee=True, fees=[
        {"name": "不动产登记费", "standard": "住宅类每件 80 元", "basis": "发改价格规〔2016〕2559号", "reducible": True,
         "note": "小微企业免收"}])
    html = client.get(guide_url(version)).content.decode()
    for text in ("不动产登记费", "住宅类每件 80 元", "发改价格规〔2016〕2559号", "可减免", "小微企业免收"):
        assert text in html
    assert "办理本事项不收取任何费用" not in html


def test_blank_form_and_sample_downloads(client, food_item):
    material = MaterialSpec.objects.get(version=food_item, name="食品经营许可申请书")
    material.blank_form = SimpleUploadedFile("apply.docx", b"form")
    material.sample = SimpleUploadedFile("sample.pdf", b"sample")
    material.save()
    html = client.get(guide_url(food_item)).content.decode()
    assert "空白表格" in html and "示例样表" in html
    assert "/media/catalogue/forms/apply" in html and "/media/catalogue/samples/sample" in html


def test_expired_delegations_are_not_shown(client, food_item):
    old_town = TownshipFactory(name="旧镇")
    Delegation.objects.create(item=food_item.item, region=old_town, mode=DelegationMode.DIRECT,
                              effective_from=datetime.date(2020, 1, 1), effective_to=datetime.date(2020, 12, 31))
    html = client.get(guide_url(food_item)).content.decode()
    assert "城关镇" in html and "旧镇" not in html


def test_item_without_delegations_says_county_only(client):
    html = client.get(guide_url(published_item())).content.decode()
    assert "本事项暂只能在县级办理" in html


def _materials(n: int) -> list[dict]:
    return [{"name": f"材料{i}", "necessity": "waivable" if i % 5 == 0 else "required"} for i in range(n)]


@pytest.mark.parametrize("count", [3, 20])
def test_guide_query_count_does_not_grow_with_materials(client, django_assert_num_queries, count):
    version = published_item(materials=_materials(count), fees=[{"name": "工本费", "standard": "10 元", "basis": "文件"}],
                             has_fee=True, faqs=[{"question": f"问{i}", "answer": "答"} for i in range(count)],
                             themes=["operation", "food-drug"])
    for _ in range(3 if count == 20 else 1):
        Delegation.objects.create(item=version.item, region=TownshipFactory(), mode=DelegationMode.ENTRUSTED,
                                  effective_from=timezone.localdate())
    url = guide_url(version)
    with django_assert_num_queries(GUIDE_QUERIES):
        response = client.get(url)
    assert response.status_code == 200
    assert response.content.decode().count('data-label="材料名称"') == count


def test_unknown_code_is_404(client):
    response = client.get(reverse("portal:guide_detail", args=["NO-SUCH-CODE"]))
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


def test_draft_item_is_404(client):
    version = draft_item()
    assert client.get(guide_url(version)).status_code == 404


def test_retired_item_is_404(client):
    version = published_item()
    admin = staff(Role.ADMIN)
    services.version_retire(actor=admin, version=version, reason="事项取消")
    assert client.get(guide_url(version)).status_code == 404


def test_guide_shows_the_published_version_not_a_newer_draft(client):
    version = published_item(name="食品经营许可")
    draft = services.version_start_draft(actor=None, item=version.item)
    services.version_update(actor=None, version=draft, data={"name": "草稿中的新名称"})
    html = client.get(guide_url(version)).content.decode()
    assert "食品经营许可" in html and "草稿中的新名称" not in html
