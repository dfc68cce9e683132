from __future__ import annotations

import copy
import datetime as dt
import math
import pickle
import warnings

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit import Verdict


def test_income_in_monthly_unit_meets_the_yearly_threshold(ntm_2022) -> None:
    commune = ntmkit.Commune(code="1", name="X", region="northern_midlands_mountains")
    monthly = ntmkit.Q(3.25, "million VND/person/month")  # = 39 per year, exactly at the threshold
    result = ntmkit.assess(commune, {"10": monthly}, ntm_2022, year=2022)
    r = result.indicators["10"]
    assert r.value == 39.0
    assert r.verdict is Verdict.MET
    assert r.threshold is not None and r.threshold.value == 39.0


def test_unmet_indicator_reports_its_gap(ntm_2022) -> None:
    commune = ntmkit.Commune(code="1", name="X", region="red_river_delta")
    result = ntmkit.assess(commune, {"3.1": 72.5, "15.3": 20.0}, ntm_2022, year=2023)
    gaps = {g.indicator: g for g in result.gaps()}
    assert gaps["3.1"].distance == pytest.approx(7.5) and gaps["3.1"].threshold == 80.0
    assert gaps["15.3"].distance == pytest.approx(3.5)  # ceiling 16.5 in the Red River Delta
    assert result.criteria["3"].verdict is Verdict.NOT_MET
    assert result.verdict is Verdict.NOT_MET


def test_missing_value_is_unknown_never_a_pass(ntm_2022, red_river) -> None:
    result = ntmkit.assess(red_river, {"3.1": None, "3.2": True}, ntm_2022, year=2023)
    assert result.indicators["3.1"].verdict is Verdict.UNKNOWN
    assert result.criteria["3"].verdict is Verdict.UNKNOWN
    assert result.indicators["3.1"].reason == "no data"


def test_unknown_threshold_gives_unknown_even_with_data(ntm_2022, red_river) -> None:
    result = ntmkit.assess(red_river, {"11": 1.0}, ntm_2022, year=2023)
    assert result.indicators["11"].verdict is Verdict.UNKNOWN
    assert "unknown" in result.indicators["11"].reason


def test_uncertain_candidate_value_is_never_used(ntm_2022) -> None:
    commune = ntmkit.Commune(code="1", name="X", region="mekong_delta")
    result = ntmkit.assess(commune, {"11": 0.0}, ntm_2022, year=2022)
    assert result.indicators["11"].verdict is Verdict.UNKNOWN
    inferred = ntmkit.assess(commune.__class__(code="2", name="Y", region="north_central_coast"),
                             {"9.2": 100.0}, ntm_2022, year=2022)
    assert inferred.indicators["9.2"].verdict is Verdict.UNKNOWN
    assert inferred.indicators["9.2"].threshold.candidate == "85"


def test_criterion_with_incomplete_indicators_can_fail_but_never_be_met(ntm_2022, red_river) -> None:
    good = ntmkit.assess(red_river, {"15.3": 5.0, "15.4": 99.0},
                         ntm_2022, year=2023)
    assert good.criteria["15"].verdict is Verdict.UNKNOWN
    bad = ntmkit.assess(red_river, {"15.3": 50.0}, ntm_2022, year=2023)
    assert bad.criteria["15"].verdict is Verdict.NOT_MET


def test_incomplete_set_is_never_met_as_a_whole(ntm_2022, red_river) -> None:
    everything = {code: (True if ind.rule.kind.value == "achieved" else
                         (0.0 if ind.rule.kind.value == "at_most" else (ind.maximum or 1e6)))
                  for code, ind in ntm_2022.indicators.items()}
    result = ntmkit.assess(red_river, everything, ntm_2022, year=2023)
    assert result.verdict is Verdict.UNKNOWN
    assert result.tier is None
    assert result.total == 19


def test_extremely_difficult_commune_uses_the_mountain_column(ntm_2022) -> None:
    commune = ntmkit.Commune(code="1", name="X", region="southeast",
                             classes=[ntmkit.CommuneClass.EXTREMELY_DIFFICULT])
    result = ntmkit.assess(commune, {"10": 40.0}, ntm_2022, year=2022)
    assert result.region is ntmkit.Region.SOUTHEAST
    assert result.region_column is ntmkit.Region.NORTHERN_MIDLANDS_MOUNTAINS
    assert result.indicators["10"].verdict is Verdict.MET
    assert result.substitution is not None


