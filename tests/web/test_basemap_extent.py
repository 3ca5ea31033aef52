"""The basemap reaches the Cape of Good Hope, so the Cape sea lanes are drawn over a coast."""

from __future__ import annotations

import json
from pathlib import Path

BASEMAP = Path(__file__).resolve().parents[2] / "src/corridor/web/static/basemap/countries.geojson"


def test_basemap_covers_the_cape_and_the_far_east() -> None:
    basemap = json.loads(BASEMAP.read_text(encoding="utf-8"))
    lon0, lat0, lon1, lat1 = basemap["bbox"]
    assert lat0 <= -35 and lon1 >= 140 and lat1 >= 70 and lon0 <= -15
    south_africa = next(f for f in basemap["features"] if f["properties"]["name"] == "South Africa")
    lats = [lat for poly in south_africa["geometry"]["coordinates"] for lon, lat in poly[0]]
    assert min(lats) < -34.3  # Cape Agulhas, 34.8 S
    names = {f["properties"]["name"] for f in basemap["features"]}
    assert {"Egypt", "Yemen", "India", "Sri Lanka", "Singapore", "Japan"} <= names
