"""Schemathesis reads /openapi.json and throws generated requests — valid and invalid — at every
/api/ operation of the app (in-process, over ASGI): no 5xx, every status and content type
documented, every body valid against its schema.

``negative_data_rejection`` is left out: it counts ``?tag=false`` (a boolean it generated for an
array of strings) as invalid data wrongly accepted, but on the wire that is the string "false",
a well-formed tag. tests/web/test_api.py pins the rejections that matter, one by one.

Run through Hypothesis directly rather than ``schemathesis.pytest.from_fixture``, whose lazy
loader reads a private attribute that pytest 9 no longer has."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance,
          response_schema_conformance]
OPERATIONS = ["/api/v1/events", "/api/v1/events/{entry_id}", "/api/v1/feeds",
              "/api/v1/fullcalendar"]
EXAMPLES = 60  # per operation and mode: the whole file runs in well under a minute


@pytest.fixture
def api_schema(publish: Callable[..., None], app: FastAPI) -> Any:
    publish("partner_site.yaml")
    return schemathesis.openapi.from_asgi("/openapi.json", app).include(path_regex="^/api/")


def operations(api_schema: Any) -> dict[str, Any]:
    return {op.path: op for op in (result.ok() for result in api_schema.get_all_operations())}


def test_every_api_operation_is_fuzzed(api_schema: Any) -> None:
    assert sorted(operations(api_schema)) == sorted(OPERATIONS)


@pytest.mark.parametrize(("path", "mode"), [
    *((path, GenerationMode.POSITIVE) for path in OPERATIONS),
    # Invalid requests: /api/v1/feeds has no parameters to get wrong.
    *((path, GenerationMode.NEGATIVE) for path in OPERATIONS if path != "/api/v1/feeds"),
])
def test_api_keeps_its_documented_contract(api_schema: Any, path: str,
                                           mode: GenerationMode) -> None:
    operation = operations(api_schema)[path]

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=EXAMPLES, deadline=None, database=None,
              suppress_health_check=list(HealthCheck))
    def check(case: schemathesis.Case) -> None:
        case.call_and_validate(checks=CHECKS)

    check()
