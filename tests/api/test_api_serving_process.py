"""A serving process gets ready before its first request: kernels loaded, the GC tuned."""

from __future__ import annotations

import json
import subprocess
import sys

PROBE = """
import gc, json
from corridor.api.server import ready_to_serve
ready_to_serve()
print(json.dumps({"threshold": gc.get_threshold(), "frozen": gc.get_freeze_count()}))
"""


def test_a_serving_process_freezes_what_it_loaded_and_collects_less_often() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, check=True, timeout=300
    )
    state = json.loads(done.stdout.strip().splitlines()[-1])
    assert state["threshold"][0] >= 10_000
    assert state["frozen"] > 10_000  # the imported libraries and compiled kernels
