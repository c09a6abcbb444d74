"""Schemathesis drives /api/v1 from its own OpenAPI document: every generated request gets a
documented answer (status, content type, body schema), never a 500 (issue 12, finding 13).

The number of examples per operation is bounded so that the suite stays quick; the cases come
from the packaged case files, loaded and indexed once for the module's app.
"""

from __future__ import annotations

import schemathesis
from flask import Flask
from hypothesis import HealthCheck, given, settings

from tests.digest.factory import LoadPackagedCases


def test_the_api_answers_as_its_openapi_document_says(
    app: Flask, load_packaged_cases: LoadPackagedCases
) -> None:
    load_packaged_cases(("mali-kafo-operation-2019", "mena-operation-trigger-iv-2018"))
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) == 2  # the list of cases and one case
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(max_examples=25, deadline=None, suppress_health_check=list(HealthCheck))
        def answers_as_documented(case: schemathesis.Case) -> None:
            case.call_and_validate()

        answers_as_documented()
