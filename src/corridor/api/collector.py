"""Reference cycles freed on a clock, not only when allocations pass a threshold.

A serving process collects its youngest generation every 50,000 allocations (`tune_gc`), which
under load is every minute or two: a cycle that an error or a validation failure leaves behind
(an exception, its traceback and the frames it holds) is promoted while its request runs and
then waits for a collection of an older generation, which at that pace comes hours later. The
soak measured the process growing by 2–4 MB a minute that way (docs/soak.md, "What grew").
A full collection on a clock bounds that garbage to what one interval makes.
"""

from __future__ import annotations

import asyncio
import gc
from collections.abc import Callable


async def collect_cycles(interval_s: float, collect: Callable[[], int] = gc.collect) -> None:
    """Run `collect` (a full garbage collection) every `interval_s` seconds until cancelled.

    >>> import asyncio
    >>> calls = []
    >>> async def briefly():
    ...     task = asyncio.create_task(collect_cycles(0.01, lambda: calls.append(1) or 0))
    ...     await asyncio.sleep(0.1)
    ...     task.cancel()
    >>> asyncio.run(briefly())
    >>> len(calls) >= 2
    True
    """
    while True:
        await asyncio.sleep(interval_s)
        collect()
