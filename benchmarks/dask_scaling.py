"""assess_frame on a Dask DataFrame against the same frame in pandas: time by size.

Run: ``python benchmarks/dask_scaling.py`` (needs ``dask[dataframe,distributed]``; prints
the Markdown table of the batch tutorial). A local cluster of one process with two threads,
the reference machine's two cores; synthetic communes only.
"""

from __future__ import annotations

import sys
import time

import dask.dataframe as dd
import distributed

import ntmkit
from ntmkit.datasets import synthetic_communes


def main(sizes: list[int]) -> None:
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    print("| communes | partitions | pandas (s) | Dask, local cluster (s) | Dask / pandas |")
    print("|---:|---:|---:|---:|---:|")
    with distributed.LocalCluster(n_workers=1, threads_per_worker=2, processes=False,
                                  dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        for n in sizes:
            frame = synthetic_communes(n, seed=0).drop(columns=["code", "name", "synthetic"])
            partitions = max(1, n // 250_000)
            lazy = dd.from_pandas(frame, npartitions=partitions).persist()
            ntmkit.assess_frame(frame.head(100), cs, gaps=False)  # warm caches
            client.compute(ntmkit.assess_frame(lazy.head(100, compute=False), cs)).result()
            start = time.perf_counter()
            ntmkit.assess_frame(frame, cs, gaps=False)
            plain = time.perf_counter() - start
            start = time.perf_counter()
            client.compute(ntmkit.assess_frame(lazy, cs, gaps=False)).result()
            spread = time.perf_counter() - start
            print(f"| {n:,} | {partitions} | {plain:.2f} | {spread:.2f} | "
                  f"{spread / plain:.2f} |")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [100_000, 1_000_000, 2_000_000])
