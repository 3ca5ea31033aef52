"""How a server is set up: network, database, binding, token and the limits that protect it."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass, field
from pathlib import Path

from corridor.errors import CorridorError

STATIC_DIR = Path(__file__).resolve().parent.parent / "web" / "static"
MIB = 1024 * 1024
# the result cache's documented ranges (docs/api.md "Limits"); 0 turns the cache off
RESULT_CACHE_SIZE_RANGE = (0, 100_000)  # answers
RESULT_CACHE_BYTES_RANGE = (0, 4096 * MIB)  # their encoded bodies, each charged 2 KiB more
GC_INTERVAL_RANGE = (0, 86_400)  # seconds between full garbage collections; 0: none on a clock
MMAP_THRESHOLD_RANGE = (0, 32 * MIB)  # bytes (corridor.api.allocator); 0: glibc's own


def is_loopback(host: str) -> bool:
    """True for localhost and loopback addresses (127.0.0.0/8, ::1)."""
    if host.strip().lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


@dataclass(frozen=True)
class Settings:
    """A server's configuration. Limits keep one request from taking the server down.

    `host` is where the server binds: anywhere but loopback needs a `token`, which clients then
    send as `Authorization: Bearer <token>` on every /api request except /api/health.
    """

    network_path: Path | None = None
    db_url: str | None = None  # None: $CORRIDOR_DB_URL or SQLite in the user's data folder
    host: str = "127.0.0.1"
    token: str | None = None
    # Host headers answered; None: those of a loopback `host` (localhost, 127.0.0.1, ::1), any
    # host otherwise (the token guards those). () answers every host.
    allowed_hosts: tuple[str, ...] | None = None
    static_dir: Path = field(default=STATIC_DIR)
    max_body_bytes: int = 512 * 1024
    query_timeout_s: float = 10.0  # per-query time budget for planning
    max_alternatives: int = 20  # the planner's own cap; lower it to bound a query's work
    max_routes: int = 50  # a result with more routes is cut to this many (`truncated: true`)
    plan_threads: int = 4
    max_pending_queries: int = 64  # queries planning or waiting; more get 503
    # answers kept per process, least recently used dropped first (the network is immutable):
    # at most this many, and at most this many bytes of encoded bodies (corridor.api.cache)
    result_cache_size: int = 512
    result_cache_bytes: int = 64 * MIB
    job_threads: int = 1
    max_jobs: int = 100  # finished jobs kept in memory, oldest dropped first
    # ... and at most this many bytes of their results, counted as encoded JSON
    job_results_bytes: int = 8 * MIB
    max_active_jobs: int = 8  # jobs queued or running; more get 503
    max_jobs_per_client: int = 2  # jobs queued or running for one client address; more get 429
    # the server's socket limits (corridor.api.server; docs/api.md "Limits")
    max_connections: int = 512  # open connections; more are answered 503 and closed
    max_connections_per_client: int = 64  # open connections from one address; more get 503
    request_read_timeout_s: float = 10.0  # to receive a request's headers and body
    keep_alive_timeout_s: float = 5.0  # an idle keep-alive connection is closed after this
    max_header_bytes: int = 16 * 1024  # request line and headers
    # a full garbage collection every this many seconds in each process (corridor.api.collector)
    gc_interval_s: int = 60
    # allocations this large are mapped apart from glibc's heap (corridor.api.allocator)
    mmap_threshold_bytes: int = 256 * 1024

    def hosts(self) -> tuple[str, ...]:
        """The Host header names this server answers; empty: any."""
        if self.allowed_hosts is not None:
            return self.allowed_hosts
        if is_loopback(self.host):
            return ("localhost", "127.0.0.1", "::1", self.host.strip("[]").lower())
        return ()

    def __post_init__(self) -> None:
        _check_whole("result_cache_size", self.result_cache_size, RESULT_CACHE_SIZE_RANGE)
        _check_whole("result_cache_bytes", self.result_cache_bytes, RESULT_CACHE_BYTES_RANGE)
        _check_whole("job_results_bytes", self.job_results_bytes, RESULT_CACHE_BYTES_RANGE)
        _check_whole("gc_interval_s", self.gc_interval_s, GC_INTERVAL_RANGE)
        _check_whole("mmap_threshold_bytes", self.mmap_threshold_bytes, MMAP_THRESHOLD_RANGE)
        if self.token is not None and not self.token.strip():
            raise CorridorError("the API token is empty; pass a non-empty --token")
        if not is_loopback(self.host) and self.token is None:
            raise CorridorError(
                f"binding {self.host} exposes the API beyond this machine; "
                "set an API token (--token or CORRIDOR_API_TOKEN)"
            )


def _check_whole(name: str, value: object, bounds: tuple[int, int]) -> None:
    """Raise a CorridorError naming the setting unless `value` is a whole number in `bounds`."""
    low, high = bounds
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise CorridorError(
            f"setting {name}: expected a whole number from {low:,} to {high:,}, got {value!r}"
        )
