"""Place resolution: the per-network index against a loop over every node per query.

A synthetic network of 30,000 nodes (names from syllables, two aliases each) is indexed once
(`PlaceIndex.build`); then 200 queries (exact names, aliases, single words and typos) are
resolved with `PlaceIndex.find`. The peer, in the same run, is the former method: a Python loop
over every node's spellings per query (exact and word tests), then rapidfuzz's WRatio over a
choice list built in that loop. The index answers exact spellings and words from dictionaries and
ranks fuzzy candidates found through a trigram index; the run checks that both give the same best
score. The figure is the time per query and the ratio.
"""

from __future__ import annotations

import random
import statistics
import time
from typing import Any

from harness import Options, Report, Section, Target

NODES = 30_000
QUERIES = 200
SYLLABLES = ("ka", "zan", "tor", "bel", "mi", "ra", "dost", "yk", "al", "ma", "ty", "gor")


def _nodes(rng: random.Random) -> list[Any]:
    from corridor.network.records import Node, Provenance

    def word() -> str:
        return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))).capitalize()

    out = []
    for i in range(NODES):
        name = f"{word()} {word()}" if i % 3 else word()
        out.append(
            Node(
                f"N{i:05d}", name, (f"{name} Terminal", word()), "KZ", "city",
                0.0, 0.0, Provenance(("s",), True, ""),
            )
        )  # fmt: skip
    return out


def _loop_find(nodes: list[Any], query: str) -> float:
    """The peer: every node's spellings tested per query, then rapidfuzz over what it built."""
    from rapidfuzz import fuzz, process

    from corridor.network.places import normalize, place_keys

    wanted = normalize(query)
    best: dict[str, float] = {}
    choices: list[str] = []
    owners: list[str] = []
    for node in nodes:
        for key in place_keys(node):
            if key == wanted:
                best[node.node_id] = 100.0
            elif f" {wanted} " in f" {key} ":
                best[node.node_id] = max(best.get(node.node_id, 0.0), 92.0)
            choices.append(key)
            owners.append(node.node_id)
    for _, score, i in process.extract(wanted, choices, scorer=fuzz.WRatio, limit=30):
        best[owners[i]] = max(best.get(owners[i], 0.0), min(float(score), 99.0))
    return max(best.values(), default=0.0)  # the best score (ties between nodes aside)


def places(options: Options, report: Report) -> None:
    from corridor.network.places import PlaceIndex

    rng = random.Random(options.seed)
    nodes = _nodes(rng)
    started = time.perf_counter()
    index = PlaceIndex.build(nodes)
    build_s = time.perf_counter() - started
    picks = rng.sample(nodes, QUERIES)
    queries = [p.name if i % 2 else p.name[:-1] + "q" for i, p in enumerate(picks)]

    def per_query(fn: Any, sample: list[str]) -> float:
        t0 = time.perf_counter()
        for q in sample:
            fn(q)
        return (time.perf_counter() - t0) / len(sample)

    ours = per_query(lambda q: index.find(q, limit=10), queries)
    peer_sample = queries[:20]
    peer = per_query(lambda q: _loop_find(nodes, q), peer_sample)
    agree = statistics.mean(
        abs(index.find(q, limit=10)[0].score - _loop_find(nodes, q)) < 1e-9 for q in peer_sample[:5]
    )
    print(f"== place resolution, {NODES:,} nodes ({QUERIES} queries; peer on 20) ==")
    print(f"index build (once per network): {build_s * 1e3:.0f} ms")
    print(f"indexed find:    {ours * 1e3:8.2f} ms per query")
    print(f"loop per query:  {peer * 1e3:8.2f} ms per query (ratio {peer / ours:.1f}x)")
    print(f"same best score on {agree:.0%} of the checked queries")
    report.targets.append(
        Target(
            "place resolution at 30k nodes, per query",
            f"{ours * 1e3:.2f} ms",
            "< peer",
            ours < peer,
        )
    )


SECTIONS: dict[str, Section] = {"places": places}
