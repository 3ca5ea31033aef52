"""README.md's network figures are the bundled network's (regenerate: `make readme-figures`)."""

from __future__ import annotations

import re
from pathlib import Path

import corridor

README = Path(__file__).resolve().parents[1] / "README.md"


def test_the_readmes_network_counts_are_the_bundled_networks(eurasia: corridor.Network) -> None:
    text = README.read_text(encoding="utf-8")
    found = re.search(
        r"\((\d+) nodes, (\d+) links, (\d+) border crossings, (\d+) scheduled services\)", text
    )
    assert found, "README.md no longer states the network's size; run `make readme-figures`"
    counted = (
        len(eurasia.nodes),
        len(eurasia.links),
        len(eurasia.crossing_ids),
        len(eurasia.services),
    )
    stated = tuple(int(x) for x in found.groups())
    assert stated == counted, f"README says {stated}, the network has {counted}: paste the "
    "output of `make readme-figures` into README.md"
