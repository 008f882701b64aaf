"""Portal fixtures: a food licence a citizen would look up, with everything a guide shows."""

import datetime

import pytest
from django.utils import timezone

from onewindow.catalogue.models import ServiceItem
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import DelegationMode
from onewindow.org.models import Delegation
from onewindow.org.tests.factories import DepartmentFactory, HallFactory, TownshipFactory

FOOD_MATERIALS = [
    {"name": "食品经营许可申请书", "necessity": "required", "acceptance_standard": "申请人签字或盖章"},
    {"name": "营业执照", "necessity": "required", "source": "government", "certificate_type": "营业执照",
     "form": "copy"},
    {"name": "食品安全管理制度", "necessity": "waivable", "acceptance_standard": "受理后 5 个工作日内补交"},
    {"name": "授权委托书", "necessity": "conditional", "condition": "委托他人代为办理的"},
]


@pytest.fixture
def market_department(db):
    return DepartmentFactory(name="示范县市场监督管理局", short_name="市场监管局", address="人民路 1 号")


@pytest.fixture
def food_item(market_department):
    """食品经营许可: 承诺 5 of 20 days, 4 materials (one 容缺), delegated to a township with its own hall."""
    version = published_item(
        department=market_department, themes=["operation", "food-drug"], materials=FOOD_MATERIALS,
        special_procedures=["site_check"], supports_appointment=True, cross_region_scope="city",
        faqs=[{"question": "小吃店也要办吗？", "answer": "从事餐饮服务的，应当取得食品经营许可。"}],
    )
    ServiceItem.objects.filter(pk=version.item_id).update(popularity=500)
    town = TownshipFactory(name="城关镇")
    HallFactory(name="示范县政务服务中心", region=market_department.region, address="人民路 1 号市民之家")
    HallFactory(name="城关镇便民服务中心", region=town, address="城关镇政府大院一楼")
    Delegation.objects.create(item=version.item, region=town, mode=DelegationMode.FRONT_DESK_ONLY,
                              effective_from=timezone.localdate() - datetime.timedelta(days=30))
    return version
