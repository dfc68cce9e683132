"""Links between schemes: OCOP ratings as observations, delegated model-commune criteria."""

from __future__ import annotations

import datetime as dt
import warnings
from pathlib import Path

import pytest

import ntmkit
from ntmkit import points
from ntmkit.points.links import (
    Binding,
    OcopRating,
    assess_delegated,
    delegated_results,
    delegations,
    ocop_links,
    ocop_observations,
)

FIELD = Path(__file__).resolve().parents[1] / "examples" / "model-commune-digital-field.example.toml"
FIELD_MET = {"DTF.1": 85.0, "DTF.2": True, "DTF.3": True, "DTF.4": True}


@pytest.fixture(autouse=True)
def _quiet() -> None:
    warnings.simplefilter("ignore", ntmkit.StaleCriteriaWarning)


@pytest.fixture(scope="module")
def field() -> ntmkit.CriteriaSet:
    return ntmkit.registry.load(FIELD)


def _model_commune(field_set, field_obs, bound: bool = True) -> ntmkit.Assessment:
    model = ntmkit.registry.get("commune/ntm-model@2022-03-08")
    commune = ntmkit.Commune(code="13759", name="Trung Thành", province="Nam Định")
    bindings = [Binding("KM.4", "Nam Định", (field_set,))] if bound else []
    return assess_delegated(commune, {"KM.4": 3}, model, bindings=bindings,
                            bound_observations={field_set.key: field_obs}, year=2024)


def test_model_commune_field_is_met_only_when_the_bound_field_set_is_met(field) -> None:
    met = _model_commune(field, FIELD_MET)
    assert met.criteria["KM.4"].verdict is ntmkit.Verdict.MET
    assert field.key in met.indicators["KM.4"].reason
    failed = _model_commune(field, {**FIELD_MET, "DTF.1": 55.0})
    assert failed.criteria["KM.4"].verdict is ntmkit.Verdict.NOT_MET
    assert failed.verdict is ntmkit.Verdict.NOT_MET
    partial = _model_commune(field, {**FIELD_MET, "DTF.3": None})
    assert partial.criteria["KM.4"].verdict is ntmkit.Verdict.UNKNOWN


def test_model_commune_field_is_unknown_when_no_field_set_is_bound(field) -> None:
    # A count typed in by hand ("KM.4": 3) does not stand in for the province's set.
    a = _model_commune(field, FIELD_MET, bound=False)
    assert a.criteria["KM.4"].verdict is ntmkit.Verdict.UNKNOWN
    step = next(s for s in a.trace()["steps"] if s["indicator"] == "KM.4")
    assert "no provincial field set is bound for Nam Định" in step["reason"]
    assert step["verdict"] == "unknown"
    met = next(s for s in _model_commune(field, FIELD_MET).trace()["steps"]
               if s["indicator"] == "KM.4")
    assert met["verdict"] == "met"
    assert field.key in met["reason"]
    assert met["input"] == "1 field(s) met of 1 assessed"


def test_a_binding_for_another_province_does_not_apply(field) -> None:
    model = ntmkit.registry.get("commune/ntm-model@2022-03-08")
    commune = ntmkit.Commune(code="1", name="Elsewhere", province="Hà Nam")
    decided = delegated_results(commune, model, [Binding("KM.4", "Nam Định", (field,))],
                                {field.key: FIELD_MET}, year=2024)
    assert decided["KM.4"].verdict is ntmkit.Verdict.UNKNOWN
    assert "Hà Nam" in decided["KM.4"].reason


def test_smart_village_count_comes_from_the_bound_village_set() -> None:
    model = ntmkit.registry.get("commune/ntm-model@2022-03-08")
    village_set = ntmkit.registry.get("province/thanh-hoa/village-smart@2022")
    commune = ntmkit.Commune(code="1", name="Xuân Phú", province="Thanh Hóa")
    all_met = {i: True if ind.rule.kind.value == "achieved" else 100.0
               for i, ind in village_set.indicators.items()}
    villages = [(ntmkit.Village(name="Thôn 1"), all_met),
                (ntmkit.Village(name="Thôn 2"), {**all_met, next(iter(all_met)): False})]
    decided = delegated_results(commune, model, [Binding("KM.3", "Thanh Hóa", (village_set,))],
                                {village_set.key: villages}, year=2024)
    km3 = decided["KM.3"]
    # The set is marked incomplete in the registry, so Thôn 1 cannot be confirmed smart: 0
    # villages met, 1 undecided, and the count of at least 1 stays open.
    assert km3.verdict is ntmkit.Verdict.UNKNOWN
    assert km3.value == 0
    assert "Thôn 1" in km3.reason and "Thôn 2" in km3.reason
    assert "not_met" in km3.reason  # Thôn 2 fails its first criterion


def test_links_are_data_with_sources() -> None:
    assert {(d.set, d.indicator) for d in delegations()} == {("commune/ntm-model", "KM.3"),
                                                             ("commune/ntm-model", "KM.4")}
    floors = {(link.set, link.indicator): (link.min_stars, link.min_stars_confidence.value,
                                           link.candidate) for link in ocop_links()}
    # 13.2 states no star level: the floor of 3 is reasoned from the OCOP rules (inferred),
    # kept as a candidate and never used on its own.
    assert floors == {("commune/ntm-advanced", "13.2"): (None, "inferred", "3"),
                      ("province/dong-thap/village-smart", "DT384-F5"): (4, "restated", "")}
    assert all(link.sources for link in (*ocop_links(), *delegations()))


