"""Write the per-country electricity rows of the bundled emission_factors.csv from national
grid intensities.

    pip install codecarbon            # only to read its data file; not a corridor dependency
    python scripts/grid_intensity.py  # or: --energy-mix PATH/TO/global_energy_mix.json

The national figures are the `carbon_intensity` (g CO2e per kWh generated, life-cycle) and
`year` of codecarbon's `data/private_infra/global_energy_mix.json` (MIT licence), which codecarbon
compiles from Our World in Data's energy data set (Ember and the Energy Institute's Statistical
Review). For every country of COUNTRIES and of nodes.csv it writes three rows, replacing earlier
electricity rows of the same kind (carrier `electricity_<iso2>`):

* move, rail: electric container train, RAIL_WH_PER_NTKM at the pantograph, grossed up for
  transmission and traction-supply losses, times the grid intensity; TTW 0.
* move, pipeline: pumping energy PIPELINE_KWH_PER_TKM, grossed up for grid losses; TTW 0.
* reefer, terminal: a reefer plugged in at a terminal or border, per kWh drawn; TTW 0.

Every other row is kept as it is. Re-running with the same data file gives the same table.
"""

from __future__ import annotations

import argparse
import csv
import importlib.util
import json
import re
import sys
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "corridor" / "data" / "eurasia"
FACTORS = PACKAGE / "emission_factors.csv"
NODES = PACKAGE / "nodes.csv"

# Countries the corridor reaches or will reach, with their ISO 3166 alpha-3 codes.
COUNTRIES: dict[str, str] = {
    "CN": "CHN", "KZ": "KAZ", "RU": "RUS", "BY": "BLR", "PL": "POL", "DE": "DEU", "NL": "NLD",
    "BE": "BEL", "FR": "FRA", "AT": "AUT", "HU": "HUN", "CZ": "CZE", "SK": "SVK", "SI": "SVN",
    "HR": "HRV", "IT": "ITA", "GR": "GRC", "BG": "BGR", "RO": "ROU", "RS": "SRB", "MK": "MKD",
    "TR": "TUR", "GE": "GEO", "AZ": "AZE", "AM": "ARM", "UZ": "UZB", "TM": "TKM", "KG": "KGZ",
    "TJ": "TJK", "IR": "IRN", "MN": "MNG", "LT": "LTU", "LV": "LVA", "EE": "EST", "FI": "FIN",
    "UA": "UKR",
}  # fmt: skip

# EcoTransIT World: final energy of a large (1,500 t gross) electric train carrying volume goods
# (containers), empty trips included, per net tonne-km at the pantograph.
RAIL_WH_PER_NTKM = 32.3
# Shares of electricity lost between the power station and the consumer (transmission and
# distribution), and between the substation and the pantograph (traction supply). Estimates.
GRID_LOSS = 0.08
TRACTION_LOSS = 0.05
# Crude-oil pumping energy per tonne-km (estimate, as before).
PIPELINE_KWH_PER_TKM = 0.02

SOURCES_RAIL = "codecarbon-energy-mix;ecotransit-2010;lipasto-rail-2016;corridor-estimates"
SOURCES_GRID = "codecarbon-energy-mix;corridor-estimates"
GENERATED = re.compile(r"^electricity_[a-z]{2}$")
KINDS = {("move", "rail"), ("move", "pipeline"), ("reefer", "terminal")}
COLUMNS = [
    "activity",
    "mode",
    "energy_carrier",
    "wtw_g_per_tkm",
    "ttw_g_per_tkm",
    "wtw_g_per_t",
    "ttw_g_per_t",
    "wtw_g_per_vkm",
    "ttw_g_per_vkm",
    "empty_share",
    "wtw_g_per_kwh",
    "ttw_g_per_kwh",
    "source",
    "estimate",
    "note",
]


def energy_mix_path() -> Path:
    """codecarbon's energy-mix file, found without importing codecarbon."""
    spec = importlib.util.find_spec("codecarbon")
    if spec is None or spec.origin is None:
        sys.exit("codecarbon is not installed: pip install codecarbon, or pass --energy-mix PATH")
    return Path(spec.origin).parent / "data" / "private_infra" / "global_energy_mix.json"


