import pytest
from django.core.management import call_command
from django.db import transaction
from stdnum.cn import uscc

from onewindow.accounts.models import User
from onewindow.catalogue.constants import VersionStatus
from onewindow.catalogue.models import ItemVersion, SearchTerm, ServiceItem
from onewindow.catalogue.quality import check_version, errors_only
from onewindow.catalogue.selectors import item_search
from onewindow.core.models import AuditEvent
from onewindow.org.constants import DelegationMode, RegionKind, Role
from onewindow.org.models import Delegation, Department, Hall, Region, StaffRole, Window

pytestmark = pytest.mark.django_db

COUNTED = [Region, Department, Hall, Window, User, StaffRole, ServiceItem, ItemVersion, SearchTerm, Delegation]


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """Load the demo once for the module (it takes a few seconds), run it a second time, roll back at the end.

    Like Django's TestCase.setUpClass: one outer transaction for the module, each test in a savepoint.
    """
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            call_command("demo_load", stdout=_Sink())
            counts = {m: m.objects.count() for m in COUNTED}
            second = _Sink()
            call_command("demo_load", stdout=second)
            yield {"counts": counts, "second_output": second.text}
        finally:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)


class _Sink:
    def __init__(self):
        self.text = ""

    def write(self, msg="", *args, **kwargs):
        self.text += msg

    def flush(self):
        pass


def test_second_run_changes_nothing_and_prints_the_accounts(demo):
    assert {m: m.objects.count() for m in COUNTED} == demo["counts"]
    assert "此前已加载" in demo["second_output"]
    for username in ("admin", "editor", "head", "clerk", "reviewer", "manager", "inspector", "helper"):
        assert username in demo["second_output"]
    assert "onewindow2026" in demo["second_output"]


def test_every_published_item_passes_the_quality_rules(demo):
    published = ItemVersion.objects.filter(status=VersionStatus.PUBLISHED).prefetch_related("materials", "steps", "fees")
    assert published.count() >= 80
    for version in published:
        assert errors_only(check_version(version)) == [], version.name


def test_workbench_has_drafts_reviews_and_one_broken_draft(demo):
    drafts = ItemVersion.objects.filter(status=VersionStatus.DRAFT)
    assert 2 <= drafts.count() <= 4
    assert 1 <= ItemVersion.objects.filter(status=VersionStatus.IN_REVIEW, submitted_by__username="editor").count() <= 2
    broken = [v for v in drafts if len(errors_only(check_version(v))) >= 3]
    assert len(broken) == 1


def test_county_structure(demo):
    county = Region.objects.get(code="431130")
    assert county.name == "云溪县"
    assert Region.objects.filter(parent=county, kind=RegionKind.PARK).exists()
    assert Region.objects.filter(code__regex=r"^431130\d{6}$", level="village").exists()
    departments = Department.objects.filter(region=county)
    assert departments.count() >= 15
    assert all(uscc.is_valid(d.credit_code) for d in departments)
    assert Hall.objects.filter(region__code__startswith="431130").count() == 3
    assert Window.objects.filter(kind="comprehensive", items__isnull=False).exists()
    assert {d.mode for d in Delegation.objects.all()} == set(DelegationMode.values)


def test_one_demo_account_per_role_with_one_password(demo):
    roles = set(StaffRole.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    admin = User.objects.get(username="admin")
    assert admin.is_superuser and admin.check_password("onewindow2026")
    assert User.objects.get(username="clerk").check_password("onewindow2026")
    assert AuditEvent.objects.filter(action="catalogue.version_publish_unreviewed").count() >= 80


def test_food_licence_is_found_by_word_and_by_keyword(demo):
    for query in ("食品", "餐馆", "奶茶店"):
        names = [v.name for v in item_search(query=query).results]
        assert "食品经营许可" in names, query
    assert item_search(query="餐馆").results[0].name == "食品经营许可"
