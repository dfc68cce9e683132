"""Gap analysis and history on a small hand-checked dataset.

The shipped 2021-2025 sets cannot decide a commune (most thresholds are unknown in published
sources), so these tests use a *test* ladder with made-up, complete thresholds: ``test/ntm``
(income 50/52/54 for 2022/2023/2024, 3.1 ≥ 80, 17.1 ≥ 90) and an advanced set whose income
thresholds are unknown in its file and set here with ``derive`` (60/64/70), 3.1 ≥ 90,
17.1 ≥ 95.  None of these values is registry data.
"""

from __future__ import annotations

import datetime as dt

import pytest

import ntmkit
from ntmkit import Tier, Verdict
from ntmkit.gaps import gaps_frame, next_tier, tier_gaps
from ntmkit.registry import CriteriaRegistry, Override
from ntmkit.standing import blocking
from ntmkit.trajectory import history


def _set(set_id: str, tier: str, income: str, irrigation: int, environment: int,
         requires: str = "") -> str:
    requires_line = f'requires = ["{requires}"]\n' if requires else ""
    return f"""format = "ntmkit.criteria-set.v1"
id = "{set_id}"
version = "1"
tier = "{tier}"
{requires_line}level = "commune"
title_vi = "Bộ thử"
title_en = "Test set (made-up values)"
effective = 2022-03-08
checked_on = 2030-01-01
years = [2022, 2024]
[legal_basis]
act = "TEST"
[sources]
T = {{ url = "https://example.org/test" }}
[[pillars]]
code = "p"
name_vi = "Nhóm"
name_en = "Group"
[[pillars.criteria]]
code = "10"
name_vi = "Thu nhập"
name_en = "Income"
[[pillars.criteria.indicators]]
code = "10"
name_vi = "Thu nhập"
name_en = "Income"
unit = "million VND/person/year"
rule = "at_least"
year_dependent = true
thresholds = [{income}]
[[pillars.criteria]]
code = "3"
name_vi = "Thủy lợi"
name_en = "Irrigation"
[[pillars.criteria.indicators]]
code = "3.1"
name_vi = "Tưới tiêu"
name_en = "Irrigated land"
unit = "%"
rule = "at_least"
thresholds = [{{ value = {irrigation}, confidence = "verified", sources = ["T"] }}]
[[pillars.criteria]]
code = "17"
name_vi = "Môi trường"
name_en = "Environment"
[[pillars.criteria.indicators]]
code = "17.1"
name_vi = "Nước sạch"
name_en = "Clean water"
unit = "%"
rule = "at_least"
thresholds = [{{ value = {environment}, confidence = "verified", sources = ["T"] }}]
"""


def _years(values: dict[int, int] | None) -> str:
    if values is None:
        return ", ".join(f'{{ year = {y}, confidence = "unknown" }}' for y in (2022, 2023, 2024))
    return ", ".join(f'{{ year = {y}, value = {v}, confidence = "verified", sources = ["T"] }}'
                     for y, v in values.items())


@pytest.fixture(scope="module")
def ladder(tmp_path_factory):
    registry = CriteriaRegistry.bundled()
    folder = tmp_path_factory.mktemp("gaps")
    (folder / "ntm.toml").write_text(
        _set("test/ntm", "ntm", _years({2022: 50, 2023: 52, 2024: 54}), 80, 90),
        encoding="utf-8")
    (folder / "adv.toml").write_text(
        _set("test/ntm-advanced", "ntm-advanced", _years(None), 90, 95, "test/ntm@1"),
        encoding="utf-8")
    registry.load(folder / "ntm.toml")
    base = registry.load(folder / "adv.toml")
    advanced = registry.derive(base, id="test/ntm-advanced-income", version="1", overrides=[
        Override("10", ntmkit.Threshold(when=ntmkit.Condition(year=y), value=float(v),
                                        confidence="verified", sources=("T",)))
        for y, v in {2022: 60, 2023: 64, 2024: 70}.items()])
    return registry, ["test/ntm@1", advanced]


def _commune(code: str) -> ntmkit.Commune:
    return ntmkit.Commune(code=code, name=f"Xã {code}", region="red_river_delta")


