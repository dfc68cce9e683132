"""Every speed figure of the engine in one run, as ratios to a floor measured in the same run.

Run: ``python benchmarks/engine.py`` (prints the Markdown table of benchmarks/README.md;
``--quick`` leaves out the 100,000-row runs).  Synthetic communes only.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
import time
import timeit
from pathlib import Path

import numpy as np

import ntmkit
from ntmkit.datasets import synthetic_communes

PY = sys.executable
TIME = shutil.which("time") or ("/usr/bin/time" if Path("/usr/bin/time").exists() else None)


def run(argv: list[str], repeat: int = 3) -> tuple[float, float | None]:
    """Best wall time (s) of a process, and its peak resident memory (MiB) when known."""
    best, peak = float("inf"), None
    for _ in range(repeat):
        prefix = [TIME, "-f", "%M"] if TIME else []
        start = time.perf_counter()
        done = subprocess.run(prefix + argv, capture_output=True, text=True, check=True)
        best = min(best, time.perf_counter() - start)
        if TIME:
            peak = int(done.stderr.strip().splitlines()[-1]) / 1024
    return best, peak


FLOOR_IO = "import pandas as pd, sys; pd.read_csv(sys.argv[1]).to_csv(sys.argv[2], index=False)"
FLOOR_ENGINE = """
import sys, pandas as pd, ntmkit
cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
frame = pd.read_csv(sys.argv[1]).drop(columns=["code", "name"])
ntmkit.assess_frame(frame, cs, gaps=False).to_csv(sys.argv[2])
"""


def numpy_floor(frame, cs):  # the same work from ready arrays: thresholds, verdicts, reduce
    from ntmkit.batch import _REGIONS, _plan_arrays
    from ntmkit.model import Context

    contexts = [Context(r, 2024, frozenset(), None) for r in _REGIONS]
    plan = _plan_arrays(np, cs, contexts)
    region = np.array([_REGIONS.index(ntmkit.Region(r)) for r in frame["region"]])
    columns = {}
    for code in cs.indicators:
        if code in frame.columns:
            columns[code] = frame[code].to_numpy(dtype=float, na_value=np.nan)

    def floor():
        met = np.zeros(len(frame), dtype=np.int64)
        for criterion in cs.criteria.values():
            parts = []
            for ind in criterion.indicators:
                step = plan[ind.code]
                fixed = step.fixed[region]
                if ind.code not in columns:
                    parts.append(np.where(fixed == 2, 2, 1))
                    continue
                v = columns[ind.code]
                if ind.numeric:
                    t = step.value[region]
                    ok = v >= t if ind.rule.kind.value == "at_least" else v <= t
                else:
                    ok = v == 1.0
                out = np.where(np.isnan(v), 1, np.where(ok, 3, 0))
                parts.append(np.where(fixed >= 0, fixed, out))
            if parts:
                stack = np.vstack(parts)
                c = np.where((stack == 0).any(0), 0, np.where((stack == 1).any(0), 1, 3))
                met += c == 3
        return met

    return floor


def best(fn, number: int) -> float:
    return min(timeit.repeat(fn, number=number, repeat=5)) / number


def main(quick: bool) -> None:
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    rows: list[tuple[str, str, str, str]] = []  # (what, measured, ratio, target)
    tmp = Path(tempfile.mkdtemp())
    sizes = [10_000] if quick else [10_000, 100_000]
    for n in sizes:
        frame = synthetic_communes(n, seed=1).drop(columns=["synthetic"])
        path = tmp / f"c{n}.csv"
        frame.to_csv(path, index=False)
        out = tmp / "out.csv"
        cli, cli_mem = run([PY, "-m", "ntmkit.cli", "assess", str(path), "--format", "csv",
                            "-o", str(out)])
        io_floor, _ = run([PY, "-c", FLOOR_IO, str(path), str(out)])
        engine_floor, _ = run([PY, "-c", FLOOR_ENGINE, str(path), str(out)])
        mem = f", {cli_mem:.0f} MiB peak" if cli_mem else ""
        rows.append((f"CLI `assess --format csv`, {n:,} rows", f"{cli:.2f} s{mem}",
                     f"{cli / io_floor:.2f}× read+write floor ({io_floor:.2f} s); "
                     f"{cli / engine_floor:.2f}× read+assess_frame+write ({engine_floor:.2f} s)",
                     "≤ 1.5× (10k); ≤ 3 s, ≤ 400 MiB (100k)"))
        if n == 100_000:
            report, report_mem = run([PY, "-m", "ntmkit.cli", "report", str(path), "-o",
                                      str(tmp / "r.html")], repeat=1)
            size = (tmp / "r.html").stat().st_size / 1e6
            mem = f", {report_mem:.0f} MiB peak" if report_mem else ""
            rows.append((f"CLI `report`, {n:,} rows", f"{report:.2f} s{mem}, {size:.1f} MB file",
                         f"{report / io_floor:.2f}× read+write floor", "≤ 5 s"))
    frame = synthetic_communes(10_000, seed=0).drop(columns=["code", "name", "synthetic"])
    engine = best(lambda: ntmkit.assess_frame(frame, cs, gaps=False), 5)
    floor = numpy_floor(frame, cs)
    ready = best(floor, 5)
    rows.append(("`assess_frame`, 10,000 rows (full commune set)", f"{engine * 1e3:.1f} ms",
                 f"{engine / ready:.1f}× numpy floor from ready arrays ({ready * 1e3:.1f} ms)",
                 "≤ 3×"))
    try:
        sys.path.insert(0, str(Path(__file__).parent))
        from openfisca_model import build_system, simulate

        system = build_system(cs)
        of = best(lambda: simulate(system, frame, 2024), 2)
        rows.append(("OpenFisca model (idiomatic), same frame", f"{of * 1e3:.1f} ms",
                     f"assess_frame is {of / engine:.1f}× faster", "faster"))
    except ImportError:
        rows.append(("OpenFisca model (idiomatic)", "not run", "openfisca-core not installed "
                     "(pip install -r benchmarks/requirements.txt)", "faster"))
    rows.append(("OpenFisca model (hand-tuned, numpy gather)", "not run",
                 "no such model in benchmarks/ yet", "≥ 2× faster"))
    commune = ntmkit.Commune(code="1", name="X", region="red_river_delta")
    six = {"3.1": 85.0, "3.2": True, "10": 48.0, "15.3": 12.0, "2.1": 100.0, "9.1": 0.0}
    row = synthetic_communes(1, seed=3).to_dict("records")[0]
    full = {code: (None if row[code] != row[code] else bool(row[code])
                   if cs.indicators[code].rule.kind.value == "achieved" else float(row[code]))
            for code in cs.indicators if code in row}
    one = best(lambda: ntmkit.assess(commune, six, cs, year=2024), 500)
    every = best(lambda: ntmkit.assess(commune, full, cs, year=2024), 500)
    rows.append(("scalar `assess`, 6 indicators observed", f"{one * 1e6:.0f} µs", "", "≤ 50 µs"))
    rows.append((f"scalar `assess`, {sum(v is not None for v in full.values())} indicators "
                 "observed", f"{every * 1e6:.0f} µs", "", "≤ 60 µs"))
    imports = min(run([PY, "-c", "import ntmkit"], repeat=5)[0] for _ in range(1))
    bare = min(run([PY, "-c", "pass"], repeat=5)[0] for _ in range(1))
    rows.append(("`import ntmkit` (process minus an empty one)",
                  f"{(imports - bare) * 1e3:.0f} ms", "", "≤ 150 ms"))
    print(f"cores: {os.cpu_count()}, load average: {os.getloadavg()[0]:.1f}\n")
    print("| what | measured | ratio | target |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main("--quick" in sys.argv)
