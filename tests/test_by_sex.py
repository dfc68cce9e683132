"""Indicators that men and women must each reach (áp dụng đạt cho cả nam và nữ)."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit import BySex, Verdict
from ntmkit.registry import Override

pd = pytest.importorskip("pandas")

VALUE = 90.0  # a test value for 15.1, given through a derived set (not the national value)


@pytest.fixture(scope="module")
def with_value(ntm_2022) -> ntmkit.CriteriaSet:
    return ntmkit.registry.derive(
        ntm_2022, id="test/by-sex", version="1",
        overrides=[Override("15.1", ntmkit.Threshold(value=VALUE, confidence="restated",
                                                     sources=("LC1",)))])


def _verdict(cs, value) -> ntmkit.IndicatorResult:
    commune = ntmkit.Commune(code="1", name="X", region="red_river_delta")
    return ntmkit.assess(commune, {"15.1": value}, cs, year=2023).indicators["15.1"]


def test_the_shipped_indicators_are_marked(ntm_2022) -> None:
    assert ntm_2022.indicators["15.1"].by_sex
    assert not ntm_2022.indicators["3.1"].by_sex


def test_both_sexes_must_reach_the_threshold(with_value) -> None:
    assert _verdict(with_value, BySex(men=95.0, women=91.0)).verdict is Verdict.MET
    below = _verdict(with_value, BySex(men=95.0, women=89.0))
    assert below.verdict is Verdict.NOT_MET
    assert below.value == 89.0
    assert below.gap == pytest.approx(1.0)
    assert below.observed == "men 95.0; women 89.0"


def test_a_missing_part_is_unknown_never_a_pass(with_value) -> None:
    result = _verdict(with_value, BySex(men=99.0, women=None))
    assert result.verdict is Verdict.UNKNOWN
    assert "women missing" in result.reason


def test_one_value_is_taken_as_given_and_says_so(with_value) -> None:
    result = _verdict(with_value, 92.0)
    assert result.verdict is Verdict.MET
    assert "one value given for men and women" in (result.observed or "")


def test_parts_are_checked_and_converted(with_value) -> None:
    with pytest.raises(ntmkit.InvalidValue, match=r"women: .*outside"):
        _verdict(with_value, BySex(men=95.0, women=120.0))
    with pytest.raises(ntmkit.InvalidValue, match="must be a number"):
        BySex(men=True, women=90.0)
    fraction = ntmkit.Q(0.93, "dimensionless")
    assert _verdict(with_value, BySex(men=fraction, women=95.0)).value == pytest.approx(93.0)


def test_by_sex_on_another_indicator_is_an_error(with_value) -> None:
    commune = ntmkit.Commune(code="1", name="X", region="red_river_delta")
    with pytest.raises(ntmkit.InvalidValue, match="not observed by sex"):
        ntmkit.assess(commune, {"3.1": BySex(men=90.0, women=90.0)}, with_value, year=2023)


@settings(max_examples=80, deadline=None)
@given(men=st.floats(0, 100), women=st.floats(0, 100), more=st.floats(0, 20))
def test_raising_either_value_never_lowers_the_verdict(with_value, men, women, more) -> None:
    order = {Verdict.NOT_MET: 0, Verdict.MET: 1}
    before = _verdict(with_value, BySex(men=men, women=women)).verdict
    for after in (BySex(men=min(100.0, men + more), women=women),
                  BySex(men=men, women=min(100.0, women + more))):
        assert order[_verdict(with_value, after).verdict] >= order[before]


def test_batch_reads_men_and_women_columns_like_assess(with_value) -> None:
    frame = pd.DataFrame({"region": ["red_river_delta"] * 4,
                          "15.1:men": [95.0, 95.0, None, 80.0],
                          "15.1:women": [91.0, 89.0, 99.0, 99.0]})
    out = ntmkit.assess_frame(frame, with_value, year=2023)
    assert list(out["v:15.1"]) == ["met", "not_met", "unknown", "not_met"]
    assert out["gap:15.1"].iloc[3] == pytest.approx(10.0)
    for i, row in frame.iterrows():
        men = None if pd.isna(row["15.1:men"]) else row["15.1:men"]
        scalar = _verdict(with_value, BySex(men=men, women=row["15.1:women"]))
        assert out["v:15.1"].iloc[i] == scalar.verdict.value


@pytest.mark.parametrize(("columns", "fragment"), [
    ({"15.1:men": [90.0]}, "needs its pair '15.1:women'"),
    ({"15.1": [90.0], "15.1:men": [90.0], "15.1:women": [90.0]}, "not both"),
    ({"3.1:men": [90.0], "3.1:women": [90.0]}, "not observed by sex"),
])
def test_batch_column_errors_name_the_column(with_value, columns, fragment) -> None:
    frame = pd.DataFrame({"region": ["red_river_delta"], **columns})
    with pytest.raises(ntmkit.NtmkitError, match=fragment):
        ntmkit.assess_frame(frame, with_value, year=2023)


def test_csv_and_json_files_take_values_by_sex(tmp_path, with_value) -> None:
    from ntmkit.io import read_observations

    csv = tmp_path / "obs.csv"
    csv.write_text("code,name,region,year,15.1:men,15.1:women [%]\n"
                   "1,A,red_river_delta,2023,95,89\n2,B,red_river_delta,2023,95,\n",
                   encoding="utf-8")
    rows = read_observations(csv, with_value)
    assert rows[0].observations["15.1"] == BySex(men=95.0, women=89.0)
    assert rows[1].observations["15.1"] == BySex(men=95.0, women=None)
    commune = ntmkit.Commune(code="1", name="A", region="red_river_delta")
    result = ntmkit.assess(commune, rows[0].observations, with_value, year=2023)
    assert result.indicators["15.1"].observed == "men 95.0; women 89.0"
    doc = {"format": "ntmkit.observations.v1", "communes": [
        {"commune": {"code": "1", "name": "A", "region": "red_river_delta"}, "year": 2023,
         "observations": {"15.1": {"men": {"value": 0.95, "unit": "dimensionless"},
                                   "women": 91}}}]}
    path = tmp_path / "obs.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    assert read_observations(path, with_value)[0].observations["15.1"] == BySex(men=95.0,
                                                                               women=91.0)


def test_csv_errors_name_the_column(tmp_path, with_value) -> None:
    from ntmkit.io import read_observations

    for header, fragment in (("15.1:men", "needs its pair"), ("3.1:men,3.1:women",
                                                             "not observed by sex")):
        path = tmp_path / "bad.csv"
        cells = ",".join("1" for _ in header.split(","))
        path.write_text(f"code,name,region,{header}\n1,A,red_river_delta,{cells}\n",
                        encoding="utf-8")
        with pytest.raises(ntmkit.ObservationFileError, match=fragment):
            read_observations(path, with_value)
