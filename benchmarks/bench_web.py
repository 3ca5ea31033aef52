"""Web planner speed in Chromium (Playwright) against the real `corridor serve` on loopback.

    python benchmarks/run.py --sections web

First paint and first contentful paint come from the page's Performance API (paint entries,
milliseconds after navigation start), each load in a fresh browser context (cold cache). The
peer is a blank static page served over loopback by Python's http.server, loaded the same way.
Planning time is measured in the page, from the form's submit event to the first moment after
the frame that shows the routes (list, map, chart, timeline); the peer is the bare API call.
"""

from __future__ import annotations

import functools
import http.server
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

from harness import Options, Report, Section, Target, skip

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOADS = 9
PLANS = 15
QUERY = {"origin": "Xi'an", "destination": "Duisburg", "depart": "2026-12-01T00:00:00Z"}
PAINTS_JS = """() => new Promise((resolve) => {
  const read = () => Object.fromEntries(
    performance.getEntriesByType("paint").map((e) => [e.name, e.startTime]));
  const done = () => { const p = read(); if (p["first-contentful-paint"] !== undefined) resolve(p);
                       else setTimeout(done, 20); };
  done();
})"""
READY_JS = "() => performance.getEntriesByName('corridor-ready')[0]?.startTime ?? null"
BLANK = b"<!doctype html><meta charset=utf-8><title>blank</title><p>blank page</p>\n"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    import httpx

    port = _free_port()
    command = [sys.executable, "-m", "corridor.cli", "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--db", f"sqlite:///{db}"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and process.poll() is None:
        try:
            if httpx.get(f"{url}/api/health", timeout=2).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.1)
    process.kill()
    raise RuntimeError("corridor serve did not start")


def _blank_server(folder: Path) -> tuple[http.server.ThreadingHTTPServer, str]:
    (folder / "blank.html").write_bytes(BLANK)

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    handler = functools.partial(Quiet, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server, f"http://127.0.0.1:{server.server_address[1]}/blank.html"


def _paints(browser: Any, url: str, ready: bool) -> dict[str, float]:
    """One cold load in a fresh context: paint entries (ms) and, for the planner, ready time."""
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    try:
        page = context.new_page()
        page.goto(url, wait_until="load")
        paints: dict[str, float] = page.evaluate(PAINTS_JS)
        if ready:
            page.wait_for_selector("body[data-ready=true]")
            paints["ready"] = page.evaluate(READY_JS)
        return paints
    finally:
        context.close()


def _plan_times(browser: Any, url: str) -> tuple[list[float], list[float]]:
    """In-page submit-to-drawn times (ms) and the same seen from outside (click to drawn)."""
    context = browser.new_context(viewport={"width": 1366, "height": 800})
    inside, outside = [], []
    try:
        page = context.new_page()
        page.goto(url)
        page.wait_for_selector("body[data-ready=true]")
        page.fill("#origin", QUERY["origin"])
        page.keyboard.press("Escape")
        page.fill("#destination", QUERY["destination"])
        page.keyboard.press("Escape")
        page.fill("#depart", QUERY["depart"][:16])
        for i in range(PLANS + 2):
            page.evaluate("() => { delete document.getElementById('results').dataset.planMs; }")
            start = time.perf_counter()
            page.click("#plan")
            page.wait_for_function(
                "() => document.getElementById('results').dataset.planMs !== undefined",
                polling="raf",
            )
            elapsed = (time.perf_counter() - start) * 1e3
            routes = page.locator("#map path.route-line").count()
            if routes == 0:
                raise RuntimeError("the page drew no routes")
            if i >= 2:  # the first plans warm the server's and the page's caches
                inside.append(float(page.get_attribute("#results", "data-plan-ms") or "nan"))
                outside.append(elapsed)
    finally:
        context.close()
    return inside, outside


def _api_times(url: str) -> list[float]:
    import httpx

    times = []
    with httpx.Client(base_url=url, timeout=60) as client:
        for i in range(PLANS + 2):
            start = time.perf_counter()
            client.post("/api/routes", json=QUERY).raise_for_status()
            if i >= 2:
                times.append((time.perf_counter() - start) * 1e3)
    return times


def web(options: Options, report: Report) -> None:
    """First paint of the planner page vs a blank page, and click-to-routes-drawn time."""
    print("\n== web planner in Chromium on loopback ==")
    paint_what, paint_bound = "web planner first paint median", "<= 1 s"
    plan_what, plan_bound = "web planner click-to-routes median", "<= 300 ms"
    if not CHROMIUM.exists():
        skip(report, paint_what, paint_bound, f"no chromium at {CHROMIUM}")
        skip(report, plan_what, plan_bound, f"no chromium at {CHROMIUM}")
        return
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:
        skip(report, paint_what, paint_bound, f"playwright missing: {exc}")
        skip(report, plan_what, plan_bound, f"playwright missing: {exc}")
        return
    with tempfile.TemporaryDirectory(prefix="corridor-bench-web-") as tmp:
        process, url = _start_server(Path(tmp) / "bench.db")
        blank, blank_url = _blank_server(Path(tmp))
        try:
            with sync_playwright() as playwright:
                browser = playwright.chromium.launch(
                    executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
                )
                _paints(browser, f"{url}/", ready=True)  # warm the OS file cache, not the browser's
                planner = [_paints(browser, f"{url}/", ready=True) for _ in range(LOADS)]
                peer = [_paints(browser, blank_url, ready=False) for _ in range(LOADS)]
                inside, outside = _plan_times(browser, f"{url}/")
                browser.close()
            api = _api_times(url)
        finally:
            blank.shutdown()
            process.terminate()
            process.wait(timeout=15)

    def med(rows: list[dict[str, float]], key: str) -> float:
        return statistics.median(row[key] for row in rows)

    print(f"cold loads, fresh context each (median of {LOADS}):")
    print(f"{'':28} {'planner':>9} {'blank page':>11} {'ratio':>7}")
    for key in ("first-paint", "first-contentful-paint"):
        mine, theirs = med(planner, key), med(peer, key)
        print(f"{key:28} {mine:7.0f} ms {theirs:8.0f} ms {mine / theirs:6.2f}x")
    print(f"{'map ready (network+basemap)':28} {med(planner, 'ready'):7.0f} ms {'-':>11}")
    first_paint = med(planner, "first-paint") / 1e3
    print(f"{paint_what}: {first_paint * 1e3:.0f} ms (target {paint_bound})")
    report.targets.append(
        Target(paint_what, f"{first_paint * 1e3:.0f} ms", paint_bound, first_paint <= 1.0)
    )

    page_ms, click_ms, api_ms = (statistics.median(v) for v in (inside, outside, api))
    print(f"plan Xi'an -> Duisburg (median of {PLANS}, warm):")
    print(f"  in the page, submit to routes drawn: {page_ms:.0f} ms")
    print(f"  seen by Playwright, click to drawn:  {click_ms:.0f} ms")
    print(
        f"  peer, the bare POST /api/routes:     {api_ms:.0f} ms (page/API {page_ms / api_ms:.2f}x)"
    )
    print(f"{plan_what}: {page_ms:.0f} ms (target {plan_bound})")
    report.targets.append(Target(plan_what, f"{page_ms:.0f} ms", plan_bound, page_ms <= 300))


SECTIONS: dict[str, Section] = {"web": web}
