"""`evx run` end to end on the shared corpus: wall time, CPU time and the parent's peak memory
for --jobs 1, --jobs 2 and a two-worker Dask LocalCluster.

Each configuration runs ``python -m evx run rules/ CORPUS -o OUT --quiet ...`` as a child
process, ``--repeat`` times, interleaved (1, 2, dask, 1, 2, dask, ...) so that a change in
the machine's load hits every configuration alike. For each run it records:

- wall: seconds from start to exit;
- cpu: user + system seconds of the whole process tree: the parent, and every process
  under it (workers, the forkserver, Dask's nannies and workers), each read from
  ``/proc/PID/stat`` every 50 ms, its last reading kept (Linux only; a process that
  lives less than 50 ms may be missed), or from ``os.wait4`` when that is more;
- parent cpu and parent peak RSS (``VmHWM``), of the parent alone, from the same readings;
- the SHA-256 of the output, which must be the same for every configuration.

It prints one line per configuration (medians) and, last, one JSON line with every figure.
The corpus comes from the shared generator (``--tokens``, cached under ``build/bench/``)
or from ``--corpus FILE``.

    python benchmarks/jobs.py --tokens 1000000 --repeat 3
    python benchmarks/jobs.py --corpus build/bench/corpus-250000-*.jsonl --configs 1,2
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench_inputs import REPO, corpus_file

CONFIGS = {"1": ["--jobs", "1"], "2": ["--jobs", "2"], "dask": ["--dask", "local", "--jobs", "2"]}


def _proc_figures(pid: int) -> tuple[float, int] | None:
    """(cpu seconds, peak RSS in KiB) of one process, or None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    cpu = (int(stat[11]) + int(stat[12])) / ticks  # utime, stime
    hwm = next(
        (int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")), 0
    )
    return cpu, hwm


def _descendants(pid: int) -> list[int]:
    out: list[int] = []
    todo = [pid]
    while todo:
        current = todo.pop()
        try:
            tasks = list(Path(f"/proc/{current}/task").iterdir())
        except OSError:
            continue
        for task in tasks:
            try:
                children = [int(c) for c in (task / "children").read_text().split()]
            except OSError:
                continue
            out.extend(children)
            todo.extend(children)
    return out


def run_once(corpus: Path, extra: list[str], out: Path) -> dict[str, Any]:
    """One `evx run`, measured."""
    cmd = [sys.executable, "-m", "evx", "run", str(REPO / "rules"), str(corpus), "-o", str(out)]
    cmd += ["--quiet", *extra]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=REPO)
    parent_cpu, parent_rss = 0.0, 0
    tree_cpu: dict[int, float] = {}
    while True:
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        figures = _proc_figures(proc.pid)
        if figures:  # a zombie has no memory left to read: keep the highest readings
            parent_cpu, parent_rss = max(parent_cpu, figures[0]), max(parent_rss, figures[1])
        for child in _descendants(proc.pid):
            seen = _proc_figures(child)
            if seen:
                tree_cpu[child] = max(tree_cpu.get(child, 0.0), seen[0])
        time.sleep(0.05)
    wall = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    proc.returncode = code
    if code != 0:
        raise SystemExit(f"jobs.py: {' '.join(cmd)} exited {code}")
    digest = hashlib.sha256(out.read_bytes()).hexdigest()
    return {
        "wall": round(wall, 2),
        "cpu": round(max(usage.ru_utime + usage.ru_stime, parent_cpu + sum(tree_cpu.values())), 2),
        "parent_cpu": round(parent_cpu, 2),
        "parent_rss_mib": round(parent_rss / 1024, 1),
        "sha256": digest,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--tokens", type=int, default=1_000_000)
    parser.add_argument("--corpus", type=Path, help="a JSON Lines corpus instead of --tokens")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--configs", default="1,2,dask", help="of 1, 2 and dask")
    args = parser.parse_args()
    corpus = args.corpus or corpus_file(args.tokens)
    configs = args.configs.split(",")
    runs: dict[str, list[dict[str, Any]]] = {c: [] for c in configs}
    with tempfile.TemporaryDirectory() as tmp:
        for _ in range(args.repeat):
            for config in configs:
                runs[config].append(run_once(corpus, CONFIGS[config], Path(tmp) / "out.jsonl"))
    digests = {r["sha256"] for rs in runs.values() for r in rs}
    if len(digests) != 1:
        raise SystemExit(f"jobs.py: the outputs differ between configurations: {digests}")
    medians = {
        c: {
            k: statistics.median(r[k] for r in rs)
            for k in ("wall", "cpu", "parent_cpu", "parent_rss_mib")
        }
        for c, rs in runs.items()
    }
    base = medians[configs[0]]["wall"]
    for config, m in medians.items():
        print(
            f"{config:>5}: wall {m['wall']:7.2f} s  cpu {m['cpu']:7.2f} s  "
            f"parent cpu {m['parent_cpu']:6.2f} s  parent peak RSS {m['parent_rss_mib']:6.1f} MiB  "
            f"speed-up {base / m['wall']:.2f}x"
        )
    load = os.getloadavg()
    print(
        json.dumps(
            {
                "corpus": str(corpus),
                "bytes": corpus.stat().st_size,
                "cores": os.cpu_count(),
                "loadavg_after": [round(x, 2) for x in load],
                "medians": medians,
                "runs": runs,
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
