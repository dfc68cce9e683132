"""Indicators that bind only under a condition (nếu có): declared not applicable by the observer."""

from __future__ import annotations

import json

import pytest

import ntmkit
from ntmkit import Verdict

pd = pytest.importorskip("pandas")


@pytest.fixture(scope="module")
def district_set() -> ntmkit.CriteriaSet:
    return ntmkit.registry.get("district/ntm", version="2022-03-08")


@pytest.fixture
def district() -> ntmkit.District:
    return ntmkit.District(code="001", name="Huyện Thử", province="Nam Định")


def test_a_conditional_indicator_can_be_declared_not_applicable(district_set, district) -> None:
    assert district_set.indicators["2.4"].applies_if
    result = ntmkit.assess(district, {"2.4": Verdict.NOT_APPLICABLE, "2.1": True}, district_set)
    r = result.indicators["2.4"]
    assert r.verdict is Verdict.NOT_APPLICABLE
    assert "bus station" in r.reason
    # not applicable never fails the criterion; the criterion's other parts decide
    assert result.criteria["HC.2"].verdict is not Verdict.NOT_MET
    no = ntmkit.assess(district, {"2.4": False, "2.1": True}, district_set)
    assert no.criteria["HC.2"].verdict is Verdict.NOT_MET


def test_an_unconditional_indicator_cannot_be_declared_not_applicable(district_set,
                                                                      district) -> None:
    with pytest.raises(ntmkit.InvalidValue, match="applies to every unit"):
        ntmkit.assess(district, {"2.1": Verdict.NOT_APPLICABLE}, district_set)


def test_files_and_frames_read_the_declaration(tmp_path, district_set) -> None:
    import attrs

    from ntmkit.io import read_observations
    from ntmkit.io.observations import _cell

    cs = ntmkit.registry.get("commune/ntm", version="2022-03-08")
    conditional = attrs.evolve(cs.indicators["3.2"], applies_if="a condition holds")
    for text in ("không áp dụng", "Not applicable", "n/a"):
        assert _cell(conditional, text, None) is Verdict.NOT_APPLICABLE
    assert _cell(conditional, "Đạt", None) is True
    path = tmp_path / "obs.csv"
    path.write_text("code,name,region,3.2\n1,A,red_river_delta,không áp dụng\n", encoding="utf-8")
    with pytest.raises(ntmkit.ObservationFileError, match="applies to every unit"):
        read_observations(path, cs)
    frame = pd.DataFrame({"province": ["Nam Định"] * 3, "2.4": ["Đạt", "không áp dụng", None],
                          "2.1": [True, True, True]})
    out = ntmkit.assess_frame(frame, district_set)
    assert list(out["v:2.4"]) == ["met", "not_applicable", "unknown"]
    bad = pd.DataFrame({"province": ["Nam Định"], "2.1": ["not applicable"]})
    with pytest.raises(ntmkit.InvalidValue, match="applies to every unit"):
        ntmkit.assess_frame(bad, district_set)


def test_json_observations_take_not_applicable(tmp_path) -> None:
    from ntmkit.io.observations import records_from_json

    cs = ntmkit.registry.get("commune/ntm", version="2022-03-08")
    doc = {"format": "ntmkit.observations.v1", "communes": [
        {"commune": {"code": "1", "name": "A", "region": "red_river_delta"},
         "observations": {"3.2": "not_applicable"}}]}
    with pytest.raises(ntmkit.ObservationFileError, match="applies to every unit"):
        records_from_json(json.loads(json.dumps(doc)), cs)
