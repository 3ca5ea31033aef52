"""/docs: Swagger UI from the package's own vendored files, so the API's docs work offline.

The assets (swagger-ui-dist, see scripts/vendor-web.sh) are served under /static like the
page's Leaflet; nothing is fetched from a CDN.
"""

from __future__ import annotations

from fastapi import APIRouter
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import HTMLResponse

router = APIRouter(include_in_schema=False)
ASSETS = "/static/vendor/swagger-ui"


@router.get("/docs")
def docs() -> HTMLResponse:
    """The interactive API reference over /openapi.json."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="corridor API",
        swagger_js_url=f"{ASSETS}/swagger-ui-bundle.js",
        swagger_css_url=f"{ASSETS}/swagger-ui.css",
        swagger_favicon_url=f"{ASSETS}/favicon-32x32.png",
    )