def test_region_follows_from_the_province(ntm_2022) -> None:
    commune = ntmkit.Commune(code="1", name="X", province="Thái Bình")
    result = ntmkit.assess(commune, {}, ntm_2022, year=2023)
    assert result.region is ntmkit.Region.RED_RIVER_DELTA


def test_province_spanning_two_regions_after_2025_needs_an_explicit_region(ntm_2022) -> None:
    commune = ntmkit.Commune(code="1", name="X", province="Phú Thọ", edition="2025-07")
    with pytest.raises(ntmkit.InvalidContext, match="region"):
        ntmkit.assess(commune, {}, ntm_2022, year=2023)


@pytest.mark.parametrize(
    ("observations", "error", "fragment"),
    [
        ({"99.9": 1.0}, ntmkit.UnknownIndicator, "99.9"),
        ({"3.11": 1.0}, ntmkit.UnknownIndicator, "did you mean"),
        ({"3.1": ntmkit.Q(3, "km")}, ntmkit.UnitMismatch, "'km'"),
        ({"3.1": math.nan}, ntmkit.InvalidValue, "NaN"),
        ({"3.1": 140.0}, ntmkit.InvalidValue, "140"),
        ({"3.1": -1.0}, ntmkit.InvalidValue, "outside"),
        ({"3.1": "85"}, ntmkit.InvalidValue, "takes a number"),
        ({"3.1": True}, ntmkit.InvalidValue, "takes a number"),
        ({"3.2": 1.0}, ntmkit.InvalidValue, "yes/no"),
        ({"3.1": math.inf}, ntmkit.InvalidValue, "too large"),
    ],
)
def test_bad_input_raises_a_clear_ntmkit_error(ntm_2022, red_river, observations, error,
                                               fragment) -> None:
    with pytest.raises(error) as info:
        ntmkit.assess(red_river, observations, ntm_2022, year=2023)
    assert fragment in str(info.value)
    assert isinstance(info.value, ntmkit.NtmkitError)


def test_year_is_required_and_must_be_covered(ntm_2022, red_river) -> None:
    with pytest.raises(ntmkit.InvalidContext, match="year"):
        ntmkit.assess(red_river, {}, ntm_2022)
    with pytest.raises(ntmkit.InvalidContext, match="2022-2025"):
        ntmkit.assess(red_river, {}, ntm_2022, year=2030)


def test_stale_policy(ntm_2022, red_river) -> None:
    late = ntm_2022.checked_on + dt.timedelta(days=1)
    with pytest.warns(ntmkit.StaleCriteriaWarning):
        ntmkit.assess(red_river, {"3.1": 90.0}, ntm_2022, year=2025, on=late)
    with pytest.raises(ntmkit.StaleCriteriaError):
        ntmkit.assess(red_river, {"3.1": 90.0}, ntm_2022, year=2025, on=late, strict="raise")
    result = ntmkit.assess(red_river, {"3.1": 90.0}, ntm_2022, year=2025, on=late,
                           strict="unknown")
    assert result.indicators["3.1"].verdict is Verdict.UNKNOWN
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        ntmkit.assess(red_river, {"3.1": 90.0}, ntm_2022, year=2025)  # before checked_on


def test_assess_is_pure(ntm_2022, red_river) -> None:
    observations = {"3.1": 85.0, "10": ntmkit.Q(4, "million VND/person/month")}
    before = copy.copy(observations)
    first = ntmkit.assess(red_river, observations, ntm_2022, year=2023)
    second = ntmkit.assess(red_river, observations, ntm_2022, year=2023)
    assert first == second
    assert observations == before


def test_explain_in_both_languages(ntm_2022, red_river) -> None:
    result = ntmkit.assess(red_river, {"3.1": 70.0}, ntm_2022, year=2023)
    vi, en = result.explain("vi"), result.explain("en")
    assert "Chưa đạt" in vi and "Thủy lợi" in vi
    assert "not met" in en and "Irrigation" in en
    with pytest.raises(ValueError):
        result.explain("fr")


def test_trace_is_versioned_json(ntm_2022, red_river) -> None:
    import json

    result = ntmkit.assess(red_river, {"3.1": 70.0}, ntm_2022, year=2023)
    trace = json.loads(json.dumps(result.trace()))
    assert trace["format"] == "ntmkit.trace.v1"
    step = next(s for s in trace["steps"] if s["indicator"] == "3.1")
    assert step["verdict"] == "not_met" and step["threshold"]["value"] == 80.0
    assert step["threshold"]["confidence"] == "verified"
    assert all(u.startswith("http") for u in step["threshold"]["sources"])
    assert trace["criteria_set"]["fingerprint"] == ntm_2022.fingerprint


