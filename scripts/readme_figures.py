"""Regenerate the README's figures and examples from the bundled network, ready to paste.

    make readme-figures        # writes build/readme-figures.md and prints it

It prints the network's size sentence (which `tests/test_readme_figures.py` checks against
README.md), and re-runs the README's command examples at 100 columns: the route tables, the
batch run with its summary line, its columns and the first OD pair's rows read back.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import corridor

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples"
ROUTES = [
    ["route", "Xi'an", "Duisburg", "--depart", "2026-12-01"],
    ["route", "Kuryk", "Alat", "--depart", "2026-12-01", "--legs", "--alternatives", "0"],
]


def network_sentence(net: corridor.Network) -> str:
    """The README's sentence on the bundled network's size."""
    return (
        f"The bundled `{net.name}` network ({len(net.nodes)} nodes, {len(net.links)} links, "
        f"{len(net.crossing_ids)} border crossings, {len(net.services)} scheduled services)"
    )


def _corridor(args: list[str]) -> str:
    env = {**os.environ, "COLUMNS": "100"}
    proc = subprocess.run(
        [sys.executable, "-m", "corridor.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        check=True,
        cwd=ROOT,
    )
    return proc.stdout.rstrip()


def _shell(args: list[str]) -> str:
    return "$ corridor " + " ".join(f'"{a}"' if " " in a or "'" in a else a for a in args)


def _batch() -> list[str]:
    import pyarrow.parquet as pq

    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "results.parquet"
        args = ["batch", "--depart", "2026-12-01", "--depart", "2026-12-08"]
        for name in ("alashankou-dostyk-closed.toml", "poland-belarus-closed.toml"):
            args += ["--scenario", str(EXAMPLES / name)]
        printed = _corridor([*args, "--out", str(out), "--workers", "2"])
        table = pq.read_table(out)
        rows = [
            r
            for r in table.to_pylist()
            if r["od_index"] == 0 and r["depart"].day == 1 and r["error"] is None
        ]
        lines = ["```", printed.replace(str(out), "results.parquet"), "```", ""]
        lines.append("columns: " + ", ".join(f"`{f.name}` ({f.type})" for f in table.schema))
        lines += ["", "```"]
        for r in rows:
            lines.append(
                f"{r['scenario']:<26} {r['route_rank']:>2} {r['transit_hours']:>9.1f} h "
                f"{r['p90_hours'] or 0:>8.1f} h P90 {r['cost_usd']:>9,.0f} USD  "
                + "-".join(r["countries"])
            )
        lines.append("```")
        return lines


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
        "",
    ]
    for args in ROUTES:
        lines += ["```", _shell(args), _corridor(args), "```", ""]
    lines += _batch()
    text = "\n".join(lines) + "\n"
    if len(sys.argv) > 1:
        target = Path(sys.argv[1])
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
