"""The web page: index.html at / and its files under /static (served from corridor/web/static)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends
from fastapi.responses import FileResponse, HTMLResponse, Response

from corridor.api.context import ApiContext, get_context

router = APIRouter(include_in_schema=False)

_NO_PAGE = """<!doctype html><meta charset="utf-8"><title>corridor</title>
<p>The corridor API is running; the web page is not installed. See <a href="/docs">/docs</a>.</p>
"""


@router.get("/")
def index(context: Annotated[ApiContext, Depends(get_context)]) -> Response:
    page = context.settings.static_dir / "index.html"
    if page.is_file():
        return FileResponse(page, media_type="text/html")
    return HTMLResponse(_NO_PAGE)
