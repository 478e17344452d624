"""/docs: Swagger UI (5.x, which reads OpenAPI 3.1) from the swagger-ui-py package, served
by the app itself.

FastAPI's default page loads Swagger UI from a CDN with an inline script and no CSP: blank
offline, and a third party's code on our origin. Here every file comes from this server and
the page's Content-Security-Policy allows nothing else.
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from fastapi import APIRouter, HTTPException
from starlette.responses import FileResponse, Response

router = APIRouter(include_in_schema=False)

_DIST = Path(str(files("swagger_ui") / "static"))  # Swagger UI's dist files, as released
_OWN = Path(__file__).resolve().parent.parent / "static" / "docs.js"
_ASSETS = {  # name → (file, media type); nothing else of the package is served
    "swagger-ui.css": (_DIST / "swagger-ui.css", "text/css"),
    "swagger-ui-bundle.js": (_DIST / "swagger-ui-bundle.js",
                             "application/javascript"),
    "docs.js": (_OWN, "application/javascript"),
}
# Swagger UI's CSS draws its icons as data: SVGs; React sets style properties (not attributes
# or <style> elements), which style-src does not govern.
POLICY = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
          "connect-src 'self'; font-src 'self'; base-uri 'none'; form-action 'none'; "
          "frame-ancestors 'none'")
_PAGE = b"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>calfeed API</title>
<link rel="stylesheet" href="/docs/swagger-ui.css">
</head>
<body>
<div id="swagger-ui"></div>
<script src="/docs/swagger-ui-bundle.js"></script>
<script src="/docs/docs.js"></script>
</body>
</html>
"""


@router.get("/docs")
def docs_page() -> Response:
    return Response(_PAGE, media_type="text/html; charset=utf-8", headers={
        "Content-Security-Policy": POLICY, "Cache-Control": "public, max-age=3600"})


@router.get("/docs/{name}")
def docs_asset(name: str) -> FileResponse:
    found = _ASSETS.get(name)
    if found is None:
        raise HTTPException(404)
    path, media_type = found
    return FileResponse(path, media_type=media_type,
                        headers={"Cache-Control": "public, max-age=3600"})
