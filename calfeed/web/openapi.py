"""/openapi.json as the app behaves: GET operations only, errors as problem documents.

Routes answer GET and HEAD (``api_route(methods=["GET", "HEAD"])``), which FastAPI documents as
two operations sharing one operationId: an invalid document, and a "Duplicate Operation ID"
warning per route (an error under the test suite's warning filter). HEAD is HTTP's promise for
every GET, so the document lists the GET only.
"""

from __future__ import annotations

import warnings
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.utils import get_openapi


def install(app: FastAPI) -> None:
    def schema() -> dict[str, Any]:
        if app.openapi_schema is None:
            with warnings.catch_warnings():
                warnings.filterwarnings("ignore", "Duplicate Operation ID", UserWarning)
                document = get_openapi(title=app.title, version=app.version,
                                       description=app.description, routes=app.routes)
            for operations in document.get("paths", {}).values():
                if "get" in operations:
                    operations.pop("head", None)
                for operation in operations.values():
                    _errors_as_problems(operation.get("responses", {}))
            app.openapi_schema = document
        return app.openapi_schema

    app.openapi = schema  # type: ignore[method-assign]


def _errors_as_problems(responses: dict[str, Any]) -> None:
    """Say what the app really sends: invalid parameters are a 400 problem document (see
    problems.py), never FastAPI's default 422, and problems are application/problem+json."""
    if "400" in responses:
        responses.pop("422", None)
    for response in responses.values():
        content = response.get("content", {})
        if "application/problem+json" in content:
            content.pop("application/json", None)
