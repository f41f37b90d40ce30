"""API contract (security.md H3, issue 11 part 7): schemathesis generates requests for every operation in
/api/schema/ and sends them in-process to the WSGI app as the county administrator: no 5xx, and every
response matches the schema. Bounded: ANBIAO_API_EXAMPLES (default 1) examples per operation."""

import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis import checks as core_checks
from schemathesis.specs.openapi import checks as openapi_checks

EXAMPLES = int(os.environ.get("ANBIAO_API_EXAMPLES", "1"))
CHECKS = [
    core_checks.not_a_server_error,
    openapi_checks.response_schema_conformance,
    openapi_checks.content_type_conformance,
]


def _load_schema():
    from config.wsgi import application

    return schemathesis.openapi.from_wsgi("/api/schema/", application)


schema = _load_schema()  # pytest-django has configured Django before tests are collected


@pytest.fixture(autouse=True)
def _keep_the_test_connection():
    """The app is called as WSGI, so Django's request signals fire; ``close_old_connections`` would close
    the test's connection, which holds the test's open transaction (PostgreSQL), as Django's own test client
    prevents by disconnecting it for the request."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def token(world):
    return Token.objects.create(user=world.county_admin).key


@schema.parametrize()
@settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
)
@pytest.mark.django_db
def test_every_api_operation_answers_without_server_errors_and_as_its_schema_says(case, token):
    case.call_and_validate(headers={"Authorization": f"Token {token}"}, checks=CHECKS)
