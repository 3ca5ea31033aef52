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


CYCLE_PROBE = """
import gc, json, weakref
from corridor.api.server import ready_to_serve
ready_to_serve()

class Node:
    pass

def young_collections(rounds):
    for _ in range(rounds):  # each round allocates past the youngest generation's threshold
        batch = [[] for _ in range(gc.get_threshold()[0] + 1_000)]
        del batch

cycle = Node()
cycle.me = cycle
alive = weakref.ref(cycle)
young_collections(120)  # it outlives young collections while its request runs: now the oldest
del cycle
young_collections(120)
print(json.dumps({"freed": alive() is None}))
"""


def test_a_cycle_that_reached_the_oldest_generation_is_freed_within_120_young_collections() -> None:
    done = subprocess.run(
        [sys.executable, "-c", CYCLE_PROBE],
        capture_output=True,
        text=True,
        check=True,
        timeout=300,
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == {"freed": True}
