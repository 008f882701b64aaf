import pytest

from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, HallFactory, WindowFactory, staff


@pytest.fixture
def dept():
    return DepartmentFactory(name="云溪县市场监督管理局")


@pytest.fixture
def version(dept):
    return published_item(department=dept)


@pytest.fixture
def clerk(dept):
    return staff(Role.CLERK, dept, username="clerk", name="张丽")


@pytest.fixture
def reviewer(dept):
    return staff(Role.REVIEWER, dept, username="reviewer", name="陈志强")


@pytest.fixture
def head(dept):
    return staff(Role.DEPARTMENT_HEAD, dept, username="head", name="王建国")


@pytest.fixture
def inspector():
    return staff(Role.INSPECTOR, None, username="inspector", name="赵敏")


@pytest.fixture
def window(dept):
    return WindowFactory(hall=HallFactory(name="云溪县政务服务中心"), number="4", name="综合受理窗口")
