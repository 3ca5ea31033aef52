"""Finding nodes by id or name: case- and accent-insensitive, tolerant of typos.

A `PlaceIndex` is built once per network (`Network.places`): exact ids, names and aliases
and the words of every name are dictionary look-ups; only a query that none of them answers
goes to rapidfuzz's `process.extract` over the prebuilt list of spellings. Every answer says
how it was matched (`id`, `name`, `alias`, `words` or `fuzzy` with its score), so a caller can
echo what it understood.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal

import numpy as np
import numpy.typing as npt
from rapidfuzz import fuzz, process

from corridor.errors import AmbiguousPlaceError, CountryAsPlaceError, UnknownPlaceError
from corridor.network.countries import COUNTRY_NAMES, country_name

if TYPE_CHECKING:
    from corridor.network.model import Network
    from corridor.network.records import Node

# any script's letters and digits stay (Latin, Cyrillic, Persian, Georgian, Greek, ...)
_NON_WORD = re.compile(r"[\W_]+")
ACCEPT = 86.0  # fuzzy score from which a single best match is taken
SUGGEST = 60.0  # fuzzy score from which a node is offered as a suggestion
WORDS = 92.0  # score of a query whose words appear, in order, in a name or alias
GOOD_MATCH = ACCEPT  # `corridor places` calls a best result below this "no good match"
PREFILTER_ABOVE = 5_000  # spellings; larger networks prefilter fuzzy candidates (see _fuzzy)
PREFILTER_KEEP = 300
MatchKind = Literal["id", "name", "alias", "words", "fuzzy"]
# nodes a shipper names first when a country was given instead of a place
_HUB_KINDS = ("city", "sea_port", "dry_port", "terminal", "ferry_port")


def trigrams(key: str) -> list[str]:
    """Three-letter pieces of a padded spelling, the fuzzy prefilter's index terms.

    >>> trigrams("ala")
    ['  a', ' al', 'ala', 'la ']
    """
    padded = f"  {key} "
    return [padded[i : i + 3] for i in range(len(padded) - 2)]


def normalize(text: str) -> str:
    """Fold case, strip accents and punctuation.

    >>> normalize("Xi'an"), normalize("Łódź")
    ('xian', 'lodz')
    """
    folded = unicodedata.normalize("NFKD", text.casefold().replace("ł", "l"))
    plain = "".join(ch for ch in folded if not unicodedata.combining(ch))
    plain = plain.replace("'", "").replace("’", "")
    return _NON_WORD.sub(" ", plain).strip()


@dataclass(frozen=True)
class PlaceMatch:
    """A node found for a query: its score (100 exact), the spelling matched and how."""

    node: Node
    score: float
    matched: str
    how: MatchKind = "fuzzy"


@dataclass(frozen=True)
class ResolvedPlace:
    """What a place text was understood as: the node, and how it was matched."""

    query: str
    node_id: str
    name: str
    country: str
    how: MatchKind
    score: float

    def describe(self) -> str:
        """One phrase, e.g. `Frankfurt → Frankfurt (Oder) [DE_FFO, name]`.

        >>> ResolvedPlace("Brst", "BY_BRE", "Brest", "BY", "fuzzy", 88.9).describe()
        'Brst → Brest [BY_BRE, fuzzy 89]'
        """
        how = f"fuzzy {self.score:.0f}" if self.how == "fuzzy" else self.how
        if self.how == "id":
            return f"{self.name} [{self.node_id}]"
        return f"{self.query} → {self.name} [{self.node_id}, {how}]"

    def to_dict(self) -> dict[str, Any]:
        return {
            "query": self.query,
            "node_id": self.node_id,
            "name": self.name,
            "country": self.country,
            "matched_by": self.how,
            "score": round(self.score, 1),
        }


def place_keys(node: Node) -> tuple[str, ...]:
    """The normalized spellings under which a node is found (computed once per network)."""
    return tuple(key for key, _ in _keys(node))


def _keys(node: Node) -> list[tuple[str, MatchKind]]:
    spelled: list[tuple[str, MatchKind]] = [(node.name, "name")]
    spelled += [(a, "alias") for a in node.aliases]
    keys = [(normalize(text), how) for text, how in spelled]
    # a name's part before a bracket is how people write it: "Duisburg (duisport)" -> "duisburg"
    keys += [(normalize(text.split("(")[0]), how) for text, how in spelled if "(" in text]
    seen: dict[str, MatchKind] = {}
    for key, how in keys:
        if key and key not in seen:
            seen[key] = how
    return list(seen.items())


@dataclass(frozen=True, eq=False)
class PlaceIndex:
    """Look-up tables over a network's nodes, built once (`PlaceIndex.build`)."""

    nodes: tuple[Node, ...]
    ids: Mapping[str, int]  # casefolded node id -> node
    exact: Mapping[str, tuple[tuple[int, MatchKind], ...]]  # normalized spelling -> nodes
    words: Mapping[str, frozenset[int]]  # word -> positions in `choices` holding it
    choices: tuple[str, ...]  # every normalized spelling, for fuzzy search
    owners: tuple[int, ...]  # node of each choice
    kinds: tuple[MatchKind, ...]  # name or alias, for each choice
    countries: Mapping[str, str]  # normalized country name -> ISO2
    grams: Mapping[str, npt.NDArray[np.int32]]  # trigram -> choices holding it (large networks)

    @classmethod
    def build(cls, nodes: Sequence[Node]) -> PlaceIndex:
        exact: dict[str, list[tuple[int, MatchKind]]] = {}
        words: dict[str, set[int]] = {}
        choices: list[str] = []
        owners: list[int] = []
        kinds: list[MatchKind] = []
        for i, node in enumerate(nodes):
            for key, how in _keys(node):
                exact.setdefault(key, []).append((i, how))
                for word in key.split():
                    words.setdefault(word, set()).add(len(choices))
                choices.append(key)
                owners.append(i)
                kinds.append(how)
        countries = {normalize(name): iso for iso, names in COUNTRY_NAMES.items() for name in names}
        grams: dict[str, list[int]] = {}
        if len(choices) > PREFILTER_ABOVE:
            for c, key in enumerate(choices):
                for gram in set(trigrams(key)):
                    grams.setdefault(gram, []).append(c)
        return cls(
            nodes=tuple(nodes),
            ids=MappingProxyType({n.node_id.casefold(): i for i, n in enumerate(nodes)}),
            exact=MappingProxyType({k: tuple(v) for k, v in exact.items()}),
            words=MappingProxyType({k: frozenset(v) for k, v in words.items()}),
            choices=tuple(choices),
            owners=tuple(owners),
            kinds=tuple(kinds),
            countries=MappingProxyType(countries),
            grams=MappingProxyType({g: np.array(v, dtype=np.int32) for g, v in grams.items()}),
        )

    def find(self, query: str, limit: int = 10, *, fuzzy: bool = True) -> list[PlaceMatch]:
        """Nodes matching `query`, best first; exact id, name or alias matches score 100.

        `fuzzy=False` answers from the dictionaries alone (ids, spellings, words).
        """
        wanted = normalize(query)
        best: dict[int, PlaceMatch] = {}

        def offer(i: int, score: float, matched: str, how: MatchKind) -> None:
            current = best.get(i)
            if current is None or score > current.score:
                best[i] = PlaceMatch(self.nodes[i], score, matched, how)

        node = self.ids.get(query.strip().casefold())
        if node is not None:
            offer(node, 100.0, self.nodes[node].node_id, "id")
        if not wanted:
            return list(best.values())
        for i, how in self.exact.get(wanted, ()):
            offer(i, 100.0, wanted, how)
        for c in self._containing(wanted):
            offer(self.owners[c], WORDS, self.choices[c], "words")
        if fuzzy and (not best or max(m.score for m in best.values()) < 100.0 or len(best) < limit):
            for c, score in self._fuzzy(wanted, max(limit * 3, 20)):
                offer(self.owners[c], min(score, 99.0), self.choices[c], "fuzzy")
        ranked = sorted(best.values(), key=lambda m: (-m.score, m.node.node_id))
        return ranked[:limit]

    def _fuzzy(self, wanted: str, limit: int) -> list[tuple[int, float]]:
        """(choice, WRatio score) of the best fuzzy matches. Over `PREFILTER_ABOVE` spellings,
        the trigram index first keeps the few hundred spellings sharing most trigrams with the
        query, and WRatio ranks those (no pass over every spelling)."""
        pool: list[int] | None = None
        if self.grams:
            postings = [self.grams[g] for g in set(trigrams(wanted)) if g in self.grams]
            if not postings:
                return []
            shared = np.bincount(np.concatenate(postings), minlength=len(self.choices))
            keep = min(PREFILTER_KEEP, len(shared))
            top = np.argpartition(-shared, keep - 1)[:keep]
            pool = [int(c) for c in top if shared[c] > 0]
        choices = self.choices if pool is None else [self.choices[c] for c in pool]
        found = process.extract(
            wanted, choices, scorer=fuzz.WRatio, limit=limit, score_cutoff=SUGGEST
        )
        return [(c if pool is None else pool[c], float(score)) for _, score, c in found]

    def _containing(self, wanted: str) -> list[int]:
        """Choices in which the query's words appear in order, as whole words."""
        parts = wanted.split()
        sets = [self.words.get(w) for w in parts]
        if not sets or any(s is None for s in sets):
            return []
        common = frozenset.intersection(*(s for s in sets if s is not None))
        padded = f" {wanted} "
        return sorted(
            c for c in common if self.choices[c] != wanted and padded in f" {self.choices[c]} "
        )

    def country_of(self, query: str) -> str | None:
        """The ISO2 code when `query` is a country's name (and no node's own name or id)."""
        wanted = normalize(query)
        iso = self.countries.get(wanted)
        if iso is None or query.strip().casefold() in self.ids:
            return None
        if any(how == "name" for _, how in self.exact.get(wanted, ())):
            return None  # a node named like a country (a city state) is meant
        return iso

    def hubs_in(self, iso2: str, limit: int = 5) -> list[Node]:
        """Nodes of a country, cities and ports first (what to offer instead of a country)."""
        inside = [n for n in self.nodes if n.country == iso2]
        rank = {kind: i for i, kind in enumerate(_HUB_KINDS)}
        inside.sort(key=lambda n: (rank.get(n.kind, len(rank)), n.name))
        return inside[:limit]


def find_places(network: Network, query: str, limit: int = 10) -> list[PlaceMatch]:
    """Nodes matching `query`, best first. Exact id, name or alias matches score 100.

    >>> import corridor
    >>> net = corridor.load_network()
    >>> [(m.node.node_id, m.how) for m in find_places(net, "Aktau", limit=1)]
    [('KZ_AKU', 'alias')]
    """
    return network.places.find(query, limit)


def resolve_match(network: Network, query: str) -> ResolvedPlace:
    """The one node a user means by `query` and how it was matched, or a typed error.

    Raises `CountryAsPlaceError` for a country's name (listing nodes there),
    `UnknownPlaceError` when nothing matches well (score below 86, with the nearest choices)
    and `AmbiguousPlaceError` when several nodes match about equally well.

    >>> import corridor
    >>> net = corridor.load_network()
    >>> resolve_match(net, "Jining").describe()
    'Jining → Jining (Ulanqab) [CN_JNG, name]'
    """
    index = network.places
    if query in network.node_index:
        node = network.node(query)
        return ResolvedPlace(query, node.node_id, node.name, node.country, "id", 100.0)
    iso = index.country_of(query)
    if iso is not None:
        hubs = index.hubs_in(iso)
        raise CountryAsPlaceError(
            query, iso, country_name(iso), [f"{n.name} ({n.node_id})" for n in hubs]
        )
    exact = index.find(query, limit=8, fuzzy=False)
    if len(exact) == 1 and exact[0].score >= 100.0:  # one exact match: no fuzzy search needed
        m = exact[0]
        return ResolvedPlace(query, m.node.node_id, m.node.name, m.node.country, m.how, m.score)
    matches = index.find(query, limit=8)
    if not matches or matches[0].score < ACCEPT:
        raise UnknownPlaceError(query, [f"{m.node.name} ({m.node.node_id})" for m in matches[:3]])
    top = matches[0].score
    tied = [m for m in matches if m.score >= top - (0.0 if top >= 100 else 3.0)]
    if len(tied) > 1:
        raise AmbiguousPlaceError(query, [f"{m.node.node_id} ({m.node.name})" for m in tied])
    m = matches[0]
    return ResolvedPlace(query, m.node.node_id, m.node.name, m.node.country, m.how, m.score)


def resolve_place(network: Network, query: str) -> Node:
    """The one node a user means by `query`, or a typed error listing what it could be."""
    return network.node(resolve_match(network, query).node_id)


def suggest_codes(wanted: str, codes: Iterable[str]) -> list[str]:
    """Codes of `codes` nearest to `wanted` (same first letter, then the rest), with names.

    >>> suggest_codes("KX", ["KZ", "DE", "CN"])
    ['KZ (Kazakhstan)', 'CN (China)', 'DE (Germany)']
    """
    ranked = sorted(
        codes,
        key=lambda c: (-fuzz.ratio(c, wanted) - (50 if c[:1] == wanted[:1] else 0), c),
    )
    return [f"{c} ({country_name(c)})" for c in ranked]
