"""Corpus build benchmark: time, on-disk size and peak memory for each source combination.

Usage: .venv/bin/python bench/build.py [--lawrefbook PATH]
Each build runs in a fresh subprocess (so peak RSS is the build's own) into a temporary FAWEN_HOME.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEFAULT_LAWREFBOOK = Path(os.environ.get("FAWEN_SHARED_DATA") or REPO.parent / "shared" / "data") / "lawrefbook"

CHILD = """
import sys, json, resource, time
from pathlib import Path
from fawen.build import build
t = time.perf_counter()
r = build(sys.argv[2:], Path(sys.argv[1]), force=True)
print(json.dumps({"seconds": time.perf_counter() - t, "laws": r.laws, "versions": r.versions,
                  "articles": r.articles, "errors": len(r.errors), "warnings": len(r.issues) - len(r.errors)}))
"""


def dir_size(path: Path) -> int:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file())


def run(specs: list[str]) -> dict[str, float]:
    import json

    with tempfile.TemporaryDirectory() as home:
        before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        started = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD, home, *specs], capture_output=True, text=True,
                             check=True, cwd=REPO)
        wall = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        data = json.loads(out.stdout.strip().splitlines()[-1])
        current = (Path(home) / "current").resolve()
        data.update(wall=wall, peak_mb=max(peak, before) / 1024,
                    corpus_mb=(current / "corpus.sqlite").stat().st_size / 2**20,
                    index_mb=dir_size(current / "index") / 2**20 if (current / "index").exists() else 0.0)
        return data


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--lawrefbook", type=Path, default=DEFAULT_LAWREFBOOK)
    args = parser.parse_args()
    combos = [("chinalaw", ["chinalaw"])]
    if args.lawrefbook.is_dir():
        combos.append(("chinalaw + lawrefbook", ["chinalaw", f"lawrefbook:{args.lawrefbook}"]))
    else:
        print(f"(lawrefbook skipped: {args.lawrefbook} is absent)")
    print(f"command: {' '.join([Path(sys.executable).name, *sys.argv])}   cores: {os.cpu_count()}")
    header = ("sources", "laws", "versions", "articles", "skipped files", "build s", "wall s",
              "corpus MB", "index MB", "peak RSS MB")
    print(" | ".join(header))
    print(" | ".join("---" for _ in header))
    for name, specs in combos:
        d = run(specs)
        print(f"{name} | {d['laws']} | {d['versions']} | {d['articles']} | {d['errors']} | {d['seconds']:.1f} | "
              f"{d['wall']:.1f} | {d['corpus_mb']:.0f} | {d['index_mb']:.0f} | {d['peak_mb']:.0f}")


if __name__ == "__main__":
    main()
