"""The web planner's files: all local, a valid cropped basemap, colours with enough contrast."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from corridor.web import static_dir

STATIC = static_dir()
ROOT_VARS = re.compile(r"--([a-z0-9-]+):\s*(#[0-9a-fA-F]{6})\s*;")


class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for name, value in attrs:
            if name in ("src", "href") and value is not None:
                self.urls.append(value)


def _colours() -> dict[str, str]:
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    root = css[css.index(":root {") : css.index("}", css.index(":root {"))]
    return dict(ROOT_VARS.findall(root))


def _luminance(hex_colour: str) -> float:
    # WCAG 2.1 relative luminance of an sRGB colour
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula_matches_wcag_reference_values() -> None:
    assert _contrast("#000000", "#ffffff") == pytest.approx(21.0)
    assert _contrast("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert _contrast("#ffffff", "#ffffff") == pytest.approx(1.0)


def test_static_dir_holds_the_page_its_vendored_leaflet_and_the_licences() -> None:
    for name in (
        "index.html",
        "app.js",
        "app.css",
        "vendor/leaflet/leaflet.js",
        "vendor/leaflet/leaflet.css",
        "vendor/leaflet/LICENSE",
        "vendor/README.md",
        "basemap/countries.geojson",
        "basemap/LICENSE-world-atlas",
        "basemap/README.md",
    ):
        assert (STATIC / name).is_file(), name
    assert 'version="1.9.4"' in (STATIC / "vendor/leaflet/leaflet.js").read_text(encoding="utf-8")


def test_the_page_references_only_files_it_ships() -> None:
    parser = _References()
    parser.feed((STATIC / "index.html").read_text(encoding="utf-8"))
    assert parser.urls, "index.html references its script and style"
    for url in parser.urls:
        assert url.startswith("/static/") or url.startswith("data:"), url
        if url.startswith("/static/"):
            assert (STATIC / url.removeprefix("/static/")).is_file(), url
    svg_namespace = "http://www.w3.org/2000/svg"
    for name in ("app.js", "app.css", "vendor/leaflet/leaflet.css"):
        text = (STATIC / name).read_text(encoding="utf-8").replace(svg_namespace, "")
        text = re.sub(r"/\*.*?\*/", "", text, flags=re.DOTALL)  # links in comments load nothing
        assert not re.search(r"(https?:)?//[a-z0-9.-]+\.[a-z]{2,}/", text), name
        assert "@import" not in text, name


def test_leaflet_css_images_are_vendored() -> None:
    css = (STATIC / "vendor/leaflet/leaflet.css").read_text(encoding="utf-8")
    images = re.findall(r"url\((images/[^)]+)\)", css)
    assert images
    for image in images:
        assert (STATIC / "vendor/leaflet" / image).is_file(), image


def test_basemap_is_natural_earth_countries_cropped_to_the_region_under_a_megabyte() -> None:
    path = STATIC / "basemap" / "countries.geojson"
    assert path.stat().st_size < 1_000_000
    basemap = json.loads(path.read_text(encoding="utf-8"))
    assert basemap["type"] == "FeatureCollection"
    lon0, lat0, lon1, lat1 = basemap["bbox"]
    names = set()
    for feature in basemap["features"]:
        names.add(feature["properties"]["name"])
        assert feature["geometry"]["type"] == "MultiPolygon"
        for polygon in feature["geometry"]["coordinates"]:
            for ring in polygon:
                assert len(ring) >= 4
                assert ring[0] == ring[-1]
                for lon, lat in ring:
                    assert lon0 <= lon <= lon1
                    assert lat0 <= lat <= lat1
    # every country the bundled network passes through is on the map
    for country in ("China", "Kazakhstan", "Russia", "Azerbaijan", "Georgia", "Turkey", "Germany"):
        assert country in names
    assert "Brazil" not in names  # cropped to the corridor's region


def test_text_colours_meet_wcag_aa_on_their_backgrounds() -> None:
    c = _colours()
    text_pairs = [
        ("ink", "bg"),
        ("ink", "panel"),
        ("muted", "panel"),
        ("muted", "bg"),
        ("muted", "accent-soft"),
        ("ink", "accent-soft"),
        ("accent-ink", "accent"),
        ("danger", "panel"),
        ("accent", "panel"),
        *[(f"kind-{kind}", "panel") for kind in ("move", "wait", "transfer", "border")],
    ]
    for fg, bg in text_pairs:
        assert _contrast(c[fg], c[bg]) >= 4.5, (fg, bg, round(_contrast(c[fg], c[bg]), 2))


def test_map_colours_stand_out_from_land_and_sea() -> None:
    c = _colours()
    lines = [name for name in c if name.startswith(("mode-", "route-"))] + ["crossing", "hub-line"]
    assert len([n for n in lines if n.startswith("mode-")]) == 5
    for name in lines:
        for ground in ("land", "sea"):
            # WCAG 1.4.11: graphics need 3:1 against what is next to them
            assert _contrast(c[name], c[ground]) >= 3.0, (name, ground)


def test_route_colours_are_told_apart_from_each_other() -> None:
    c = _colours()
    routes = [c[f"route-{i}"] for i in range(1, 9)]
    assert len(set(routes)) == 8

    def rgb(h: str) -> tuple[int, int, int]:
        return (int(h[1:3], 16), int(h[3:5], 16), int(h[5:7], 16))

    for i, a in enumerate(routes):
        for b in routes[i + 1 :]:
            distance = sum((x - y) ** 2 for x, y in zip(rgb(a), rgb(b), strict=True)) ** 0.5
            assert distance > 60, (a, b)
