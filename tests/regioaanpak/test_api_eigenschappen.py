"""Property-based tests of the whole API with schemathesis, against the committed schema.

Every operation in regioaanpak/api/openapi.yaml gets generated requests (valid and invalid
parameters and bodies) through the real WSGI application, with a partner's write token of
Zuid-Holland Zuid. No request may cause a server error, and every answer must match the schema
(status code, content type and body).
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.regioaanpak.test_api_schema import SCHEMA

schema = schemathesis.openapi.from_path(SCHEMA)
APP = get_wsgi_application()


@pytest.fixture
def sleutel(cijferregios, api_token):
    """A partner's write token for VT24; the WSGI app shares the test's database connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield api_token(cijferregios["partner"], ["VT24"], scope="schrijven")
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_api_volgens_het_schema_zonder_serverfouten(case, sleutel):
    case.call_and_validate(
        app=APP,
        headers={"Authorization": f"Token {sleutel}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )


@pytest.fixture
def schrijfsleutel(cijferregios, api_token):
    """A projectleider's write token for VT24: the import writes (not only checks), so every
    generated body goes through the whole service, its locks and its audit log."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield api_token(cijferregios["projectleider"], ["VT24"], scope="schrijven")
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@schema.include(method="POST").parametrize()
@settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
def test_schrijvende_operaties_met_een_schrijftoken(case, schrijfsleutel):
    case.call_and_validate(
        app=APP,
        headers={"Authorization": f"Token {schrijfsleutel}"},
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
    )
