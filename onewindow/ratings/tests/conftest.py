import json

import pytest
from django.test import Client

from onewindow.cases import services as cases
from onewindow.cases.constants import Decision
from onewindow.cases.tests.factories import person, submitted_case
from onewindow.catalogue.tests.factories import published_item
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, UserFactory, WindowFactory, staff


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run a call and then its on-commit work (case event receivers), as a request does."""

    def run(fn, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return fn(*args, **kwargs)

    return run


@pytest.fixture
def dept():
    return DepartmentFactory(name="云溪县市场监督管理局", short_name="县市场监管局")


@pytest.fixture
def other_dept():
    return DepartmentFactory(name="云溪县交通运输局", short_name="县交通局")


@pytest.fixture
def version(dept):
    return published_item(department=dept, name="食品经营许可")


@pytest.fixture
def window(dept):
    return WindowFactory(department=dept, name="市场监管窗口")


@pytest.fixture
def clerk(dept):
    return staff(Role.CLERK, dept, username="clerk", name="钱窗口")


@pytest.fixture
def reviewer(dept):
    return staff(Role.REVIEWER, dept, username="reviewer", name="孙审批")


@pytest.fixture
def head(dept):
    return staff(Role.DEPARTMENT_HEAD, dept, username="head", name="李科长")


@pytest.fixture
def manager():
    return staff(Role.HALL_MANAGER, None, username="manager", name="周大厅")


@pytest.fixture
def inspector():
    return staff(Role.INSPECTOR, None, username="inspector", name="吴监察")


@pytest.fixture
def other_head(other_dept):
    return staff(Role.DEPARTMENT_HEAD, other_dept, username="otherhead", name="赵科长")


@pytest.fixture
def citizen():
    return UserFactory(username="citizen", name="李明")


@pytest.fixture
def stranger():
    return UserFactory(username="stranger", name="张三")


@pytest.fixture
def make_case(committed, version, clerk, reviewer, citizen, window):
    """A case of the citizen's taken through acceptance, decision and completion, with every receiver run."""
    counter = {"n": 0}

    def make(*, complete=True, user=citizen, seq=None):
        counter["n"] += 1
        applicant = person(seq or counter["n"], user=user)
        case = committed(submitted_case, version=version, applicant=applicant, actor=user, window=window)
        committed(cases.case_accept, actor=clerk, case=case)
        if complete:
            committed(cases.case_decide, actor=reviewer, case=case, decision=Decision.APPROVE)
            committed(cases.case_complete, actor=reviewer, case=case)
        case.refresh_from_db()
        return case

    return make


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def post(client, path, body=None):
    return client.post(f"/api/v1/ratings{path}", json.dumps(body or {}), content_type="application/json")
