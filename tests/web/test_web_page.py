"""The web planner in Debian's Chromium (Playwright) against the real `corridor serve`."""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from playwright.sync_api import expect
from web_server import LiveServer

ROOT = Path(__file__).resolve().parents[2]
# `make test` writes the screenshot under build/ (no tracked file changes); `make docs-images`
# sets CORRIDOR_DOCS_IMAGES=1 to refresh the README's picture in docs/images/
SCREENSHOT = (
    ROOT / "docs" / "images" / "web-planner.png"
    if os.environ.get("CORRIDOR_DOCS_IMAGES")
    else ROOT / "build" / "screenshots" / "web-planner.png"
)
BASEMAP = ROOT / "src" / "corridor" / "web" / "static" / "basemap" / "countries.geojson"
XIAN_DUISBURG = {"origin": "CN_XIA", "destination": "DE_DUI", "depart": "2026-12-01T00:00:00Z"}


def api_plan(server: LiveServer, body: dict[str, Any]) -> dict[str, Any]:
    """What the API answers for the same query: the oracle for what the page shows."""
    response = httpx.post(f"{server.url}/api/routes", json=body, timeout=60)
    assert response.status_code == 200, response.text
    result: dict[str, Any] = response.json()
    return result


def open_page(page: Any, url: str) -> None:
    page.goto(url)
    expect(page.locator("body")).to_have_attribute("data-ready", "true")


def choose_place(page: Any, field: str, typed: str, node_id: str) -> None:
    """Type a place, move the highlight to `node_id` with the arrow keys, take it with Enter."""
    box = page.locator(f"#{field}")
    box.fill("")
    box.press_sequentially(typed)
    expect(page.locator(f"#{field}-options li[data-node-id='{node_id}']")).to_be_visible()
    selected = page.locator(f"#{field}-options li[aria-selected='true']")
    for _ in range(10):
        if selected.get_attribute("data-node-id") == node_id:
            break
        box.press("ArrowDown")
    box.press("Enter")
    expect(box).to_have_attribute("data-node-id", node_id)
    expect(page.locator(f"#{field}-options")).to_be_hidden()


def shown_days(page: Any) -> list[float]:
    return [float(t) for t in page.locator("#route-list .days").all_inner_texts()]


