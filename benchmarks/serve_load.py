"""Load test of ``ntmkit serve`` on loopback, and the batch endpoint against the CLI.

    python benchmarks/serve_load.py [--requests 4000] [--clients 4] [--rows 10000]
    python benchmarks/serve_load.py --compare OTHER/src [--rounds 5]

1. ``POST /assess``: *requests* requests (one commune, six observed values, pinned
   ``commune/ntm@2024-03-01``) from *clients* threads, each on one keep-alive connection;
   latency per request as the client sees it, p50 / p99, requests per second.
2. ``POST /assess/batch`` with a *rows*-row synthetic CSV (``ntmkit.datasets``), against
   ``ntmkit assess FILE --format csv`` on the same file (a whole process, as people run it).

The server and the clients share the machine's cores; the numbers are for loopback on this
machine, reported in benchmarks/README.md.  Targets: p50 <= 2 ms, p99 <= 10 ms; batch <=
1.5x the CLI.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from ntmkit.datasets import synthetic_communes

SET = "commune/ntm@2024-03-01"
COMMUNE = {"commune": {"code": "B-1", "name": "Bench", "region": "red_river_delta"},
           "year": 2024,
           "observations": {"2.1": 100, "2.2": 92, "3.1": 88, "3.2": True, "8.4": True,
                            "10": {"value": 5.6, "unit": "million VND/person/month"}}}


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start(port: int) -> subprocess.Popen[bytes]:
    code = f"from ntmkit.cli import main; main(['serve', '--port', '{port}', '--timeout', '600'])"
    proc = subprocess.Popen([sys.executable, "-c", code])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
            c.request("GET", "/openapi.json")
            c.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise SystemExit("the server did not start")


def load(port: int, requests: int, clients: int) -> None:
    body = json.dumps(COMMUNE).encode()
    path = f"/assess?set={SET}"
    headers = {"Content-Type": "application/json"}
    latencies: list[float] = []
    lock = threading.Lock()
    errors = []

    def client(n: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port)
        mine = []
        for _ in range(n):
            t0 = time.perf_counter()
            conn.request("POST", path, body, headers)
            r = conn.getresponse()
            r.read()
            mine.append(time.perf_counter() - t0)
            if r.status != 200:
                errors.append(r.status)
        with lock:
            latencies.extend(mine)

    # Warm up: the first request builds the pint registry and the scoring plan.
    client(50)
    latencies.clear()
    per = requests // clients
    threads = [threading.Thread(target=client, args=(per,)) for _ in range(clients)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - t0
    q = statistics.quantiles(latencies, n=100)
    print(f"POST /assess: {len(latencies)} requests, {clients} clients, errors {len(errors)}")
    print(f"  p50 {q[49] * 1000:.2f} ms, p99 {q[98] * 1000:.2f} ms, "
          f"mean {statistics.mean(latencies) * 1000:.2f} ms, {len(latencies) / wall:.0f} req/s")
    single = []
    conn = http.client.HTTPConnection("127.0.0.1", port)
    for _ in range(500):
        t0 = time.perf_counter()
        conn.request("POST", path, body, headers)
        conn.getresponse().read()
        single.append(time.perf_counter() - t0)
    q = statistics.quantiles(single, n=100)
    print(f"  one client, 500 requests: p50 {q[49] * 1000:.2f} ms, p99 {q[98] * 1000:.2f} ms")


def in_process(n: int = 1000) -> None:
    """The service's own time per ``POST /assess``: the ASGI app called directly, no network."""
    import asyncio

    from ntmkit.serve import create_app

    app = create_app()
    body = json.dumps(COMMUNE).encode()
    scope = {"type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1",
             "method": "POST", "scheme": "http", "path": "/assess", "raw_path": b"/assess",
             "query_string": f"set={SET}".encode(), "root_path": "",
             "headers": [(b"content-type", b"application/json"),
                         (b"content-length", str(len(body)).encode())],
             "client": ("127.0.0.1", 1), "server": ("127.0.0.1", 80)}

    async def one() -> None:
        messages = [{"type": "http.request", "body": body, "more_body": False}]

        async def receive() -> dict[str, object]:
            return messages.pop() if messages else {"type": "http.disconnect"}

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.start":
                assert message["status"] == 200

        await app(dict(scope), receive, send)

    async def run() -> list[float]:
        for _ in range(50):
            await one()
        times = []
        for _ in range(n):
            t0 = time.perf_counter()
            await one()
            times.append(time.perf_counter() - t0)
        return times

    times = asyncio.run(run())
    q = statistics.quantiles(times, n=100)
    print(f"POST /assess in process (ASGI, no network), {n} requests: "
          f"p50 {q[49] * 1000:.2f} ms, p99 {q[98] * 1000:.2f} ms")


