"""Loading a network package folder into a validated, immutable `Network`.

Every problem in every table is collected before anything is built, so a user sees them all at
once; nothing is returned unless the package is clean.
"""

from __future__ import annotations

import math
import tomllib
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from importlib import resources
from pathlib import Path
from types import MappingProxyType
from typing import Any

from corridor.errors import NetworkValidationError, Problem
from corridor.network import limits as L
from corridor.network.geometry import read_geometry
from corridor.network.model import Network
from corridor.network.records import (
    CONTAINER_MODES,
    HOURS_PER_WEEK,
    HUB_CATEGORIES,
    MODES,
    NODE_KINDS,
    TRAIN_CHANGE,
    TRANSFER_KINDS,
    WEEKDAYS,
    Commodity,
    CrossingRule,
    EmissionFactor,
    Link,
    Manifest,
    Node,
    Provenance,
    Service,
    Source,
    Transfer,
)
from corridor.network.tables import (
    PROVENANCE,
    Column,
    Row,
    boolean,
    bounded,
    choice,
    country,
    identifier,
    latitude,
    listing,
    load_toml,
    longitude,
    number,
    read_table,
    shorten,
    text,
    whole,
)

BUNDLED = "eurasia"
# tonnes of cargo one container may hold when the manifest's [cargo] does not say
PAYLOAD_DEFAULTS = {"max_tonnes_20ft": 24.0, "max_tonnes_40ft": 28.0}

# Every numeric column has a physical range (corridor.network.limits, docs/network-format.md):
# a value outside it is refused here, located, instead of overflowing in a later computation.
_PER_FEU_KM = number(minimum=0, maximum=L.TARIFF_PER_FEU_KM[1])
_PER_FEU = number(minimum=0, maximum=L.TARIFF_PER_FEU[1])
_HOURS = number(minimum=0, maximum=L.DWELL_H[1])
_TEU_WEEK = number(above=0, maximum=L.CAPACITY_TEU_PER_WEEK[1])

