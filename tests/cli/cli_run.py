"""Running the real CLI as a user does: a subprocess of `python -m corridor.cli`."""

from __future__ import annotations

import os
import subprocess
import sys


def run(
    *args: str, timeout: float = 120, columns: int | None = None
) -> subprocess.CompletedProcess[str]:
    """Run `corridor ARGS...` in a fresh interpreter; output captured as text, never raises.

    `columns` sets the terminal width the CLI sees (COLUMNS); by default the caller's.
    """
    env = dict(os.environ)
    if columns is not None:
        env["COLUMNS"] = str(columns)
    return subprocess.run(
        [sys.executable, "-m", "corridor.cli", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
        env=env,
    )


def assert_user_error(proc: subprocess.CompletedProcess[str], text: str) -> None:
    """A user's mistake: exit 2 and one line on stderr naming `text`, never a traceback."""
    assert proc.returncode == 2, proc
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("corridor: ") and text in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr
