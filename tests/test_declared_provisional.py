"""Declared criterion verdicts, provisional thresholds, and observations down the set chain."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit import Condition, Confidence, Region, Threshold, Verdict
from ntmkit.registry import Override

RRD = Region.RED_RIVER_DELTA


@pytest.fixture(scope="module")
def ntm() -> ntmkit.CriteriaSet:
    return ntmkit.registry.get("commune/ntm", version="2024-03-01")


@pytest.fixture
def commune() -> ntmkit.Commune:
    return ntmkit.Commune(code="D-1", name="Xã Khai Báo", region=RRD)


def _assess(c, obs, cs, **kw):
    kw.setdefault("on", dt.date(2024, 6, 1))
    return ntmkit.assess(c, obs, cs, year=2024, **kw)


# -- declared verdicts ------------------------------------------------------------------------

def test_declared_criterion_counts_as_met_with_its_basis(ntm, commune) -> None:
    a = _assess(commune, {"criterion:10": "Đạt"}, ntm)
    c = a.criteria["10"]
    assert c.verdict is Verdict.MET
    assert c.basis == "declared"
    assert c.declared is Verdict.MET
    assert a.conflicts() == []


@pytest.mark.parametrize(("text", "verdict"), [
    ("Chưa đạt", Verdict.NOT_MET), ("chua dat", Verdict.NOT_MET), (False, Verdict.NOT_MET),
    (True, Verdict.MET), ("met", Verdict.MET), (Verdict.NOT_MET, Verdict.NOT_MET),
])
def test_declared_values_in_any_spelling(ntm, commune, text, verdict) -> None:
    assert _assess(commune, {"criterion:3": text}, ntm).criteria["3"].verdict is verdict


def test_declared_verdict_disagreeing_with_values_is_a_conflict(ntm) -> None:
    # 2022, Northern Midlands and Mountains: income >= 39 million VND is in the registry.
    mountain = ntmkit.Commune(code="N-1", name="Xã Núi", region=Region.NORTHERN_MIDLANDS_MOUNTAINS)
    a = ntmkit.assess(mountain, {"criterion:10": "Đạt", "10": 30.0}, ntm, year=2022,
                      on=dt.date(2024, 6, 1))
    c = a.criteria["10"]
    assert c.basis == "conflict"
    assert c.verdict is Verdict.UNKNOWN  # never silently one side
    assert (c.declared, c.computed) == (Verdict.MET, Verdict.NOT_MET)
    assert [x.code for x in a.conflicts()] == ["10"]
    assert any("criterion 10" in r for r in a.undecided_by())
    assert "conflict" in {s["basis"] for s in a.trace()["criteria"]}


def test_declared_verdict_with_an_undecidable_value_is_declared(ntm, commune) -> None:
    # The 2024 income threshold of the Red River Delta is not in the registry: no conflict.
    c = _assess(commune, {"criterion:10": "Đạt", "10": 30.0}, ntm).criteria["10"]
    assert (c.verdict, c.basis, c.computed) == (Verdict.MET, "declared", Verdict.UNKNOWN)


def test_declared_verdict_agreeing_with_values_keeps_both(ntm, commune) -> None:
    c = _assess(commune, {"criterion:3": "Đạt", "3.1": 99.0, "3.2": True}, ntm).criteria["3"]
    assert (c.verdict, c.basis, c.computed) == (Verdict.MET, "declared", Verdict.MET)


def test_declared_prerequisite_criterion_is_named_with_its_set(commune) -> None:
    adv = ntmkit.registry.get("commune/ntm-advanced", version="2024-03-01")
    a = _assess(commune, {"criterion:commune/ntm:10": "Chưa đạt"}, adv)
    (pre,) = a.prerequisites
    assert pre.criteria["10"].verdict is Verdict.NOT_MET
    assert a.verdict is Verdict.NOT_MET
    assert a.criteria["10"].basis == "computed"  # the advanced set's own criterion 10


@pytest.mark.parametrize(("key", "value", "match"), [
    ("criterion:99", "Đạt", "no criterion '99'"),
    ("criterion:10", "perhaps", "Đạt or Chưa đạt"),
    ("criterion:10", 1.5, "Đạt or Chưa đạt"),
    ("criterion:province/x:10", True, "not commune/ntm"),
])
def test_bad_declarations_name_the_key(ntm, commune, key, value, match) -> None:
    with pytest.raises(ntmkit.NtmkitError, match=match):
        _assess(commune, {key: value}, ntm)


# -- provisional thresholds -------------------------------------------------------------------

@pytest.fixture(scope="module")
def uncertain_set(ntm) -> ntmkit.CriteriaSet:
    """commune/ntm with 3.1 in the Red River Delta made uncertain, candidate 80."""
    t = Threshold(when=Condition(region=RRD), confidence=Confidence.UNCERTAIN, candidate="80",
                  sources=ntm.indicators["3.1"].rule.thresholds[0].sources)
    ranged = Threshold(when=Condition(region=Region.SOUTHEAST), confidence=Confidence.UNCERTAIN,
                       candidate="15-20")
    return ntmkit.registry.derive(ntm, id="test/uncertain", version="1",
                                  overrides=[Override("3.1", t), Override("3.1", ranged)])


def test_published_policy_leaves_an_uncertain_threshold_unknown(uncertain_set, commune) -> None:
    r = _assess(commune, {"3.1": 85.0, "3.2": True}, uncertain_set).indicators["3.1"]
    assert r.verdict is Verdict.UNKNOWN
    assert not r.provisional


def test_provisional_policy_decides_and_marks(uncertain_set, commune) -> None:
    a = _assess(commune, {"3.1": 85.0, "3.2": True}, uncertain_set, thresholds="provisional")
    r = a.indicators["3.1"]
    assert (r.verdict, r.provisional, r.threshold.value) == (Verdict.MET, True, 80.0)
    assert a.criteria["3"].verdict is Verdict.MET
    assert a.criteria["3"].provisional
    assert a.thresholds == "provisional"
    step = next(s for s in a.trace()["steps"] if s["indicator"] == "3.1")
    assert step["provisional"] is True
    assert "tạm tính" in a.explain("vi")
    assert "provisional" in a.explain("en")


def test_a_not_met_decided_by_a_published_value_is_not_provisional(uncertain_set,
                                                                     commune) -> None:
    a = _assess(commune, {"3.1": 85.0, "3.2": False}, uncertain_set, thresholds="provisional")
    c = a.criteria["3"]
    assert c.verdict is Verdict.NOT_MET
    assert not c.provisional  # 3.2 fails on a published rule whatever 3.1's value


def test_a_range_candidate_cannot_stand_in(uncertain_set) -> None:
    se = ntmkit.Commune(code="S", name="Xã Đông Nam", region=Region.SOUTHEAST)
    r = _assess(se, {"3.1": 85.0}, uncertain_set, thresholds="provisional").indicators["3.1"]
    assert r.verdict is Verdict.UNKNOWN


def test_unknown_policy_is_a_programmer_error(ntm, commune) -> None:
    with pytest.raises(ValueError, match="published"):
        _assess(commune, {}, ntm, thresholds="guess")  # type: ignore[arg-type]


@settings(max_examples=60, deadline=None)
@given(st.floats(0, 100, allow_nan=False), st.booleans())
def test_provisional_decides_at_least_as_much_and_agrees_where_published_decides(
        uncertain_set, value, water) -> None:
    c = ntmkit.Commune(code="H", name="H", region=RRD)
    obs = {"3.1": value, "3.2": water}
    published = _assess(c, obs, uncertain_set)
    provisional = _assess(c, obs, uncertain_set, thresholds="provisional")
    for code, r in published.indicators.items():
        p = provisional.indicators[code]
        if r.verdict is not Verdict.UNKNOWN:
            assert p.verdict is r.verdict
            assert not p.provisional
    decided = sum(v.verdict is not Verdict.UNKNOWN for v in provisional.criteria.values())
    assert decided >= sum(v.verdict is not Verdict.UNKNOWN for v in published.criteria.values())
    assert not (provisional.verdict is Verdict.MET and not provisional.provisional
                and any(r.provisional for r in provisional.indicators.values()))


# -- the chain model -> advanced -> NTM ------------------------------------------------------

def test_model_commune_observations_reach_the_ntm_level() -> None:
    model = ntmkit.registry.get("commune/ntm-model", version="2022-03-08")
    c = ntmkit.Commune(code="M-1", name="Xã Kiểu Mẫu", region=RRD)
    a = ntmkit.assess(c, {"9.1": 2}, model, year=2023, on=dt.date(2023, 6, 1))
    (advanced,) = a.prerequisites
    (ntm_level,) = advanced.prerequisites
    assert ntm_level.set_id == "commune/ntm"
    r = ntm_level.indicators["9.1"]
    assert r.verdict is Verdict.NOT_MET
    assert r.value == 2
    assert a.verdict is Verdict.NOT_MET


# -- files ------------------------------------------------------------------------------------

def test_csv_declared_columns_in_vietnamese(tmp_path, ntm) -> None:
    from ntmkit.io import read_observations

    f = tmp_path / "c.csv"
    f.write_text("Mã xã,Tên xã,Vùng,Tiêu chí 10,criterion:3,3.1\n"
                 "A,Xã A,red_river_delta,Đạt,chưa đạt,85\n"
                 "B,Xã B,red_river_delta,,Đạt,\n", encoding="utf-8")
    records = read_observations(f, ntm)
    assert records[0].observations["criterion:10"] is Verdict.MET
    assert records[1].observations["criterion:10"] is None
    a = ntmkit.assess(records[0].commune, records[0].observations, ntm, year=2024,
                      on=dt.date(2024, 6, 1))
    assert a.criteria["10"].basis == "declared"
    assert a.criteria["3"].basis == "declared"  # 3.1 met, 3.2 missing: computed UNKNOWN


def test_csv_declared_column_errors_name_row_and_column(tmp_path, ntm) -> None:
    from ntmkit.io import read_observations

    f = tmp_path / "c.csv"
    f.write_text("code,name,region,Tiêu chí 10\nA,Xã A,red_river_delta,có lẽ\n",
                 encoding="utf-8")
    with pytest.raises(ntmkit.ObservationFileError, match=r"row 2, column 'criterion:10'"):
        read_observations(f, ntm)
    f.write_text("code,name,region,Tiêu chí 42\nA,Xã A,red_river_delta,Đạt\n", encoding="utf-8")
    with pytest.raises(ntmkit.ObservationFileError, match="no criterion '42'"):
        read_observations(f, ntm)


def test_json_declared_verdicts(ntm) -> None:
    from ntmkit.io import records_from_json

    data = {"format": "ntmkit.observations.v1", "communes": [
        {"commune": {"code": "A", "name": "Xã A", "region": "red_river_delta"}, "year": 2024,
         "observations": {"criterion:10": True, "3.1": 85}}]}
    (record,) = records_from_json(data, ntm)
    assert record.observations["criterion:10"] is Verdict.MET
    data["communes"][0]["observations"]["criterion:10"] = "maybe"
    with pytest.raises(ntmkit.ObservationFileError, match=r"observations\['criterion:10'\]"):
        records_from_json(data, ntm)


# -- the batch path follows the same rules ----------------------------------------------------

pd = pytest.importorskip("pandas")


def test_frame_declared_columns_match_assess(ntm) -> None:
    frame = pd.DataFrame({
        "region": ["northern_midlands_mountains"] * 4,
        "Tiêu chí 10": ["Đạt", "Chưa đạt", None, "Đạt"],
        "10": [30.0, 50.0, 50.0, None],
        "criterion:3": [True, None, False, None],
    })
    out = ntmkit.assess_frame(frame, ntm, year=2022)
    assert list(out["basis:10"]) == ["conflict", "conflict", "computed", "declared"]
    assert list(out["c:10"]) == ["unknown", "unknown", "met", "met"]
    for i, row in frame.iterrows():
        obs = {k: v for k, v in {"criterion:10": row["Tiêu chí 10"], "10": row["10"],
                                 "criterion:3": row["criterion:3"]}.items()
               if v is not None and v == v}
        c = ntmkit.Commune(code=str(i), name="x", region=row["region"])
        a = ntmkit.assess(c, obs, ntm, year=2022, on=dt.date(2024, 6, 1))
        for code in ("10", "3"):
            assert out.loc[i, f"c:{code}"] == a.criteria[code].verdict.value


def test_frame_bad_declaration_names_row_and_column(ntm) -> None:
    frame = pd.DataFrame({"region": ["red_river_delta"], "criterion:10": ["perhaps"]})
    with pytest.raises(ntmkit.InvalidValue, match=r"row 0, column 'criterion:10'"):
        ntmkit.assess_frame(frame, ntm, year=2024)
    with pytest.raises(ntmkit.UnknownIndicator, match="no criterion '77'"):
        ntmkit.assess_frame(pd.DataFrame({"region": ["red_river_delta"], "Tiêu chí 77": [1]}),
                            ntm, year=2024)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 100, allow_nan=False), st.sampled_from([True, False]),
                          st.sampled_from(["red_river_delta", "southeast", "mekong_delta"])),
                min_size=1, max_size=6))
def test_frame_provisional_matches_assess(uncertain_set, rows) -> None:
    frame = pd.DataFrame({"3.1": [r[0] for r in rows], "3.2": [r[1] for r in rows],
                          "region": [r[2] for r in rows]})
    out = ntmkit.assess_frame(frame, uncertain_set, year=2024, thresholds="provisional")
    for i, (value, water, region) in enumerate(rows):
        c = ntmkit.Commune(code="x", name="x", region=region)
        a = ntmkit.assess(c, {"3.1": value, "3.2": water}, uncertain_set, year=2024,
                          on=dt.date(2024, 6, 1), thresholds="provisional")
        assert out.loc[i, "c:3"] == a.criteria["3"].verdict.value
        assert bool(out.loc[i, "p:3"]) is a.criteria["3"].provisional
        assert bool(out.loc[i, "provisional"]) is a.provisional


def test_frame_with_a_set_id_uses_each_rows_provincial_set(monkeypatch, tmp_path) -> None:
    # A provincial set of the test's own (not a real decision): 3.1 at least 90 %.
    (tmp_path / "p.toml").write_text(
        'format = "ntmkit.criteria-set.v1"\nid = "province/thai-binh/commune/ntm"\n'
        'version = "2024-06-01"\nextends = "commune/ntm@2024-03-01"\neffective = 2024-06-01\n'
        '[legal_basis]\nact = "test"\ndate = 2024-06-01\n'
        '[[overrides]]\nindicator = "3.1"\nregion = "red_river_delta"\nvalue = 90\n'
        'confidence = "restated"\nsources = ["T"]\n[sources.T]\nurl = "https://example.org"\n',
        encoding="utf-8")
    monkeypatch.setenv(ntmkit.registry.PATH_VARIABLE, str(tmp_path))
    frame = pd.DataFrame({"province": ["Nam Định", "Thái Bình", "Thái Bình"],
                          "year": [2024, 2024, 2023], "3.1": [85.0, 85.0, 85.0]})
    out = ntmkit.assess_frame(frame, "commune/ntm")
    assert list(out["set"]) == ["commune/ntm@2024-03-01",
                                "province/thai-binh/commune/ntm@2024-06-01",
                                "commune/ntm@2022-03-08"]
    assert list(out["v:3.1"]) == ["met", "not_met", "met"]
    assert list(out.index) == [0, 1, 2]
    for i, row in frame.iterrows():
        c = ntmkit.Commune(code=str(i), name="x", province=row["province"])
        a = ntmkit.assess(c, {"3.1": 85.0}, "commune/ntm", year=int(row["year"]))
        assert f"{a.set_id}@{a.set_version}" == out.loc[i, "set"]
