"""Set the `energy_carrier` of the bundled links from where they run (docs/emissions.md).

    python scripts/assign_energy_carriers.py          # rewrite links.csv in place
    python scripts/assign_energy_carriers.py --check  # only list what would change (exit 1 if any)

* Electric rail and pipeline links (carrier `electricity` or `electricity_*`): the grid of the
  from-node's country, `electricity_<iso2>`.
* Ferry links: `ropax` (the Caspian rail and Ro-Pax ferries).
* Sea links (any carrier, e.g. `hfo`, `vlsfo` or an earlier class): the vessel class of the trade
  lane between the regions of their two ports, see `sea_class` (intra-Europe, Caspian and
  intra-East-Asia links are feeders).

Nothing else in links.csv changes, and a second run changes nothing (idempotent). Run
scripts/grid_intensity.py afterwards if a new country appears.
"""

from __future__ import annotations

import argparse
import csv
import io
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "corridor" / "data" / "eurasia"
LINKS = PACKAGE / "links.csv"
NODES = PACKAGE / "nodes.csv"
FACTORS = PACKAGE / "emission_factors.csv"

DEEP_SEA_PASSAGES = {"suez", "cape", "bab_el_mandeb", "malacca", "hormuz"}


def region(lat: float, lon: float) -> str:
    """The sea region of a port, from its coordinates.

    >>> region(30.6, 122.1), region(53.5, 10.0), region(36.8, 34.6), region(43.6, 51.2)
    ('east_asia', 'north_europe', 'med_black', 'caspian')
    """
    if lon >= 95.0:
        return "east_asia"
    if 46.0 <= lon <= 55.5 and 36.0 <= lat <= 47.5:
        return "caspian"
    if lon < 46.0 and lat >= 48.0:
        return "north_europe"  # North Sea, Channel and Baltic
    if -6.0 <= lon < 46.0 and 30.0 <= lat < 48.0:
        return "med_black"  # Mediterranean, Marmara, Black Sea and Azov
    return "other"


EUROPE_SHORT_SEA = {"north_europe", "med_black", "caspian"}


def sea_class(a: str, b: str, passages: set[str]) -> str:
    """The vessel class of a sea link between ports of regions `a` and `b`.

    >>> sea_class("east_asia", "north_europe", {"suez"})
    'container_asia_neu'
    >>> sea_class("med_black", "east_asia", {"cape"})
    'container_asia_med'
    >>> sea_class("med_black", "north_europe", set())
    'container_feeder'
    >>> sea_class("east_asia", "east_asia", set())
    'container_feeder'
    >>> sea_class("east_asia", "other", set())
    'container_deepsea'
    """
    ends = {a, b}
    if ends == {"east_asia", "north_europe"}:
        return "container_asia_neu"
    if ends == {"east_asia", "med_black"}:
        return "container_asia_med"
    short_sea = ends <= EUROPE_SHORT_SEA or ends == {"east_asia"}
    if short_sea and not passages & DEEP_SEA_PASSAGES:
        return "container_feeder"
    return "container_deepsea"


def carrier(link: dict[str, str], nodes: dict[str, dict[str, str]]) -> str:
    """The energy carrier a link should have (its present one where no rule applies)."""
    mode, current = link["mode"], link["energy_carrier"]
    start, end = nodes[link["from_node"]], nodes[link["to_node"]]
    if mode in ("rail", "pipeline") and current.startswith("electricity"):
        return f"electricity_{start['country'].lower()}"
    if mode == "ferry":
        return "ropax"
    if mode == "sea":
        passages = {p.strip() for p in link.get("passages", "").split(";") if p.strip()}
        ra = region(float(start["lat"]), float(start["lon"]))
        rb = region(float(end["lat"]), float(end["lon"]))
        return sea_class(ra, rb, passages)
    return current


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="change nothing; exit 1 if stale")
    args = parser.parse_args()
    with NODES.open(newline="") as f:
        nodes = {row["node_id"]: row for row in csv.DictReader(f)}
    text = LINKS.read_text()
    rows = list(csv.reader(io.StringIO(text)))
    header, body = rows[0], rows[1:]
    col = header.index("energy_carrier")
    changes = []
    for row in body:
        link = dict(zip(header, row, strict=True))
        new = carrier(link, nodes)
        if new != row[col]:
            changes.append(f"{link['link_id']}: {row[col]} -> {new}")
            row[col] = new
    with FACTORS.open(newline="") as f:
        have = {
            (r["mode"], r["energy_carrier"]) for r in csv.DictReader(f) if r["activity"] == "move"
        }
    lacking = sorted(
        {(r[header.index("mode")], r[col]) for r in body} - have, key=lambda k: (k[0], k[1])
    )
    print("\n".join(changes) or "no change")
    for mode, name in lacking:
        print(f"warning: no move factor for ({mode}, {name}); run scripts/grid_intensity.py")
    if args.check:
        sys.exit(1 if changes else 0)
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([header, *body])
    LINKS.write_text(out.getvalue())


if __name__ == "__main__":
    main()
