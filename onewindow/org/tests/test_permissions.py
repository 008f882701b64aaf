import pytest
from django.db import IntegrityError

from onewindow.org.constants import RegionLevel, Role, WindowKind
from onewindow.org.models import Region, StaffRole, Window
from onewindow.org.permissions import department_scope, has_role
from onewindow.org.tests.factories import DepartmentFactory, HallFactory, RegionFactory, UserFactory, staff

pytestmark = pytest.mark.django_db


def test_department_role_covers_only_its_department():
    a, b = DepartmentFactory(), DepartmentFactory()
    user = staff(Role.REVIEWER, a)
    assert has_role(user, [Role.REVIEWER], a)
    assert not has_role(user, [Role.REVIEWER], b)
    assert not has_role(user, [Role.DEPARTMENT_HEAD], a)
    assert list(department_scope(user, [Role.REVIEWER])) == [a]


def test_region_role_covers_departments_of_the_region_and_below():
    county = RegionFactory(code="430422", name="示范县")
    town = Region.objects.create(code="430422100", name="第一镇", level=RegionLevel.TOWNSHIP, parent=county)
    other = Region.objects.create(code="430423", name="邻县", level=RegionLevel.COUNTY)
    d_county, d_town, d_other = (DepartmentFactory(region=r) for r in (county, town, other))
    user = UserFactory()
    StaffRole.objects.create(user=user, role=Role.INSPECTOR, region=county)
    assert has_role(user, [Role.INSPECTOR], d_town)
    assert not has_role(user, [Role.INSPECTOR], d_other)
    assert set(department_scope(user, [Role.INSPECTOR])) == {d_county, d_town}


def test_bureau_wide_role_and_superuser_cover_everything():
    d = DepartmentFactory()
    inspector = staff(Role.INSPECTOR, None)
    assert has_role(inspector, [Role.INSPECTOR], d)
    superuser = UserFactory(is_superuser=True)
    assert has_role(superuser, [Role.CLERK], d)


def test_anonymous_has_no_role():
    from django.contrib.auth.models import AnonymousUser

    assert not has_role(AnonymousUser(), [Role.CLERK])
    assert department_scope(AnonymousUser(), [Role.CLERK]).count() == 0


def test_a_department_window_must_name_its_department():
    hall = HallFactory()
    Window.objects.create(hall=hall, number="1", name="综合受理", kind=WindowKind.COMPREHENSIVE)
    with pytest.raises(IntegrityError):
        Window.objects.create(hall=hall, number="2", name="市场监管窗口", kind=WindowKind.DEPARTMENT)
