"""Print the README's network figures from the bundled network, ready to paste.

    make readme-figures        # writes build/readme-figures.md and prints it

`tests/test_readme_figures.py` fails when README.md's sentence differs from these counts.
"""

from __future__ import annotations

import sys
from pathlib import Path

import corridor


def network_sentence(net: corridor.Network) -> str:
    """The README's sentence on the bundled network's size."""
    return (
        f"The bundled `{net.name}` network ({len(net.nodes)} nodes, {len(net.links)} links, "
        f"{len(net.crossing_ids)} border crossings, {len(net.services)} scheduled services)"
    )


def main() -> int:
    net = corridor.load_network()
    modes: dict[str, float] = {}
    for link in net.links:
        modes[link.mode] = modes.get(link.mode, 0.0) + link.distance_km
    lines = [
        network_sentence(net),
        "",
        f"- countries: {len(net.countries)} ({' '.join(net.countries)})",
        f"- sources: {len(net.manifest.sources)}",
        "- link km by mode: " + ", ".join(f"{k} {v:,.0f}" for k, v in sorted(modes.items())),
        f"- expanded graph: {net.graph.n_vertices} vertices, {net.graph.n_edges} edges",
    ]
    text = "\n".join(lines) + "\n"
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else None
    if out is not None:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
