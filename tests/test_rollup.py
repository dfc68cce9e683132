from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit import Share, Verdict
from ntmkit.registry import CriteriaRegistry
from ntmkit.rollup import Recognition, revocation_check, share_eligible, share_recognised

DISTRICT_SET = """
format = "ntmkit.criteria-set.v1"
id = "test/district"
version = "1"
level = "district"
tier = "ntm"
title_vi = "Thử"
title_en = "Test"
effective = 2022-03-08
checked_on = 2026-11-23
[legal_basis]
act = "320/QĐ-TTg"
[sources]
S1 = { url = "https://example.org/320" }
[[pillars]]
code = "conditions"
name_vi = "Điều kiện"
name_en = "Conditions"
[[pillars.criteria]]
code = "H"
name_vi = "Xã đạt chuẩn"
name_en = "Communes"
[[pillars.criteria.indicators]]
code = "H.1"
name_vi = "Có 100% số xã đạt chuẩn nông thôn mới"
name_en = "All communes NTM"
unit = "%"
rule = "share_of_children"
children = { level = "commune", tier = "ntm" }
thresholds = [{ value = 100, confidence = "verified", sources = ["S1"] }]
[[pillars.criteria.indicators]]
code = "H.2"
name_vi = "Có ít nhất 10% số xã đạt chuẩn nông thôn mới nâng cao"
name_en = "At least 10 % advanced"
unit = "%"
rule = "share_of_children"
children = { level = "commune", tier = "ntm-advanced" }
thresholds = [{ value = 10, confidence = "verified", sources = ["S1"] }]
"""


@pytest.fixture
def district_set(tmp_path) -> ntmkit.CriteriaSet:
    path = tmp_path / "district.toml"
    path.write_text(DISTRICT_SET, encoding="utf-8")
    return CriteriaRegistry.bundled().load(path)


def test_share_rules_compare_exactly(district_set) -> None:
    district = ntmkit.District(name="Huyện Thử", code="001", province="Nam Định")
    one_in_ten = ntmkit.assess(district, {"H.1": Share(10, 10), "H.2": Share(1, 10)},
                               district_set)
    assert one_in_ten.indicators["H.2"].verdict is Verdict.MET  # 100*1 >= 10*10
    assert one_in_ten.verdict is Verdict.MET
    short = ntmkit.assess(district, {"H.1": Share(9, 10), "H.2": Share(1, 11)}, district_set)
    assert short.indicators["H.1"].verdict is Verdict.NOT_MET
    assert short.indicators["H.1"].gap == 1.0
    assert short.indicators["H.2"].verdict is Verdict.NOT_MET  # 1/11 = 9.09 % < 10 %
    undecided = ntmkit.assess(district, {"H.2": Share(0, 10, unknown=1)}, district_set)
    assert undecided.indicators["H.2"].verdict is Verdict.UNKNOWN
    none = ntmkit.assess(district, {"H.2": Share(0, 0)}, district_set)
    assert none.indicators["H.2"].verdict is Verdict.NOT_APPLICABLE


_CACHE: dict[str, ntmkit.CriteriaSet] = {}


def _district_set(tmp_path_factory) -> ntmkit.CriteriaSet:
    if "set" not in _CACHE:
        path = tmp_path_factory.mktemp("d") / "district.toml"
        path.write_text(DISTRICT_SET, encoding="utf-8")
        _CACHE["set"] = CriteriaRegistry.bundled().load(path)
    return _CACHE["set"]


@settings(max_examples=200, deadline=None)
@given(met=st.integers(0, 80), rest=st.integers(0, 80), unknown=st.integers(0, 5))
def test_share_verdict_is_exact(tmp_path_factory, met, rest, unknown) -> None:
    total = met + rest + unknown
    cs = _district_set(tmp_path_factory)
    district = ntmkit.District(name="Huyện Thử")
    result = ntmkit.assess(district, {"H.2": Share(met, total, unknown=unknown)}, cs)
    verdict = result.indicators["H.2"].verdict
    if total == 0:
        assert verdict is Verdict.NOT_APPLICABLE
    elif met * 10 >= total:  # 10 % exactly: 100 * met >= 10 * total
        assert verdict is Verdict.MET
    elif (met + unknown) * 10 < total:
        assert verdict is Verdict.NOT_MET
    else:
        assert verdict is Verdict.UNKNOWN


