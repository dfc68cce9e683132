"""Every speed figure of the engine in one run, as ratios to a floor measured in the same run.

Run: ``python benchmarks/engine.py`` (prints the Markdown table of benchmarks/README.md;
``--quick`` leaves out the 100,000-row runs, ``--in-process`` every run of a whole process).
Synthetic communes only.  Functions compared with each other take turns round by round
(:func:`interleaved`), so that the load of a shared machine falls on all of them alike.
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
    from ntmkit.batch import _REGIONS, _compile, _layout
    from ntmkit.model import Context

    contexts = tuple(Context(r, 2024, frozenset(), None) for r in _REGIONS)
    plan = _compile(np, cs, contexts)
    row = {ind.code: i for i, ind in enumerate(_layout(np, cs).indicators)}
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
                i = row[ind.code]
                fixed = plan.fixed[i][region]
                if ind.code not in columns:
                    parts.append(np.where(fixed == 2, 2, 1))
                    continue
                v = columns[ind.code]
                if ind.numeric:
                    t = plan.value[i][region]
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


def best(fn, number: int, rounds: int = 5) -> tuple[float, float]:
    """Best time per call over *rounds* rounds, and the spread (slowest / best round)."""
    times = [t / number for t in timeit.repeat(fn, number=number, repeat=rounds)]
    return min(times), max(times) / min(times)


def interleaved(fns: dict[str, object], number: int, rounds: int = 7) -> dict[str, float]:
    """Best time per call of each function, the functions taking turns round by round.

    Taking turns spreads the load of a shared machine over all of them, so that their
    ratios stay meaningful when the absolute times do not.
    """
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(rounds):
        for name, fn in fns.items():
            times[name].append(timeit.timeit(fn, number=number) / number)
    return {name: min(t) for name, t in times.items()}


def main(quick: bool, processes: bool = True) -> None:
    start_load = os.getloadavg()[0]
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    rows: list[tuple[str, str, str, str]] = []  # (what, measured, ratio, target)
    tmp = Path(tempfile.mkdtemp())
    sizes = [] if not processes else [10_000] if quick else [10_000, 100_000]
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
    for n in (1_000, 10_000):
        frame = synthetic_communes(n, seed=0).drop(columns=["code", "name", "synthetic"])
        floor = numpy_floor(frame, cs)
        met = ntmkit.assess_frame(frame, cs, gaps=False)["met"].to_numpy()
        assert (floor() == met).all()
        fns = {"engine": lambda f=frame: ntmkit.assess_frame(f, cs, gaps=False), "floor": floor}
        peers = {}
        if n == 10_000:
            try:
                sys.path.insert(0, str(Path(__file__).parent))
                from openfisca_model import build_system, simulate, simulate_tuned

                system, tuned = build_system(cs), build_system(cs, tuned=True)
                assert (simulate(system, frame, 2024) == met).all()
                assert (simulate_tuned(tuned, frame, 2024) == met).all()
                fns["tuned"] = lambda f=frame, s=tuned: simulate_tuned(s, f, 2024)
                peers["idiomatic"] = lambda f=frame, s=system: simulate(s, f, 2024)
            except ImportError:
                pass
        got = interleaved(fns, 5 if n == 10_000 else 20)
        engine, ready = got["engine"], got["floor"]
        rows.append((f"`assess_frame`, {n:,} rows (full commune set)", f"{engine * 1e3:.1f} ms",
                     f"{engine / ready:.1f}× numpy floor from ready arrays "
                     f"({ready * 1e3:.1f} ms)", "≤ 3× (10k)"))
        if "tuned" in got:
            of, _ = best(peers["idiomatic"], 1, 3)
            rows.append(("OpenFisca model (idiomatic), same frame", f"{of * 1e3:.1f} ms",
                         f"assess_frame is {of / engine:.1f}× faster", "faster"))
            rows.append(("OpenFisca model (hand-tuned, numpy gather), same frame",
                         f"{got['tuned'] * 1e3:.1f} ms",
                         f"assess_frame is {got['tuned'] / engine:.2f}× faster", "≥ 2× faster"))
        elif n == 10_000:
            rows.append(("OpenFisca models", "not run", "openfisca-core not installed "
                         "(pip install -r benchmarks/requirements.txt)", "faster; ≥ 2× faster"))
    commune = ntmkit.Commune(code="1", name="X", region="red_river_delta")
    six = {"3.1": 85.0, "3.2": True, "10": 48.0, "15.3": 12.0, "2.1": 100.0, "9.1": 0.0}
    row = synthetic_communes(1, seed=3).to_dict("records")[0]
    full = {code: (None if row[code] != row[code] else bool(row[code])
                   if cs.indicators[code].rule.kind.value == "achieved" else float(row[code]))
            for code in cs.indicators if code in row}
    thresholds = {"3.1": 80.0, "10": 39.0, "15.3": 16.5, "2.1": 100.0, "9.1": 0.0}

    def plain() -> int:  # the six comparisons by hand: no provenance, no result objects
        met = 0
        for code, t in thresholds.items():
            v = six[code]
            met += (v <= t) if code in ("15.3", "9.1") else (v >= t)
        return met + bool(six["3.2"])

    got = interleaved({"six": lambda: ntmkit.assess(commune, six, cs, year=2024),
                       "every": lambda: ntmkit.assess(commune, full, cs, year=2024),
                       "plain": plain}, 500)
    rows.append(("scalar `assess`, 6 indicators observed", f"{got['six'] * 1e6:.0f} µs",
                 f"{got['six'] / got['plain']:.0f}× six plain comparisons "
                 f"({got['plain'] * 1e6:.2f} µs)", "≤ 50 µs"))
    rows.append((f"scalar `assess`, {sum(v is not None for v in full.values())} indicators "
                 "observed", f"{got['every'] * 1e6:.0f} µs",
                 f"{got['every'] / got['plain']:.0f}× six plain comparisons", "≤ 60 µs"))
    imports, bare, own = [], [], []
    for _ in range(7):  # taking turns, as above
        imports.append(run([PY, "-c", "import ntmkit"], repeat=1)[0])
        bare.append(run([PY, "-c", "pass"], repeat=1)[0])
        done = subprocess.run([PY, "-X", "importtime", "-c", "import ntmkit"],
                              capture_output=True, text=True, check=True)
        own.append(next(int(line.split("|")[1]) for line in done.stderr.splitlines()
                        if line.split("|")[-1].strip() == "ntmkit") / 1e6)
    rows.append(("`import ntmkit`", f"{(min(imports) - min(bare)) * 1e3:.0f} ms (process "
                 f"minus an empty one); {min(own) * 1e3:.0f} ms (`-X importtime`)", "",
                 "≤ 150 ms"))
    print(f"cores: {os.cpu_count()}, load average: {start_load:.1f} at the start, "
          f"{os.getloadavg()[0]:.1f} at the end\n")
    print("| what | measured | ratio | target |")
    print("|---|---|---|---|")
    for r in rows:
        print("| " + " | ".join(r) + " |")
    shutil.rmtree(tmp)


if __name__ == "__main__":
    main("--quick" in sys.argv, processes="--in-process" not in sys.argv)
