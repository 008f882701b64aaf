import pytest

from onewindow.core.audit import audit_log
from onewindow.core.models import AuditEvent
from onewindow.org.tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_audit_event_records_actor_object_and_values():
    user = UserFactory(name="张三")
    dept = DepartmentFactory()
    event = audit_log(actor=user, action="org.department_rename", obj=dept, old={"name": "甲"}, new={"name": "乙"},
                      reason="机构改革")
    event.refresh_from_db()
    assert event.actor == user and event.actor_label == "张三"
    assert event.object_type == "org.department" and event.object_id == str(dept.pk)
    assert event.old_values == {"name": "甲"} and event.new_values == {"name": "乙"}
    assert event.reason == "机构改革"


def test_system_actor_is_labelled():
    assert audit_log(actor=None, action="x", object_type="t", object_id="1").actor_label == "系统"


def test_audit_events_cannot_be_changed_or_deleted():
    event = audit_log(actor=None, action="x", object_type="t", object_id="1")
    event.reason = "tamper"
    with pytest.raises(RuntimeError):
        event.save()
    with pytest.raises(RuntimeError):
        event.delete()
    with pytest.raises(RuntimeError):
        AuditEvent.objects.filter(pk=event.pk).update(reason="tamper")
    with pytest.raises(RuntimeError):
        AuditEvent.objects.all().delete()
    assert AuditEvent.objects.get(pk=event.pk).reason == ""


def test_request_id_is_stored_with_the_event(client):
    # The middleware puts the request id on the response; services called inside store it.
    response = client.get("/", HTTP_X_REQUEST_ID="req-123")
    assert response["X-Request-ID"] == "req-123"
