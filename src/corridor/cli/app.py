"""The shared pieces of the command line: the Typer app, its console, and user-error exits.

Exit codes: 0 success, 1 no result (no route), 2 a user's mistake (one line on stderr, never a
traceback). Each command lives in its own module of `corridor.cli` and registers on `app`.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

from corridor.errors import CorridorError, InputFileError, NetworkValidationError
from corridor.network.loader import load_network
from corridor.network.model import Network

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    help="Plan freight routes across the China–Kazakhstan–Caspian–Europe network.",
)
# the terminal's width (COLUMNS, else Rich's detection; 80 when not a terminal): tables fit it
out = Console(highlight=False, soft_wrap=False)


def _print_version(value: bool) -> None:
    if value:
        from corridor import __version__

        print(f"corridor {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Plan freight routes across the China–Kazakhstan–Caspian–Europe network."""


# placeholders in --help, by parameter name: words a user reads, not Python types
METAVARS = {
    "origin": "PLACE",
    "destination": "PLACE",
    "query": "TEXT",
    "depart": "DATE",
    "epsilon": "SHARE",
    "time_limit": "SECONDS",
    "deadline": "DATE",
    "containers": "N",
    "max_transfers": "N",
    "alternatives": "N",
    "samples": "N",
    "seed": "N",
    "top": "N",
    "limit": "N",
    "workers": "N",
    "port": "PORT",
    "size": "FEET",
    "tonnes": "TONNES",
    "commodity": "COMMODITY",
    "avoid_country": "ISO2",
    "avoid_mode": "MODE",
    "avoid": "PLACE",
    "criteria": "LIST",
    "plot": "FILE",
    "out": "FILE",
    "out_path": "FILE",
    "od": "FILE",
    "scenario": "FILE",
    "demand": "FILE",
    "network": "FOLDER",
    "path": "FOLDER",
    "host": "HOST",
    "db": "URL",
    "token": "TOKEN",
    "scheduler": "ADDRESS",
    "kind": "KIND",
    "value_of_time": "USD",
}


def command_with_placeholders(typer_app: typer.Typer) -> Any:
    """The click command of the app, each option and argument showing a word from METAVARS."""
    command = typer.main.get_command(typer_app)
    commands = getattr(command, "commands", {}).values()
    for sub in (command, *commands):
        for param in sub.params:
            if getattr(param, "param_type_name", "") == "argument" and param.name:
                param.metavar = param.name.upper()  # ORIGIN, DESTINATION, QUERY, PATH
            elif param.name in METAVARS:
                param.metavar = METAVARS[param.name]
    return command


class OutputFormat(StrEnum):
    """Output of the analysis commands: a table for people, JSON for programs."""

    table = "table"
    json = "json"


NetworkOption = Annotated[
    Path | None,
    typer.Option("--network", help="Network package folder (default: the bundled eurasia)."),
]


OdOption = Annotated[
    Path | None, typer.Option("--od", help="OD set CSV (default: the network's demand.csv).")
]
WorkersOption = Annotated[int, typer.Option(min=1, help="Local worker processes.")]
SchedulerOption = Annotated[
    str | None, typer.Option(help="Dask scheduler address, e.g. tcp://host:8786.")
]


def fail(message: str, code: int = 2) -> NoReturn:
    sys.stderr.write(f"corridor: {message}\n")
    raise typer.Exit(code)


def one_line(exc: CorridorError) -> str:
    """A typed error as one line: the first problem of a file, with how many there are."""
    if isinstance(exc, InputFileError) and exc.problems:
        more = f" (and {len(exc.problems) - 1} more)" if len(exc.problems) > 1 else ""
        return f"{exc.path}: {exc.problems[0]}{more}"
    return " ".join(str(exc).split())


def open_network(path: Path | None) -> Network:
    try:
        return load_network(path)
    except NetworkValidationError as exc:
        first = exc.problems[0] if exc.problems else "invalid network"
        fail(
            f"{exc.path}: {len(exc.problems)} problem(s), first: {first} "
            f"(run `corridor validate {exc.path}` for all)"
        )


def parse_depart(text: str | None, option: str = "--depart") -> datetime | None:
    """A UTC date or date-time option (`--depart`, `--deadline`); naive means UTC."""
    if text is None:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        fail(
            f"{option}: expected a date or UTC date-time like 2026-12-01 or "
            f"2026-12-01T08:00, got {text[:80]!r}"
        )
    if not 1970 <= moment.year <= 2200:  # the API's range; beyond it the clock overflows
        fail(f"{option}: expected a date between 1970 and 2200, got {text[:80]!r}")
    return moment.astimezone(UTC) if moment.tzinfo else moment.replace(tzinfo=UTC)


def main() -> None:
    """Entry point: run the app, turning usage errors into one line and exit code 2."""
    if len(sys.argv) == 1:
        sys.argv.append("--help")
    try:
        code = command_with_placeholders(app)(standalone_mode=False)
    except typer.Exit as exc:
        code = exc.exit_code
    except typer.Abort:
        sys.stderr.write("corridor: aborted\n")
        code = 130
    except CorridorError as exc:
        sys.stderr.write(f"corridor: {exc}\n")
        code = 2
    except Exception as exc:
        # typer's usage errors (bad option, missing argument) carry a message and exit code 2
        format_message = getattr(exc, "format_message", None)
        if format_message is None or getattr(exc, "exit_code", None) != 2:
            raise
        message = " ".join(str(format_message()).split())
        sys.stderr.write(f"corridor: {message} (see `corridor --help`)\n")
        code = 2
    sys.exit(code if isinstance(code, int) else 0)