NODES = {
    "node_id": Column(identifier),
    "name": Column(text),
    "aliases": Column(listing(), required=False, default=()),
    "country": Column(country),
    "kind": Column(choice(*NODE_KINDS)),
    "lat": Column(latitude),
    "lon": Column(longitude),
    "coord_source": Column(listing(identifier), required=False, default=()),
    **PROVENANCE,
}
LINKS = {
    "link_id": Column(identifier),
    "from_node": Column(identifier),
    "to_node": Column(identifier),
    "mode": Column(choice(*MODES)),
    "gauge_mm": Column(whole(*L.GAUGE_MM), required=False),
    "distance_km": Column(number(above=0, maximum=L.DISTANCE_KM[1])),
    "distance_source": Column(listing(identifier), required=False, default=()),
    "speed_kmh": Column(
        number(minimum=L.MIN_SPEED_KMH, maximum=max(L.MAX_SPEED_KMH.values())), required=False
    ),
    "duration_h": Column(number(above=0, maximum=L.DURATION_H[1]), required=False),
    "bidirectional": Column(boolean),
    "energy_carrier": Column(identifier),
    "tariff_usd_per_feu_km": Column(_PER_FEU_KM, required=False),
    "tariff_usd_per_feu": Column(_PER_FEU, required=False, default=0.0),
    "tariff_usd_per_t_km": Column(number(minimum=0, maximum=L.TARIFF_PER_T_KM[1]), required=False),
    "tariff_reverse_factor": Column(
        bounded(0.05, 20.0, "a share of the forward price"), required=False, default=1.0
    ),
    "capacity_teu_per_week": Column(_TEU_WEEK, required=False),
    "capacity_reverse_teu_per_week": Column(_TEU_WEEK, required=False),
    "capacity_t_per_week": Column(
        number(above=0, maximum=L.CAPACITY_T_PER_WEEK[1]), required=False
    ),
    "commodities": Column(listing()),
    "passages": Column(listing(identifier), required=False, default=()),
    "status": Column(choice("open", "closed"), required=False, default="open"),
    **PROVENANCE,
}
TRANSFERS = {
    "node_id": Column(identifier),
    "from_layer": Column(text),
    "to_layer": Column(text),
    "kind": Column(choice(*TRANSFER_KINDS)),
    "duration_h": Column(_HOURS),
    "duration_p90_h": Column(_HOURS),
    "cost_usd_per_feu": Column(_PER_FEU),
    "cost_usd_per_t": Column(
        number(minimum=0, maximum=L.COST_PER_T[1]), required=False, default=0.0
    ),
    "capacity_teu_per_week": Column(_TEU_WEEK, required=False),
    "through_destinations": Column(listing(country), required=False, default=()),
    "connection_h": Column(_HOURS, required=False, default=0.0),
    "connection_p90_h": Column(_HOURS, required=False, default=0.0),
    "connection_usd_per_feu": Column(_PER_FEU, required=False, default=0.0),
    **PROVENANCE,
}
CROSSINGS = {
    "crossing_id": Column(identifier),
    "name": Column(text),
    "link_id": Column(identifier),
    "direction": Column(choice("forward", "reverse")),
    "commodity_class": Column(identifier),
    "traffic": Column(choice("any", "import", "transit"), required=False, default="any"),
    "dwell_median_h": Column(_HOURS),
    "dwell_p90_h": Column(_HOURS),
    "green_lane": Column(boolean),
    "fee_usd_per_feu": Column(_PER_FEU),
    **PROVENANCE,
}
SERVICES = {
    "service_id": Column(identifier),
    "link_id": Column(identifier),
    "direction": Column(choice("forward", "reverse", "both")),
    "kind": Column(choice("weekly", "headway")),
    "weekdays": Column(listing(choice(*WEEKDAYS)), required=False, default=()),
    "departure_utc": Column(text, required=False),
    "headway_h": Column(number(minimum=L.HEADWAY_H[0], maximum=L.HEADWAY_H[1]), required=False),
    "offset_h": Column(number(minimum=0, maximum=L.HEADWAY_H[1]), required=False, default=0.0),
    "operator": Column(text, required=False, default=""),
    "capacity_teu_per_week": Column(_TEU_WEEK, required=False),
    **PROVENANCE,
}
COMMODITIES = {
    "commodity": Column(identifier),
    "name": Column(text),
    "unit": Column(choice("container", "tonne")),
    "border_class": Column(identifier),
    "modes": Column(listing(choice(*MODES))),
    "reefer_kw_per_teu": Column(number(minimum=0), required=False, default=0.0),
    "tariff_factors": Column(listing(), required=False, default=()),
    **PROVENANCE,
}
_G_PER_TKM = number(minimum=0, maximum=L.FACTOR_G_PER_TKM[1])
_G_PER_T = number(minimum=0, maximum=L.FACTOR_G_PER_T[1])
EMISSION_FACTORS = {
    "activity": Column(choice("move", "hub", "reefer")),
    "mode": Column(identifier),
    "energy_carrier": Column(text, required=False, default="-"),
    "wtw_g_per_tkm": Column(_G_PER_TKM, required=False),
    "ttw_g_per_tkm": Column(_G_PER_TKM, required=False),
    "wtw_g_per_t": Column(_G_PER_T, required=False),
    "ttw_g_per_t": Column(_G_PER_T, required=False),
    "wtw_g_per_vkm": Column(_G_PER_T, required=False, default=0.0),
    "ttw_g_per_vkm": Column(_G_PER_T, required=False, default=0.0),
    "empty_share": Column(bounded(0.0, 0.9, "a share of vehicle-km"), required=False, default=0.0),
    "wtw_g_per_kwh": Column(_G_PER_TKM, required=False),
    "ttw_g_per_kwh": Column(_G_PER_TKM, required=False),
    **PROVENANCE,
}


def bundled_path(name: str = BUNDLED) -> Path:
    """The folder of a network package shipped inside corridor."""
    return Path(str(resources.files("corridor") / "data" / name))


def load_network(path: str | Path | None = None) -> Network:
    """Load and validate a network package; `None` loads the bundled `eurasia` network.

    Raises `NetworkValidationError` listing every problem found.
    """
    folder = bundled_path() if path is None else Path(path)
    try:
        is_folder = folder.is_dir()
    except (OSError, ValueError):  # a name too long for the file system, a NUL in it
        is_folder = False
    if not is_folder:
        shown = shorten(str(folder))
        raise NetworkValidationError(
            shown, [Problem(shown, None, None, None, "is not a network folder")]
        )
    return _Loader(folder).load()


def validate_network(path: str | Path) -> list[Problem]:
    """All problems in a network package (empty when it loads cleanly)."""
    try:
        load_network(path)
    except NetworkValidationError as exc:
        return list(exc.problems)
    return []