def test_plans_xian_to_duisburg_saves_the_shipment_and_finds_it_after_a_restart(
    server: LiveServer, page: Any, tmp_path: Path
) -> None:
    open_page(page, f"{server.url}/")
    choose_place(page, "origin", "xian", "CN_XIA")
    choose_place(page, "destination", "Duisburg", "DE_DUI")
    page.fill("#depart", "2026-12-01T00:00")
    page.fill("#deadline", "2026-12-20T00:00")  # the picture shows P50/P90 and on-time too
    page.click("#plan")

    expected = api_plan(server, XIAN_DUISBURG)["routes"]
    assert len(expected) >= 2
    buttons = page.locator("#route-list button")
    expect(buttons).to_have_count(len(expected))
    expect(page.locator("#map path.route-line")).to_have_count(len(expected))
    expect(page.locator("#pareto-chart circle.point")).to_have_count(len(expected))
    assert shown_days(page) == pytest.approx([r["transit_days"] for r in expected], abs=0.051)
    query = parse_qs(urlsplit(page.url).query)
    assert query["origin"] == ["CN_XIA"]
    assert query["destination"] == ["DE_DUI"]
    assert query["depart"][0].startswith("2026-12-01T00:00")
    assert query["deadline"][0].startswith("2026-12-20T00:00")

    # the first route is chosen: highlighted on the map, its legs in the timeline
    expect(buttons.nth(0)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#map path.route-line.chosen")).to_have_count(1)
    expect(page.locator("#map path.route-line.chosen.route-1")).to_have_count(1)
    legs = page.locator("#timeline li[data-kind]")
    expect(legs).to_have_count(len(expected[0]["legs"]))
    for kind in ("wait", "border", "transfer"):
        wanted = sum(leg["kind"] == kind for leg in expected[0]["legs"])
        assert wanted > 0, f"Xi'an → Duisburg route 1 was expected to have {kind} legs"
        expect(page.locator(f"#timeline li[data-kind='{kind}']")).to_have_count(wanted)

    # the keyboard walks the route list; the choice reaches the map, timeline and URL
    buttons.nth(0).focus()
    page.keyboard.press("ArrowDown")
    expect(buttons.nth(1)).to_have_attribute("aria-pressed", "true")
    expect(buttons.nth(1)).to_be_focused()
    expect(page.locator("#map path.route-line.chosen.route-2")).to_have_count(1)
    expect(legs).to_have_count(len(expected[1]["legs"]))
    assert parse_qs(urlsplit(page.url).query)["route"] == ["2"]
    page.keyboard.press("ArrowUp")
    expect(buttons.nth(0)).to_have_attribute("aria-pressed", "true")

    page.fill("#shipment-name", "Xi'an to Duisburg, December")
    page.click("#save")
    saved = page.locator("#shipment-list li")
    expect(saved.filter(has_text="Xi'an to Duisburg, December")).to_have_count(1)
    stored = httpx.get(f"{server.url}/api/shipments", timeout=30).json()
    mine = [s for s in stored if s["name"] == "Xi'an to Duisburg, December"]
    assert len(mine) == 1
    assert mine[0]["route_index"] == 0
    assert mine[0]["route"]["nodes"] == expected[0]["nodes"]
    assert mine[0]["query"]["origin"] == "CN_XIA"

    page.screenshot(path=str(tmp_path / "web-planner.png"))
    SCREENSHOT.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(tmp_path / "web-planner.png", SCREENSHOT)

    # a reload replans from the URL and lists the shipment
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true")
    expect(buttons).to_have_count(len(expected))
    expect(saved.filter(has_text="Xi'an to Duisburg, December")).to_have_count(1)

    # after a restart of the server (same database) the shipment reopens with its route
    server.restart()
    open_page(page, f"{server.url}/")
    entry = saved.filter(has_text="Xi'an to Duisburg, December")
    expect(entry).to_have_count(1)
    entry.locator("button.open").click()
    expect(page.locator("#origin")).to_have_value("Xi'an International Port")
    expect(page.locator("#origin")).to_have_attribute("data-node-id", "CN_XIA")
    expect(page.locator("#destination")).to_have_attribute("data-node-id", "DE_DUI")
    expect(buttons).to_have_count(1)
    expect(page.locator("#map path.route-line")).to_have_count(1)
    expect(legs).to_have_count(len(expected[0]["legs"]))
    assert parse_qs(urlsplit(page.url).query)["shipment"] == [str(mine[0]["id"])]


def test_a_shared_url_fills_the_form_and_replans_its_query(server: LiveServer, page: Any) -> None:
    shared = (
        "origin=KZ_ALA&destination=DE_DUI&depart=2026-12-01T00:00Z&commodity=agri"
        "&containers=2&size=20&avoid_country=RU&avoid_mode=road&criteria=time,cost&route=2"
    )
    open_page(page, f"{server.url}/?{shared}")
    body = {
        "origin": "KZ_ALA",
        "destination": "DE_DUI",
        "depart": "2026-12-01T00:00:00Z",
        "commodity": "agri",
        "containers": 2,
        "size_ft": 20,
        "avoid_countries": ["RU"],
        "avoid_modes": ["road"],
        "criteria": ["time", "cost"],
    }
    expected = api_plan(server, body)["routes"]
    assert len(expected) >= 2
    expect(page.locator("#route-list button")).to_have_count(len(expected))
    assert shown_days(page) == pytest.approx([r["transit_days"] for r in expected], abs=0.051)
    expect(page.locator("#route-list button").nth(1)).to_have_attribute("aria-pressed", "true")
    expect(page.locator("#origin")).to_have_attribute("data-node-id", "KZ_ALA")
    expect(page.locator("#commodity")).to_have_value("agri")
    expect(page.locator("#containers")).to_have_value("2")
    expect(page.locator("#size")).to_have_value("20")
    expect(page.locator("#avoid-countries")).to_have_value("RU")
    expect(page.locator("input[name='avoid_modes'][value='road']")).to_be_checked()
    expect(page.locator("input[name='criteria'][value='co2e']")).not_to_be_checked()
    for via in page.locator("#route-list .via").all_inner_texts():
        assert "RU" not in via.split("·")[-1].strip().split("-")
        assert "road" not in via


def test_a_deadline_shows_p50_p90_on_time_the_distribution_crossings_and_leg_costs(
    server: LiveServer, page: Any
) -> None:
    shared = "origin=KZ_ALA&destination=DE_DUI&depart=2026-12-01T00:00Z&deadline=2026-12-20T00:00Z"
    open_page(page, f"{server.url}/?{shared}")
    expect(page.locator("#deadline")).to_have_value("2026-12-20T00:00")
    body = {"origin": "KZ_ALA", "destination": "DE_DUI", "depart": "2026-12-01T00:00:00Z"}
    expected = api_plan(server, {**body, "deadline": "2026-12-20T00:00:00Z"})
    routes = expected["routes"]
    expect(page.locator("#route-list button")).to_have_count(len(routes))
    shown = page.locator("[data-testid='route-reliability']").all_inner_texts()
    assert len(shown) == len(routes)
    for text, route in zip(shown, routes, strict=True):
        found = re.fullmatch(r"P50 ([\d.]+) d · P90 ([\d.]+) d · on time (\d+)%", text.strip())
        assert found, text
        p50, p90, on_time = (float(x) for x in found.groups())
        assert p50 == pytest.approx(route["p50_hours"] / 24, abs=0.051)
        assert p90 == pytest.approx(route["p90_hours"] / 24, abs=0.051)
        assert on_time == pytest.approx(100 * route["on_time_probability"], abs=0.51)
    # the chosen (first) route's distribution: one bar per histogram bin of the API's answer
    bins = routes[0]["distribution"]["counts"]
    expect(page.locator("[data-testid='histogram'] rect.bin")).to_have_count(len(bins))
    expect(page.locator("[data-testid='histogram'] line.deadline")).to_have_count(1)
    # crossings: the border legs' crossing names, in order of passage
    borders = [leg["detail"] for leg in routes[0]["legs"] if leg["kind"] == "border"]
    crossings = page.locator("#crossings").inner_text()
    for detail in borders:
        assert detail.removeprefix("border ").rsplit(" (", 1)[0] in crossings
    # the per-leg breakdown adds up to the route's totals
    costs = [
        float(row.locator("td").nth(3).inner_text().replace(",", ""))
        for row in page.locator("[data-testid='breakdown-leg']").all()
    ]
    paid = [leg["cost_usd"] for leg in routes[0]["legs"] if leg["cost_usd"] or leg["co2e_kg"]]
    assert costs == pytest.approx(paid, abs=0.51)
    total = page.locator("[data-testid='breakdown-cost']").inner_text().replace(",", "")
    assert float(total) == pytest.approx(routes[0]["cost_usd"], abs=0.51)
    understood = page.locator("#understood").inner_text()
    assert "Almaty (KZ_ALA)" in understood and "Duisburg (DE_DUI)" in understood


def test_an_unknown_place_is_reported_and_its_field_marked(
    server: LiveServer, page: Any, page_errors: list[str]
) -> None:
    open_page(page, f"{server.url}/")
    page.fill("#origin", "Atlantis")
    page.keyboard.press("Escape")
    choose_place(page, "destination", "Duisburg", "DE_DUI")
    page.click("#plan")
    status = page.locator("#status")
    expect(status).to_have_attribute("role", "alert")
    expect(status).to_contain_text("Atlantis")
    expect(page.locator("#origin")).to_have_attribute("aria-invalid", "true")
    expect(page.locator("#route-list button")).to_have_count(0)
    # the browser logs the 422 answer as a failed resource; that one is expected
    page_errors[:] = [e for e in page_errors if "status of 422" not in e]


def test_the_page_renders_its_basemap_with_every_request_off_loopback_blocked(
    server: LiveServer, page: Any
) -> None:
    requested: list[str] = []
    blocked: list[str] = []

    def only_loopback(route: Any) -> None:
        url = route.request.url
        requested.append(url)
        if urlsplit(url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    page.context.route("**/*", only_loopback)
    open_page(page, f"{server.url}/?origin=CN_XIA&destination=DE_DUI&depart=2026-12-01T00:00Z")
    countries = json.loads(BASEMAP.read_text(encoding="utf-8"))["features"]
    links = [
        f
        for f in httpx.get(f"{server.url}/api/network", timeout=30).json()["features"]
        if f["properties"]["kind"] == "link"
    ]
    expect(page.locator("#map")).to_have_attribute("data-basemap", str(len(countries)))
    assert page.locator("#map path.basemap-country").count() == len(countries)
    expect(page.locator("#map path.net-link")).to_have_count(len(links))
    expect(page.locator("#map path.route-line").first).to_be_visible()
    assert blocked == []
    assert any(url.endswith("/static/basemap/countries.geojson") for url in requested)
    assert any(url.endswith("/static/vendor/leaflet/leaflet.js") for url in requested)


def test_the_api_docs_render_with_every_request_off_loopback_blocked(
    server: LiveServer, page: Any
) -> None:
    blocked: list[str] = []

    def only_loopback(route: Any) -> None:
        if urlsplit(route.request.url).hostname == "127.0.0.1":
            route.continue_()
        else:
            blocked.append(route.request.url)
            route.abort()

    page.context.route("**/*", only_loopback)
    page.goto(f"{server.url}/docs")
    expect(page.locator(".swagger-ui .info .title")).to_contain_text("corridor")
    expect(page.locator(".opblock-summary-path", has_text="/api/routes").first).to_be_visible()
    assert blocked == []
