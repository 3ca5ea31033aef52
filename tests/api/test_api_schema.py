"""The whole API driven from its own OpenAPI schema (schemathesis): no 5xx, no schema violation.

Every operation is exercised, including the job endpoints (the jobs they start are cancelled
when the module ends). Examples per operation are kept modest so this runs in well under a
minute; CI replays a fixed sequence (the `ci` hypothesis profile).
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from corridor.api import Settings, create_app

# schemathesis needs the schema when the module is collected (its lazy loader, `from_fixture`,
# does not work with this pytest), so the application is built here, on a throwaway database
_FOLDER = tempfile.mkdtemp(prefix="corridor-schema-")
app = create_app(
    Settings(db_url=f"sqlite:///{Path(_FOLDER) / 'api.db'}", allowed_hosts=("testserver",))
)
schema = schemathesis.openapi.from_asgi("/openapi.json", app)


@pytest.fixture(scope="module", autouse=True)
def _cleanup() -> Iterator[None]:
    yield
    app.state.context.jobs.shutdown()
    app.state.context.store.close()
    shutil.rmtree(_FOLDER, ignore_errors=True)


@schema.parametrize()
@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=list(HealthCheck),
)
def test_the_api_honours_its_schema(case: Any) -> None:
    case.call_and_validate(
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_headers_conformance,
            response_schema_conformance,
        ]
    )
