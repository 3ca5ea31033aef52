// corridor web planner: the network on a shipped basemap, a query form whose state lives in the
// URL, the Pareto routes on the map, in a list and a chart, the chosen route's leg timeline,
// and saved shipments. Plain ES module over the JSON API under /api; Leaflet is vendored.

const $ = (id) => document.getElementById(id);
const style = getComputedStyle(document.documentElement);
const cssVar = (name) => style.getPropertyValue(name).trim();

const MODES = ["rail", "road", "sea", "ferry", "pipeline"];
const KINDS = ["move", "wait", "transfer", "border"];
const ROUTE_COLOURS = [1, 2, 3, 4, 5, 6, 7, 8].map((i) => cssVar(`--route-${i}`));
const HUB_KINDS = new Set(["terminal", "sea_port", "ferry_port", "dry_port", "city", "border_station"]);
const NUMBER = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });
const ONE_DECIMAL = new Intl.NumberFormat("en-US", { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const TWO_DECIMALS = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

const state = {
  map: null,
  nodes: new Map(), // node id -> {name, country, kind, lat, lon}
  networkLayer: null,
  routeLayer: null,
  routeLines: [],
  query: null, // the POST /api/routes body of what is shown
  routes: [],
  chosen: 0,
  shipment: null, // the saved shipment being shown, if any
  submittedAt: 0,
};

// --- API ---------------------------------------------------------------------------------

class ApiError extends Error {
  constructor(message, field, status) {
    super(message);
    this.field = field;
    this.status = status;
  }
}

async function api(path, { method = "GET", body } = {}) {
  const response = await fetch(path, {
    method,
    headers: body === undefined ? { Accept: "application/json" } : { Accept: "application/json", "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (!response.ok) {
    let problem = {};
    try {
      problem = await response.json();
    } catch {
      // not JSON: fall back to the status line
    }
    let detail = problem.detail ?? problem.title ?? `${response.status} ${response.statusText}`;
    if (Array.isArray(detail)) detail = detail.map((d) => d.msg ?? String(d)).join("; ");
    throw new ApiError(String(detail), problem.field, response.status);
  }
  return response.status === 204 ? null : response.json();
}

// --- map -----------------------------------------------------------------------------------

function initMap() {
  const map = L.map("map", { zoomSnap: 0.25, minZoom: 2, maxZoom: 11, worldCopyJump: false });
  map.attributionControl.setPrefix(false);
  map.attributionControl.addAttribution("Basemap: Natural Earth · Map: Leaflet");
  for (const [pane, z] of [["basemap", 200], ["network", 410], ["routes", 420], ["hubs", 430]]) {
    map.createPane(pane).style.zIndex = String(z);
  }
  map.fitBounds([[27, 2], [58, 124]]);
  new ResizeObserver(() => map.invalidateSize()).observe($("map"));
  legend().addTo(map);
  state.map = map;
}

async function loadBasemap() {
  const response = await fetch("/static/basemap/countries.geojson");
  const countries = await response.json();
  L.geoJSON(countries, {
    pane: "basemap",
    interactive: false,
    style: {
      fillColor: cssVar("--land"),
      fillOpacity: 1,
      color: cssVar("--country-line"),
      weight: 0.7,
      className: "basemap-country",
    },
  }).addTo(state.map);
  $("map").dataset.basemap = String(countries.features.length);
}

function modeStyle(mode) {
  return {
    color: cssVar(`--mode-${mode}`) || cssVar("--ink"),
    weight: mode === "sea" ? 2 : 2.5,
    opacity: 0.9,
    dashArray: mode === "pipeline" ? "6 4" : mode === "sea" || mode === "ferry" ? "2 5" : null,
    lineCap: "round",
  };
}

async function loadNetwork() {
  const collection = await api("/api/network");
  const links = [];
  const crossings = [];
  const hubs = [];
  for (const feature of collection.features) {
    const p = feature.properties;
    if (p.kind === "node") {
      const [lon, lat] = feature.geometry.coordinates;
      state.nodes.set(p.id, { name: p.name, country: p.country, kind: p.node_kind, lat, lon });
      if (HUB_KINDS.has(p.node_kind)) hubs.push(feature);
    } else if (p.kind === "link") {
      links.push(feature);
      if (p.crossing) crossings.push(feature);
    }
  }
  const group = L.layerGroup();
  L.geoJSON(links, {
    pane: "network",
    style: (f) => ({ ...modeStyle(f.properties.mode), className: `net-link mode-${f.properties.mode}` }),
    onEachFeature: (f, layer) => {
      const p = f.properties;
      layer.bindTooltip(
        escapeHtml(`${p.mode} · ${nodeName(p.from)} – ${nodeName(p.to)} · ${NUMBER.format(p.distance_km)} km`),
        { sticky: true },
      );
    },
  }).addTo(group);
  for (const f of hubs) {
    const [lon, lat] = f.geometry.coordinates;
    const p = f.properties;
    L.circleMarker([lat, lon], {
      pane: "hubs",
      radius: p.node_kind === "border_station" ? 3 : 4.5,
      color: cssVar("--hub-line"),
      weight: 1.5,
      fillColor: cssVar("--hub"),
      fillOpacity: 1,
      className: "hub",
    })
      .bindTooltip(escapeHtml(`${p.name} (${p.country}) · ${p.node_kind.replace("_", " ")}`))
      .addTo(group);
  }
  const icon = L.divIcon({ className: "crossing-icon", iconSize: [10, 10] });
  for (const f of crossings) {
    const [lon, lat] = f.geometry.coordinates[Math.floor(f.geometry.coordinates.length / 2)];
    L.marker([lat, lon], { icon, pane: "hubs", keyboard: false })
      .bindTooltip(escapeHtml(`border crossing ${f.properties.crossing} (${f.properties.mode})`))
      .addTo(group);
  }
  group.addTo(state.map);
  state.networkLayer = group;
  $("map").dataset.links = String(links.length);
}

function legend() {
  const control = L.control({ position: "topright" });
  control.onAdd = () => {
    const div = L.DomUtil.create("div", "legend");
    div.id = "legend";
    div.dataset.testid = "legend";
    const line = (colour, dash, width = 3) =>
      `<svg width="28" height="10" aria-hidden="true"><line x1="1" y1="5" x2="27" y2="5" stroke="${colour}" stroke-width="${width}" stroke-linecap="round"${dash ? ` stroke-dasharray="${dash}"` : ""}/></svg>`;
    const rows = MODES.map((m) => {
      const s = modeStyle(m);
      return `<div class="item">${line(s.color, s.dashArray)}${m}</div>`;
    });
    rows.push(
      `<div class="item"><svg width="28" height="10" aria-hidden="true"><circle cx="14" cy="5" r="4" fill="${cssVar("--hub")}" stroke="${cssVar("--hub-line")}" stroke-width="1.5"/></svg>hub</div>`,
      `<div class="item"><span style="width:28px;display:inline-flex;justify-content:center"><span class="crossing-icon" style="display:inline-block"></span></span>border crossing</div>`,
      `<div class="item">${line(ROUTE_COLOURS[0], null, 5)}Pareto route</div>`,
      `<div class="item">${line(ROUTE_COLOURS[0], "7 5", 4)}alternative</div>`,
    );
    div.innerHTML = `<h3>Legend</h3>${rows.join("")}`;
    L.DomEvent.disableClickPropagation(div);
    return div;
  };
  return control;
}

// --- names and formats ---------------------------------------------------------------------

function nodeName(id) {
  return state.nodes.get(id)?.name ?? id;
}

function shortTime(iso) {
  // "2026-12-01T02:00:00Z" -> "12-01 02:00"
  return `${iso.slice(5, 10)} ${iso.slice(11, 16)}`;
}

function routeColour(index) {
  return ROUTE_COLOURS[index % ROUTE_COLOURS.length];
}

// --- the form, its request body and the URL ------------------------------------------------

function placeValue(input) {
  const id = input.dataset.nodeId;
  return id && input.value === input.dataset.label ? id : input.value.trim();
}

function setPlace(input, value) {
  const node = state.nodes.get(value);
  if (node) {
    input.value = node.name;
    input.dataset.nodeId = value;
    input.dataset.label = node.name;
  } else {
    input.value = value ?? "";
    delete input.dataset.nodeId;
    delete input.dataset.label;
  }
}

function splitList(text) {
  return text
    .split(/[,;\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

function readForm() {
  const form = $("query-form");
  const checked = (name) => [...form.querySelectorAll(`input[name="${name}"]:checked`)].map((i) => i.value);
  const body = {
    origin: placeValue($("origin")),
    destination: placeValue($("destination")),
    containers: Number($("containers").value || 1),
    size_ft: Number($("size").value),
    commodity: $("commodity").value,
    avoid_countries: splitList($("avoid-countries").value.toUpperCase()),
    avoid_modes: checked("avoid_modes"),
    avoid: $("avoid").value.split(/[,;]/).map((s) => s.trim()).filter(Boolean),
    criteria: checked("criteria"),
    alternatives: Number($("alternatives").value === "" ? 3 : $("alternatives").value),
    all_routes: $("all-routes").checked,
  };
  if ($("depart").value) body.depart = `${$("depart").value.slice(0, 16)}:00Z`;
  if ($("deadline").value) body.deadline = `${$("deadline").value.slice(0, 16)}:00Z`;
  if ($("tonnes").value !== "") body.tonnes = Number($("tonnes").value);
  if ($("max-transfers").value !== "") body.max_transfers = Number($("max-transfers").value);
  return body;
}

function fillForm(body) {
  setPlace($("origin"), body.origin);
  setPlace($("destination"), body.destination);
  $("depart").value = body.depart ? body.depart.replace("Z", "").slice(0, 16) : "";
  $("deadline").value = body.deadline ? body.deadline.replace("Z", "").slice(0, 16) : "";
  $("containers").value = body.containers ?? 1;
  $("size").value = String(body.size_ft ?? 40);
  $("tonnes").value = body.tonnes ?? "";
  $("commodity").value = body.commodity ?? "general";
  $("avoid-countries").value = (body.avoid_countries ?? []).join(" ");
  $("avoid").value = (body.avoid ?? []).join(", ");
  $("max-transfers").value = body.max_transfers ?? "";
  $("alternatives").value = body.alternatives ?? 3;
  $("all-routes").checked = Boolean(body.all_routes);
  const criteria = new Set(body.criteria ?? ["time", "cost", "co2e"]);
  const modes = new Set(body.avoid_modes ?? []);
  for (const input of document.querySelectorAll('input[name="criteria"]')) input.checked = criteria.has(input.value);
  for (const input of document.querySelectorAll('input[name="avoid_modes"]')) input.checked = modes.has(input.value);
  const constrained =
    modes.size || body.avoid_countries?.length || body.avoid?.length || body.max_transfers != null || body.all_routes;
  if (constrained) $("constraints").open = true;
}

function bodyToParams(body, extra = {}) {
  const params = new URLSearchParams();
  params.set("origin", body.origin);
  params.set("destination", body.destination);
  if (body.depart) params.set("depart", body.depart.replace(":00Z", "Z"));
  if (body.deadline) params.set("deadline", body.deadline.replace(":00Z", "Z"));
  params.set("commodity", body.commodity);
  params.set("containers", String(body.containers));
  params.set("size", String(body.size_ft));
  if (body.tonnes != null) params.set("tonnes", String(body.tonnes));
  for (const c of body.avoid_countries ?? []) params.append("avoid_country", c);
  for (const m of body.avoid_modes ?? []) params.append("avoid_mode", m);
  for (const a of body.avoid ?? []) params.append("avoid", a);
  if (body.max_transfers != null) params.set("max_transfers", String(body.max_transfers));
  params.set("criteria", (body.criteria ?? []).join(","));
  if (body.alternatives !== 3) params.set("alternatives", String(body.alternatives));
  if (body.all_routes) params.set("all_routes", "1");
  for (const [key, value] of Object.entries(extra)) params.set(key, String(value));
  return params;
}

function paramsToBody(params) {
  const origin = params.get("origin");
  const destination = params.get("destination");
  if (!origin || !destination) return null;
  const number = (key, fallback) => (params.has(key) && params.get(key) !== "" ? Number(params.get(key)) : fallback);
  const body = {
    origin,
    destination,
    containers: number("containers", 1),
    size_ft: number("size", 40),
    commodity: params.get("commodity") || "general",
    avoid_countries: params.getAll("avoid_country"),
    avoid_modes: params.getAll("avoid_mode"),
    avoid: params.getAll("avoid"),
    criteria: (params.get("criteria") || "time,cost,co2e").split(",").filter(Boolean),
    alternatives: number("alternatives", 3),
    all_routes: params.get("all_routes") === "1",
  };
  const depart = params.get("depart");
  if (depart) body.depart = depart.length === 10 ? `${depart}T00:00:00Z` : depart.replace(/Z?$/, "").slice(0, 16) + ":00Z";
  const deadline = params.get("deadline");
  if (deadline) body.deadline = deadline.length === 10 ? `${deadline}T00:00:00Z` : deadline.replace(/Z?$/, "").slice(0, 16) + ":00Z";
  if (params.has("tonnes")) body.tonnes = number("tonnes");
  if (params.has("max_transfers")) body.max_transfers = number("max_transfers");
  return body;
}

function writeUrl(params, push) {
  const url = `${location.pathname}?${params}`;
  if (url === `${location.pathname}${location.search}`) return;
  if (push) history.pushState(null, "", url);
  else history.replaceState(null, "", url);
}

function defaultDepart() {
  const day = new Date(Date.now() + 86400000);
  return `${day.toISOString().slice(0, 10)}T00:00`;
}

// --- status and errors ---------------------------------------------------------------------

function setStatus(text, error = false) {
  const status = $("status");
  status.textContent = text;
  status.classList.toggle("error", error);
  status.setAttribute("role", error ? "alert" : "status");
}

const FIELD_INPUTS = {
  origin: "origin",
  destination: "destination",
  depart: "depart",
  deadline: "deadline",
  containers: "containers",
  size_ft: "size",
  tonnes: "tonnes",
  commodity: "commodity",
  avoid_countries: "avoid-countries",
  avoid: "avoid",
  max_transfers: "max-transfers",
  alternatives: "alternatives",
};

function markInvalid(field) {
  for (const input of document.querySelectorAll('[aria-invalid="true"]')) input.removeAttribute("aria-invalid");
  if (!field) return;
  const key = String(field).split(".").pop();
  const id = FIELD_INPUTS[key];
  if (id) $(id).setAttribute("aria-invalid", "true");
}

// --- planning ------------------------------------------------------------------------------

async function planRoutes(body, { push = true, select = 0 } = {}) {
  const button = $("plan");
  button.disabled = true;
  markInvalid(null);
  setStatus("Planning…");
  const started = state.submittedAt || performance.now();
  state.submittedAt = 0;
  let result;
  try {
    result = await api("/api/routes", { method: "POST", body });
  } catch (error) {
    clearRoutes();
    markInvalid(error.field);
    setStatus(error.message, true);
    return;
  } finally {
    button.disabled = false;
  }
  if (!result.routes.length) {
    clearRoutes();
    setStatus("No route matches this query.", true);
    return;
  }
  state.query = body;
  state.shipment = null;
  const chosen = Math.min(Math.max(select, 0), result.routes.length - 1);
  state.deadline = result.reliability?.deadline ?? null;
  renderUnderstood(result.understood);
  showRoutes(result.routes, chosen, result.geojson);
  writeUrl(bodyToParams(body, chosen ? { route: chosen + 1 } : {}), push);
  const pareto = result.routes.filter((r) => r.pareto).length;
  $("shipment-name").value = `${nodeName(result.origin)} → ${nodeName(result.destination)}, ${result.depart.slice(0, 10)}`;
  $("save-section").hidden = false;
  // the frame with the routes is painted after this animation frame; the timeout runs after it
  requestAnimationFrame(() => setTimeout(() => {
    const ms = performance.now() - started;
    $("results").dataset.planMs = ms.toFixed(1);
    setStatus(
      `${result.routes.length} routes (${pareto} Pareto) from ${nodeName(result.origin)} to ` +
        `${nodeName(result.destination)}, departing ${result.depart.slice(0, 16).replace("T", " ")} UTC, ` +
        `${result.tonnes} t · ${result.network}`,
    );
  }));
}

function showRoutes(routes, chosen, geojson) {
  state.routes = routes;
  drawRoutes(routes, geojson);
  renderRouteList(routes);
  $("results").hidden = false;
  selectRoute(chosen, { fit: true, url: false });
  $("results").dataset.routes = String(routes.length);
}

function clearRoutes() {
  state.routeLayer?.remove();
  state.routeLayer = null;
  state.routeLines = [];
  state.routes = [];
  $("route-list").replaceChildren();
  $("results").hidden = true;
  $("save-section").hidden = true;
  state.networkLayer?.eachLayer((layer) => layer.setStyle?.({ opacity: 0.9 }));
}

function routeLatLngs(route, index, geojson) {
  const feature = geojson?.features?.[index];
  if (feature?.geometry?.coordinates?.length) return feature.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
  return route.nodes.filter((id) => state.nodes.has(id)).map((id) => [state.nodes.get(id).lat, state.nodes.get(id).lon]);
}

function drawRoutes(routes, geojson) {
  if (state.routeLayer) state.routeLayer.remove();
  const group = L.featureGroup();
  // Each route is a coloured line over a casing that sets it off from the network beneath.
  state.routeLines = routes.map((route, index) => {
    const latlngs = routeLatLngs(route, index, geojson);
    const casing = L.polyline(latlngs, {
      pane: "routes",
      color: "#ffffff",
      weight: 8,
      opacity: 0.9,
      interactive: false,
      className: "route-casing",
    }).addTo(group);
    const line = L.polyline(latlngs, {
      pane: "routes",
      color: routeColour(index),
      weight: 4,
      opacity: 0.8,
      dashArray: route.pareto ? null : "8 6",
      lineJoin: "round",
      className: `route-line route-${index + 1}${route.pareto ? " pareto" : " alternative"}`,
    });
    line.bindTooltip(
      `route ${index + 1}: ${ONE_DECIMAL.format(route.transit_days)} days, $${NUMBER.format(route.cost_usd)}`,
      { sticky: true },
    );
    line.on("click", () => selectRoute(index, { focus: true }));
    line.addTo(group);
    return { line, casing };
  });
  group.addTo(state.map);
  state.routeLayer = group;
  state.networkLayer?.eachLayer((layer) => layer.setStyle?.({ opacity: 0.3 }));
}

function selectRoute(index, { fit = false, focus = false, url = true } = {}) {
  state.chosen = index;
  state.routeLines.forEach(({ line, casing }, i) => {
    const chosen = i === index;
    line.setStyle({ weight: chosen ? 6 : 3.5, opacity: chosen ? 1 : 0.75 });
    casing.setStyle(chosen ? { color: cssVar("--ink"), weight: 10, opacity: 1 } : { color: "#ffffff", weight: 7, opacity: 0.85 });
    line.getElement()?.classList.toggle("chosen", chosen);
  });
  const chosen = state.routeLines[index];
  if (chosen) {
    chosen.casing.bringToFront();
    chosen.line.bringToFront();
    if (fit) {
      state.map.invalidateSize();
      state.map.fitBounds(state.routeLayer.getBounds(), { padding: [24, 24], maxZoom: 7 });
    }
  }
  for (const button of $("route-list").querySelectorAll("button")) {
    const isChosen = Number(button.dataset.index) === index;
    button.setAttribute("aria-pressed", String(isChosen));
    if (isChosen && focus) button.focus();
  }
  renderChart(state.routes, index);
  renderDistribution(state.routes[index], index);
  renderBreakdown(state.routes[index], index);
  renderTimeline(state.routes[index], index);
  if (url && state.query && !state.shipment) {
    writeUrl(bodyToParams(state.query, index ? { route: index + 1 } : {}), false);
  }
}

function renderRouteList(routes) {
  const items = routes.map((route, index) => {
    const li = document.createElement("li");
    const button = document.createElement("button");
    button.type = "button";
    button.dataset.index = String(index);
    button.dataset.testid = `route-${index + 1}`;
    button.setAttribute("aria-pressed", "false");
    button.setAttribute(
      "aria-label",
      `Route ${index + 1}, ${route.pareto ? "Pareto" : "alternative"}: ${ONE_DECIMAL.format(route.transit_days)} days, ` +
        `${NUMBER.format(route.cost_usd)} US dollars, ${TWO_DECIMALS.format(route.co2e_kg / 1000)} tonnes CO2e, ` +
        `${route.modes.join(" and ")} via ${route.countries.join(", ")}`,
    );
    const tag = state.shipment ? "saved" : route.pareto ? "Pareto" : "alt.";
    button.innerHTML =
      `<span class="swatch${route.pareto ? "" : " alt"}" style="background-color:${routeColour(index)}"></span>` +
      `<span class="tag">${index + 1} · ${tag}</span>` +
      `<span class="num days">${ONE_DECIMAL.format(route.transit_days)}</span>` +
      `<span class="num cost">${NUMBER.format(route.cost_usd)}</span>` +
      `<span class="num co2e">${TWO_DECIMALS.format(route.co2e_kg / 1000)}</span>` +
      `<span class="via" title="${escapeHtml(route.corridor.join(", "))}">${escapeHtml(`${route.modes.join("+")} · ${route.countries.join("-")}`)}</span>` +
      reliabilityLine(route) +
      `<span class="crossings" data-testid="route-crossings">via ${escapeHtml(crossingNames(route).join(" · ") || "no border")}</span>`;
    button.addEventListener("click", () => selectRoute(index));
    li.append(button);
    return li;
  });
  $("route-list").replaceChildren(...items);
}

function onRouteListKey(event) {
  const buttons = [...$("route-list").querySelectorAll("button")];
  const at = buttons.indexOf(document.activeElement);
  if (at < 0) return;
  const step = { ArrowDown: 1, ArrowUp: -1, Home: -at, End: buttons.length - 1 - at }[event.key];
  if (step === undefined) return;
  event.preventDefault();
  const next = Math.min(Math.max(at + step, 0), buttons.length - 1);
  selectRoute(next, { focus: true });
}

// --- Pareto chart (SVG) --------------------------------------------------------------------

function niceTicks(lo, hi, count) {
  // Round steps (1, 2, 2.5, 5 × 10^k) whose first tick is <= lo and last tick >= hi.
  if (hi <= lo) hi = lo + 1;
  const raw = (hi - lo) / count;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  const first = Math.floor(lo / step);
  const last = Math.ceil(hi / step);
  const ticks = [];
  for (let k = first; k <= last; k++) ticks.push(Number((k * step).toPrecision(12)));
  return ticks;
}

function svg(tag, attributes = {}, text) {
  const element = document.createElementNS("http://www.w3.org/2000/svg", tag);
  for (const [key, value] of Object.entries(attributes)) element.setAttribute(key, String(value));
  if (text !== undefined) element.textContent = text;
  return element;
}

function renderChart(routes, chosen) {
  const W = Math.max(Math.round($("pareto-chart").clientWidth || 380), 240);
  const H = Math.round(Math.min(Math.max(W * 0.6, 170), 240));
  const m = { left: 56, right: 16, top: 14, bottom: 34 };
  const days = routes.map((r) => r.transit_days);
  const costs = routes.map((r) => r.cost_usd);
  const spread = (values) => Math.max(Math.max(...values) - Math.min(...values), Math.max(...values) * 0.1);
  const xTicks = niceTicks(Math.min(...days) - 0.08 * spread(days), Math.max(...days) + 0.08 * spread(days), 5);
  const yTicks = niceTicks(Math.max(Math.min(...costs) - 0.1 * spread(costs), 0), Math.max(...costs) + 0.12 * spread(costs), 4);
  const [x0, x1] = [xTicks[0], xTicks.at(-1)];
  const [y0, y1] = [yTicks[0], yTicks.at(-1)];
  const x = (v) => m.left + ((v - x0) / (x1 - x0 || 1)) * (W - m.left - m.right);
  const y = (v) => H - m.bottom - ((v - y0) / (y1 - y0 || 1)) * (H - m.top - m.bottom);
  const maxCo2 = Math.max(...routes.map((r) => r.co2e_kg), 1);
  const root = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "aria-labelledby": "chart-svg-title" });
  root.append(svg("title", { id: "chart-svg-title" }, "Routes by transit days and cost; dot area shows CO2e"));
  const grid = svg("g", { class: "grid" });
  const axes = svg("g", { class: "axis" });
  for (const t of xTicks) {
    grid.append(svg("line", { x1: x(t), x2: x(t), y1: m.top, y2: H - m.bottom }));
    axes.append(svg("text", { x: x(t), y: H - m.bottom + 14, "text-anchor": "middle" }, NUMBER.format(t)));
  }
  for (const t of yTicks) {
    grid.append(svg("line", { x1: m.left, x2: W - m.right, y1: y(t), y2: y(t) }));
    axes.append(svg("text", { x: m.left - 6, y: y(t) + 4, "text-anchor": "end" }, `$${NUMBER.format(t)}`));
  }
  axes.append(svg("path", { d: `M${m.left},${m.top}V${H - m.bottom}H${W - m.right}`, fill: "none" }));
  axes.append(svg("text", { class: "label", x: (m.left + W - m.right) / 2, y: H - 4, "text-anchor": "middle" }, "transit days"));
  root.append(grid, axes);
  const front = routes
    .map((r, i) => ({ r, i }))
    .filter(({ r }) => r.pareto)
    .sort((a, b) => a.r.transit_days - b.r.transit_days);
  if (front.length > 1) {
    root.append(svg("polyline", { class: "front", points: front.map(({ r }) => `${x(r.transit_days)},${y(r.cost_usd)}`).join(" ") }));
  }
  const order = routes.map((r, i) => i).sort((a, b) => (a === chosen) - (b === chosen)); // chosen on top
  for (const i of order) {
    const r = routes[i];
    const radius = 4 + 9 * Math.sqrt(r.co2e_kg / maxCo2);
    const cx = x(r.transit_days);
    const cy = y(r.cost_usd);
    const point = svg("circle", {
      class: `point${i === chosen ? " chosen" : ""}`,
      cx,
      cy,
      r: radius.toFixed(1),
      fill: r.pareto ? routeColour(i) : "#ffffff",
      "fill-opacity": r.pareto ? 0.85 : 1,
      stroke: i === chosen ? cssVar("--ink") : routeColour(i),
      "data-index": i,
    });
    point.append(svg("title", {}, `route ${i + 1}: ${ONE_DECIMAL.format(r.transit_days)} days, $${NUMBER.format(r.cost_usd)}, ${TWO_DECIMALS.format(r.co2e_kg / 1000)} t CO2e`));
    point.addEventListener("click", () => selectRoute(i));
    root.append(point, svg("text", { class: "point-label", x: cx + radius + 2, y: cy - radius + 2 }, String(i + 1)));
  }
  $("pareto-chart").replaceChildren(root);
}

// --- timeline of the chosen route ----------------------------------------------------------

function renderTimeline(route, index) {
  const start = Date.parse(route.depart);
  const total = Math.max(Date.parse(route.arrive) - start, 1);
  const totals = Object.fromEntries(KINDS.map((k) => [k, 0]));
  for (const leg of route.legs) totals[leg.kind] = (totals[leg.kind] ?? 0) + leg.hours;
  const hoursAll = Math.max(KINDS.reduce((sum, k) => sum + totals[k], 0), 1e-9);
  $("timeline-route").textContent =
    `route ${index + 1}: departs ${shortTime(route.depart)}, arrives ${route.arrive.slice(0, 16).replace("T", " ")} UTC, ` +
    `${route.legs.length} legs`;

  const summary = document.createElement("div");
  summary.className = "timeline-summary";
  summary.setAttribute("aria-hidden", "true");
  const keys = document.createElement("div");
  keys.className = "timeline-keys";
  for (const kind of KINDS) {
    const span = document.createElement("span");
    span.className = `kind-${kind}`;
    span.style.width = `${(100 * totals[kind]) / hoursAll}%`;
    span.style.backgroundColor = cssVar(`--kind-${kind}`);
    summary.append(span);
    const key = document.createElement("span");
    key.className = "key";
    key.dataset.kind = kind;
    key.innerHTML = `<i class="kind-${kind}" style="background-color:${cssVar(`--kind-${kind}`)}"></i>${kind} ${NUMBER.format(totals[kind])} h`;
    keys.append(key);
  }

  const list = document.createElement("ol");
  list.className = "legs";
  list.setAttribute("aria-label", `Legs of route ${index + 1}`);
  for (const leg of route.legs) {
    const li = document.createElement("li");
    li.dataset.kind = leg.kind;
    li.dataset.testid = "leg";
    const left = (100 * (Date.parse(leg.depart) - start)) / total;
    const width = (100 * (Date.parse(leg.arrive) - Date.parse(leg.depart))) / total;
    const where = leg.from === leg.to ? nodeName(leg.from) : `${nodeName(leg.from)} → ${nodeName(leg.to)}`;
    const what = leg.kind === "move" ? `${leg.mode}: ${where}` : `${where}: ${leg.detail}`;
    li.innerHTML =
      `<span class="kind" style="color:${cssVar(`--kind-${leg.kind}`)}">${leg.kind}</span>` +
      `<span class="when">${shortTime(leg.depart)}</span>` +
      `<span class="what" title="${escapeHtml(leg.detail)}">${escapeHtml(what)}</span>` +
      `<span class="hours">${ONE_DECIMAL.format(leg.hours)} h</span>` +
      `<span class="track"><span class="bar kind-${leg.kind}" style="left:${left.toFixed(3)}%;width:${width.toFixed(3)}%;background-color:${cssVar(`--kind-${leg.kind}`)}"></span></span>`;
    list.append(li);
  }
  $("timeline").replaceChildren(summary, keys, list);
}

// --- what was understood, reliability, crossings and the per-leg breakdown ------------------

function renderUnderstood(understood) {
  if (!understood) {
    $("understood").textContent = "";
    return;
  }
  const place = (p) => (p.matched_by === "id" ? `${p.name} (${p.node_id})` : `“${p.query}” → ${p.name} (${p.node_id}, ${p.matched_by}${p.matched_by === "fuzzy" ? ` ${Math.round(p.score)}` : ""})`);
  const parts = [`from ${place(understood.origin)}`, `to ${place(understood.destination)}`];
  if (understood.avoid_countries.length) parts.push(`avoiding countries ${understood.avoid_countries.join(", ")}`);
  if (understood.avoid_modes.length) parts.push(`avoiding ${understood.avoid_modes.join(", ")}`);
  for (const a of understood.avoid) parts.push(`avoiding ${a.matched_by && a.matched_by !== "id" ? `“${a.query}” → ` : ""}${a.name} (${a.id})`);
  $("understood").textContent = parts.join(" · ");
}

function crossingNames(route) {
  const names = [];
  for (const leg of route.legs) {
    if (leg.kind !== "border") continue;
    const name = leg.detail.replace(/^border /, "").replace(/ \([A-Z]{2}→[A-Z]{2}\)$/, "");
    if (names[names.length - 1] !== name) names.push(name);
  }
  for (const c of route.corridor) if (c.startsWith("passage:")) names.push(c.slice(8).replaceAll("_", " "));
  return names;
}

function reliabilityLine(route) {
  if (route.p50_hours == null) return "";
  const onTime = route.on_time_probability == null ? "" : ` · on time ${Math.round(100 * route.on_time_probability)}%`;
  return `<span class="reliability-figures" data-testid="route-reliability">P50 ${ONE_DECIMAL.format(route.p50_hours / 24)} d · P90 ${ONE_DECIMAL.format(route.p90_hours / 24)} d${onTime}</span>`;
}

function renderDistribution(route, index) {
  const box = $("distribution");
  $("distribution-route").textContent = `route ${index + 1}`;
  const h = route.distribution;
  if (!h) {
    box.replaceChildren();
    box.textContent = "Give a deadline (or choose the P90 criterion) to simulate transit times.";
    return;
  }
  const W = 320, H = 120, pad = 14, top = 30;
  const lo = h.edges_hours[0], hi = h.edges_hours[h.edges_hours.length - 1];
  const x = (hours) => pad + ((W - 2 * pad) * (hours - lo)) / Math.max(hi - lo, 1e-9);
  const most = Math.max(...h.counts, 1);
  const chart = svg("svg", { viewBox: `0 0 ${W} ${H}`, role: "img", "data-testid": "histogram" });
  chart.setAttribute("aria-label", `Simulated transit days of route ${index + 1}: P50 ${ONE_DECIMAL.format(route.p50_hours / 24)}, P90 ${ONE_DECIMAL.format(route.p90_hours / 24)}`);
  h.counts.forEach((count, i) => {
    const x0 = x(h.edges_hours[i]), x1 = x(h.edges_hours[i + 1]);
    const height = ((H - top - pad) * count) / most;
    chart.append(svg("rect", { class: "bin", x: x0, y: H - pad - height, width: Math.max(x1 - x0 - 1, 0.5), height, fill: cssVar("--route-1") || "#3b6ea8" }));
  });
  // each marker's label on its own row, so close markers do not overwrite each other
  const marker = (hours, label, cls, row) => {
    if (hours == null) return;
    const at = x(Math.min(Math.max(hours, lo), hi));
    chart.append(svg("line", { class: cls, x1: at, x2: at, y1: 2 + 9 * row, y2: H - pad, stroke: cssVar("--ink") || "#222", "stroke-dasharray": cls === "deadline" ? "4 3" : "" }));
    chart.append(svg("text", { x: at + 2, y: 8 + 9 * row, "font-size": 8 }, label));
  };
  marker(route.p50_hours, `P50 ${ONE_DECIMAL.format(route.p50_hours / 24)} d`, "p50", 0);
  marker(route.p90_hours, `P90 ${ONE_DECIMAL.format(route.p90_hours / 24)} d`, "p90", 1);
  if (state.deadline) marker((Date.parse(state.deadline) - Date.parse(route.depart)) / 3600000, "deadline", "deadline", 2);
  chart.append(svg("text", { x: pad, y: H - 4, "font-size": 9 }, `${ONE_DECIMAL.format(lo / 24)} d`));
  chart.append(svg("text", { x: W - pad, y: H - 4, "font-size": 9, "text-anchor": "end" }, `${ONE_DECIMAL.format(hi / 24)} d and more`));
  box.replaceChildren(chart);
}

function renderBreakdown(route, index) {
  $("breakdown-route").textContent = `route ${index + 1}`;
  $("crossings").textContent = `Crossings: ${crossingNames(route).join(" · ") || "none"}`;
  const table = document.createElement("table");
  table.className = "breakdown-table";
  table.innerHTML = "<thead><tr><th>leg</th><th>kind</th><th>where</th><th>USD</th><th>kg CO2e</th></tr></thead>";
  const body = document.createElement("tbody");
  route.legs.forEach((leg, i) => {
    if (leg.cost_usd === 0 && leg.co2e_kg === 0) return;
    const tr = document.createElement("tr");
    tr.dataset.testid = "breakdown-leg";
    const where = leg.from === leg.to ? nodeName(leg.from) : `${nodeName(leg.from)} → ${nodeName(leg.to)}`;
    tr.innerHTML = `<td>${i + 1}</td><td>${escapeHtml(leg.kind)} ${escapeHtml(leg.mode)}</td><td>${escapeHtml(where)}</td>` +
      `<td class="num">${NUMBER.format(leg.cost_usd)}</td><td class="num">${NUMBER.format(leg.co2e_kg)}</td>`;
    body.append(tr);
  });
  const total = document.createElement("tr");
  total.className = "total";
  total.innerHTML = `<td></td><td>total</td><td></td><td class="num" data-testid="breakdown-cost">${NUMBER.format(route.cost_usd)}</td><td class="num" data-testid="breakdown-co2e">${NUMBER.format(route.co2e_kg)}</td>`;
  body.append(total);
  table.append(body);
  $("breakdown").replaceChildren(table);
}

function escapeHtml(text) {
  return String(text).replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]);
}

// --- saved shipments -----------------------------------------------------------------------

async function refreshShipments() {
  let shipments;
  try {
    shipments = await api("/api/shipments");
  } catch (error) {
    setStatus(`Could not list saved shipments: ${error.message}`, true);
    return;
  }
  const items = shipments.map((s) => {
    const li = document.createElement("li");
    li.dataset.id = s.id;
    const open = document.createElement("button");
    open.type = "button";
    open.className = "open";
    open.dataset.testid = "shipment-open";
    const route = s.route ?? {};
    const days = route.transit_days != null ? `${ONE_DECIMAL.format(route.transit_days)} d` : "";
    const cost = route.cost_usd != null ? `$${NUMBER.format(route.cost_usd)}` : "";
    open.innerHTML =
      `<span class="name">${escapeHtml(s.name)}</span>` +
      `<span class="meta">${escapeHtml([days, cost, `saved ${String(s.created_at).slice(0, 16).replace("T", " ")}`].filter(Boolean).join(" · "))}</span>`;
    open.addEventListener("click", () => openShipment(s.id));
    const remove = document.createElement("button");
    remove.type = "button";
    remove.className = "delete";
    remove.dataset.testid = "shipment-delete";
    remove.textContent = "✕";
    remove.title = `Delete ${s.name}`;
    remove.setAttribute("aria-label", `Delete shipment ${s.name}`);
    remove.addEventListener("click", () => deleteShipment(s));
    li.append(open, remove);
    return li;
  });
  $("shipment-list").replaceChildren(...items);
  $("shipments-empty").hidden = items.length > 0;
}

async function saveShipment(event) {
  event.preventDefault();
  const route = state.routes[state.chosen];
  if (!state.query || !route) return;
  const name = $("shipment-name").value.trim();
  if (!name) {
    $("shipment-name").setAttribute("aria-invalid", "true");
    setStatus("Give the shipment a name to save it.", true);
    return;
  }
  try {
    const saved = await api("/api/shipments", {
      method: "POST",
      body: { name, query: state.query, route_index: state.chosen, route },
    });
    setStatus(`Saved “${saved.name}” (route ${state.chosen + 1}).`);
  } catch (error) {
    setStatus(`Could not save: ${error.message}`, true);
    return;
  }
  await refreshShipments();
}

async function openShipment(id, { push = true } = {}) {
  let shipment;
  try {
    shipment = await api(`/api/shipments/${encodeURIComponent(id)}`);
  } catch (error) {
    setStatus(`Could not open the shipment: ${error.message}`, true);
    return;
  }
  fillForm(shipment.query);
  state.query = shipment.query;
  state.shipment = shipment;
  showRoutes([shipment.route], 0, null);
  $("save-section").hidden = true;
  writeUrl(bodyToParams(shipment.query, { shipment: shipment.id }), push);
  setStatus(
    `Shipment “${shipment.name}”: route ${shipment.route_index + 1} as saved on ` +
      `${String(shipment.created_at).slice(0, 10)} (${shipment.network}). Plan again for today's options.`,
  );
}

async function deleteShipment(shipment) {
  try {
    await api(`/api/shipments/${encodeURIComponent(shipment.id)}`, { method: "DELETE" });
  } catch (error) {
    setStatus(`Could not delete: ${error.message}`, true);
    return;
  }
  setStatus(`Deleted “${shipment.name}”.`);
  await refreshShipments();
}

// --- place autocomplete (ARIA combobox) ----------------------------------------------------

function combobox(input, list) {
  let items = [];
  let active = -1;
  let timer = 0;
  let sequence = 0;
  const close = () => {
    list.hidden = true;
    input.setAttribute("aria-expanded", "false");
    input.removeAttribute("aria-activedescendant");
    active = -1;
  };
  const choose = (item) => {
    input.value = item.name;
    input.dataset.nodeId = item.node_id;
    input.dataset.label = item.name;
    input.removeAttribute("aria-invalid");
    close();
  };
  const render = () => {
    list.replaceChildren(
      ...items.map((item, i) => {
        const li = document.createElement("li");
        li.id = `${list.id}-${i}`;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", String(i === active));
        li.dataset.nodeId = item.node_id;
        li.innerHTML = `<span>${escapeHtml(item.name)}</span><span class="meta">${escapeHtml(item.country)} · ${escapeHtml(item.kind.replace("_", " "))}</span>`;
        li.addEventListener("mousedown", (event) => {
          event.preventDefault();
          choose(item);
        });
        return li;
      }),
    );
    list.hidden = items.length === 0;
    input.setAttribute("aria-expanded", String(items.length > 0));
    if (active >= 0) input.setAttribute("aria-activedescendant", `${list.id}-${active}`);
    else input.removeAttribute("aria-activedescendant");
  };
  const search = async () => {
    const q = input.value.trim();
    const mine = ++sequence;
    if (!q) {
      items = [];
      render();
      return;
    }
    try {
      const found = await api(`/api/places?q=${encodeURIComponent(q)}&limit=8`);
      if (mine !== sequence || document.activeElement !== input) return;
      items = found;
      active = found.length ? 0 : -1;
      render();
    } catch {
      // suggestions are a convenience; the planner still matches the typed name
    }
  };
  input.addEventListener("input", () => {
    delete input.dataset.nodeId;
    input.removeAttribute("aria-invalid");
    clearTimeout(timer);
    timer = setTimeout(search, 120);
  });
  input.addEventListener("keydown", (event) => {
    if (list.hidden) {
      if (event.key === "ArrowDown" && input.value.trim()) search();
      return;
    }
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      const step = event.key === "ArrowDown" ? 1 : -1;
      active = (active + step + items.length) % items.length;
      render();
      $(`${list.id}-${active}`)?.scrollIntoView({ block: "nearest" });
    } else if (event.key === "Enter" && active >= 0) {
      event.preventDefault();
      choose(items[active]);
    } else if (event.key === "Tab" && active >= 0 && input.dataset.nodeId === undefined) {
      choose(items[active]);
    } else if (event.key === "Escape") {
      event.preventDefault();
      close();
    }
  });
  input.addEventListener("blur", () => setTimeout(close, 150));
}

// --- start ---------------------------------------------------------------------------------

async function fromUrl({ push = false } = {}) {
  const params = new URLSearchParams(location.search);
  if (params.get("shipment")) {
    await openShipment(params.get("shipment"), { push });
    return;
  }
  const body = paramsToBody(params);
  if (!body) return;
  fillForm(body);
  await planRoutes(body, { push, select: Number(params.get("route") || 1) - 1 });
}

async function start() {
  initMap();
  $("depart").value = defaultDepart();
  combobox($("origin"), $("origin-options"));
  combobox($("destination"), $("destination-options"));
  $("swap").addEventListener("click", () => {
    const [a, b] = [$("origin"), $("destination")];
    const [va, vb] = [placeValue(a), placeValue(b)];
    setPlace(a, vb);
    setPlace(b, va);
  });
  $("query-form").addEventListener("submit", (event) => {
    event.preventDefault();
    state.submittedAt = performance.now();
    planRoutes(readForm());
  });
  $("route-list").addEventListener("keydown", onRouteListKey);
  $("save-form").addEventListener("submit", saveShipment);
  $("shipment-name").addEventListener("input", () => $("shipment-name").removeAttribute("aria-invalid"));
  window.addEventListener("popstate", () => fromUrl());

  api("/api/health")
    .then((health) => ($("network-name").textContent = `network ${health.network}`))
    .catch(() => setStatus("The server does not answer /api/health.", true));
  const basemap = loadBasemap().catch((error) => setStatus(`Basemap failed to load: ${error.message}`, true));
  refreshShipments();
  try {
    await loadNetwork();
  } catch (error) {
    setStatus(`Could not load the network: ${error.message}`, true);
  }
  await fromUrl();
  await basemap;
  document.body.dataset.ready = "true";
  performance.mark("corridor-ready");
}

start();