# --- monotonicity -----------------------------------------------------------------------------

def _numeric_codes(cs):
    return [c for c, i in cs.indicators.items() if i.numeric]


@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_a_better_value_never_lowers_a_verdict(ntm_2022, data) -> None:
    code = data.draw(st.sampled_from(_numeric_codes(ntm_2022)))
    ind = ntm_2022.indicators[code]
    region = data.draw(st.sampled_from(list(ntmkit.Region)))
    year = data.draw(st.integers(2022, 2025))
    low = ind.minimum if ind.minimum is not None else 0.0
    high = ind.maximum if ind.maximum is not None else 1000.0
    a = data.draw(st.floats(low, high, allow_nan=False))
    b = data.draw(st.floats(low, high, allow_nan=False))
    worse, better = sorted((a, b))
    if ind.rule.kind is ntmkit.RuleKind.AT_MOST:
        worse, better = better, worse
    commune = ntmkit.Commune(code="1", name="X", region=region)
    v_worse = ntmkit.assess(commune, {code: worse}, ntm_2022, year=year).indicators[code].verdict
    v_better = ntmkit.assess(commune, {code: better}, ntm_2022, year=year).indicators[code].verdict
    if v_worse is Verdict.MET:
        assert v_better is Verdict.MET
    assert (v_worse is Verdict.UNKNOWN) == (v_better is Verdict.UNKNOWN)


@settings(max_examples=100, deadline=None)
@given(data=st.data())
def test_improving_a_value_never_turns_a_criterion_from_met_to_not_met(ntm_2022, data) -> None:
    codes = _numeric_codes(ntm_2022)
    values = {}
    for code in data.draw(st.lists(st.sampled_from(codes), unique=True, min_size=1)):
        ind = ntm_2022.indicators[code]
        values[code] = data.draw(st.floats(ind.minimum or 0.0, ind.maximum or 1000.0))
    commune = ntmkit.Commune(code="1", name="X", region=data.draw(st.sampled_from(list(ntmkit.Region))))
    before = ntmkit.assess(commune, values, ntm_2022, year=2024)
    code = data.draw(st.sampled_from(sorted(values)))
    ind = ntm_2022.indicators[code]
    improved = dict(values)
    if ind.rule.kind is ntmkit.RuleKind.AT_MOST:
        improved[code] = data.draw(st.floats(ind.minimum or 0.0, values[code]))
    else:
        improved[code] = data.draw(st.floats(values[code], ind.maximum or 1000.0))
    after = ntmkit.assess(commune, improved, ntm_2022, year=2024)
    order = {Verdict.NOT_MET: 0, Verdict.UNKNOWN: 1, Verdict.NOT_APPLICABLE: 1, Verdict.MET: 2}
    for c, result in before.criteria.items():
        if result.verdict is Verdict.MET:
            assert after.criteria[c].verdict is Verdict.MET
    assert order[after.verdict] >= order[before.verdict] or before.verdict is Verdict.UNKNOWN


@settings(max_examples=50, deadline=None)
@given(data=st.data())
def test_achieving_a_condition_never_lowers_a_verdict(ntm_2022, data) -> None:
    codes = [c for c, i in ntm_2022.indicators.items() if i.rule.kind is ntmkit.RuleKind.ACHIEVED]
    code = data.draw(st.sampled_from(codes))
    commune = ntmkit.Commune(code="1", name="X", region=data.draw(st.sampled_from(list(ntmkit.Region))))
    no = ntmkit.assess(commune, {code: False}, ntm_2022, year=2024).indicators[code].verdict
    yes = ntmkit.assess(commune, {code: True}, ntm_2022, year=2024).indicators[code].verdict
    threshold = ntm_2022.threshold(code, region=commune.region)
    assert threshold is not None
    if threshold.confidence.has_value:
        assert no is Verdict.NOT_MET
        assert yes is Verdict.MET
    else:  # a yes/no indicator whose requirement was not seen: never decided either way
        assert no is yes is Verdict.UNKNOWN


def test_decimal_and_datetime_inputs_are_accepted(ntm_2022, red_river) -> None:
    from decimal import Decimal

    result = ntmkit.assess(red_river, {"3.1": Decimal("80.0")}, ntm_2022, year=2023,
                           on=dt.datetime(2023, 6, 1, 12, 0))
    assert result.indicators["3.1"].verdict is Verdict.MET
    assert result.on == dt.date(2023, 6, 1)
    assert ntmkit.registry.get("commune/ntm", on=dt.datetime(2023, 6, 1, 8)).version == \
        "2022-03-08"


