import pytest

from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff


@pytest.fixture
def dept(db):
    return DepartmentFactory(name="示范县市场监督管理局", short_name="市场监管局")


@pytest.fixture
def other_dept(db):
    return DepartmentFactory(name="示范县交通运输局", short_name="交通局")


@pytest.fixture
def editor(dept):
    return staff(Role.CATALOGUE_EDITOR, dept, name="张编辑")


@pytest.fixture
def head(dept):
    return staff(Role.DEPARTMENT_HEAD, dept, name="李科长")


@pytest.fixture
def head2(dept):
    return staff(Role.DEPARTMENT_HEAD, dept, name="王局长")


@pytest.fixture
def outsider(other_dept):
    return staff(Role.DEPARTMENT_HEAD, other_dept, name="赵外局")


@pytest.fixture
def clerk(dept):
    return staff(Role.CLERK, dept, name="钱窗口")
