"""A stale or missing form token gives a Chinese page that says what to do, with a 403 and nothing saved."""

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_a_post_without_the_token_gets_the_chinese_page():
    client = Client(enforce_csrf_checks=True)
    response = client.post("/progress/", {"number": "YX-1"})
    assert response.status_code == 403
    html = response.content.decode()
    assert "页面已过期，请重新提交" in html and "不会重复办理" in html
    assert "CSRF verification failed" not in html


def test_in_english_too():
    client = Client(enforce_csrf_checks=True, HTTP_ACCEPT_LANGUAGE="en")
    response = client.post("/progress/", {"number": "YX-1"})
    assert response.status_code == 403 and "<html" in response.content.decode()
