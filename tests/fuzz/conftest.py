"""The fuzz suite's report: cases per suite and outcome, printed at the end of the run."""

from __future__ import annotations

import pytest
from fuzzing import TALLY


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    if not TALLY:
        return
    suites = sorted({suite for suite, _ in TALLY})
    terminalreporter.section("fuzz cases (suite: success / no-route / clean-error)")
    for suite in suites:
        ok, none, clean = (TALLY[(suite, k)] for k in ("success", "no-route", "clean-error"))
        terminalreporter.write_line(
            f"{suite}: {ok + none + clean} cases, {ok} success, {none} no-route, {clean} clean errors"
        )
    total = sum(TALLY.values())
    terminalreporter.write_line(f"total: {total} cases, 0 tracebacks (any would fail its test)")
