"""Found by the browser journey (tests/e2e/test_journeys.py): the online hall tells an applicant that a 免提交
material (an electronic certificate such as 营业执照) need not be uploaded, so acceptance must not then refuse
the case for lacking it, and the correction composer must not ask for it."""

import pytest

from onewindow.cases import services
from onewindow.cases.constants import CaseStatus
from onewindow.cases.tests.factories import submitted_case
from onewindow.catalogue.tests.factories import published_item
from onewindow.core.errors import ApplicationError
from onewindow.org.constants import Role
from onewindow.org.tests.factories import DepartmentFactory, staff
from onewindow.workbench.views.cases import action_form

pytestmark = pytest.mark.django_db

MATERIALS = [
    {"name": "申请书", "necessity": "required"},
    {"name": "营业执照", "necessity": "required", "source": "government", "certificate_type": "营业执照",
     "form": "copy"},
    {"name": "平面图", "necessity": "required"},
]


@pytest.fixture
def version():
    return published_item(department=DepartmentFactory(), materials=MATERIALS)


def test_a_reusable_material_left_out_online_does_not_block_acceptance(version):
    reviewer = staff(Role.REVIEWER, version.item.department, username="r")
    case = submitted_case(version=version, skip=("营业执照",))
    services.case_accept(actor=reviewer, case=case)
    case.refresh_from_db()
    assert case.status == CaseStatus.ACCEPTED


def test_a_missing_ordinary_material_still_blocks_acceptance(version):
    reviewer = staff(Role.REVIEWER, version.item.department, username="r")
    case = submitted_case(version=version, skip=("营业执照", "平面图"))
    with pytest.raises(ApplicationError) as exc:
        services.case_accept(actor=reviewer, case=case)
    assert "平面图" in exc.value.message and "营业执照" not in exc.value.message


def test_the_correction_composer_does_not_preselect_a_reusable_material(version):
    case = submitted_case(version=version, skip=("营业执照", "平面图"))
    form = action_form("correct", case)
    ticked = {spec.name for spec, item, _reason in form.rows() if item.value()}
    assert ticked == {"平面图"}
