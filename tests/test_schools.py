"""Criterion 5 (Trường học) of 318/QĐ-TTg as the guidance 1491/QĐ-BGDĐT casts it: the rule
depends on the region and on the commune's number of schools, expressed as data (two level-1
indicators, each binding only where it applies), judged the same by assess and assess_frame."""

from __future__ import annotations

import pytest

import ntmkit
from ntmkit import Verdict

pd = pytest.importorskip("pandas")

NA = Verdict.NOT_APPLICABLE


@pytest.fixture(scope="module")
def ntm() -> ntmkit.CriteriaSet:
    return ntmkit.registry.get("commune/ntm", version="2022-03-08")


# (region, observations, criterion 5's verdict)
CASES = [
    # Mekong Delta, 5 schools, 4 at level 1 (80 % >= 70 %), all at the minimum standard
    ("mekong_delta", {"5.minimum": 100, "5.level1": 80, "5.level1_small": NA}, "met"),
    # the same commune with 3 at level 1 (60 % < 70 %)
    ("mekong_delta", {"5.minimum": 100, "5.level1": 60, "5.level1_small": NA}, "not_met"),
    # Mekong Delta, 3 schools, 2 at level 1 (66.7 % >= 50 %)
    ("mekong_delta", {"5.minimum": 100, "5.level1": NA, "5.level1_small": 200 / 3}, "met"),
    # 3 schools, 1 at level 1 (33.3 % < 50 %)
    ("mekong_delta", {"5.minimum": 100, "5.level1": NA, "5.level1_small": 100 / 3}, "not_met"),
    # one school below the minimum standard fails whatever the level-1 share
    ("central_highlands", {"5.minimum": 75, "5.level1": 75, "5.level1_small": NA}, "not_met"),
    # Red River Delta: every school at level 1, whatever their number
    ("red_river_delta", {"5.level1": 100}, "met"),
    ("red_river_delta", {"5.level1": 80}, "not_met"),
    # the count is not declared: the level-1 share alone cannot decide
    ("mekong_delta", {"5.minimum": 100, "5.level1": 80}, "unknown"),
]


@pytest.mark.parametrize(("region", "observed", "expected"), CASES)
def test_schools_rule_depends_on_region_and_count(ntm, region, observed, expected) -> None:
    commune = ntmkit.Commune(code="1", name="Xã Thử", region=region)
    result = ntmkit.assess(commune, observed, ntm, year=2023)
    assert result.criteria["5"].verdict.value == expected


def test_assess_frame_judges_schools_as_assess_does(ntm) -> None:
    rows = []
    for region, observed, _ in CASES:
        row = {"region": region, "year": 2023, "5.minimum": None, "5.level1": None,
               "5.level1_small": None}
        for code, value in observed.items():
            row[code] = "không áp dụng" if value is NA else float(value)
        rows.append(row)
    out = ntmkit.assess_frame(pd.DataFrame(rows), ntm)
    assert list(out["c:5"]) == [expected for _, _, expected in CASES]


def test_schools_thresholds_follow_the_guidance(ntm) -> None:
    rrd = ntm.threshold("5.level1", region="red_river_delta")
    elsewhere = ntm.threshold("5.level1", region="north_central_coast")
    small = ntm.threshold("5.level1_small", region="north_central_coast")
    assert (rrd.value, elsewhere.value, small.value) == (100, 70, 50)
    assert not ntm.threshold("5.level1_small", region="southeast").applies
    assert not ntm.threshold("5.minimum", region="southeast").applies
    for code in ("5.minimum", "5.level1", "5.level1_small"):
        t = ntm.threshold(code, region="mekong_delta")
        assert t.confidence is ntmkit.Confidence.GUIDANCE
        assert t.legal_ref.act == "1491/QĐ-BGDĐT"
