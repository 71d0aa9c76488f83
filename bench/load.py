"""Load benchmark of `fawen serve`: throughput, p50/p99 latency and errors at 1, 8 and 32 concurrent clients,
and the server's RSS before and after, for /search, /law and /ask.

Beside each rate it prints the ceiling the server's own CPU cost allows — cores ÷ server CPU per request — and
the share of it reached: when each query costs more CPU (the dense encoder embeds every question), the
ceiling falls with it, and the rate should stay near it. It also prints what else was using the CPU when it
started: on a shared machine that is part of the result.

Usage: .venv/bin/python bench/load.py [--endpoints search,law] [--concurrency 1,8,32] [--requests 2000]
                                     [--duration 30] [--workers CORES+1] [--home FAWEN_HOME]
Starts `fawen serve` itself on a free 127.0.0.1 port (or uses --url, loopback only), drives it with httpx
async clients, a fixed number of requests per level, each level cut at --duration seconds. Queries are the
lay questions of ../shared/data/stard/dev.jsonl (each request a different question, so no result cache
flatters the numbers), else a short built-in list. The client runs on the same machine: on 2 cores it takes
CPU from the server, so the numbers are a floor.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import resource
import shlex
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from itertools import cycle
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("FAWEN_SHARED_DATA") or REPO.parent / "shared" / "data")
FALLBACK_QUESTIONS = ["微信诽谤可以报警吗", "公司拖欠工资怎么办", "租房押金不退怎么处理", "离婚时房产怎么分割",
                      "交通事故对方全责怎么赔偿", "借钱不还可以起诉吗", "试用期被辞退有补偿吗", "网购收到假货怎么办"]
LAW_ARTICLES = [("治安管理处罚法", 144), ("刑法", 450), ("民法典", 1260), ("劳动合同法", 98)]


@dataclass
class Level:
    endpoint: str
    clients: int
    requests: int
    seconds: float
    latencies: list[float]
    errors: int
    error_kinds: dict[str, int]
    rss_before: float
    rss_after: float
    private_after: float  # RssAnon: RSS also counts the mapped index pages a worker has read, shared by all
    server_ms: float   # server CPU per request, all workers
    client_ms: float   # load generator CPU per request

    @property
    def rate(self) -> float:
        return self.requests / self.seconds if self.seconds else 0.0

    def pct(self, p: float) -> float:
        if not self.latencies:
            return 0.0
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p * len(ordered)))] * 1000


def questions() -> list[str]:
    path = SHARED / "stard" / "dev.jsonl"
    if not path.exists():
        return FALLBACK_QUESTIONS
    with path.open(encoding="utf-8") as f:
        return [json.loads(line)["question"][:500] for line in f if line.strip()]


def request_paths(endpoint: str) -> list[str]:
    from urllib.parse import quote

    if endpoint == "law":
        return [f"/law/{quote(law)}/{n}" for n in range(1, 1261) for law, top in LAW_ARTICLES if n <= top]
    return [f"/{endpoint}?q={quote(q)}" + ("&k=10" if endpoint == "search" else "") for q in questions()]


def tree(pid: int) -> list[int]:
    """A process and all its descendants (uvicorn's workers)."""
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        todo.extend(children.get(current, []))
    return found


def usage(pid: int) -> tuple[float, float, float]:
    """(RSS in MiB, its private part (RssAnon) in MiB, CPU seconds used so far) of a process tree, from /proc."""
    rss_kb, anon_kb, ticks = 0, 0, 0
    for proc in tree(pid):
        try:
            status = (Path("/proc") / str(proc) / "status").read_text()
            fields = (Path("/proc") / str(proc) / "stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        rss_kb += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("VmRSS:")), 0)
        anon_kb += next((int(line.split()[1]) for line in status.splitlines() if line.startswith("RssAnon:")), 0)
        ticks += int(fields[11]) + int(fields[12])  # utime + stime
    return rss_kb / 1024, anon_kb / 1024, ticks / os.sysconf("SC_CLK_TCK")


def other_processes(exclude: int, top: int = 5) -> str:
    """The processes using the most CPU right now, not counting this benchmark (ps; a short description)."""
    try:
        out = subprocess.run(["ps", "-eo", "pid,pcpu,comm", "--sort=-pcpu", "--no-headers"], capture_output=True,
                             text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    mine = set(tree(exclude)) | {os.getpid()}
    busy = [f"{comm} {pcpu}%" for pid, pcpu, comm in (line.split(None, 2) for line in out.splitlines())
            if int(pid) not in mine and float(pcpu) >= 5]
    return ", ".join(busy[:top]) or "nothing above 5% CPU"


def client_cpu() -> float:
    me = resource.getrusage(resource.RUSAGE_SELF)
    return me.ru_utime + me.ru_stime


async def drive(url: str, paths: list[str], clients: int, count: int, duration: float,
                ) -> tuple[int, float, list[float], dict[str, int]]:
    """`count` requests from `clients` concurrent clients, stopping early at `duration` seconds."""
    source = cycle(paths)
    latencies: list[float] = []
    errors: dict[str, int] = {}
    sent = 0
    # One client (one keep-alive connection) per simulated user: a shared httpx pool serialises on its
    # own lock at high concurrency and would measure the client, not the server.
    pool = [httpx.AsyncClient(base_url=url, timeout=60, limits=httpx.Limits(max_connections=1))
            for _ in range(clients)]
    started = time.perf_counter()
    deadline = started + duration

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal sent
        async with client:
            while sent < count and time.perf_counter() < deadline:
                sent += 1
                path = next(source)
                t = time.perf_counter()
                try:
                    r = await client.get(path)
                    if r.status_code != 200:
                        errors[str(r.status_code)] = errors.get(str(r.status_code), 0) + 1
                except httpx.HTTPError as exc:
                    errors[type(exc).__name__] = errors.get(type(exc).__name__, 0) + 1
                latencies.append(time.perf_counter() - t)

    await asyncio.gather(*(worker(c) for c in pool))
    elapsed = time.perf_counter() - started
    return len(latencies), elapsed, latencies, errors


def start_server(home: str, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "FAWEN_HOME": home}
    proc = subprocess.Popen([sys.executable, "-m", "fawen.cli", "serve", "--port", str(port), "--workers",
                             str(workers)], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"fawen serve failed:\n{proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            # every worker answers /healthz only after its warm-up, so a few in a row mean all are up
            if all(httpx.get(f"{url}/healthz", timeout=5).status_code == 200 for _ in range(workers * 2)):
                return proc, url
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    os.killpg(proc.pid, signal.SIGKILL)
    sys.exit("fawen serve not ready after 300 s")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--endpoints", default="search,law", help="comma list of search, law, ask")
    parser.add_argument("--concurrency", default="1,8,32")
    parser.add_argument("--requests", type=int, default=2000, help="requests per level (fixed count)")
    parser.add_argument("--duration", type=float, default=30.0, help="longest a level may run, seconds")
    parser.add_argument("--workers", type=int, default=(os.cpu_count() or 1) + 1,
                        help="server processes (fawen serve --workers); default one more than the cores, so that "
                             "a worker holding more keep-alive connections than the others does not leave a core idle")
    parser.add_argument("--home", default=os.environ.get("FAWEN_HOME", ""), help="FAWEN_HOME of a built corpus")
    parser.add_argument("--url", help="an already running server on 127.0.0.1 (default: start one)")
    args = parser.parse_args()

    args.load_start = os.getloadavg()[0]
    args.others = other_processes(os.getpid())
    proc = None
    if args.url:
        if urlsplit(args.url).hostname not in ("127.0.0.1", "localhost", "::1"):
            sys.exit("bench/load.py drives loopback servers only")
        url, pid = args.url.rstrip("/"), None
    else:
        from fawen import config

        proc, url = start_server(args.home or str(config.home()), args.workers)
        pid = proc.pid
    try:
        levels = []
        for endpoint in args.endpoints.split(","):
            paths = request_paths(endpoint)
            probe = httpx.get(url + paths[0], timeout=60)
            if probe.status_code != 200:  # measuring error responses would flatter the server
                sys.exit(f"{paths[0]} answered {probe.status_code}: {probe.text[:300]}")
            asyncio.run(drive(url, paths[-50:], 4, 50, 30))  # warm caches and connections
            for clients in (int(c) for c in args.concurrency.split(",")):
                (rss_before, _, cpu_before), mine = usage(pid) if pid else (0.0, 0.0, 0.0), client_cpu()
                done, elapsed, lat, errors = asyncio.run(drive(url, paths, clients, args.requests, args.duration))
                (rss_after, private, cpu_after), mine = usage(pid) if pid else (0.0, 0.0, 0.0), client_cpu() - mine
                levels.append(Level(endpoint, clients, done, elapsed, lat, sum(errors.values()), errors,
                                    rss_before, rss_after, private, (cpu_after - cpu_before) / max(done, 1) * 1000,
                                    mine / max(done, 1) * 1000))
                print(f"  {endpoint} ×{clients}: {done / elapsed:.0f} req/s", file=sys.stderr)
    finally:
        if proc is not None:
            os.killpg(proc.pid, signal.SIGTERM)
            proc.wait(timeout=30)
    print_table(levels, args)


def print_table(levels: list[Level], args: argparse.Namespace) -> None:
    cores = len(os.sched_getaffinity(0))
    print(f"fawen serve load — {args.workers} worker(s), {cores} cores shared with the load generator; "
          f"1-min load average {args.load_start:.1f} before, {os.getloadavg()[0]:.1f} after; "
          f"also running at the start: {args.others}")
    print("| endpoint | clients | requests | seconds | req/s | ceiling req/s | of ceiling | of ceiling with client "
          "| p50 ms | p99 ms | errors | server CPU ms/req | client CPU ms/req | RSS before MiB | RSS after MiB "
          "| private after MiB |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for lv in levels:
        errs = f"{lv.errors}" + (f" {lv.error_kinds}" if lv.errors else "")
        ceiling = cores * 1000 / lv.server_ms if lv.server_ms > 0 else 0.0
        share = f"{lv.rate / ceiling:.0%}" if ceiling else "—"
        # the load generator runs on the same cores: what they allow when its CPU per request is counted too
        shared = cores * 1000 / (lv.server_ms + lv.client_ms) if lv.server_ms > 0 else 0.0
        shared_share = f"{lv.rate / shared:.0%}" if shared else "—"
        print(f"| /{lv.endpoint} | {lv.clients} | {lv.requests} | {lv.seconds:.1f} | {lv.rate:.0f} | {ceiling:.0f} | "
              f"{share} | {shared_share} | {lv.pct(0.50):.1f} | {lv.pct(0.99):.1f} | {errs} | {lv.server_ms:.2f} | "
              f"{lv.client_ms:.2f} | {lv.rss_before:.0f} | {lv.rss_after:.0f} | {lv.private_after:.0f} |")
    print(f"\nceiling: {cores} cores ÷ the server's CPU per request (all workers), if the load generator took none; "
          "with client: ÷ (server + load generator CPU per request), what the shared cores allow")
    print("\ncommand: " + " ".join(shlex.quote(a) for a in [".venv/bin/python", "bench/load.py", *sys.argv[1:]]))


if __name__ == "__main__":
    main()
