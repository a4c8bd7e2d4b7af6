"""Schemathesis fuzzes the API against its own OpenAPI schema: no request may cause a server error,
and every answer must match the schema. Bounded to a few examples per operation (well under a minute).

The operations are driven with Hypothesis directly: schemathesis' pytest plugin reads a pytest
attribute that pytest 9 removed.
"""

import pytest
import schemathesis
from django.core.cache import cache
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import content_type_conformance, response_schema_conformance

from tests.factories import QuotationFactory, SpeechFactory

# slow: schemathesis fuzzes every API operation
pytestmark = [pytest.mark.slow, pytest.mark.django_db]
EXAMPLES_PER_OPERATION = 25


@pytest.fixture
def api_schema(seed, search_index, settings, monkeypatch):
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application

    # The fuzzer sends hundreds of requests; the rate limits are tested on their own in test_api.py
    # and tests/search/test_search_api.py.
    settings.RATE_LIMITS = {"search": 0, "export": 0, "api": 0}
    cache.clear()
    QuotationFactory(speech=SpeechFactory(draft=True))
    call_command("rebuild_index", interactive=False, workers=1, verbosity=0)  # /api/search/ reads it
    # As Django's test client does: the handler must not close the test's database connection.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def test_api_never_fails_and_matches_its_schema(api_schema):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 15  # list and detail for seven resources, and search
    calls = []
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES_PER_OPERATION,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            response = case.call_and_validate(
                checks=[not_a_server_error, response_schema_conformance, content_type_conformance]
            )
            calls.append((case.operation.path, response.status_code))

        run()
    statuses = [status for _, status in calls]
    assert statuses and all(status < 500 for status in statuses)
    assert 200 in statuses and 404 in statuses
    assert ("/api/search/", 200) in calls
