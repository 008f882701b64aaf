import io
from urllib.parse import quote

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from onewindow.catalogue.constants import ListKind

pytestmark = pytest.mark.django_db


def test_list_index_shows_the_five_lists_with_counts_and_indicators(client, food_item):
    response = client.get(reverse("portal:list_index"))
    assert response.status_code == 200
    html = response.content.decode()
    for kind in ListKind:
        assert str(kind.label) in html
        assert reverse("portal:list_detail", args=[kind.value]) in html
        assert reverse("portal:list_xlsx", args=[kind.value]) in html
    counts = {entry["kind"]: entry["items"] for entry in response.context["lists"]}
    assert counts == {"powers": 1, "licensing": 1, "public-service": 0, "fees": 0, "waivable": 1}
    for label in ("马上办", "网上办", "全程网办", "就近办", "一次办", "零跑动"):
        assert label in html
    assert "100%" in html  # the only item is delegated, one-visit and online


@pytest.mark.parametrize("kind", [k.value for k in ListKind])
def test_every_list_page_renders(client, food_item, kind):
    response = client.get(reverse("portal:list_detail", args=[kind]))
    assert response.status_code == 200
    assert "下载 Excel" in response.content.decode()


def test_licensing_list_page_has_a_table_with_links_to_guides(client, food_item):
    html = client.get(reverse("portal:list_detail", args=["licensing"])).content.decode()
    assert "<thead>" in html and "实施编码" in html and "设定依据" in html
    assert reverse("portal:guide_detail", args=[food_item.item.implementation_code]) in html
    assert "《中华人民共和国食品安全法》第三十五条" in html


def test_waivable_list_shows_the_waivable_material(client, food_item):
    html = client.get(reverse("portal:list_detail", args=["waivable"])).content.decode()
    assert "食品安全管理制度" in html and "受理后 5 个工作日内补交" in html


def _xlsx_rows(response):
    workbook = load_workbook(io.BytesIO(response.content))
    return [[c.value for c in row] for row in workbook.active.iter_rows()]


def test_xlsx_download_has_header_and_rows(client, food_item):
    response = client.get(reverse("portal:list_xlsx", args=["licensing"]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    rows = _xlsx_rows(response)
    assert "行政许可事项清单" in rows[0][0]
    header = rows[2]
    assert header[:4] == ["序号", "实施编码", "事项名称", "实施主体"]
    assert rows[3][:4] == [1, food_item.item.implementation_code, "食品经营许可", "示范县市场监督管理局"]


def test_xlsx_has_a_chinese_filename(client, food_item, settings):
    response = client.get(reverse("portal:list_xlsx", args=["licensing"]))
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=UTF-8''" in disposition
    assert quote(f"{settings.SITE_BUREAU}行政许可事项清单_") in disposition
    assert disposition.endswith(".xlsx")
    assert 'filename="licensing-' in disposition  # ASCII fallback for old clients


def test_format_parameter_also_downloads(client, food_item):
    response = client.get(reverse("portal:list_detail", args=["fees"]), {"format": "xlsx"})
    assert response.status_code == 200
    assert "filename*=UTF-8''" in response["Content-Disposition"]
    assert _xlsx_rows(response)[2][0] == "序号"


def test_unknown_list_is_404(client):
    assert client.get("/lists/secret/").status_code == 404
    assert client.get("/lists/secret.xlsx").status_code == 404
    assert client.get("/lists/secret/?format=xlsx").status_code == 404
