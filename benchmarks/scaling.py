"""Scaling of assess_frame from 1k to 1M synthetic communes: time and peak memory.

Run: ``python benchmarks/scaling.py`` (prints a Markdown table). Synthetic data only.
"""

from __future__ import annotations

import sys
import time
import tracemalloc

import ntmkit
from ntmkit.datasets import synthetic_communes


def main(sizes: list[int]) -> None:
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    print("| communes | time (ms) | µs per commune | input (MB) | peak extra (MB) | peak / input |")
    print("|---:|---:|---:|---:|---:|---:|")
    for n in sizes:
        frame = synthetic_communes(n, seed=0).drop(columns=["name", "code"])
        ntmkit.assess_frame(frame.head(100), cs)  # warm caches
        best = float("inf")
        for _ in range(3 if n <= 100_000 else 1):
            start = time.perf_counter()
            ntmkit.assess_frame(frame, cs)
            best = min(best, time.perf_counter() - start)
        size = frame.memory_usage(deep=True).sum() / 1e6
        tracemalloc.start()
        ntmkit.assess_frame(frame, cs)
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(f"| {n:,} | {best * 1e3:.1f} | {best * 1e6 / n:.2f} | {size:.1f} | "
              f"{peak / 1e6:.1f} | {peak / 1e6 / size:.2f} |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1_000, 10_000, 100_000, 1_000_000])
