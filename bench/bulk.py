"""Archive audit throughput: `fawen check --from pages.jsonl --out …` at 1 and 2 worker processes and on Ray
local mode, on ~2-KB answer pages with their question (as bench/check.py builds them from STARD's lawyer answers
and gold citations), against the real corpus. Prints pages/s, the scaling ratio, memory per worker, and whether
every mode wrote the same rows.

Each mode runs the real console script in a subprocess; its descendants are sampled every 0.5 s for RSS and
PSS (/proc/PID/smaps_rollup; PSS splits the shared memory-mapped corpus among the processes mapping it).
"run pages/s" is measured by the command from its first batch to its last checkpoint, after the workers have
started and loaded the corpus ("start-up s"; Ray's workers start lazily, so there it is inside the run);
"wall" is the whole command; "CPU ms/page" is the CPU time of the command and all its processes (start-up
included; not for Ray, whose workers are not the command's children) per page: if it stays flat from 1 to 2 workers, the work divides without overhead and only the
cores the shared machine leaves free limit the scaling.

Usage: FAWEN_HOME=/tmp/base/home .venv/bin/python bench/bulk.py [--pages 2000] [--modes 1,2,ray] [--batch-size 50]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench.check_cases import Builder, render_page  # noqa: E402
from fawen import config, service  # noqa: E402
from fawen.dates import as_of as parse_as_of  # noqa: E402


def build_pages(n: int, date: str, seed: int) -> list[dict[str, str]]:
    """n pages of ~2 KB: lawyer answers with their 法律依据 (four layouts), each with the question."""
    data = Path(config.get("SHARED_DATA") or Path(__file__).resolve().parents[2] / "shared" / "data")
    stard = data / "stard" / "dev.jsonl"
    if not stard.is_file():
        sys.exit(f"bench/bulk.py: {stard} is absent (set FAWEN_SHARED_DATA)")
    items = [json.loads(line) for line in stard.open(encoding="utf-8")]
    builder = Builder(service.library().corpus, date, seed)
    golds = {item["query_id"]: [c for c, _ in builder.gold(item)] for item in items}
    pages: list[dict[str, str]] = []
    buf: list[str] = []
    for round_ in range(100):
        for item in items:
            text, _ = render_page(item["answer"] or "", golds[item["query_id"]], (item["query_id"] + round_) % 4)
            buf.append(text)
            joined = "\n".join(buf)
            if len(joined.encode()) >= 2048:
                pages.append({"id": f"p{len(pages):06d}", "question": item["question"],
                              "text": joined[: len(joined) * 2048 // len(joined.encode())]})
                buf = []
                if len(pages) >= n:
                    return pages
    return pages


def descendants(pid: int) -> list[int]:
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, ValueError, IndexError):
                continue
            kids.setdefault(ppid, []).append(int(entry.name))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo += kids.get(p, [])
    return out


def memory(pid: int) -> tuple[int, int, str]:
    """(RSS, PSS) in bytes and the command line of a process; zeros when it is gone."""
    try:
        cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines()[1:])
        return int(fields["Rss"].split()[0]) * 1024, int(fields["Pss"].split()[0]) * 1024, cmd
    except (OSError, KeyError, ValueError):
        return 0, 0, ""


def cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
    except OSError:
        return ""


def is_worker(names: set[str], mode: str) -> bool:
    if mode == "ray":   # a Ray worker that ran our tasks (its title names the operator while it does)
        return any("MapBatches" in n or "ReadItems" in n for n in names)
    return any(("fawen.archive.worker" if mode != "1" else "fawen.cli") in n for n in names)


def run_mode(mode: str, source: Path, out: Path, batch_size: int) -> dict:
    workers = "1" if mode == "1" else "2"
    cmd = [sys.executable, "-m", "fawen.cli", "check", "--from", str(source), "--out", str(out), "--workers", workers,
           "--batch-size", str(batch_size), "--restart", "--json"] + (["--ray", "local"] if mode == "ray" else [])
    started = time.perf_counter()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peaks: dict[int, tuple[int, int]] = {}
    names: dict[int, set[str]] = {}
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            pids = descendants(proc.pid)
            if mode == "ray":   # Ray's workers are children of its raylet, not of the command
                pids += [int(e.name) for e in Path("/proc").iterdir() if e.name.isdigit()
                         and cmdline(int(e.name)).startswith("ray::")]
            for pid in pids:
                rss, pss, name = memory(pid)
                if name:
                    names.setdefault(pid, set()).add(name)
                    if pss >= peaks.get(pid, (0, 0))[1]:
                        peaks[pid] = (rss, pss)
            stop.wait(0.5)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    stdout, stderr = proc.communicate()
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime
    stop.set()
    sampler.join()
    if proc.returncode not in (0, 3):
        sys.exit(f"mode {mode} failed ({proc.returncode}):\n{stderr.decode()[-3000:]}")
    summary = json.loads(stdout)
    workers_mem = [peaks[pid] for pid in peaks if is_worker(names[pid], mode)]
    return {"mode": mode, "summary": summary, "wall": wall, "workers": workers_mem, "cpu": cpu}


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--modes", default="1,2,ray", help="comma-separated: 1, 2 (worker processes), ray")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--batch-size", type=int, default=50)
    args = parser.parse_args()
    date = parse_as_of(None)
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="fawen-bench-bulk-") as tmp:
        source = Path(tmp) / "pages.jsonl"
        pages = build_pages(args.pages, date, args.seed)
        source.write_text("".join(json.dumps(p, ensure_ascii=False) + "\n" for p in pages), encoding="utf-8")
        size = sum(len(p["text"].encode()) for p in pages) // len(pages)
        results = [run_mode(mode, source, Path(tmp) / f"out-{mode}.jsonl", args.batch_size) for mode in args.modes.split(",")]
        outputs = {r["mode"]: (Path(tmp) / f"out-{r['mode']}.jsonl").read_bytes() for r in results}
    load_after = os.getloadavg()
    base = next((r for r in results if r["mode"] == "1"), None)
    table = Table(title=f"fawen check --from: {len(pages)} pages of ~{size} bytes with a question, as of {date}, "
                        f"FAWEN_HOME={config.home()} (load {load_before[0]:.2f} before, {load_after[0]:.2f} after)")
    for col in ("mode", "run pages/s", "× 1 worker", "start-up s", "wall s", "wall pages/s", "CPU ms/page",
                "workers", "RSS/worker MB", "PSS/worker MB", "citations", "findings"):
        table.add_column(col, justify="right" if col != "mode" else "left")
    for r in results:
        s = r["summary"]
        ratio = s["pages_per_second"] / base["summary"]["pages_per_second"] if base else float("nan")
        rss = max((m[0] for m in r["workers"]), default=0) / 2**20
        pss = max((m[1] for m in r["workers"]), default=0) / 2**20
        name = {"1": "1 worker (in the driver)", "2": "2 worker processes", "ray": "Ray local, 2 CPUs"}[r["mode"]]
        table.add_row(name, f"{s['pages_per_second']:.1f}", f"{ratio:.2f}", f"{s['startup_seconds']:.1f}",
                      f"{r['wall']:.1f}", f"{len(pages) / r['wall']:.1f}", f"{1000 * r['cpu'] / len(pages):.1f}" if r["mode"] != "ray" else "n/a",
                      str(len(r["workers"])), f"{rss:.0f}", f"{pss:.0f}",
                      str(s["citations"]), str(sum(s["findings"].values())))
    same = len(set(outputs.values())) == 1
    table.caption = f"identical rows in every mode: {'yes' if same else 'NO'}; goal: 2 workers ≥ 1.8× 1 worker"
    Console(width=200).print(table)
    print("command: FAWEN_HOME=" + str(config.home()) + " .venv/bin/python bench/bulk.py " + " ".join(sys.argv[1:]))


if __name__ == "__main__":
    main()
