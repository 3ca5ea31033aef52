"""The static web planner: a page, its script and style, vendored Leaflet and a basemap.

Everything the page loads ships inside the package, so it works without internet; the API
(`corridor.api`) serves `static_dir()` at `/static` and its `index.html` at `/`.
"""

from __future__ import annotations

from pathlib import Path


def static_dir() -> Path:
    """The folder of the page's static files (index.html, app.js, app.css, vendor/, basemap/)."""
    return Path(__file__).resolve().parent / "static"


__all__ = ["static_dir"]
