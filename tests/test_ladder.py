"""Worked examples of the ladder (communes) and the pyramid (districts, provinces).

The shipped 2021-2025 sets cannot decide a commune as a whole (most thresholds are unknown
in published sources), so the commune examples use two small *test* sets with made-up,
complete thresholds; the district and province examples use the shipped roll-up sets, whose
share thresholds are known.
"""

from __future__ import annotations

import datetime as dt

import pytest

import ntmkit
from ntmkit import Share, Verdict
from ntmkit.registry import CriteriaRegistry


def _income_set(set_id: str, tier: str, threshold: str, requires: str = "") -> str:
    """A one-criterion test set: income (criterion and indicator "10") against *threshold*."""
    requires_line = f'requires = ["{requires}"]\n' if requires else ""
    return f"""format = "ntmkit.criteria-set.v1"
id = "{set_id}"
version = "1"
tier = "{tier}"
{requires_line}level = "commune"
title_vi = "Bộ thử"
title_en = "Test set (made-up values)"
effective = 2022-03-08
checked_on = 2026-11-23
years = [2022, 2025]
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
thresholds = [{{ {threshold}, confidence = "verified", sources = ["T"] }}]
"""


SETS = {
    "ntm": _income_set("test/ntm", "ntm", "value = 50"),
    "advanced": _income_set("test/ntm-advanced", "ntm-advanced", "value = 60", "test/ntm@1"),
    "model": _income_set("test/ntm-model", "ntm-model",
                         'relative_to = { set = "test/ntm-advanced@1", indicator = "10", '
                         "factor = 1.1 }", "test/ntm-advanced@1"),
}


@pytest.fixture(scope="module")
def ladder(tmp_path_factory) -> CriteriaRegistry:
    registry = CriteriaRegistry.bundled()
    folder = tmp_path_factory.mktemp("ladder")
    for name, text in SETS.items():
        path = folder / f"{name}.toml"
        path.write_text(text, encoding="utf-8")
        registry.load(path)
    return registry


def _tiers(registry, income: float) -> dict[str, Verdict]:
    commune = ntmkit.Commune(code="1", name="Xã Thử", region="red_river_delta")
    return {key: ntmkit.assess(commune, {"10": income}, registry.get(key), year=2024,
                               registry=registry).verdict
            for key in ("test/ntm@1", "test/ntm-advanced@1", "test/ntm-model@1")}


def test_commune_that_is_ntm_but_not_advanced(ladder) -> None:
    """Income 55: 55 >= 50 (NTM) but 55 < 60 (nâng cao), so NTM only."""
    tiers = _tiers(ladder, 55.0)
    assert tiers == {"test/ntm@1": Verdict.MET, "test/ntm-advanced@1": Verdict.NOT_MET,
                     "test/ntm-model@1": Verdict.NOT_MET}


def test_advanced_commune_missing_the_model_income_margin_by_one_percent(ladder) -> None:
    """Model income must be >= 110 % of the advanced level 60, i.e. >= 66.
    65.4 is 109 % (one point short of 110 %): advanced, not model; 66 exactly is model."""
    short = _tiers(ladder, 65.4)
    assert short["test/ntm-advanced@1"] is Verdict.MET
    assert short["test/ntm-model@1"] is Verdict.NOT_MET
    assert _tiers(ladder, 66.0)["test/ntm-model@1"] is Verdict.MET


def test_district_blocked_by_one_commune() -> None:
    """20 communes, 19 recognised NTM: 100 * 19 < 100 * 20, condition H.1 fails."""
    cs = ntmkit.registry.get("district/ntm", on=dt.date(2024, 6, 1))
    district = ntmkit.District(name="Huyện Thử", province="Nam Định")
    result = ntmkit.assess(district, {"H.1": Share(19, 20), "H.2": Share(2, 20)}, cs)
    assert result.criteria["H.1"].verdict is Verdict.NOT_MET
    assert result.verdict is Verdict.NOT_MET


@pytest.mark.parametrize(("advanced", "verdict"), [(9, Verdict.NOT_MET), (10, Verdict.MET)])
def test_district_needs_ten_percent_advanced_communes(advanced, verdict) -> None:
    """9 of 100 is 9 % < 10 % (100 * 9 = 900 < 1000); 10 of 100 is exactly 10 %."""
    cs = ntmkit.registry.get("district/ntm", on=dt.date(2024, 6, 1))
    district = ntmkit.District(name="Huyện Thử", province="Nam Định")
    result = ntmkit.assess(district, {"H.2": Share(advanced, 100)}, cs)
    assert result.indicators["H.2"].verdict is verdict


def test_province_rolled_up_under_321_and_under_51_2025_from_the_same_communes() -> None:
    """200 communes: all NTM, 80 advanced, none modern.  Under 321/QĐ-TTg (2024) the
    commune condition is >= 40 % advanced: 80/200 = 40 %, met.  Under 51/2025 (2026) the
    province needs >= 10 % modern communes: 0/200, not met — the rule changed, not the data."""
    province = ntmkit.Province(name="Nam Định", region="red_river_delta")
    old = ntmkit.registry.get("province/ntm-completed", on=dt.date(2024, 6, 1))
    new = ntmkit.registry.get("province/ntm-completed", on=dt.date(2026, 6, 1))
    r2024 = ntmkit.assess(province, {"T.4": Share(80, 200)}, old)
    r2026 = ntmkit.assess(province, {"PL3.1": Share(200, 200), "PL3.2": Share(0, 200)}, new)
    assert r2024.indicators["T.4"].verdict is Verdict.MET
    assert r2026.indicators["PL3.1"].verdict is Verdict.MET
    assert r2026.indicators["PL3.2"].verdict is Verdict.NOT_MET
    assert r2026.verdict is Verdict.NOT_MET and r2024.verdict is not Verdict.NOT_MET


def test_an_ended_set_names_its_successor() -> None:
    with pytest.raises(ntmkit.UnknownCriteriaSet, match="51/2025/QĐ-TTg"):
        ntmkit.registry.get("commune/ntm-advanced", on=dt.date(2026, 6, 1))
    with pytest.raises(ntmkit.UnknownCriteriaSet, match="ended on 2025-07-01"):
        ntmkit.registry.get("district/ntm", on=dt.date(2025, 7, 1))


def test_unknown_thresholds_leave_the_tier_undecided_and_say_why() -> None:
    cs = ntmkit.registry.get("commune/ntm-advanced@2024-03-01")
    commune = ntmkit.Commune(code="1", name="X", region="southeast")
    result = ntmkit.assess(commune, {"10": 200.0}, cs, year=2024)
    assert result.verdict is Verdict.UNKNOWN and result.tier is None
    reasons = result.undecided_by()
    assert any(r.startswith("10 (threshold unknown") for r in reasons)
    assert "Cannot be decided" in result.explain("en")