def test_gap_to_the_next_tier_is_ordered_by_relative_distance(ladder) -> None:
    """2024, income 63, 3.1 = 85, 17.1 = 96: NTM is met (63 ≥ 54, 85 ≥ 80, 96 ≥ 90).
    Toward nâng cao: 3.1 is 5 short of 90 (5/90 = 5.6 %), income 7 short of 70 (10 %):
    3.1 comes first; 17.1 (96 ≥ 95) is met."""
    registry, sets = ladder
    gap = tier_gaps(_commune("B"), {"10": 63.0, "3.1": 85.0, "17.1": 96.0}, year=2024,
                    ladder=sets, registry=registry)
    assert (gap.reached, gap.next, gap.verdict) == (Tier.NTM, Tier.ADVANCED, Verdict.NOT_MET)
    assert [g.indicator for g in gap.gaps] == ["3.1", "10"]
    assert [round(g.relative, 4) for g in gap.gaps] == [round(5 / 90, 4), 0.1]
    assert [g.distance for g in gap.gaps] == [5.0, 7.0]
    assert gap.criteria_not_met == ("10", "3") and gap.unknowns == ()


def test_unknowns_are_listed_apart_from_the_gaps(ladder) -> None:
    """Without 17.1, nâng cao cannot be decided without it; the unmet income is still a gap."""
    registry, sets = ladder
    gap = tier_gaps(_commune("B"), {"10": 63.0, "3.1": 95.0}, year=2024, ladder=sets,
                    registry=registry)
    assert gap.reached is None and gap.next is Tier.NTM  # NTM itself lacks 17.1
    assert [u.indicator for u in gap.unknowns] == ["17.1"] and gap.gaps == ()
    both = next_tier([ntmkit.assess(_commune("B"), {"10": 63.0, "3.1": 95.0}, sets[1],
                                    year=2024, registry=registry)], sets=sets[1:])
    assert [g.indicator for g in both.gaps] == ["10"]
    assert {(u.set_key, u.indicator) for u in both.unknowns} == {
        ("test/ntm-advanced-income@1", "17.1"), ("test/ntm@1", "17.1")}


DISTRICT = {  # code: (income, 3.1, 17.1) in 2024
    "A": (75.0, 95.0, 97.0),  # nâng cao: counts
    "B": (63.0, 85.0, 96.0),  # lacks 10 and 3: 7/70 + 5/90 = 0.156
    "C": (69.0, 95.0, 97.0),  # lacks 10 only: 1/70 = 0.014
    "D": (72.0, 89.0, 80.0),  # lacks 3, 17 and NTM's 17: three criteria
    "E": (80.0, 60.0, 97.0),  # lacks 3 and NTM's 3: 30/90 + 20/80 = 0.583
}


def _assess_district(registry, sets):
    out = []
    for code, (income, irrigation, water) in DISTRICT.items():
        obs = {"10": income, "3.1": irrigation, "17.1": water}
        for cs in (registry.get(sets[0]), sets[1]):
            out.append(ntmkit.assess(_commune(code), obs, cs, year=2024, registry=registry))
    return out


def test_a_districts_blocking_communes_come_ordered_by_how_little_they_lack(ladder) -> None:
    """100 % nâng cao of 5 communes needs 5; A counts, 4 more.  Order: C (1 criterion),
    B (2 criteria, 0.156), E (2 criteria, 0.583), D (3 criteria)."""
    registry, sets = ladder
    p = blocking(_assess_district(registry, sets), "ntm-advanced", registry=registry,
                 sets=sets[1:])
    assert (p.basis, p.counted, p.required, p.more_needed) == ("computed", 1, 5, 4)
    assert [c.unit for c in p.candidates] == ["C", "B", "E", "D"]
    assert p.candidates[2].criteria_not_met == ("3", "test/ntm:3")
    assert p.candidates[0].distance == pytest.approx(1 / 70)
    assert [c.unit for c in p.cheapest()] == ["C", "B", "E", "D"]
    half = blocking(_assess_district(registry, sets), "ntm-advanced", percent=40,
                    registry=registry, sets=sets[1:])
    assert [c.unit for c in half.cheapest()] == ["C"]  # 40 % of 5 = 2: A and C


def test_gaps_frame_ranks_the_same_communes(ladder) -> None:
    pd = pytest.importorskip("pandas")
    registry, sets = ladder
    frame = pd.DataFrame(
        {"10": [v[0] for v in DISTRICT.values()], "3.1": [v[1] for v in DISTRICT.values()],
         "17.1": [v[2] for v in DISTRICT.values()], "region": "red_river_delta"},
        index=list(DISTRICT))
    out = gaps_frame(frame, sets[1], year=2024, registry=registry)
    assert list(out.sort_values("rank").index) == ["A", "C", "B", "E", "D"]
    assert out.loc["C", "rel:10"] == pytest.approx(1 / 70)
    assert out.loc["B", "nearest"] == "3.1" and out.loc["B", "lacking"] == 2


