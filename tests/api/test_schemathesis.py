"""Property-based run over the whole OpenAPI schema (issue 8 item 11).

Schemathesis generates requests for every operation of the schema drf-spectacular builds, sends
them to the WSGI application in this process (no live server) as an authenticated district
officer, and checks that no answer is a 5xx and that every documented answer matches its schema.
Kept small (``MAX_EXAMPLES`` per operation, no deadline) so it stays within a few minutes in CI.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

MAX_EXAMPLES = 5

# The schema as /api/schema/ serves it (built from the URL conf; no database needed).
schema = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True))))
APP = WSGIHandler()


@pytest.fixture
def officer_token(world: Any, ent_a: Any, ent_b: Any, settings: Any, tmp_path: Any) -> str:
    from anjian.core import tokens

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.ANJIAN_IMPORT_DIR = tmp_path / "imports"
    return tokens.create(actor=world.user("officer_a"), name="schemathesis", days=30)[1]


@pytest.fixture(autouse=True)
def keep_the_test_connection() -> Any:
    # The in-process WSGI calls would close the test's database connection at the end of each
    # request (and with it the test transaction); Django's own test client does the same.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@schema.parametrize()
@settings(max_examples=MAX_EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True, database=None)
def test_the_api_answers_every_generated_request_without_5xx_and_as_documented(case: Any, officer_token: str) -> None:
    response = case.call(app=APP, headers={"Authorization": f"Token {officer_token}"})
    case.validate_response(response, checks=[not_a_server_error, response_schema_conformance])
