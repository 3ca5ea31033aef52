#!/usr/bin/env bash
# Rebuild the web planner's vendored files from the npm registry, so their provenance is
# reproducible. The built files are committed: at run time the page needs no network at all.
#
#   scripts/vendor-web.sh          # needs node + npm and access to registry.npmjs.org
#
# It writes, under src/corridor/web/static/:
#   vendor/leaflet/   Leaflet's dist files (leaflet.js, .map, leaflet.css, images/) and LICENSE
#   vendor/swagger-ui/ swagger-ui-dist's bundle, CSS, favicon, LICENSE and NOTICE (for /docs)
#   basemap/          countries.geojson: Natural Earth 1:50m admin-0 countries (world-atlas
#                     TopoJSON -> GeoJSON with topojson-client's topo2geo), clipped to the
#                     corridor's region and rounded to 0.01 degree, plus the licences.
# Re-running it with the same versions gives the same files.
set -euo pipefail

LEAFLET_VERSION=1.9.4
SWAGGER_UI_VERSION=5.35.0
WORLD_ATLAS_VERSION=2.0.2
TOPOJSON_CLIENT_VERSION=3.1.0
# The region kept from the world map: lon_min lat_min lon_max lat_max (degrees); it reaches
# the Cape of Good Hope (34.4°S) so that the sea lanes round Africa lie over a drawn coast.
BBOX="-20 -40 150 72"

root=$(cd "$(dirname "$0")/.." && pwd)
static="$root/src/corridor/web/static"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

cd "$work"
npm init -y >/dev/null
npm install --silent --no-audit --no-fund --ignore-scripts \
    "leaflet@$LEAFLET_VERSION" "world-atlas@$WORLD_ATLAS_VERSION" \
    "topojson-client@$TOPOJSON_CLIENT_VERSION" "swagger-ui-dist@$SWAGGER_UI_VERSION"

# --- Leaflet -------------------------------------------------------------------------------
leaflet="$static/vendor/leaflet"
rm -rf "$leaflet"
mkdir -p "$leaflet/images"
cp node_modules/leaflet/dist/leaflet.js node_modules/leaflet/dist/leaflet.js.map \
    node_modules/leaflet/dist/leaflet.css "$leaflet/"
cp node_modules/leaflet/dist/images/*.png "$leaflet/images/"
cp node_modules/leaflet/LICENSE "$leaflet/LICENSE"

# --- Swagger UI, served at /docs without a CDN ----------------------------------------------
swagger="$static/vendor/swagger-ui"
rm -rf "$swagger"
mkdir -p "$swagger"
for f in swagger-ui-bundle.js swagger-ui-bundle.js.LICENSE.txt swagger-ui.css favicon-32x32.png \
    LICENSE NOTICE; do
    cp "node_modules/swagger-ui-dist/$f" "$swagger/"
done

# --- basemap: Natural Earth countries -------------------------------------------------------
basemap="$static/basemap"
mkdir -p "$basemap"
node_modules/.bin/topo2geo countries=countries-world.geojson \
    < node_modules/world-atlas/countries-50m.json

cat > clip.js <<'JS'
// Clip every country polygon to a lon/lat box (Sutherland-Hodgman against each side; the
// box is convex, so this is exact for filled areas) and round coordinates to 0.01 degree.
const fs = require("fs");
const [input, output, x0, y0, x1, y1] = process.argv.slice(2);
const box = [Number(x0), Number(y0), Number(x1), Number(y1)];
const sides = [
  [(p) => p[0] >= box[0], (a, b) => cut(a, b, 0, box[0])],
  [(p) => p[0] <= box[2], (a, b) => cut(a, b, 0, box[2])],
  [(p) => p[1] >= box[1], (a, b) => cut(a, b, 1, box[1])],
  [(p) => p[1] <= box[3], (a, b) => cut(a, b, 1, box[3])],
];
function cut(a, b, axis, value) {
  const t = (value - a[axis]) / (b[axis] - a[axis]);
  const p = [a[0] + t * (b[0] - a[0]), a[1] + t * (b[1] - a[1])];
  p[axis] = value;
  return p;
}
function clipRing(ring) {
  let points = ring.slice(0, -1);
  for (const [inside, intersect] of sides) {
    const next = [];
    for (let i = 0; i < points.length; i++) {
      const cur = points[i];
      const prev = points[(i + points.length - 1) % points.length];
      if (inside(cur)) {
        if (!inside(prev)) next.push(intersect(prev, cur));
        next.push(cur);
      } else if (inside(prev)) {
        next.push(intersect(prev, cur));
      }
    }
    points = next;
    if (points.length === 0) return null;
  }
  const rounded = [];
  for (const p of points) {
    const q = [Math.round(p[0] * 100) / 100, Math.round(p[1] * 100) / 100];
    const last = rounded[rounded.length - 1];
    if (!last || last[0] !== q[0] || last[1] !== q[1]) rounded.push(q);
  }
  if (rounded.length < 3) return null;
  rounded.push(rounded[0]);
  return rounded;
}
function clipPolygon(rings) {
  const outer = clipRing(rings[0]);
  if (!outer) return null;
  return [outer, ...rings.slice(1).map(clipRing).filter(Boolean)];
}
const world = JSON.parse(fs.readFileSync(input, "utf8"));
const features = [];
for (const f of world.features) {
  if (!f.geometry) continue;
  const polygons = f.geometry.type === "Polygon" ? [f.geometry.coordinates] : f.geometry.coordinates;
  const kept = polygons.map(clipPolygon).filter(Boolean);
  if (kept.length === 0) continue;
  features.push({
    type: "Feature",
    id: f.id,
    properties: { name: f.properties.name },
    geometry: { type: "MultiPolygon", coordinates: kept },
  });
}
features.sort((a, b) => String(a.id).localeCompare(String(b.id)) || a.properties.name.localeCompare(b.properties.name));
const collection = {
  type: "FeatureCollection",
  source: "Natural Earth 1:50m Admin 0 countries v4.1.0 via world-atlas (public domain)",
  bbox: box,
  features,
};
fs.writeFileSync(output, JSON.stringify(collection) + "\n");
JS
# shellcheck disable=SC2086
node clip.js countries-world.geojson "$basemap/countries.geojson" $BBOX
cp node_modules/world-atlas/LICENSE "$basemap/LICENSE-world-atlas"

echo "vendored leaflet@$LEAFLET_VERSION, swagger-ui-dist@$SWAGGER_UI_VERSION and world-atlas@$WORLD_ATLAS_VERSION countries-50m into $static"
ls -l "$leaflet" "$basemap"