class _Loader:
    """One pass over a package: parse tables, then check references between them."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.problems: list[Problem] = []
        self.node_rows: dict[str, int] = {}

    def problem(
        self, file: str, row: int | None, column: str | None, value: Any, message: str
    ) -> None:
        shown = None if value is None else str(value)
        self.problems.append(Problem(file, row, column, shown, message))

    def table(self, name: str, schema: dict[str, Column]) -> list[Row]:
        return read_table(self.folder / name, schema, self.problems)

    def load(self) -> Network:
        manifest = self.manifest()
        source_ids = {s.id for s in manifest.sources} if manifest else set()
        tables = {
            "nodes.csv": self.table("nodes.csv", NODES),
            "links.csv": self.table("links.csv", LINKS),
            "transfers.csv": self.table("transfers.csv", TRANSFERS),
            "crossings.csv": self.table("crossings.csv", CROSSINGS),
            "services.csv": self.table("services.csv", SERVICES),
            "commodities.csv": self.table("commodities.csv", COMMODITIES),
            "emission_factors.csv": self.table("emission_factors.csv", EMISSION_FACTORS),
        }
        for file, rows in tables.items():
            self.check_provenance(file, rows, source_ids if manifest else None)
        if manifest:
            self.check_figure_sources("nodes.csv", tables["nodes.csv"], "coord_source", source_ids)
            self.check_figure_sources(
                "links.csv", tables["links.csv"], "distance_source", source_ids | {"geometry"}
            )

        commodities = self.commodities(tables["commodities.csv"])
        nodes = self.nodes(tables["nodes.csv"])
        links = self.links(tables["links.csv"], nodes, commodities)
        transfers = self.transfers(tables["transfers.csv"], nodes, links)
        crossings = self.crossings(tables["crossings.csv"], nodes, links, commodities)
        services = self.services(tables["services.csv"], links)
        factors = self.factors(tables["emission_factors.csv"], links, transfers)
        self.check_connected(nodes, links)
        geometry = read_geometry(
            self.folder, links, source_ids if manifest else None, self.problems
        )

        if self.problems or manifest is None:
            raise NetworkValidationError(str(self.folder), self.problems)
        return Network(
            manifest=manifest,
            nodes=tuple(nodes.values()),
            links=tuple(links.values()),
            transfers=tuple(transfers),
            crossings=tuple(crossings),
            services=tuple(services),
            commodities=tuple(commodities.values()),
            emission_factors=tuple(factors),
            geometry=MappingProxyType(geometry),
        )

    # -- manifest ---------------------------------------------------------------------------

    def manifest(self) -> Manifest | None:
        file = "manifest.toml"
        path = self.folder / file
        if not path.is_file():
            self.problem(file, None, None, None, "file is missing")
            return None
        try:
            data = load_toml(path.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            self.problem(file, None, None, None, f"not valid TOML: {exc}")
            return None
        before = len(self.problems)

        def need(table: dict[str, Any], key: str, kind: type, where: str = "") -> Any:
            value = table.get(key)
            ok = isinstance(value, kind) and not isinstance(value, bool)
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value, ok = float(value), True
            if not ok:
                self.problem(file, None, where + key, value, f"expected a {kind.__name__} value")
            elif isinstance(value, str):
                try:
                    text(value)
                except ValueError as exc:
                    self.problem(file, None, where + key, None, f"expected {exc}")
            elif isinstance(value, float) and not math.isfinite(value):
                self.problem(file, None, where + key, value, "expected a finite number")
            return value

        name = need(data, "name", str)
        version = need(data, "version", str)
        currency = need(data, "currency", str)
        year = need(data, "reference_year", int)
        description = data.get("description", "")
        cargo = data.get("cargo")
        if not isinstance(cargo, dict):
            self.problem(file, None, "cargo", None, "expected a [cargo] table")
            cargo = {}
        tonnes_per_teu = need(cargo, "tonnes_per_teu", float, "cargo.")
        teu_factor = need(cargo, "teu_cost_factor", float, "cargo.")
        if isinstance(description, str):
            if "description" in data:
                need(data, "description", str)
        else:
            self.problem(file, None, "description", description, "expected a str value")
        if isinstance(year, int) and not L.YEARS[0] <= year <= L.YEARS[1]:
            self.problem(file, None, "reference_year", year, "expected a year in 1970-2200")
        top = L.TONNES_PER_TEU[1]
        if isinstance(tonnes_per_teu, float) and not 0 < tonnes_per_teu <= top:
            self.problem(
                file, None, "cargo.tonnes_per_teu", tonnes_per_teu, f"expected 0 < x <= {top:g}"
            )
        if isinstance(teu_factor, float) and not 0 < teu_factor <= 1:
            self.problem(file, None, "cargo.teu_cost_factor", teu_factor, "expected 0 < x <= 1")
        payload: dict[str, float] = {}
        for key, default in PAYLOAD_DEFAULTS.items():
            limit = cargo.get(key, default)
            if isinstance(limit, bool) or not isinstance(limit, int | float) or not 0 < limit < 1e3:
                self.problem(file, None, f"cargo.{key}", limit, "expected tonnes, 0 < x < 1000")
            else:
                payload[key] = float(limit)

        sources: list[Source] = []
        raw_sources = data.get("sources")
        if not isinstance(raw_sources, list) or not raw_sources:
            self.problem(file, None, "sources", None, "expected at least one [[sources]] entry")
            raw_sources = []
        seen: set[str] = set()
        for i, entry in enumerate(raw_sources, start=1):
            where = f"sources[{i}]."
            if not isinstance(entry, dict):
                self.problem(file, None, f"sources[{i}]", entry, "expected a table")
                continue
            sid = need(entry, "id", str, where)
            title = need(entry, "title", str, where)
            syear = need(entry, "year", int, where)
            url, document = entry.get("url"), entry.get("document")
            if not isinstance(url, str) and not isinstance(document, str):
                self.problem(file, None, where + "url", None, "expected a url or a document")
            for key in ("url", "document"):
                if isinstance(entry.get(key), str):
                    need(entry, key, str, where)
            if isinstance(syear, int) and not L.SOURCE_YEARS[0] <= syear <= L.SOURCE_YEARS[1]:
                self.problem(file, None, where + "year", syear, "expected a year in 1800-2200")
            if isinstance(sid, str):
                if sid in seen:
                    self.problem(file, None, where + "id", sid, "duplicate source id")
                seen.add(sid)
            if all(isinstance(v, str) for v in (sid, title)) and isinstance(syear, int):
                sources.append(
                    Source(
                        sid,
                        title,
                        url if isinstance(url, str) else None,
                        document if isinstance(document, str) else None,
                        syear,
                    )
                )
        cargo_source = cargo.get("source")
        if isinstance(cargo_source, str):
            for sid in cargo_source.split(";"):
                if sid.strip() and sid.strip() not in seen:
                    self.problem(file, None, "cargo.source", sid, "unknown source id")
        if len(self.problems) > before:
            return None
        return Manifest(
            name=name,
            version=version,
            description=str(description),
            currency=currency,
            reference_year=year,
            tonnes_per_teu=tonnes_per_teu,
            teu_cost_factor=teu_factor,
            sources=tuple(sources),
            **payload,
        )

    def check_provenance(self, file: str, rows: list[Row], source_ids: set[str] | None) -> None:
        for row in rows:
            if source_ids is not None:
                for sid in row.values["source"]:
                    if sid not in source_ids:
                        self.problem(
                            file,
                            row.number,
                            "source",
                            sid,
                            "unknown source id; declare it in manifest.toml [[sources]]",
                        )
            if row.values["estimate"] and not row.values["note"]:
                self.problem(
                    file,
                    row.number,
                    "note",
                    None,
                    "an estimate must say in its note how it was estimated",
                )

    def check_figure_sources(
        self, file: str, rows: list[Row], column: str, known: set[str]
    ) -> None:
        """A figure's own source column names declared sources (or `geometry` for distances)."""
        for row in rows:
            for sid in row.values[column]:
                if sid not in known:
                    self.problem(
                        file,
                        row.number,
                        column,
                        sid,
                        "unknown source id; declare it in manifest.toml [[sources]]",
                    )

    @staticmethod
    def provenance(row: Row) -> Provenance:
        v = row.values
        return Provenance(tuple(v["source"]), bool(v["estimate"]), str(v["note"]))

    def unique(self, file: str, rows: Iterable[Row], column: str) -> list[Row]:
        """Rows whose `column` value is seen for the first time; duplicates are problems."""
        seen: set[Any] = set()
        kept = []
        for row in rows:
            key = row.values[column]
            if key in seen:
                self.problem(file, row.number, column, key, "duplicate id")
                continue
            seen.add(key)
            kept.append(row)
        return kept

    # -- tables -----------------------------------------------------------------------------

    def commodities(self, rows: list[Row]) -> dict[str, Commodity]:
        out = {}
        for row in self.unique("commodities.csv", rows, "commodity"):
            v = row.values
            out[v["commodity"]] = Commodity(
                v["commodity"],
                v["name"],
                v["unit"],
                v["border_class"],
                tuple(v["modes"]),
                self.provenance(row),
                reefer_kw_per_teu=v["reefer_kw_per_teu"] or 0.0,
                tariff_factors=self.tariff_factors(row),
            )
        return out

    def tariff_factors(self, row: Row) -> tuple[tuple[str, float], ...]:
        """`mode:factor` items of commodities.csv's `tariff_factors` column."""
        out = []
        for item in row.values["tariff_factors"]:
            mode, _, factor = str(item).partition(":")
            try:
                value = float(factor)
            except ValueError:
                value = -1.0
            if mode not in MODES or not 0.05 <= value <= 20.0:
                self.problem(
                    "commodities.csv",
                    row.number,
                    "tariff_factors",
                    item,
                    "expected mode:factor items (a mode of " + ", ".join(MODES) + ", 0.05-20)",
                )
                continue
            out.append((mode, value))
        return tuple(out)

    def nodes(self, rows: list[Row]) -> dict[str, Node]:
        out = {}
        for row in self.unique("nodes.csv", rows, "node_id"):
            v = row.values
            self.node_rows[v["node_id"]] = row.number
            out[v["node_id"]] = Node(
                v["node_id"],
                v["name"],
                tuple(v["aliases"]),
                v["country"],
                v["kind"],
                v["lat"],
                v["lon"],
                self.provenance(row),
                coord_source=tuple(v["coord_source"]),
            )
        return out

    def links(
        self, rows: list[Row], nodes: dict[str, Node], commodities: dict[str, Commodity]
    ) -> dict[str, Link]:
        file = "links.csv"
        out = {}
        for row in self.unique(file, rows, "link_id"):
            v = row.values
            n, ok = row.number, True
            for end in ("from_node", "to_node"):
                if v[end] not in nodes:
                    self.problem(
                        file, n, end, v[end], "unknown node id; expected an id of nodes.csv"
                    )
                    ok = False
            if v["from_node"] == v["to_node"]:
                self.problem(
                    file, n, "to_node", v["to_node"], "a link must join two different nodes"
                )
                ok = False
            mode = v["mode"]
            if mode == "rail" and v["gauge_mm"] is None:
                self.problem(file, n, "gauge_mm", None, "rail links need a track gauge")
                ok = False
            if mode != "rail" and v["gauge_mm"] is not None:
                self.problem(file, n, "gauge_mm", v["gauge_mm"], "only rail links have a gauge")
                ok = False
            speed, duration = v["speed_kmh"], v["duration_h"]
            if (speed is None) == (duration is None):
                self.problem(
                    file, n, "speed_kmh", speed, "give exactly one of speed_kmh and duration_h"
                )
                ok = False
            if mode in CONTAINER_MODES and v["tariff_usd_per_feu_km"] is None:
                self.problem(
                    file, n, "tariff_usd_per_feu_km", None, f"{mode} links need a price per FEU-km"
                )
                ok = False
            if mode == "pipeline" and v["tariff_usd_per_t_km"] is None:
                self.problem(
                    file, n, "tariff_usd_per_t_km", None, "pipelines need a price per tonne-km"
                )
                ok = False
            reverse_cap = v["capacity_reverse_teu_per_week"]
            if reverse_cap is not None and not v["bidirectional"]:
                self.problem(
                    file,
                    n,
                    "capacity_reverse_teu_per_week",
                    reverse_cap,
                    "a one-way link has no reverse direction; leave it empty or make the link "
                    "bidirectional",
                )
                ok = False
            listed = tuple(v["commodities"])
            if listed != ("*",):
                for c in listed:
                    if c not in commodities:
                        self.problem(
                            file,
                            n,
                            "commodities",
                            c,
                            "unknown commodity; expected '*' or ids of commodities.csv",
                        )
                        ok = False
            if ok and commodities:
                usable = [
                    c
                    for c in commodities.values()
                    if mode in c.modes and (listed == ("*",) or c.commodity in listed)
                ]
                if not usable:
                    self.problem(
                        file,
                        n,
                        "commodities",
                        ";".join(listed),
                        f"no commodity may use this {mode} link",
                    )
                    ok = False
            if not ok:
                continue
            hours = duration if duration is not None else v["distance_km"] / speed
            if not self.link_pace(n, mode, v["distance_km"], hours, speed):
                continue
            out[v["link_id"]] = Link(
                link_id=v["link_id"],
                from_node=v["from_node"],
                to_node=v["to_node"],
                mode=mode,
                gauge_mm=v["gauge_mm"],
                distance_km=v["distance_km"],
                duration_h=hours,
                bidirectional=v["bidirectional"],
                energy_carrier=v["energy_carrier"],
                tariff_usd_per_feu_km=v["tariff_usd_per_feu_km"] or 0.0,
                tariff_usd_per_feu=v["tariff_usd_per_feu"] or 0.0,
                tariff_usd_per_t_km=v["tariff_usd_per_t_km"] or 0.0,
                capacity_teu_per_week=v["capacity_teu_per_week"],
                capacity_t_per_week=v["capacity_t_per_week"],
                commodities=listed,
                passages=tuple(v["passages"]),
                provenance=self.provenance(row),
                distance_source=tuple(v["distance_source"]),
                status=v["status"],
                tariff_reverse_factor=v["tariff_reverse_factor"],
                capacity_reverse_teu_per_week=v["capacity_reverse_teu_per_week"],
            )
        return out

    def link_pace(
        self, n: int, mode: str, distance: float, hours: float, speed: float | None
    ) -> bool:
        """A link's average speed within its mode's limit and its time within a year."""
        fastest = L.MAX_SPEED_KMH.get(mode, max(L.MAX_SPEED_KMH.values()))
        column = "speed_kmh" if speed is not None else "duration_h"
        if distance / hours > fastest * (1 + 1e-9):
            shown = speed if speed is not None else hours
            self.problem(
                "links.csv", n, column, shown, f"faster than {fastest:g} km/h, the {mode} limit"
            )
            return False
        if hours > L.DURATION_H[1]:
            self.problem("links.csv", n, column, speed, f"slower than a year over {distance:g} km")
            return False
        return True

    def spread_ok(self, file: str, n: int, column: str, median: float, p90: float) -> bool:
        """A P90 within MAX_P90_RATIO times its median (a zero median has no spread)."""
        if median > 0 and p90 > median * L.MAX_P90_RATIO:
            self.problem(
                file, n, column, p90, f"expected at most {L.MAX_P90_RATIO:g} times the median"
            )
            return False
        return True

    def transfers(
        self, rows: list[Row], nodes: dict[str, Node], links: dict[str, Link]
    ) -> list[Transfer]:
        file = "transfers.csv"
        layers_at: dict[str, set[str]] = defaultdict(set)
        for link in links.values():
            layers_at[link.from_node].add(link.layer)
            layers_at[link.to_node].add(link.layer)
        out, seen = [], set()
        for row in rows:
            v, n, ok = row.values, row.number, True
            node = v["node_id"]
            if node not in nodes:
                self.problem(
                    file, n, "node_id", node, "unknown node id; expected an id of nodes.csv"
                )
                continue
            for col in ("from_layer", "to_layer"):
                if v[col] not in layers_at[node]:
                    have = ", ".join(sorted(layers_at[node])) or "none"
                    self.problem(
                        file,
                        n,
                        col,
                        v[col],
                        f"no link of this layer at {node} (layers there: {have})",
                    )
                    ok = False
            if v["kind"] == TRAIN_CHANGE:
                if v["from_layer"] != v["to_layer"]:
                    self.problem(
                        file,
                        n,
                        "to_layer",
                        v["to_layer"],
                        f"a train change joins a rail layer to itself; expected {v['from_layer']}",
                    )
                    ok = False
                elif not v["from_layer"].startswith("rail_"):
                    self.problem(
                        file, n, "from_layer", v["from_layer"], "a train change is on a rail layer"
                    )
                    ok = False
            elif v["from_layer"] == v["to_layer"]:
                self.problem(
                    file,
                    n,
                    "to_layer",
                    v["to_layer"],
                    "a transfer joins two different layers (only a train_change joins a layer "
                    "to itself)",
                )
                ok = False
            if v["kind"] == "gauge_change" and not (
                v["from_layer"].startswith("rail_") and v["to_layer"].startswith("rail_")
            ):
                self.problem(file, n, "kind", v["kind"], "a gauge change joins two rail layers")
                ok = False
            if v["duration_p90_h"] < v["duration_h"]:
                self.problem(
                    file, n, "duration_p90_h", v["duration_p90_h"], "expected >= duration_h"
                )
                ok = False
            elif not self.spread_ok(
                file, n, "duration_p90_h", v["duration_h"], v["duration_p90_h"]
            ):
                ok = False
            if not self.connection_ok(file, n, v, {x.country for x in nodes.values()}):
                ok = False
            key = (node, frozenset((v["from_layer"], v["to_layer"])))
            if key in seen:
                self.problem(
                    file,
                    n,
                    "to_layer",
                    v["to_layer"],
                    f"duplicate transfer between these layers at {node}",
                )
                ok = False
            seen.add(key)
            if ok:
                out.append(
                    Transfer(
                        node,
                        v["from_layer"],
                        v["to_layer"],
                        v["kind"],
                        v["duration_h"],
                        v["duration_p90_h"],
                        v["cost_usd_per_feu"],
                        v["cost_usd_per_t"] or 0.0,
                        self.provenance(row),
                        capacity_teu_per_week=v["capacity_teu_per_week"],
                        through_destinations=v["through_destinations"],
                        connection_h=v["connection_h"],
                        connection_p90_h=v["connection_p90_h"],
                        connection_usd_per_feu=v["connection_usd_per_feu"],
                    )
                )
        return out

    def connection_ok(self, file: str, n: int, v: Mapping[str, Any], countries: set[str]) -> bool:
        """A transfer's through countries are countries of the network, and its connection (the
        wait of a box bound elsewhere) is given exactly when it lists any."""
        through, wait, p90 = v["through_destinations"], v["connection_h"], v["connection_p90_h"]
        ok = True
        for code in sorted(set(through) - countries):
            self.problem(
                file, n, "through_destinations", code, "no node of nodes.csv is in this country"
            )
            ok = False
        if through and wait <= 0:
            self.problem(
                file,
                n,
                "connection_h",
                wait,
                "expected > 0: the wait for a connecting train of a box bound for a country "
                "not in through_destinations",
            )
            ok = False
        elif not through and (wait > 0 or p90 > 0 or v["connection_usd_per_feu"] > 0):
            self.problem(
                file,
                n,
                "through_destinations",
                "",
                "a connection applies to boxes bound outside these countries; list them "
                "(ISO2, ';'-separated)",
            )
            ok = False
        if p90 < wait:
            self.problem(file, n, "connection_p90_h", p90, "expected >= connection_h")
            ok = False
        return ok and self.spread_ok(file, n, "connection_p90_h", wait, p90)

    def crossings(
        self,
        rows: list[Row],
        nodes: dict[str, Node],
        links: dict[str, Link],
        commodities: dict[str, Commodity],
    ) -> list[CrossingRule]:
        file = "crossings.csv"
        classes = {"general"} | {c.border_class for c in commodities.values()}
        identity: dict[str, tuple[str, str]] = {}
        crossing_of_link: dict[str, str] = {}
        seen: set[tuple[str, str, str, str]] = set()
        out = []
        for row in rows:
            v, n, ok = row.values, row.number, True
            cid, lid = v["crossing_id"], v["link_id"]
            link = links.get(lid)
            if link is None:
                self.problem(
                    file, n, "link_id", lid, "unknown link id; expected an id of links.csv"
                )
                continue
            if v["direction"] == "reverse" and not link.bidirectional:
                self.problem(file, n, "direction", "reverse", f"link {lid} is one-way")
                ok = False
            if v["commodity_class"] not in classes:
                self.problem(
                    file,
                    n,
                    "commodity_class",
                    v["commodity_class"],
                    "expected 'general' or a border_class of commodities.csv: "
                    + ", ".join(sorted(classes)),
                )
                ok = False
            if v["dwell_p90_h"] < v["dwell_median_h"]:
                self.problem(file, n, "dwell_p90_h", v["dwell_p90_h"], "expected >= dwell_median_h")
                ok = False
            elif not self.spread_ok(file, n, "dwell_p90_h", v["dwell_median_h"], v["dwell_p90_h"]):
                ok = False
            first = identity.setdefault(cid, (lid, v["name"]))
            if first != (lid, v["name"]):
                self.problem(
                    file,
                    n,
                    "crossing_id",
                    cid,
                    f"rows of one crossing must share link and name ({first[0]}, {first[1]!r})",
                )
                ok = False
            other = crossing_of_link.setdefault(lid, cid)
            if other != cid:
                self.problem(file, n, "link_id", lid, f"link already belongs to crossing {other}")
                ok = False
            key = (cid, v["direction"], v["commodity_class"], v["traffic"])
            if key in seen:
                self.problem(
                    file,
                    n,
                    "commodity_class",
                    v["commodity_class"],
                    "duplicate row for this crossing, direction and class",
                )
                ok = False
            seen.add(key)
            if ok:
                out.append(
                    CrossingRule(
                        cid,
                        v["name"],
                        lid,
                        v["direction"],
                        v["commodity_class"],
                        v["dwell_median_h"],
                        v["dwell_p90_h"],
                        v["green_lane"],
                        v["fee_usd_per_feu"],
                        self.provenance(row),
                        traffic=v["traffic"],
                    )
                )
        general = {(r.link_id, r.direction) for r in out if r.commodity_class == "general"}
        for r in out:
            if (r.link_id, r.direction) not in general:
                self.problem(
                    file,
                    None,
                    "commodity_class",
                    r.crossing_id,
                    f"crossing {r.crossing_id} {r.direction} has no 'general' row",
                )
                general.add((r.link_id, r.direction))
        for link in links.values():
            if link.mode in ("sea", "pipeline"):
                continue
            if nodes[link.from_node].country == nodes[link.to_node].country:
                continue
            directions = ("forward", "reverse") if link.bidirectional else ("forward",)
            for d in directions:
                if (link.link_id, d) not in general:
                    a, b = nodes[link.from_node].country, nodes[link.to_node].country
                    if d == "reverse":
                        a, b = b, a
                    self.problem(
                        "crossings.csv",
                        None,
                        "link_id",
                        link.link_id,
                        f"link crosses the {a}->{b} border ({d}) but has no 'general' crossing row",
                    )
        return out

    def services(self, rows: list[Row], links: dict[str, Link]) -> list[Service]:
        file = "services.csv"
        out = []
        for row in self.unique(file, rows, "service_id"):
            v, n, ok = row.values, row.number, True
            link = links.get(v["link_id"])
            if link is None:
                self.problem(
                    file,
                    n,
                    "link_id",
                    v["link_id"],
                    "a service on a link that does not exist; expected an id of links.csv",
                )
                continue
            if v["direction"] != "forward" and not link.bidirectional:
                self.problem(
                    file, n, "direction", v["direction"], f"link {link.link_id} is one-way"
                )
                ok = False
            departures: list[float] = []
            if v["kind"] == "weekly":
                if not v["weekdays"]:
                    self.problem(
                        file, n, "weekdays", None, "weekly services need weekdays, e.g. Mon;Thu"
                    )
                    ok = False
                clock = self.clock(file, n, v["departure_utc"])
                if clock is None:
                    ok = False
                else:
                    departures = [WEEKDAYS.index(d) * 24.0 + clock for d in v["weekdays"]]
            else:
                headway, offset = v["headway_h"], v["offset_h"] or 0.0
                if headway is None:
                    self.problem(file, n, "headway_h", None, "headway services need headway_h")
                    ok = False
                elif abs(HOURS_PER_WEEK / headway - round(HOURS_PER_WEEK / headway)) > 1e-9:
                    self.problem(
                        file,
                        n,
                        "headway_h",
                        headway,
                        "expected a headway that divides 168 h (the timetable repeats weekly)",
                    )
                    ok = False
                elif offset >= headway:
                    self.problem(file, n, "offset_h", offset, "expected an offset below headway_h")
                    ok = False
                else:
                    count = round(HOURS_PER_WEEK / headway)
                    departures = [offset + i * headway for i in range(count)]
            if ok:
                out.append(
                    Service(
                        v["service_id"],
                        v["link_id"],
                        v["direction"],
                        v["kind"],
                        tuple(sorted(set(departures))),
                        v["operator"] or "",
                        self.provenance(row),
                        capacity_teu_per_week=v["capacity_teu_per_week"],
                    )
                )
        return out

    def clock(self, file: str, row: int, cell: str | None) -> float | None:
        parts = (cell or "").split(":")
        if len(parts) == 2 and all(p.isdigit() for p in parts):
            hours, minutes = int(parts[0]), int(parts[1])
            if hours < 24 and minutes < 60:
                return hours + minutes / 60.0
        self.problem(file, row, "departure_utc", cell, "expected a time of day HH:MM (UTC)")
        return None

    def factors(
        self, rows: list[Row], links: dict[str, Link], transfers: list[Transfer]
    ) -> list[EmissionFactor]:
        file = "emission_factors.csv"
        out, seen = [], set()
        for row in rows:
            v, n, ok = row.values, row.number, True
            activity = v["activity"]
            cols, names = {
                "move": (("wtw_g_per_tkm", "ttw_g_per_tkm"), MODES),
                "hub": (("wtw_g_per_t", "ttw_g_per_t"), HUB_CATEGORIES),
                "reefer": (("wtw_g_per_kwh", "ttw_g_per_kwh"), (*MODES, "terminal")),
            }[activity]
            if v["mode"] not in names:
                what = {"move": "a mode", "hub": "a hub category", "reefer": "a mode or terminal"}
                self.problem(
                    file,
                    n,
                    "mode",
                    v["mode"],
                    f"{activity} rows name {what[activity]}: " + ", ".join(names),
                )
                ok = False
            for col in cols:
                if v[col] is None:
                    self.problem(file, n, col, None, f"{activity} factors need {col}")
                    ok = False
            if ok and v[cols[1]] > v[cols[0]]:
                self.problem(
                    file, n, cols[1], v[cols[1]], "tank-to-wheel cannot exceed well-to-wheel"
                )
                ok = False
            if ok and v["ttw_g_per_vkm"] > v["wtw_g_per_vkm"]:
                self.problem(
                    file,
                    n,
                    "ttw_g_per_vkm",
                    v["ttw_g_per_vkm"],
                    "tank-to-wheel cannot exceed well-to-wheel",
                )
                ok = False
            key = (activity, v["mode"], v["energy_carrier"] if activity != "hub" else "-")
            if key in seen:
                self.problem(file, n, "energy_carrier", v["energy_carrier"], "duplicate factor")
                ok = False
            seen.add(key)
            if ok:
                out.append(
                    EmissionFactor(
                        activity,
                        v["mode"],
                        key[2],
                        v[cols[0]],
                        v[cols[1]],
                        self.provenance(row),
                        wtw_g_per_vkm=v["wtw_g_per_vkm"] or 0.0,
                        ttw_g_per_vkm=v["ttw_g_per_vkm"] or 0.0,
                        empty_share=v["empty_share"] or 0.0,
                    )
                )
        if not seen and links and not any(p.file == file for p in self.problems):
            self.problem(file, None, None, None, "no factor rows; every link needs a move factor")
        have = {(f.mode, f.energy_carrier) for f in out if f.activity == "move"}
        for link in links.values():
            if (link.mode, link.energy_carrier) not in have and seen:
                self.problem(
                    "links.csv",
                    None,
                    "energy_carrier",
                    link.energy_carrier,
                    f"link {link.link_id}: no move factor for ({link.mode}, {link.energy_carrier}) in emission_factors.csv",
                )
        hubs = {f.mode for f in out if f.activity == "hub"}
        for kind in sorted({t.kind for t in transfers} - hubs):
            if seen:
                self.problem(file, None, "mode", kind, f"no hub factor for transfer kind {kind}")
        return out

    def check_connected(self, nodes: dict[str, Node], links: dict[str, Link]) -> None:
        degree: Counter[str] = Counter()
        for link in links.values():
            degree[link.from_node] += 1
            degree[link.to_node] += 1
        for node in nodes.values():
            if degree[node.node_id] == 0:
                self.problem(
                    "nodes.csv",
                    self.node_rows.get(node.node_id),
                    "node_id",
                    node.node_id,
                    "disconnected node: no link starts or ends here",
                )


__all__ = ["BUNDLED", "bundled_path", "load_network", "validate_network"]
