import factory
from stdnum.cn import uscc

from onewindow.accounts.models import User
from onewindow.org.constants import RegionLevel, Role, WindowKind
from onewindow.org.models import Department, Hall, Region, StaffRole, Window


def make_uscc(n: int) -> str:
    """A valid 统一社会信用代码 with the given sequence number (11 = 机关, region 430422)."""
    body = f"11430422{n:09d}"[:17]
    return body + uscc.calc_check_digit(body)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"user{n}")
    name = factory.Sequence(lambda n: f"工作人员{n}")
    password = factory.django.Password("pass-1234-word")


class RegionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Region
        django_get_or_create = ("code",)

    code = "430422"
    name = "示范县"
    level = RegionLevel.COUNTY


class TownshipFactory(RegionFactory):
    code = factory.Sequence(lambda n: f"430422{100 + n:03d}")
    name = factory.Sequence(lambda n: f"第{n}镇")
    level = RegionLevel.TOWNSHIP
    parent = factory.SubFactory(RegionFactory)


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"示范县第{n}局")
    credit_code = factory.Sequence(lambda n: make_uscc(n + 1))
    region = factory.SubFactory(RegionFactory)
    phone = "0734-1234567"


class HallFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Hall

    name = "示范县政务服务中心"
    region = factory.SubFactory(RegionFactory)
    address = "示范县人民路 1 号"


class WindowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Window

    hall = factory.SubFactory(HallFactory)
    number = factory.Sequence(lambda n: str(n + 1))
    name = "综合受理窗口"
    kind = WindowKind.COMPREHENSIVE


class StaffRoleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = StaffRole

    user = factory.SubFactory(UserFactory)
    role = Role.CLERK
    department = factory.SubFactory(DepartmentFactory)


def staff(role: str, department=None, **kwargs) -> User:
    """A user with one role scoped to `department` (None = bureau-wide)."""
    user = UserFactory(**kwargs)
    StaffRole.objects.create(user=user, role=role, department=department)
    return user
