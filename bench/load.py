"""The load client: the same Python client drives every target, so the comparisons are fair.

`concurrency` threads each hold one http.client connection and send GET requests back to back
(closed-loop: a thread sends its next request as soon as the previous answer is read). Each
thread first sends a few warm-up requests that are not recorded (they fill the workers' caches
and open the connections); then all threads start measuring together, behind a barrier. The run
stops at whichever comes first: `max_requests` measured requests in all, or `seconds`.

A latency is the time from sending the request to having read the whole body, connection set-up
included: gunicorn's sync workers do not keep connections alive, so http.client reconnects for
every request, as a real visitor's browser would have to. Any status other than 200, or any
connection error, counts as an error (and still counts as a request).

The client runs on the same machine as the servers and competes with them for the CPU; the
figures are for comparing targets with one another, not absolute capacities.
"""

import http.client
import itertools
import math
import threading
import time
from dataclasses import dataclass, field

WARMUP_PER_WORKER = 5
TIMEOUT_SECONDS = 30


@dataclass
class LoadResult:
    target: str
    path: str
    concurrency: int
    requests: int = 0
    errors: int = 0
    elapsed: float = 0.0
    latencies_ms: list[float] = field(default_factory=list, repr=False)
    statuses: dict[int, int] = field(default_factory=dict)

    @property
    def requests_per_second(self) -> float:
        return self.requests / self.elapsed if self.elapsed else 0.0

    def percentile(self, fraction: float) -> float:
        """Nearest-rank percentile of the recorded latencies, in ms."""
        if not self.latencies_ms:
            return float("nan")
        ordered = sorted(self.latencies_ms)
        rank = max(1, math.ceil(fraction * len(ordered)))
        return ordered[rank - 1]

    def as_dict(self) -> dict:
        return {
            "target": self.target,
            "path": self.path,
            "concurrency": self.concurrency,
            "requests": self.requests,
            "errors": self.errors,
            "statuses": {str(code): count for code, count in sorted(self.statuses.items())},
            "seconds": round(self.elapsed, 3),
            "requests_per_second": round(self.requests_per_second, 1),
            "p50_ms": round(self.percentile(0.50), 2),
            "p99_ms": round(self.percentile(0.99), 2),
        }


def fetch(
    port: int, path: str, headers: dict[str, str] | None = None
) -> tuple[int, dict[str, str], bytes]:
    """One GET on a fresh connection: to check a server, measure a page, read its headers.
    `headers` are sent with it (a logged-in visitor's Cookie)."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)
    try:
        conn.request("GET", path, headers=headers or {})
        response = conn.getresponse()
        return response.status, dict(response.getheaders()), response.read()
    finally:
        conn.close()


def run_load(
    target: str,
    port: int,
    path: str,
    concurrency: int,
    max_requests: int,
    seconds: float,
    connect=None,
    headers: dict[str, str] | None = None,
    many_visitors: bool = False,
) -> LoadResult:
    """`connect()` opens a connection (plain HTTP to 127.0.0.1:`port` by default; the
    topology's HTTPS through the proxy otherwise, see bench/topology.py). `headers` go with
    every request (a logged-in visitor's Cookie: bench/sessions.py). `many_visitors`: each
    request also says it comes from an address of its own (X-Forwarded-For, as the proxy in
    front of production writes it), so that limits per address (the search page's) count
    each request apart, as they would many visitors' requests."""
    headers = headers or {}
    addresses = itertools.count(1)

    def request_headers() -> dict[str, str]:
        if not many_visitors:
            return headers
        n = next(addresses)  # itertools.count: safe across threads under the GIL
        return {**headers, "X-Forwarded-For": f"10.{n >> 16 & 255}.{n >> 8 & 255}.{n & 255}"}

    if connect is None:

        def connect():
            return http.client.HTTPConnection("127.0.0.1", port, timeout=TIMEOUT_SECONDS)

    result = LoadResult(target=target, path=path, concurrency=concurrency)
    lock = threading.Lock()
    budget = {"left": max_requests}
    clock = {"began": 0.0, "deadline": 0.0}

    def start_clock() -> None:
        # Run by the last thread to finish its warm-up, before any thread is released.
        clock["began"] = time.perf_counter()
        clock["deadline"] = clock["began"] + seconds

    start_line = threading.Barrier(concurrency, action=start_clock)

    def take_ticket() -> bool:
        with lock:
            if budget["left"] <= 0 or time.perf_counter() >= clock["deadline"]:
                return False
            budget["left"] -= 1
            return True

    def worker() -> None:
        conn = connect()
        latencies: list[float] = []
        statuses: dict[int, int] = {}
        try:
            for _ in range(WARMUP_PER_WORKER):
                conn = _get(conn, connect, path, request_headers())[0]
            try:
                start_line.wait(timeout=TIMEOUT_SECONDS * (WARMUP_PER_WORKER + 1))
            except threading.BrokenBarrierError:
                return  # another thread's warm-up failed: reported once, below
            while take_ticket():
                began = time.perf_counter()
                conn, status = _get(conn, connect, path, request_headers())
                latencies.append((time.perf_counter() - began) * 1000)
                statuses[status] = statuses.get(status, 0) + 1
        finally:
            conn.close()
            with lock:
                result.latencies_ms.extend(latencies)
                for status, count in statuses.items():
                    result.statuses[status] = result.statuses.get(status, 0) + count

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if start_line.broken or not clock["began"]:
        raise RuntimeError(f"{target}: the load client could not start (warm-up failed)")
    result.elapsed = time.perf_counter() - clock["began"]
    result.requests = len(result.latencies_ms)
    result.errors = sum(count for status, count in result.statuses.items() if status != 200)
    return result


def _get(
    conn: http.client.HTTPConnection, connect, path: str, headers: dict[str, str]
) -> tuple[http.client.HTTPConnection, int]:
    """Send one GET and read the body; status 0 stands for a connection error."""
    try:
        conn.request("GET", path, headers=headers)
        response = conn.getresponse()
        response.read()
        return conn, response.status
    except (OSError, http.client.HTTPException):
        # Start over on a new connection, so one failure does not poison the next requests.
        conn.close()
        return connect(), 0