def countries_in_nodes() -> set[str]:
    with NODES.open(newline="") as f:
        return {row["country"] for row in csv.DictReader(f)}


def rows_for(iso2: str, grid: float, year: int) -> list[dict[str, str]]:
    """The three generated rows of one country, from its grid intensity (g CO2e/kWh)."""
    carrier = f"electricity_{iso2.lower()}"
    at_plug = grid / (1.0 - GRID_LOSS)
    at_pantograph = at_plug / (1.0 - TRACTION_LOSS)
    rail = RAIL_WH_PER_NTKM / 1000.0 * at_pantograph
    pipe = PIPELINE_KWH_PER_TKM * at_plug
    where = f"{iso2} grid {grid:.0f} g CO2e/kWh generated ({year}, Ember/Energy Institute via codecarbon)"
    losses = f"grossed up for {GRID_LOSS:.0%} grid and {TRACTION_LOSS:.0%} traction-supply losses (estimates)"
    base = dict.fromkeys(COLUMNS, "")
    return [
        base
        | {
            "activity": "move",
            "mode": "rail",
            "energy_carrier": carrier,
            "wtw_g_per_tkm": f"{rail:.2f}",
            "ttw_g_per_tkm": "0",
            "source": SOURCES_RAIL,
            "estimate": "true",
            "note": f"electric container train {RAIL_WH_PER_NTKM} Wh per net t-km at the pantograph "
            f"(EcoTransIT, 1,500 t train, volume goods; VTT measured 27 Wh for a denser Finnish "
            f"mixed freight train) {losses} x {where}; no emissions at the train",
        },
        base
        | {
            "activity": "move",
            "mode": "pipeline",
            "energy_carrier": carrier,
            "wtw_g_per_tkm": f"{pipe:.2f}",
            "ttw_g_per_tkm": "0",
            "source": SOURCES_GRID,
            "estimate": "true",
            "note": f"crude-oil pumping about {PIPELINE_KWH_PER_TKM} kWh per t-km (estimate) grossed up "
            f"for {GRID_LOSS:.0%} grid losses x {where}; electric pumps emit nothing on site",
        },
        base
        | {
            "activity": "reefer",
            "mode": "terminal",
            "energy_carrier": carrier,
            "wtw_g_per_kwh": f"{at_plug:.1f}",
            "ttw_g_per_kwh": "0",
            "source": SOURCES_GRID,
            "estimate": "true",
            "note": f"reefer plugged in at a terminal or border post: {where}, grossed up for "
            f"{GRID_LOSS:.0%} grid losses (estimate)",
        },
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--energy-mix", type=Path, default=None)
    args = parser.parse_args()
    mix = json.loads((args.energy_mix or energy_mix_path()).read_text())
    wanted = sorted(set(COUNTRIES) | countries_in_nodes())
    missing = [c for c in wanted if c not in COUNTRIES or COUNTRIES[c] not in mix]
    if missing:
        sys.exit(f"no ISO3 code or no energy-mix entry for: {', '.join(missing)}")
    with FACTORS.open(newline="") as f:
        reader = csv.DictReader(f)
        columns = list(dict.fromkeys([*(reader.fieldnames or []), *COLUMNS]))
        kept = [
            row
            for row in reader
            if not (
                (row["activity"], row["mode"]) in KINDS and GENERATED.match(row["energy_carrier"])
            )
        ]
    generated = []
    for iso2 in wanted:
        entry = mix[COUNTRIES[iso2]]
        generated += rows_for(iso2, float(entry["carbon_intensity"]), int(entry["year"]))
    order = {kind: i for i, kind in enumerate(sorted(KINDS))}
    generated.sort(key=lambda r: (order[(r["activity"], r["mode"])], r["energy_carrier"]))
    with FACTORS.open("w", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: row.get(c) or "" for c in columns} for row in kept + generated)
    print(
        f"{FACTORS}: {len(kept)} rows kept, {len(generated)} electricity rows for {len(wanted)} countries"
    )


if __name__ == "__main__":
    main()
