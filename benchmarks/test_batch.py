"""Batch scoring against a per-row scalar loop and a plain numpy floor, in the same process.

Run: ``python -m pytest benchmarks --benchmark-only``.
"""

from __future__ import annotations

import pytest

import ntmkit

np = pytest.importorskip("numpy")
pd = pytest.importorskip("pandas")
pytest.importorskip("pytest_benchmark")

REGIONS = [r.value for r in ntmkit.Region]


def synthetic(n: int, seed: int = 0) -> pd.DataFrame:
    """Synthetic communes (not real data): random values around the known thresholds."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "region": rng.choice(REGIONS, n),
        "2.1": rng.uniform(90, 100, n), "2.2": rng.uniform(60, 100, n),
        "3.1": rng.uniform(60, 100, n), "3.2": rng.random(n) < 0.9,
        "9.1": rng.integers(0, 5, n).astype(float), "10": rng.uniform(30, 80, n),
        "15.3": rng.uniform(5, 30, n), "15.4": rng.uniform(30, 90, n),
        "8.1": rng.random(n) < 0.95, "8.2": rng.random(n) < 0.95,
    })


@pytest.fixture(scope="module")
def cs() -> ntmkit.CriteriaSet:
    return ntmkit.registry.get("commune/ntm", version="2024-03-01")


@pytest.mark.parametrize("n", [1_000, 10_000])
def test_assess_frame(benchmark, cs, n) -> None:
    frame = synthetic(n)
    out = benchmark(ntmkit.assess_frame, frame, cs, year=2024)
    assert len(out) == n


def test_per_row_scalar_loop_1000(benchmark, cs) -> None:
    records = synthetic(1_000).to_dict("records")

    def loop() -> int:
        met = 0
        for row in records:
            observations = {k: v for k, v in row.items() if k != "region"}
            commune = ntmkit.Commune(code="x", name="x", region=row["region"])
            met += ntmkit.assess(commune, observations, cs, year=2024).met
        return met

    benchmark.pedantic(loop, rounds=3, iterations=1)


def test_numpy_floor_10000(benchmark) -> None:
    frame = synthetic(10_000)
    values = {c: frame[c].to_numpy() for c in frame.columns if c != "region"}
    thresholds = {"2.1": 100.0, "3.1": 80.0, "10": 39.0, "15.3": 24.0}

    def floor() -> int:
        ok = np.ones(len(frame), dtype=bool)
        for code, t in thresholds.items():
            ok &= (values[code] <= t) if code == "15.3" else (values[code] >= t)
        return int(ok.sum())

    benchmark(floor)
