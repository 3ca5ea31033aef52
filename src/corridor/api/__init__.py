"""The HTTP API (FastAPI): plan routes, find places, the network as GeoJSON, saved work, jobs.

`create_app(Settings(...))` builds the application; `corridor serve` runs it under uvicorn.
Needs the `server` extra (fastapi, uvicorn, sqlalchemy, alembic).
"""

from corridor.api.app import create_app
from corridor.api.settings import Settings

__all__ = ["Settings", "create_app"]
