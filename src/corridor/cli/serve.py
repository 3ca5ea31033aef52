"""`corridor serve`: run the HTTP API and the web page under uvicorn."""

from __future__ import annotations

import os
from typing import Annotated

import typer

from corridor.cli.app import NetworkOption, app, fail
from corridor.errors import CorridorError, NetworkValidationError

TOKEN_ENV = "CORRIDOR_API_TOKEN"


@app.command()
def serve(
    host: Annotated[
        str, typer.Option(help="Address to bind; anything but loopback needs a token.")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    network: NetworkOption = None,
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help="Database URL: sqlite:///PATH or postgresql://USER@HOST/DB "
            "(default: $CORRIDOR_DB_URL or SQLite in the user's data folder).",
        ),
    ] = None,
    token: Annotated[
        str | None,
        typer.Option(help=f"API token clients must send as a Bearer token (or ${TOKEN_ENV})."),
    ] = None,
    workers: Annotated[
        int,
        typer.Option(
            min=1,
            max=64,
            help="Server processes; each loads the network and answers on the same port.",
        ),
    ] = 1,
) -> None:
    """Serve the HTTP API (/api, OpenAPI at /docs) and the web planner at /."""
    try:
        from corridor.api import Settings, create_app
        from corridor.api.server import run_server
    except ImportError as exc:
        fail(f"serve needs the server extra: pip install 'corridor[server]' ({exc.name} missing)")
    try:
        settings = Settings(
            network_path=network,
            db_url=db,
            host=host,
            token=token if token is not None else os.environ.get(TOKEN_ENV) or None,
        )
        application = create_app(settings)
    except NetworkValidationError as exc:
        first = exc.problems[0] if exc.problems else "invalid network"
        fail(f"{exc.path}: {len(exc.problems)} problem(s), first: {first}")
    except CorridorError as exc:
        fail(str(exc))
    shown = f"[{host}]" if ":" in host else host
    context = application.state.context
    processes = f"; {workers} worker processes" if workers > 1 else ""
    typer.echo(
        f"corridor: serving {context.network_label} at http://{shown}:{port}/ "
        f"(database {context.store.url}{processes}; Ctrl+C stops)",
        err=False,
    )
    if workers > 1:  # the workers build their own; this one only checked the settings
        context.store.close()
    try:
        run_server(settings, port, workers=workers, app=application if workers == 1 else None)
    except OSError as exc:  # the port is taken, or the address cannot be bound
        fail(f"cannot listen on {shown}:{port}: {exc.strerror or exc}")