def test_share_input_is_required_for_share_rules(district_set) -> None:
    district = ntmkit.District(name="Huyện Thử")
    with pytest.raises(ntmkit.InvalidValue, match="Share"):
        ntmkit.assess(district, {"H.1": 100.0}, district_set)
    with pytest.raises(ntmkit.InvalidContext, match="district set"):
        ntmkit.assess(ntmkit.Commune(code="1", name="X", region="southeast"), {}, district_set)
    with pytest.raises(ntmkit.InvalidValue, match="exceeds"):
        Share(met=5, total=4)


def test_recognitions_count_higher_tiers_and_respect_dates() -> None:
    on = dt.date(2024, 6, 1)
    recognitions = [
        Recognition("A", "ntm", "1/QĐ", dt.date(2022, 1, 1)),
        Recognition("B", "ntm-model", "2/QĐ", dt.date(2023, 1, 1)),
        Recognition("C", "ntm", "3/QĐ", dt.date(2022, 1, 1), revoked_on=dt.date(2024, 1, 1)),
        Recognition("D", "ntm", "4/QĐ", dt.date(2025, 1, 1)),  # later than the date asked
    ]
    children = ["A", "B", "C", "D", "E"]
    assert share_recognised(recognitions, children, "ntm", on) == Share(2, 5, basis="recognised")
    assert share_recognised(recognitions, children, "ntm-advanced", on).met == 1
    assert share_recognised(recognitions, children, "ntm", dt.date(2023, 6, 1)).met == 3


def test_share_eligible_keeps_unknowns(ntm_2022) -> None:
    communes = [ntmkit.Commune(code=str(i), name="X", region="southeast") for i in range(3)]
    assessments = [ntmkit.assess(c, {"3.1": v}, ntm_2022, year=2023)
                   for c, v in zip(communes, [90.0, 50.0, None], strict=True)]
    share = share_eligible(assessments)
    assert (share.met, share.unknown, share.total, share.basis) == (0, 2, 3, "computed")


def _assessment_with(verdicts: dict[str, Verdict], total: int = 19):
    names = {"10": "Thu nhập", "17": "Môi trường và an toàn thực phẩm"}
    criteria = [ntmkit.CriterionResult(code=c, verdict=v, name_vi=names.get(c, f"Tiêu chí {c}"))
                for c, v in verdicts.items()]
    return ntmkit.Assessment(
        unit=ntmkit.Commune(code="1", name="X", region="southeast"), set_id="s",
        set_version="1", fingerprint="f", verdict=Verdict.NOT_MET, region="southeast",
        region_column="southeast",
        pillars=(ntmkit.PillarResult(code="p", verdict=Verdict.NOT_MET, criteria=tuple(criteria)),),
        total=total)


def test_revocation_bands() -> None:
    met = {str(i): Verdict.MET for i in range(1, 20)}
    # 6/19 failed (31.6 %) including income: revoked.
    six = dict(met, **dict.fromkeys(["1", "2", "3", "4", "5", "10"], Verdict.NOT_MET))
    check = revocation_check(_assessment_with(six))
    assert check.at_risk is True and check.key_failed == ("10",)
    # 6/19 failed without a key criterion: not at risk.
    six_plain = dict(met, **dict.fromkeys(["1", "2", "3", "4", "5", "6"], Verdict.NOT_MET))
    assert revocation_check(_assessment_with(six_plain)).at_risk is False
    # 10/19 failed (52.6 %): revoked whatever they are.
    ten = dict(met, **{str(i): Verdict.NOT_MET for i in range(1, 11) if i != 10},
               **{"11": Verdict.NOT_MET})
    assert revocation_check(_assessment_with(ten)).at_risk is True
    # 5 failed and 2 unknown: it depends on the unknowns.
    unsure = dict(met, **dict.fromkeys(["1", "2", "3", "4", "5"], Verdict.NOT_MET),
                  **{"10": Verdict.UNKNOWN, "12": Verdict.UNKNOWN})
    check = revocation_check(_assessment_with(unsure))
    assert check.at_risk is None and set(check.unknown) == {"10", "12"}


def test_revocation_check_on_a_real_assessment_counts_missing_criteria(ntm_2022) -> None:
    commune = ntmkit.Commune(code="1", name="X", region="southeast")
    result = ntmkit.assess(commune, {"3.1": 90.0}, ntm_2022, year=2023)
    assert revocation_check(result).at_risk is None  # most criteria are unknown


