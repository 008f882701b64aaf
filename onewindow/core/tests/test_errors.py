import pytest
from django.test import RequestFactory
from django.urls import path
from rest_framework.decorators import api_view, permission_classes
from rest_framework.permissions import AllowAny

from onewindow.core.api import exception_handler
from onewindow.core.errors import ApplicationError, Conflict, NotFound


def test_application_error_becomes_the_one_error_shape():
    response = exception_handler(ApplicationError("承诺时限有误", code="bad_days", fields={"promised_days": "太长"}), {})
    assert response.status_code == 400
    assert response.data == {"code": "bad_days", "message": "承诺时限有误", "fields": {"promised_days": ["太长"]}}
    assert exception_handler(Conflict("状态不允许"), {}).status_code == 409
    assert exception_handler(NotFound(), {}).status_code == 404


@api_view(["POST"])
@permission_classes([AllowAny])
def _boom(request):
    raise ApplicationError("材料不全", code="missing", fields={"materials": ["缺少营业执照"]})


@api_view(["GET"])
@permission_classes([AllowAny])
def _missing(request):
    from django.http import Http404

    raise Http404


urlpatterns = [path("boom/", _boom), path("missing/", _missing)]


@pytest.mark.urls(__name__)
def test_api_views_return_json_error_bodies(client):
    response = client.post("/boom/")
    assert response.status_code == 400
    assert response.json() == {"code": "missing", "message": "材料不全", "fields": {"materials": ["缺少营业执照"]}}
    response = client.get("/missing/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_validation_errors_are_flattened_with_a_chinese_message():
    from rest_framework.exceptions import ValidationError

    response = exception_handler(ValidationError({"a": ["x"], "b": {"c": ["y"]}}), {})
    assert response.status_code == 400
    assert response.data["fields"] == {"a": ["x"], "b.c": ["y"]}
    assert "请检查" in response.data["message"]


def test_page_views_show_application_errors_as_messages_not_500():
    from django.contrib.messages.storage.fallback import FallbackStorage

    from onewindow.core.middleware import ApplicationErrorMiddleware

    request = RequestFactory().post("/workbench/x/")
    request.session = {}
    request._messages = FallbackStorage(request)
    mw = ApplicationErrorMiddleware(lambda r: None)
    response = mw.process_exception(request, ApplicationError("不能提交"))
    assert response.status_code == 302
    assert [str(m) for m in request._messages] == ["不能提交"]
