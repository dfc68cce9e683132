"""Scalar scoring speed, against a plain-Python baseline run in the same process.

Run: ``python -m pytest benchmarks --benchmark-only`` (needs the ``bench`` extra).
"""

from __future__ import annotations

import pytest

import ntmkit

pytest.importorskip("pytest_benchmark")

OBS = {"3.1": 85.0, "3.2": True, "10": 48.0, "15.3": 12.0, "2.1": 100.0, "9.1": 0.0}


@pytest.fixture(scope="module")
def cs() -> ntmkit.CriteriaSet:
    return ntmkit.registry.get("commune/ntm", version="2024-03-01")


def test_assess_one_commune(benchmark, cs) -> None:
    commune = ntmkit.Commune(code="1", name="X", region="red_river_delta")
    result = benchmark(ntmkit.assess, commune, OBS, cs, year=2024)
    assert result.total == 19


def test_assess_one_fully_observed_commune(benchmark, cs) -> None:
    # A synthetic commune with (nearly) every indicator observed: one result per indicator.
    from ntmkit.datasets import synthetic_communes

    row = synthetic_communes(1, seed=3).to_dict("records")[0]
    obs = {code: (None if row[code] != row[code] else
                  bool(row[code]) if cs.indicators[code].rule.kind.value == "achieved"
                  else float(row[code]))
           for code in cs.indicators if code in row}
    commune = ntmkit.Commune(code="1", name="X", region=row["region"])
    result = benchmark(ntmkit.assess, commune, obs, cs, year=int(row["year"]))
    assert sum(v is not None for v in obs.values()) >= 15
    assert len(result.indicators) == len(cs.indicators)


def test_baseline_plain_comparisons(benchmark) -> None:
    # The floor: the same six comparisons written by hand, without provenance or results.
    thresholds = {"3.1": 80.0, "10": 39.0, "15.3": 16.5, "2.1": 100.0, "9.1": 0.0}

    def plain() -> int:
        met = 0
        for code, t in thresholds.items():
            v = OBS[code]
            met += (v <= t) if code in ("15.3", "9.1") else (v >= t)
        return met + bool(OBS["3.2"])

    assert benchmark(plain) >= 1