def test_shipped_district_set_scores_shares_and_ends_with_the_reform() -> None:
    cs = ntmkit.registry.get("district/ntm", on=dt.date(2024, 6, 1))
    assert cs.version == "2024-03-01" and cs.superseded_by is None
    district = ntmkit.District(name="Huyện A", province="Nam Định")
    result = ntmkit.assess(district, {"H.1": Share(19, 20), "H.2": Share(2, 20)}, cs)
    assert result.indicators["H.1"].verdict is Verdict.NOT_MET
    assert result.indicators["H.2"].verdict is Verdict.MET
    assert result.verdict is Verdict.NOT_MET
    with pytest.raises(ntmkit.UnknownCriteriaSet, match="ended on 2025-07-01"):
        ntmkit.registry.get("district/ntm", on=dt.date(2025, 8, 1))


def test_shipped_province_set_counts_all_communes_exactly() -> None:
    cs = ntmkit.registry.get("province/ntm-completed@2022-03-08")
    province = ntmkit.Province(name="Nam Định", region="red_river_delta")
    forty = ntmkit.assess(province, {"T.4": Share(80, 200)}, cs)
    just_short = ntmkit.assess(province, {"T.4": Share(79, 200)}, cs)
    assert forty.indicators["T.4"].verdict is Verdict.MET
    assert just_short.indicators["T.4"].verdict is Verdict.NOT_MET


def test_recognition_conditions_change_wording_on_2024_03_07() -> None:
    before = ntmkit.registry.get("commune/recognition", on=dt.date(2023, 6, 1))
    after = ntmkit.registry.get("commune/recognition", on=dt.date(2024, 6, 1))
    assert "không phức tạp" in before.indicators["C.4"].name_vi
    assert "an toàn về an ninh" in after.indicators["C.4"].name_vi
    commune = ntmkit.Commune(code="1", name="X", region="southeast")
    ntm = ntmkit.assess(commune, {"3.1": 90.0}, ntmkit.registry.get("commune/ntm@2024-03-01"),
                        year=2024)
    # Condition 1 takes the set's verdict; an unknown verdict stays unknown.
    c1 = None if ntm.verdict is Verdict.UNKNOWN else ntm.verdict is Verdict.MET
    result = ntmkit.assess(commune, {"C.1": c1, "C.2": True, "C.4": True}, after)
    assert result.criteria["C.1"].verdict is Verdict.UNKNOWN
    assert result.criteria["C.3"].verdict is Verdict.UNKNOWN  # the satisfaction level is unknown
    assert ntmkit.assess(commune, {"C.2": False}, after).verdict is Verdict.NOT_MET


def test_district_revocation_counts_revoked_communes_exactly() -> None:
    from ntmkit.rollup import district_revocation_check

    cs = ntmkit.registry.get("district/ntm@2022-03-08")
    district = ntmkit.District(name="Huyện A", province="Nam Định")
    result = ntmkit.assess(district, {"H.1": Share(20, 20)}, cs)
    hc = [c for c in result.criteria if c.startswith("HC.")]
    assert len(hc) == 9
    three_of_ten = district_revocation_check(result, Share(3, 10), criteria=hc)
    assert three_of_ten.at_risk is True and "30 %" in three_of_ten.trigger
    two_of_ten = district_revocation_check(result, Share(2, 10), criteria=hc)
    assert two_of_ten.at_risk is None  # most district criteria are unknown
    with pytest.raises(ntmkit.InvalidValue, match="no criteria"):
        district_revocation_check(result, Share(0, 10), criteria=["HC.99"])


def test_a_provincial_smart_village_set_assesses_a_village() -> None:
    cs = ntmkit.registry.get("province/thanh-hoa/village-smart@2022")
    village = ntmkit.Village(name="Thôn Minh Họa", commune="00001", region="north_central_coast")
    codes = list(cs.indicators)
    result = ntmkit.assess(village, {codes[0]: False}, cs)
    assert result.indicators[codes[0]].verdict is Verdict.NOT_MET
    assert result.verdict is Verdict.NOT_MET
    with pytest.raises(ntmkit.InvalidContext, match="village set"):
        ntmkit.assess(ntmkit.Commune(code="1", name="X", region="southeast"), {}, cs)
    from ntmkit import io

    assert io.from_json(io.to_json(result), ntmkit.Assessment) == result
