"""Error pages (ASVS 16.5.1-4, security.md E3): generic Chinese pages, no traceback, the error logged once.

The failing views exist only in the test URLconf ``anbiao/core/tests/urls_raising.py``.
"""

import logging

import pytest
from django.template import loader
from django.test import Client

from anbiao.core.tests.urls_raising import LEAK

pytestmark = pytest.mark.urls("anbiao.core.tests.urls_raising")

LEAKS = (LEAK, "hunter2", "Traceback", "RuntimeError", "SuspiciousOperation", 'File "', "urls_raising")


@pytest.fixture
def client(db, settings):
    settings.DEBUG = False
    return Client(raise_request_exception=False)


def _request_errors(caplog):
    return [r for r in caplog.records if r.name == "django.request" and r.levelno >= logging.ERROR]


def test_a_view_that_raises_gets_the_generic_chinese_500_page_and_one_error_log_entry(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/test-errors/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "服务器内部错误" in body and "错误已记录" in body and 'href="/"' in body
    for leak in LEAKS:
        assert leak not in body
    errors = _request_errors(caplog)
    assert len(errors) == 1
    assert errors[0].exc_info[0] is RuntimeError and errors[0].status_code == 500
    assert "Internal Server Error: /test-errors/boom/" in errors[0].getMessage()


def test_an_api_url_that_raises_answers_json_in_chinese_without_details(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/api/v1/test-errors/boom/")
    assert response.status_code == 500 and response["Content-Type"] == "application/json"
    assert response.json() == {"detail": "服务器内部错误，请稍后重试。"}
    assert len(_request_errors(caplog)) == 1


def test_a_bad_request_gets_the_generic_chinese_400_page(client, caplog):
    caplog.set_level(logging.INFO)
    response = client.get("/test-errors/suspicious/")
    assert response.status_code == 400
    body = response.content.decode()
    assert "请求有误" in body
    for leak in LEAKS:
        assert leak not in body
    assert any(r.name.startswith("django.security") for r in caplog.records)


def test_the_error_pages_render_without_a_context_or_the_database(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        for name, title in (("errors/500.html", "服务器内部错误"), ("errors/400.html", "请求有误")):
            html = loader.get_template(name).render()
            assert title in html and "{%" not in html and "<!doctype html>" in html