def test_invalid_commune_is_an_ntmkit_error() -> None:
    with pytest.raises(ntmkit.InvalidValue, match="known classes"):
        ntmkit.Commune(code="1", name="X", classes=["very_poor"])
    with pytest.raises(ntmkit.InvalidValue, match="non-empty"):
        ntmkit.Commune(code="", name="X")


def test_relative_threshold_is_exact_and_follows_the_referenced_value(ntm_2022) -> None:
    def relative(region: str) -> ntmkit.registry.Override:
        return ntmkit.registry.Override("10", ntmkit.Threshold(
            when=ntmkit.Condition(region=region, year=2022),
            relative_to=ntmkit.RelativeValue("commune/ntm@2022-03-08", "10", 1.1),
            confidence="verified", sources=("C01",)))

    model = ntmkit.registry.derive(ntm_2022, id="test/model", version="1", overrides=[
        relative("northern_midlands_mountains"),
        # a reference whose value is not known (here: no such indicator) stays UNKNOWN
        ntmkit.registry.Override("10", ntmkit.Threshold(
            when=ntmkit.Condition(region="southeast", year=2022),
            relative_to=ntmkit.RelativeValue("commune/ntm@2022-03-08", "10.absent", 1.1),
            confidence="verified", sources=("C01",)))])
    mountains = ntmkit.Commune(code="1", name="X", region="northern_midlands_mountains")
    at = ntmkit.assess(mountains, {"10": 42.9}, model, year=2022).indicators["10"]
    assert 39 * 1.1 != 42.9  # the float product would wrongly fail this commune
    assert at.verdict is Verdict.MET
    assert at.threshold.value == pytest.approx(42.9)
    assert at.threshold.confidence is ntmkit.Confidence.RESTATED  # the weaker one
    below = ntmkit.assess(mountains, {"10": 42.8}, model, year=2022).indicators["10"]
    assert below.verdict is Verdict.NOT_MET and below.gap == pytest.approx(0.1)
    southeast = ntmkit.Commune(code="2", name="Y", region="southeast")
    unknown = ntmkit.assess(southeast, {"10": 100.0}, model, year=2022).indicators["10"]
    assert unknown.verdict is Verdict.UNKNOWN and "unknown" in unknown.reason


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_cached_scoring_plans_give_the_same_results_as_a_fresh_set(ntm_2022, data) -> None:
    # assess() resolves a set's thresholds once per context and shares the results of
    # missing values: a warm set, used for other contexts in between, must agree with a
    # set that has never been used.
    regions = [r.value for r in ntmkit.Region]
    region = data.draw(st.sampled_from(regions))
    year = data.draw(st.integers(2022, 2025))
    classes = data.draw(st.sets(st.sampled_from([c.value for c in ntmkit.CommuneClass])))
    codes = data.draw(st.sets(st.sampled_from(["3.1", "10", "15.3", "9.1", "2.1"])))
    obs = {c: data.draw(st.floats(0, 100)) for c in codes}
    obs["3.2"] = data.draw(st.sampled_from([True, False, None]))
    commune = ntmkit.Commune(code="1", name="X", region=region, classes=frozenset(classes))
    for other in data.draw(st.lists(st.sampled_from(regions), max_size=3)):
        warm = ntmkit.Commune(code="2", name="Y", region=other)
        ntmkit.assess(warm, {"3.1": 50.0}, ntm_2022, year=year, strict="unknown")
    got = ntmkit.assess(commune, obs, ntm_2022, year=year, strict="unknown")
    want = ntmkit.assess(commune, obs, copy.deepcopy(ntm_2022), year=year, strict="unknown")
    assert got == want
    assert got.trace() == want.trace()


@pytest.mark.parametrize("duplicate", [copy.copy, copy.deepcopy,
                                       lambda cs: pickle.loads(pickle.dumps(cs))])
def test_a_set_survives_copying_and_pickling_for_worker_processes(ntm_2022, red_river,
                                                                   duplicate) -> None:
    ntmkit.assess(red_river, {"3.1": 80.0}, ntm_2022, year=2023)  # warm the set's caches
    again = duplicate(ntm_2022)
    assert again == ntm_2022
    assert again.fingerprint == ntm_2022.fingerprint
    assert list(again.indicators) == list(ntm_2022.indicators)
    obs = {"3.1": 85.0, "10": 20.0, "3.2": True}
    assert ntmkit.assess(red_river, obs, again, year=2024) == \
        ntmkit.assess(red_river, obs, ntm_2022, year=2024)
