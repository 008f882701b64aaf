import pytest
from django.core.management import call_command

from onewindow.accounts.testing import staff_login
from onewindow.org.constants import Role
from onewindow.org.tests.factories import staff
from onewindow.supervision.constants import CardStep
from onewindow.supervision.models import Card, StepLimit

from .factories import accepted_case

pytestmark = pytest.mark.django_db


def test_the_command_runs_the_periodic_job(version, clerk, capsys):
    accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    call_command("supervision_scan", "--full", "--anomalies")
    out = capsys.readouterr().out
    assert "full=True" in out and "red=1" in out and "anomalies={" in out
    assert Card.objects.count() == 2


def test_admin_pages_list_records_and_edit_step_limits_through_the_service(client, version, clerk):
    admin = staff(Role.ADMIN, None, username="root", is_superuser=True, is_staff=True)
    staff_login(client, admin)  # /admin needs password + TOTP
    accepted_case(version=version, clerk=clerk, when="2025-11-03 10:00")
    call_command("supervision_scan", "--full")
    for model in ("card", "alert", "anomaly", "steplimit"):
        assert client.get(f"/admin/supervision/{model}/").status_code == 200, model
    assert client.get("/admin/supervision/card/add/").status_code == 403
    response = client.post("/admin/supervision/steplimit/add/", {"step": CardStep.PREREVIEW, "working_days": 2,
                                                                "yellow_ratio": "1.5"})
    assert response.status_code == 200 and not StepLimit.objects.exists()  # the form shows the error
    response = client.post("/admin/supervision/steplimit/add/", {"step": CardStep.PREREVIEW, "working_days": 2,
                                                                "yellow_ratio": "0.25"})
    assert response.status_code == 302
    limit = StepLimit.objects.get()
    assert (limit.item, limit.working_days, str(limit.yellow_ratio)) == (None, 2, "0.25")
