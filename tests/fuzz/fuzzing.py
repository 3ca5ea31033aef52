"""Helpers of the fuzz suite: the CLI run in-process, a strict JSON parser, outcome tallies.

Every case ends in one of two clean outcomes: success (output that a strict parser accepts) or a
user error (exit 2 and one located line on stderr). Anything else (a traceback, another exit
code, NaN in JSON) fails the test that drew it. `CORRIDOR_FUZZ_EXAMPLES` scales the number of
cases (`make fuzz` runs many more than CI); the seeds are fixed, so a run is reproducible.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import random
import sys
from collections import Counter
from dataclasses import dataclass
from typing import Any

from corridor.cli.app import main

SCALE = max(1, int(os.environ.get("CORRIDOR_FUZZ_EXAMPLES", "1")))
TALLY: Counter[tuple[str, str]] = Counter()

# values that break parsers and arithmetic: non-finite, huge, tiny, negative, odd text
NASTY_NUMBERS = (
    "nan",
    "NaN",
    "inf",
    "-inf",
    "Infinity",
    "1e308",
    "-1e308",
    "1e-300",
    "1e400",
    "-1",
    "0",
    "-0",
    "1" + "0" * 400,
    "0x10",
    "1_000",
    "",
    " ",
)
NASTY_TEXT = (
    "\x00",
    "a\x00b",
    "\x1b[31m",
    "é" * 3,
    "x" * 20_000,
    '"',
    ";",
    "*",
    "\ufeff",
    "../../etc/passwd",
    "Robert'); DROP TABLE nodes;--",
    "\u202e",
    "🚂",
)


def rng(name: str) -> random.Random:
    """A generator seeded by the test's name: the same cases on every run."""
    return random.Random(f"corridor-fuzz-{name}")


def cases(base: int) -> int:
    """How many cases a CI run draws (`base`), times CORRIDOR_FUZZ_EXAMPLES."""
    return base * SCALE


def _refuse_constant(name: str) -> Any:
    raise ValueError(f"invalid JSON constant {name}")


def strict_json(text: str) -> Any:
    """`json.loads` that refuses NaN, Infinity and -Infinity (invalid JSON)."""
    return json.loads(text, parse_constant=_refuse_constant)


@dataclass(frozen=True)
class Outcome:
    code: int
    stdout: str
    stderr: str


def cli(*args: str) -> Outcome:
    """`corridor ARGS` in this process (fast): exit code and captured output. An exception that
    escapes `main` (a traceback for the user) propagates and fails the test."""
    out, err = io.StringIO(), io.StringIO()
    saved = sys.argv
    sys.argv = ["corridor", *args]
    code = 0
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            main()
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 0
    finally:
        sys.argv = saved
    return Outcome(code, out.getvalue(), err.getvalue())


def check_cli(
    suite: str,
    outcome: Outcome,
    *,
    json_out: bool,
    located: tuple[str, ...] = (),
    validate: bool = False,
) -> str:
    """Assert a clean outcome and tally it: 'success', 'no-route' or 'clean-error'.

    A user error is exit 2 with one line `corridor: ...` (naming one of `located` when given);
    `validate` lists one problem a line before that line.
    """
    assert "Traceback" not in outcome.stderr, outcome.stderr[-3000:]
    if outcome.code == 2 and validate:  # one line per problem, then `corridor: N problem(s)`
        *problems, last = outcome.stderr.strip().splitlines()
        assert last.startswith("corridor: "), outcome.stderr[-2000:]
        if located:
            assert all(any(name in p for name in located) for p in problems), problems
        kind = "clean-error"
    elif outcome.code == 2:
        lines = outcome.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("corridor: "), outcome.stderr[-2000:]
        if located:
            assert any(name in lines[0] for name in located), lines[0][:500]
        kind = "clean-error"
    elif outcome.code == 1:
        assert outcome.stderr.strip().startswith("corridor: "), outcome.stderr[-2000:]
        kind = "no-route"
    else:
        assert outcome.code == 0, (outcome.code, outcome.stderr[-2000:])
        if json_out:
            strict_json(outcome.stdout)
        kind = "success"
    TALLY[(suite, kind)] += 1
    return kind
