import pytest
from django.test import Client

from onewindow.accounts.testing import verify_session
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff


@pytest.fixture(autouse=True)
def _force_login_completes_both_steps(monkeypatch):
    """Workbench pages need a TOTP-verified session (docs/accounts.md): here force_login signs in with both
    steps, as a real staff sign-in does. The enforcement itself is tested in onewindow/accounts/tests."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        verify_session(self, user)

    monkeypatch.setattr(Client, "force_login", force_login)


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
