"""Where a serving process's memory goes: the route planner alone under the soak's heavy queries.

Runs `RoutePlanner` (the API's planning, result cache included, no HTTP) in one process on the
bundled network with `--concurrency` queries in flight, drawn as the soak's heavy flood draws them
(scripts/soak.py `heavy_query`), and every `--every` queries prints one JSON line: RSS, what
glibc's allocator holds (in use, free inside its heap, in large maps: `mallinfo2`), and the
result cache's charge and entries. A heap whose free part grows while what is in use stays level
is fragmentation; in-use memory that grows is a leak. With `--trace` it also compares
tracemalloc snapshots taken half-way and at the end and prints the ten largest growths.

    python scripts/memory_probe.py --queries 2500                     # the default settings
    python scripts/memory_probe.py --queries 2500 --cache-mib 4096    # entries-only, as before
    python scripts/memory_probe.py --queries 2500 --mmap-threshold 0  # glibc's adjusting threshold
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import ctypes
import json
import random
import sys
import time
import tracemalloc
from pathlib import Path
from typing import Any

import psutil  # type: ignore[import-untyped]

sys.path.insert(0, str(Path(__file__).resolve().parent))
from soak import heavy_query

from corridor.api.allocator import fix_mmap_threshold
from corridor.api.planning import RoutePlanner
from corridor.api.problems import ApiProblem
from corridor.api.schemas import RouteRequest
from corridor.api.server import ready_to_serve
from corridor.api.settings import MIB, Settings
from corridor.network.loader import load_network

_FIELDS = "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost"


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in _FIELDS.split()]


def heap() -> dict[str, float]:
    """glibc's allocator, MB: in use (heap and maps), free inside the heap, in maps."""
    try:
        libc = ctypes.CDLL("libc.so.6")
        libc.mallinfo2.restype = _MallInfo2
    except (OSError, AttributeError):
        return {}
    info = libc.mallinfo2()
    return {
        "heap_in_use_mb": round((info.uordblks + info.hblkhd) / 1e6, 1),
        "heap_free_mb": round(info.fordblks / 1e6, 1),
        "maps_mb": round(info.hblkhd / 1e6, 1),
    }


async def run(args: argparse.Namespace) -> None:
    settings = Settings(
        result_cache_size=args.entries,
        result_cache_bytes=int(args.cache_mib * MIB),
        mmap_threshold_bytes=args.mmap_threshold,
    )
    fix_mmap_threshold(settings.mmap_threshold_bytes)  # as a worker does, before the network
    network = load_network(None)
    planner = RoutePlanner(network, settings)
    ready_to_serve()
    nodes = [n.name for n in network.nodes]
    rng = random.Random(args.seed)
    gate = asyncio.Semaphore(args.concurrency)
    process = psutil.Process()
    started = time.monotonic()
    done = 0
    half: list[tracemalloc.Snapshot] = []

    async def one(body: dict[str, Any]) -> None:
        nonlocal done
        async with gate:
            with contextlib.suppress(ApiProblem):  # no route, a shed query: load is the point
                await planner.plan_json(RouteRequest.model_validate(body))
            done += 1
            if done % args.every == 0:
                line = {
                    "queries": done,
                    "s": round(time.monotonic() - started),
                    "rss_mb": round(process.memory_info().rss / 1e6, 1),
                    **heap(),
                    "cache_mb": round(planner.cache.used_bytes / 1e6, 1),
                    "cache_entries": len(planner.cache),
                }
                print(json.dumps(line), flush=True)
            if args.trace and done == args.queries // 2:
                half.append(tracemalloc.take_snapshot())

    if args.trace:
        tracemalloc.start(25)
    await asyncio.gather(*(one(heavy_query(rng, nodes)) for _ in range(args.queries)))
    planner.shutdown()
    cpu = process.cpu_times()
    print(json.dumps({"cpu_user_s": round(cpu.user, 1), "cpu_system_s": round(cpu.system, 1)}))
    if half:
        for stat in tracemalloc.take_snapshot().compare_to(half[0], "traceback")[:10]:
            print(stat)
            print("\n".join("    " + line for line in stat.traceback.format()[-8:]))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--queries", type=int, default=2500)
    parser.add_argument("--concurrency", type=int, default=6)
    parser.add_argument("--every", type=int, default=250, help="queries between lines")
    parser.add_argument("--cache-mib", type=float, default=64.0, help="result_cache_bytes, MiB")
    parser.add_argument("--entries", type=int, default=512, help="result_cache_size")
    parser.add_argument(
        "--mmap-threshold",
        type=int,
        default=Settings().mmap_threshold_bytes,
        help="mmap_threshold_bytes (0: glibc's adjusting threshold)",
    )
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--trace", action="store_true", help="tracemalloc growth, half to end")
    asyncio.run(run(parser.parse_args(argv)))


if __name__ == "__main__":
    main()
