"""Finding nodes by id or name: case- and accent-insensitive, tolerant of typos."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import TYPE_CHECKING

from rapidfuzz import fuzz, process

from corridor.errors import AmbiguousPlaceError, UnknownPlaceError

if TYPE_CHECKING:
    from corridor.network.model import Network
    from corridor.network.records import Node

_NON_WORD = re.compile(r"[^0-9a-z\u0400-\u04ff\u4e00-\u9fff]+")
ACCEPT = 86.0  # fuzzy score above which a single best match is taken
SUGGEST = 60.0


def normalize(text: str) -> str:
    """Fold case, strip accents and punctuation: "Xi'an" -> "xian", "Łódź" -> "lodz"."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("ł", "l"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    plain = plain.replace("'", "").replace("’", "")
    return _NON_WORD.sub(" ", plain).strip()


@dataclass(frozen=True)
class PlaceMatch:
    node: Node
    score: float
    matched: str


def place_keys(node: Node) -> tuple[str, ...]:
    """The normalized spellings under which a node is found (computed once per network)."""
    return tuple(_keys(node))


def _keys(node: Node) -> list[str]:
    names = [node.name, *node.aliases]
    keys = [normalize(n) for n in names]
    # a name's part before a bracket is how people write it: "Duisburg (duisport)" -> "duisburg"
    keys += [normalize(n.split("(")[0]) for n in names if "(" in n]
    return [k for k in dict.fromkeys(keys) if k]


def find_places(network: Network, query: str, limit: int = 10) -> list[PlaceMatch]:
    """Nodes matching `query`, best first. Exact id or name matches score 100."""
    wanted = normalize(query)
    if not wanted:
        return []
    best: dict[str, PlaceMatch] = {}

    def offer(node: Node, score: float, matched: str) -> None:
        current = best.get(node.node_id)
        if current is None or score > current.score:
            best[node.node_id] = PlaceMatch(node, score, matched)

    choices: list[str] = []
    owners: list[Node] = []
    for node, keys in zip(network.nodes, network.place_keys, strict=True):
        if node.node_id.casefold() == query.strip().casefold():
            offer(node, 100.0, node.node_id)
        for key in keys:
            if key == wanted:
                offer(node, 100.0, key)
            elif key.startswith(wanted + " ") or f" {wanted} " in f" {key} ":
                offer(node, 92.0, key)
            choices.append(key)
            owners.append(node)
    for key, score, i in process.extract(
        wanted, choices, scorer=fuzz.WRatio, limit=max(limit * 3, 20), score_cutoff=SUGGEST
    ):
        offer(owners[i], float(score), key)
    ranked = sorted(best.values(), key=lambda m: (-m.score, m.node.node_id))
    return ranked[:limit]


def resolve_place(network: Network, query: str) -> Node:
    """The one node a user means by `query`, or a typed error listing what it could be."""
    if query in network.node_index:
        return network.nodes[network.node_index[query]]
    matches = find_places(network, query, limit=8)
    if not matches or matches[0].score < ACCEPT:
        raise UnknownPlaceError(query, [f"{m.node.name} ({m.node.node_id})" for m in matches[:3]])
    top = matches[0].score
    tied = [m for m in matches if m.score >= top - (0.0 if top >= 100 else 3.0)]
    if len(tied) > 1:
        raise AmbiguousPlaceError(query, [f"{m.node.node_id} ({m.node.name})" for m in tied])
    return matches[0].node
