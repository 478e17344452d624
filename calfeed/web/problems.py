"""One error shape for every 4xx and 5xx: RFC 9457 ``application/problem+json``."""

from __future__ import annotations

import logging
from http import HTTPStatus
from typing import Any

import orjson
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.responses import Response

log = logging.getLogger("calfeed.web")
PROBLEM_JSON = "application/problem+json"


class HttpProblem(Exception):
    """Raise from a route to answer with a problem document."""

    def __init__(self, status: int, detail: str, *, parameter: str | None = None,
                 **extra: Any) -> None:
        super().__init__(detail)
        self.status = status
        self.detail = detail
        self.parameter = parameter
        self.extra = extra


def bad_parameter(name: str, reason: str) -> HttpProblem:
    return HttpProblem(400, f"Invalid query parameter '{name}': {reason}", parameter=name,
                   invalid_params=[{"name": name, "reason": reason}])


def problem_response(status: int, detail: str, instance: str, **extra: Any) -> Response:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": instance,
        **{k: v for k, v in extra.items() if v is not None},
    }
    headers = {"Cache-Control": "no-store"}
    return Response(orjson.dumps(body), status_code=status, media_type=PROBLEM_JSON,
                    headers=headers)


def install(app: FastAPI) -> None:
    @app.exception_handler(HttpProblem)
    async def _problem(request: Request, exc: HttpProblem) -> Response:
        return problem_response(exc.status, exc.detail, request.url.path,
                                parameter=exc.parameter, **exc.extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        params = []
        for error in exc.errors():
            loc = [str(part) for part in error.get("loc", ()) if part not in ("query", "path")]
            params.append({"name": ".".join(loc) or "request", "reason": error.get("msg", "")})
        names = ", ".join(p["name"] for p in params)
        first = params[0] if params else {"name": "request", "reason": "invalid"}
        return problem_response(
            400, f"Invalid query parameter '{first['name']}': {first['reason']}"
            if len(params) == 1 else f"Invalid parameters: {names}",
            request.url.path, parameter=first["name"], invalid_params=params)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        detail = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        if exc.status_code == 404 and detail == "Not Found":
            detail = f"Nothing is published at {request.url.path}"
        response = problem_response(exc.status_code, detail, request.url.path)
        if exc.headers:
            response.headers.update(exc.headers)
        return response

    @app.exception_handler(Exception)
    async def _crash(request: Request, exc: Exception) -> Response:
        log.exception("unhandled error on %s", request.url.path)
        return problem_response(500, "The server failed to build this response; "
                                "it has been logged.", request.url.path)