def batch(port: int, rows: int, folder: Path) -> None:
    frame = synthetic_communes(rows).drop(columns=["synthetic"])
    path = folder / f"communes-{rows}.csv"
    frame.to_csv(path, index=False)
    data = path.read_bytes()
    served = []
    for _ in range(3):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        t0 = time.perf_counter()
        conn.request("POST", f"/assess/batch?set={SET}", data, {"Content-Type": "text/csv",
                                                                 "Accept": "text/csv"})
        r = conn.getresponse()
        out = r.read()
        served.append(time.perf_counter() - t0)
        assert r.status == 200, out[:500]
    cli = []
    for _ in range(3):
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", "import sys; from ntmkit.cli import main; "
                        f"sys.exit(main(['assess', {str(path)!r}, '--set', {SET!r}, "
                        f"'--format', 'csv', '-o', {str(folder / 'out.csv')!r}]))"],
                       check=True, stderr=subprocess.DEVNULL)
        cli.append(time.perf_counter() - t0)
    s, c = min(served), min(cli)
    print(f"POST /assess/batch, {rows} rows ({len(data) / 1e6:.1f} MB): best of 3 {s:.2f} s; "
          f"CLI (whole process) {c:.2f} s; ratio {s / c:.2f}x")


def single_client(port: int, n: int = 500) -> tuple[float, float]:
    """p50 and p99 (ms) of *n* ``POST /assess`` requests from one client."""
    body = json.dumps(COMMUNE).encode()
    conn = http.client.HTTPConnection("127.0.0.1", port)
    times = []
    for i in range(n + 50):  # the first 50 warm up
        t0 = time.perf_counter()
        conn.request("POST", f"/assess?set={SET}", body, {"Content-Type": "application/json"})
        r = conn.getresponse()
        r.read()
        assert r.status == 200
        if i >= 50:
            times.append(time.perf_counter() - t0)
    q = statistics.quantiles(times, n=100)
    return q[49] * 1000, q[98] * 1000


def compare(baseline: str, rounds: int) -> None:
    """This tree against the ntmkit sources in *baseline*, one server each, in turns.

    On a shared machine the load changes from minute to minute; taking turns, round by
    round, exposes both servers to the same load, so the ratio means something when the
    absolute times do not.
    """
    here = str(Path(__file__).resolve().parents[1] / "src")
    servers = {}
    for name, src in (("baseline", baseline), ("this tree", here)):
        port = free_port()
        code = (f"import sys; sys.path.insert(0, {src!r}); import uvicorn; "
                "from ntmkit.serve.app import create_app; "
                f"uvicorn.run(create_app(), host='127.0.0.1', port={port}, "
                "log_level='warning', access_log=False)")
        proc = subprocess.Popen([sys.executable, "-c", code])
        servers[name] = (proc, port)
    try:
        for _, port in servers.values():
            deadline = time.monotonic() + 60
            while True:
                try:
                    c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                    c.request("GET", "/sets")
                    c.getresponse().read()
                    break
                except OSError:
                    if time.monotonic() > deadline:
                        raise SystemExit("a server did not start") from None
                    time.sleep(0.05)
        results: dict[str, list[tuple[float, float]]] = {name: [] for name in servers}
        for _ in range(rounds):
            for name, (_, port) in servers.items():
                results[name].append(single_client(port))
    finally:
        for proc, _ in servers.values():
            proc.terminate()
            proc.wait()
    # The best round is the one least disturbed by other work on the machine.
    for name, rs in results.items():
        best = min(rs)
        print(f"{name}: one client, 500 requests x {rounds} rounds: best round p50 "
              f"{best[0]:.2f} ms / p99 {best[1]:.2f} ms; median p50 "
              f"{statistics.median(r[0] for r in rs):.2f} ms "
              f"(rounds: {', '.join(f'{r[0]:.2f}' for r in rs)})")
    base, new = min(results["baseline"])[0], min(results["this tree"])[0]
    print(f"best p50, this tree / baseline: {new / base:.2f}; load average "
          f"{', '.join(f'{x:.1f}' for x in os.getloadavg())}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requests", type=int, default=4000)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--compare", metavar="SRC",
                        help="only compare POST /assess latency with the ntmkit sources in SRC "
                        "(e.g. an unpacked `git archive main src`), in turns")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.compare:
        compare(args.compare, args.rounds)
        return
    in_process()
    port = free_port()
    proc = start(port)
    try:
        load(port, args.requests, args.clients)
        with tempfile.TemporaryDirectory() as folder:
            batch(port, args.rows, Path(folder))
    finally:
        proc.terminate()
        proc.wait()
    print(f"(cores: {os.cpu_count()}, Python {sys.version.split()[0]})")


if __name__ == "__main__":
    main()
