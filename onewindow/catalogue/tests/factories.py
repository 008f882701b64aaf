"""Catalogue factories. `published_item()` gives a version that passes every quality rule."""

import factory

from onewindow.catalogue import services
from onewindow.catalogue.constants import HandlingType, StepKind, VersionStatus
from onewindow.catalogue.models import ItemType, ItemVersion, ServiceItem
from onewindow.org.tests.factories import DepartmentFactory


def item_type(code: str = "01") -> ItemType:
    return ItemType.objects.get(code=code)


def valid_version_data(**overrides) -> dict:
    """Elements of a complete 承诺件 that passes every quality rule."""
    data = {
        "name": "食品经营许可",
        "item_type": item_type("01"),
        "legal_basis": "《中华人民共和国食品安全法》第三十五条",
        "for_person": True,
        "for_company": True,
        "acceptance_conditions": "有与经营的食品品种、数量相适应的经营场所。",
        "keywords": "餐饮 餐馆 饭店 小吃",
        "legal_days": 20,
        "promised_days": 5,
        "handling_type": HandlingType.PROMISED,
        "place": "示范县政务服务中心一楼 3 号窗口",
        "office_hours": "工作日 9:00-12:00，14:00-17:30",
        "visits_required": 1,
        "online_depth": 3,
        "result_name": "食品经营许可证",
        "consult_phone": "0734-1234567",
        "complaint_phone": "12345",
        "materials": [
            {"name": "食品经营许可申请书", "necessity": "required"},
            {"name": "营业执照", "necessity": "required", "source": "government", "certificate_type": "营业执照"},
            {"name": "食品安全管理制度", "necessity": "waivable"},
        ],
        "steps": [
            {"kind": StepKind.ACCEPT, "days": 1},
            {"kind": StepKind.REVIEW, "days": 2},
            {"kind": StepKind.DECIDE, "days": 1},
            {"kind": StepKind.COMPLETE, "days": 1},
        ],
    }
    data.update(overrides)
    return data


_seq = factory.Sequence(lambda n: n)


def draft_item(*, department=None, code: str | None = None, actor=None, **overrides) -> ItemVersion:
    department = department or DepartmentFactory()
    n = ServiceItem.objects.count() + 1
    code = code or f"11430422MB{n:06d}"
    return services.item_create(actor=actor, department=department, implementation_code=code,
                                basic_code=f"00001{n:05d}", data=valid_version_data(**overrides))


def published_item(**kwargs) -> ItemVersion:
    version = draft_item(**kwargs)
    version = services.version_publish_unreviewed(actor=None, version=version, reason="test fixture")
    assert version.status == VersionStatus.PUBLISHED
    return version