def test_ocop_rating_is_an_observation_while_it_is_valid() -> None:
    ocop = points.get("product/ocop@2019-08-21")
    result = points.score(points.Product("P1", "Nếp cái hoa vàng"), {"A": 30, "B": 20, "C": 32},
                          ocop)
    assert result.stars == 4
    rating = OcopRating.from_assessment(result, dt.date(2021, 3, 31))
    assert rating.stars == 4
    assert rating.valid_until is None  # 1048 states no validity in the registry
    under_148 = OcopRating("P1", 4, dt.date(2023, 3, 31), dt.date(2026, 3, 31))
    advanced = ntmkit.registry.get("commune/ntm-advanced@2022-03-08")
    on = dt.date(2025, 1, 1)
    assert ocop_observations([under_148], advanced, on) == {"13.2": None}  # no stated floor
    mine = {"13.2": 3}  # the user's reading of 'đạt chuẩn'
    assert ocop_observations([under_148], advanced, on, floors=mine) == {"13.2": True}
    assert ocop_observations([under_148], advanced, dt.date(2026, 4, 1),
                             floors=mine) == {"13.2": False}
    assert ocop_observations([rating], advanced, dt.date(2022, 1, 1), floors=mine) == \
        {"13.2": None}
    assert ocop_observations([], advanced, on, floors=mine) == {"13.2": False}
    two_star = OcopRating("P2", 2, dt.date(2024, 1, 1), dt.date(2027, 1, 1))
    assert ocop_observations([two_star], advanced, on, floors=mine) == {"13.2": False}


def test_dong_thap_smart_village_needs_four_stars_and_a_lapsed_rating_is_unknown() -> None:
    village_set = ntmkit.registry.get("province/dong-thap/village-smart@2023-04-03")
    three = OcopRating("P", 3, dt.date(2023, 1, 1), dt.date(2026, 1, 1))
    four = OcopRating("P", 4, dt.date(2020, 1, 1), dt.date(2023, 1, 1))
    on = dt.date(2024, 6, 1)
    assert ocop_observations([three], village_set, on) == {"DT384-F5": False}
    assert ocop_observations([four], village_set, dt.date(2022, 6, 1)) == {"DT384-F5": True}
    assert ocop_observations([four], village_set, on) == {"DT384-F5": None}
    obs = ocop_observations([four, three], village_set, on)
    a = ntmkit.assess(ntmkit.Village(name="Ấp 1"), obs, village_set)
    assert a.indicators["DT384-F5"].verdict is ntmkit.Verdict.UNKNOWN


def test_148_ratings_last_36_months() -> None:
    ocop = points.get("product/ocop@2023-02-24")
    result = points.score(points.Product("P", "x"), {"A": 20, "B": 10, "C": 10}, ocop)
    rating = OcopRating.from_assessment(result, dt.date(2024, 2, 29))
    assert rating.valid_until == dt.date(2027, 2, 28)
    assert rating.stars is None  # 148's lower cut-offs are not known


def test_decided_results_must_name_indicators_of_the_set(field) -> None:
    model = ntmkit.registry.get("commune/ntm-model@2022-03-08")
    commune = ntmkit.Commune(code="1", name="x", province="Nam Định")
    decided = delegated_results(commune, model, [], year=2024)
    with pytest.raises(ntmkit.UnknownIndicator):
        ntmkit.assess(commune, {}, model, year=2024, decided={"nope": decided["KM.4"]})


NAM_DINH = (Path(__file__).resolve().parents[1] / "examples" / "ntmkit-nam-dinh" / "src"
            / "ntmkit_nam_dinh" / "sets" / "commune-ntm-model-2022-08-08.toml")


def test_vu_ban_end_to_end_with_nam_dinhs_own_model_set(field) -> None:
    """Nam Định's model set (extending the national one) keeps the delegation of KM.4; the
    18/2022 recognition conditions take the model set's verdict as condition C.1."""
    nam_dinh = ntmkit.registry.load(NAM_DINH)
    assert nam_dinh.derived_from == "commune/ntm-model@2022-03-08"
    commune = ntmkit.Commune(code="13759", name="Trung Thành", province="Nam Định")
    binding = Binding("KM.4", "Nam Định", (field,))
    model = assess_delegated(commune, {"10": 95.0}, nam_dinh, year=2024, bindings=[binding],
                             bound_observations={field.key: FIELD_MET})
    assert model.criteria["KM.4"].verdict is ntmkit.Verdict.MET
    assert model.criteria["KM.2"].verdict is ntmkit.Verdict.MET  # Nam Định: ≥ 93 in 2024
    assert model.criteria["KM.3"].verdict is ntmkit.Verdict.UNKNOWN  # no smart-village set
    assert model.verdict is ntmkit.Verdict.UNKNOWN
    recognition = ntmkit.registry.get("commune/recognition@2022-08-02")
    condition_1 = {ntmkit.Verdict.MET: True, ntmkit.Verdict.NOT_MET: False}.get(model.verdict)
    decided = ntmkit.assess(commune, {"C.1": condition_1, "C.2": True}, recognition)
    assert decided.criteria["C.1"].verdict is ntmkit.Verdict.UNKNOWN
    assert decided.criteria["C.2"].verdict is ntmkit.Verdict.MET