def test_three_year_panel_gains_then_loses_advanced_as_the_income_threshold_rises(ladder):
    """2022: income 58 ≥ 50 (NTM) but < 60: NTM.  2023: 66 ≥ 64: nâng cao (gained).
    2024: 68 < 70 — income rose by 2 while the threshold rose by 6: nâng cao lost.  The
    revocation check on the advanced set: 1 of 3 criteria fails (33 % ≥ 30 %) and it is
    income, a key criterion: at risk."""
    registry, sets = ladder
    panel = [(_commune("P"), year, {"10": income, "3.1": 95.0, "17.1": 97.0})
             for year, income in ((2022, 58.0), (2023, 66.0), (2024, 68.0))]
    trajectory = history(panel, ladder=sets, registry=registry)["P"]
    assert [y.reached for y in trajectory.years] == [Tier.NTM, Tier.ADVANCED, Tier.NTM]
    assert [(c.year, c.gained) for c in trajectory.changes] == [(2023, True), (2024, False)]
    assert trajectory.lost[0].before is Tier.ADVANCED
    last = trajectory.years[-1]
    assert last.held is Tier.ADVANCED
    assert (last.income_change, last.threshold_change, last.income_margin) == (2.0, 6.0, -2.0)
    assert last.revocation is not None and last.revocation.at_risk is True
    assert last.revocation.key_failed == ("10",)
    assert [(r.year, r.indicator, r.previous, r.value) for r in trajectory.regressions] == [
        (2024, "10", 66.0, 68.0)]
    assert trajectory.years[1].revocation.at_risk is False  # 2023: held NTM, nothing fails


def test_recognitions_decide_the_held_tier_and_the_revocation_test_set(ladder) -> None:
    """Recognised nâng cao on 2022-12-01 while the 2022 data reach only NTM (58 < 60): the
    commune is tested on the advanced set that year already — income fails, 1 of 3 criteria
    (33 %, a key criterion): at risk."""
    registry, sets = ladder
    recognition = ntmkit.rollup.Recognition("Q", "ntm-advanced", "1/QĐ-UBND",
                                            dt.date(2022, 12, 1))
    panel = [(_commune("Q"), 2022, {"10": 58.0, "3.1": 95.0, "17.1": 97.0})]
    year = history(panel, ladder=sets, registry=registry, recognitions=[recognition])["Q"].years[0]
    assert (year.reached, year.held) == (Tier.NTM, Tier.ADVANCED)
    assert year.revocation.at_risk is True and year.revocation.failed == ("10",)
    assert year.income_threshold == 60.0  # the held tier's threshold


def test_a_panel_row_without_a_year_is_refused(ladder) -> None:
    registry, sets = ladder
    with pytest.raises(ntmkit.InvalidValue, match="no year"):
        history([(_commune("P"), None, {})], ladder=sets, registry=registry)
    with pytest.raises(ntmkit.InvalidValue, match="two rows for the same year"):
        history([(_commune("P"), 2022, {}), (_commune("P"), 2022, {})], ladder=sets,
                registry=registry)


def test_a_frame_and_the_assessments_count_the_same(ladder) -> None:
    pd = pytest.importorskip("pandas")
    registry, sets = ladder
    frame = pd.DataFrame(
        {"10": [v[0] for v in DISTRICT.values()], "3.1": [v[1] for v in DISTRICT.values()],
         "17.1": [v[2] for v in DISTRICT.values()], "region": "red_river_delta"},
        index=list(DISTRICT))
    assessed = ntmkit.assess_frame(frame, sets[1], year=2024, registry=registry)
    for tier in ("ntm", "ntm-advanced"):
        by_frame = blocking(assessed, tier, registry=registry)  # the tier column says which set
        by_objects = blocking(_assess_district(registry, sets), tier, registry=registry,
                              sets=sets[1:])
        assert (by_frame.counted, by_frame.unknown, by_frame.more_needed) == (
            by_objects.counted, by_objects.unknown, by_objects.more_needed)
        assert {c.unit for c in by_frame.candidates} == {c.unit for c in by_objects.candidates}


def test_an_advanced_assessment_also_tells_ntm_through_its_prerequisite(ladder) -> None:
    """Only the advanced assessments: B, C, D (its 17.1 = 80 < 90 fails NTM) and E (3.1 = 60
    < 80 fails NTM).  NTM holders: A, B, C — 3 of 5."""
    registry, sets = ladder
    advanced_only = [a for a in _assess_district(registry, sets) if a.set_id != "test/ntm"]
    p = blocking(advanced_only, "ntm", registry=registry, sets=sets[1:])
    assert (p.counted, p.unknown, p.more_needed) == (3, 0, 2)
    assert {c.unit for c in p.candidates} == {"D", "E"}
