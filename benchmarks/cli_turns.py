"""The command line on 10,000 and 100,000 communes, in turns with its floor and older code.

``python benchmarks/cli_turns.py [--base OLD/src] [--rounds 3]`` writes synthetic communes
(``ntmkit.datasets``) to CSV and, round by round, runs as whole processes: a Python process
that only imports pandas, reads the CSV and writes it back (the floor), ``ntmkit assess
--format csv`` and ``ntmkit report`` (100,000 rows), each of this tree and, with ``--base``,
of another source tree (e.g. ``git archive main src | tar -x -C OLD``).  Taking turns lets
the load of a shared machine fall on all of them alike; the best round of each is shown,
with its peak memory (Linux).  It also checks that both trees write the same CSV bytes.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PY = sys.executable
MAKE = ("import sys; from ntmkit.datasets import synthetic_communes; synthetic_communes("
        "int(sys.argv[1]), seed=1).drop(columns=['synthetic']).to_csv(sys.argv[2], index=False)")
FLOOR = "import pandas as pd, sys; pd.read_csv(sys.argv[1]).to_csv(sys.argv[2], index=False)"


def run(argv: list[str], src: str | None = None) -> tuple[float, float]:
    """Wall time (s) and peak memory (MiB, Linux) of one process."""
    env = dict(os.environ)
    if src is not None:
        env["PYTHONPATH"] = src
    start = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    took = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode:
        raise SystemExit(f"{' '.join(argv)} failed ({proc.returncode})")
    return took, usage.ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--base", help="the src folder of the code to compare with")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp())
    trees = {"this": None, **({"base": args.base} if args.base else {})}
    best: dict[str, tuple[float, float]] = {}
    print(f"load average at the start: {os.getloadavg()[0]:.1f}")
    for n in (10_000, 100_000):  # in a process of its own: this one stays small, and a
        # child's peak memory counts what it had when forked from this one
        subprocess.run([PY, "-c", MAKE, str(n), str(tmp / f"c{n}.csv")], check=True)
    for _ in range(args.rounds):
        for n in (10_000, 100_000):
            path = tmp / f"c{n}.csv"
            jobs = {f"floor {n:,}": ([PY, "-c", FLOOR, str(path), str(tmp / "f.csv")], None)}
            for name, src in trees.items():
                jobs[f"{name} assess {n:,}"] = ([PY, "-m", "ntmkit.cli", "assess", str(path),
                                                 "--format", "csv", "-o",
                                                 str(tmp / f"{name}.csv")], src)
                if n == 100_000:
                    jobs[f"{name} report {n:,}"] = ([PY, "-m", "ntmkit.cli", "report",
                                                     str(path), "-o",
                                                     str(tmp / f"{name}.html")], src)
            for key, (argv, src) in jobs.items():
                took, peak = run(argv, src)
                if key not in best or took < best[key][0]:
                    best[key] = (took, peak)
            if args.base and not filecmp.cmp(tmp / "this.csv", tmp / "base.csv",
                                             shallow=False):
                raise SystemExit(f"the two trees wrote different CSV for {n:,} rows")
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    for key, (took, peak) in best.items():
        n = key.split()[-1]
        floor = best[f"floor {n}"][0]
        print(f"{key:24} {took:6.2f} s  {peak:5.0f} MiB  {took / floor:5.2f}× floor")
    if args.base:
        for what in ("assess 10,000", "assess 100,000", "report 100,000"):
            print(f"{what:24} this / base {best['this ' + what][0] / best['base ' + what][0]:.2f}")


if __name__ == "__main__":
    main()
