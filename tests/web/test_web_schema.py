"""schemathesis against /openapi.json, in-process on the ASGI app: no 500, responses match the
schema (status codes, content types, bodies), and invalid input is rejected; bounded examples
per operation, positive and negative generation."""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.checks import (
    content_type_conformance,
    negative_data_rejection,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from suanli.web.app import create_app

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance,
          negative_data_rejection]
EXAMPLES = 30
HINTS = {"name": "city", "unit_id": "beijing", "table": "capacity_national"}


@pytest.fixture(scope="module")
def schema(web_build):
    return schemathesis.openapi.from_asgi("/openapi.json", create_app(web_build))


def _operations(schema):
    return [r.ok() for r in schema.get_all_operations()]


def test_schema_lists_every_endpoint(schema):
    labels = {op.label for op in _operations(schema)}
    assert {"GET /api/meta", "POST /api/assessments/{name}/rescore", "POST /api/assessments/{name}/units/{unit_id}",
            "POST /api/assessments/{name}/export", "GET /api/tables/{table}", "GET /api/overview"} <= labels


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
def test_api_conforms(schema, mode):
    failures: list[str] = []
    for op in _operations(schema):
        # positive cases: real names in the path, so the bodies and queries reach the engine
        hints = {k: v for k, v in HINTS.items() if "{" + k + "}" in op.path} if mode is GenerationMode.POSITIVE else {}

        @given(case=op.as_strategy(mode, path_parameters=hints or None))
        @settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), database=None)
        def run(case):
            case.call_and_validate(checks=CHECKS)

        try:
            run()
        except Unsatisfiable:
            assert mode is GenerationMode.NEGATIVE  # an operation without inputs has no invalid input
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report
            failures.append(f"{op.label}: {exc}")
    assert not failures, "\n\n".join(failures)
