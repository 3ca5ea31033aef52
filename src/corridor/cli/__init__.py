"""The `corridor` command line: a thin layer over the Python API, one module per command."""

from corridor.cli import assign, batch, compare, criticality, network, route, serve  # noqa: F401  (each module registers its commands)
from corridor.cli.app import app, main

__all__ = ["app", "main"]
