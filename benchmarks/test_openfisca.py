"""ntmkit.assess_frame against the same commune criteria written as an OpenFisca model.

Needs ``pip install -r benchmarks/requirements.txt``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

import ntmkit

pytest.importorskip("openfisca_core")
pytest.importorskip("pytest_benchmark")
sys.path.insert(0, str(Path(__file__).parent))

from openfisca_model import build_system, simulate

from ntmkit.datasets import synthetic_communes


@pytest.fixture(scope="module")
def setup():
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    frame = synthetic_communes(10_000, seed=0).drop(columns=["code", "name", "synthetic",
                                                             "classes"])
    return cs, frame, build_system(cs)


def test_openfisca_10000(benchmark, setup) -> None:
    cs, frame, system = setup
    met = benchmark(simulate, system, frame, 2024)
    assert (met == ntmkit.assess_frame(frame, cs)["met"].to_numpy()).all()


def test_ntmkit_10000_same_frame(benchmark, setup) -> None:
    cs, frame, _ = setup
    benchmark(ntmkit.assess_frame, frame, cs)
