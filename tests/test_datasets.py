from __future__ import annotations

import pytest

import ntmkit

pd = pytest.importorskip("pandas")

from ntmkit.datasets import synthetic_communes  # noqa: E402


def test_same_seed_same_frame_and_labelled_synthetic() -> None:
    a, b = synthetic_communes(200, seed=7), synthetic_communes(200, seed=7)
    pd.testing.assert_frame_equal(a, b)
    assert not a.equals(synthetic_communes(200, seed=8))
    assert a["synthetic"].all() and a["code"].str.startswith("SYN-").all()


def test_synthetic_frame_scores_directly_and_has_missing_cells() -> None:
    frame = synthetic_communes(500, seed=1, missing=0.1)
    assert frame["3.1"].isna().any()
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    out = ntmkit.assess_frame(frame, cs)
    assert len(out) == 500 and set(out["verdict"]) <= {"met", "not_met", "unknown"}


def test_regions_differ_in_the_synthetic_model() -> None:
    frame = synthetic_communes(4000, seed=2, missing=0.0)
    income = frame.groupby("region")["10"].median()
    assert income["southeast"] > income["northern_midlands_mountains"]
