from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit import io

regions = st.sampled_from(list(ntmkit.Region))
classes = st.frozensets(st.sampled_from(list(ntmkit.CommuneClass)))
text = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1).filter(
    lambda s: s.strip())
communes = st.builds(
    ntmkit.Commune, code=text, name=text, region=st.none() | regions,
    province=st.none() | text, district=st.none() | text, classes=classes,
    edition=st.sampled_from([None, "pre-2025-07", "2025-07"]),
)
thresholds = st.builds(
    ntmkit.Threshold,
    when=st.builds(ntmkit.Condition, region=st.none() | regions,
                   year=st.none() | st.integers(2000, 2040)),
    value=st.floats(-1e9, 1e9, allow_nan=False),
    confidence=st.sampled_from(["verified", "restated", "carried_forward"]),
    sources=st.lists(text, max_size=3).map(tuple),
    note=st.text(max_size=20),
)


@settings(max_examples=100, deadline=None)
@given(communes)
def test_commune_round_trips(commune) -> None:
    data = json.loads(json.dumps(io.unstructure(commune)))
    assert io.structure(data, ntmkit.Commune) == commune


@settings(max_examples=100, deadline=None)
@given(thresholds)
def test_threshold_round_trips(threshold) -> None:
    data = json.loads(json.dumps(io.unstructure(threshold)))
    assert io.structure(data, ntmkit.Threshold) == threshold


@pytest.mark.parametrize("key", ["commune/ntm@2022-03-08", "commune/ntm@2024-03-01",
                                 "commune/ntm-advanced@2022-03-08"])
def test_criteria_set_round_trips_with_the_same_fingerprint(key) -> None:
    cs = ntmkit.registry.get(key)
    back = io.from_json(io.to_json(cs), ntmkit.CriteriaSet)
    assert back == cs and back.fingerprint == cs.fingerprint


@settings(max_examples=50, deadline=None)
@given(communes.filter(lambda c: c.region is not None),
       st.floats(0, 100), st.booleans(), st.none() | st.floats(0, 200))
def test_assessment_round_trips(ntm_2022, commune, irrigation, disaster, income) -> None:
    result = ntmkit.assess(commune, {"3.1": irrigation, "3.2": disaster, "10": income},
                           ntm_2022, year=2022)
    back = io.from_json(io.to_json(result), ntmkit.Assessment)
    assert back == result


def test_advanced_assessment_with_prerequisites_round_trips(red_river) -> None:
    cs = ntmkit.registry.get("commune/ntm-advanced", version="2022-03-08")
    result = ntmkit.assess(red_river, {"3.1": 90.0}, cs, year=2023)
    assert result.prerequisites
    assert io.from_json(io.to_json(result), ntmkit.Assessment) == result


def test_structure_errors_name_the_path() -> None:
    with pytest.raises(ntmkit.InvalidValue, match=r"\$\.name"):
        io.structure({"code": "1"}, ntmkit.Commune)


def test_sample_csv_reads(ntm_2022) -> None:
    from pathlib import Path

    path = Path(__file__).parents[1] / "examples" / "communes.csv"
    records = io.read_observations(path, ntm_2022)
    assert len(records) == 8
    first = records[0]
    assert first.observations["10"] == pytest.approx(5.6 * 12)
    assert first.observations["3.2"] is True
    assert records[4].observations["2.2"] is None  # empty cell = missing
    assert ntmkit.CommuneClass.EXTREMELY_DIFFICULT in records[2].commune.classes


def _csv(tmp_path, body: str):
    path = tmp_path / "obs.csv"
    path.write_text(body, encoding="utf-8-sig")
    return path


@pytest.mark.parametrize(
    ("body", "fragment"),
    [
        ("code,name,3.1\n1,A,abc\n", "row 2, column '3.1'"),
        ("code,name,3.1\n1,A,80\n2,B,140\n", "row 3, column '3.1'"),
        ("code,name,3.2\n1,A,maybe\n", "yes/no"),
        ("code,name,3.1 [km]\n1,A,80\n", "cannot convert"),
        ("code,name,9.9\n1,A,80\n", "column '9.9'"),
        ("code,name,3.1,3.1\n1,A,80,80\n", "appears twice"),
        ("name,3.1\nA,80\n", "'code' and 'name'"),
        ("code,name,3.1\n1,A\n", "row 2: 2 cells"),
        ("code,name,region,3.1\n1,A,atlantis,80\n", "unknown region"),
        ("", "empty"),
    ],
)
def test_bad_csv_names_row_and_column(tmp_path, ntm_2022, body, fragment) -> None:
    with pytest.raises(ntmkit.ObservationFileError) as info:
        io.read_observations(_csv(tmp_path, body), ntm_2022)
    assert fragment in str(info.value)
    assert "obs.csv" in str(info.value)


def test_vietnamese_headers_and_decimal_comma(tmp_path, ntm_2022) -> None:
    path = _csv(tmp_path, "Mã xã,Tên xã,Vùng,Năm,3.1\n01,Xã A,Đồng bằng sông Hồng,2024,\"80,5\"\n")
    (record,) = io.read_observations(path, ntm_2022)
    assert record.commune.region is ntmkit.Region.RED_RIVER_DELTA
    assert record.year == 2024 and record.observations["3.1"] == 80.5


def test_json_observations(tmp_path, ntm_2022) -> None:
    data = {"format": "ntmkit.observations.v1", "communes": [
        {"commune": {"code": "1", "name": "A", "region": "southeast"}, "year": 2023,
         "observations": {"3.1": 85, "10": {"value": 5, "unit": "million VND/person/month"}}}]}
    path = tmp_path / "obs.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    (record,) = io.read_observations(path, ntm_2022)
    assert record.observations["10"] == 60.0
    data["communes"][0]["observations"]["3.1"] = "high"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ntmkit.ObservationFileError, match=r"communes\[0\]\.observations\['3.1'\]"):
        io.read_observations(path, ntm_2022)


def _public_instances():
    import attrs as _attrs

    from ntmkit.registry import Override, SetSummary

    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    commune = ntmkit.Commune(code="1", name="A", region="southeast", classes=["area_iii"])
    result = ntmkit.assess(commune, {"3.1": 70.0, "3.2": True}, cs, year=2024)
    indicator = cs.indicators["3.1"]
    diff = ntmkit.registry.diff(ntmkit.registry.get("commune/ntm", version="2022-03-08"), cs)
    summary = ntmkit.registry.list()[0]
    objects = [
        ntmkit.Province(name="Nam Định", code="36", region="red_river_delta", edition="pre-2025-07"),
        ntmkit.District(name="Huyện A", code="001", province="36"),
        ntmkit.Village(name="Thôn A", code="V1", commune="1"),
        commune, cs, cs.pillars[0], cs.criteria["3"], indicator, indicator.rule,
        indicator.rule.thresholds[0], indicator.rule.thresholds[0].when, cs.legal_basis,
        cs.sources[0], cs.region_substitutions[0], result, result.pillars[0],
        result.criteria["3"], result.indicators["3.1"], result.gaps()[0],
        Override("3.1", indicator.rule.thresholds[0]), summary, diff, diff.changes[0],
        ntmkit.BySex(men=92.5, women=None), ntmkit.Share(met=1, total=3, unknown=1),
    ]
    assert {type(o) for o in objects} >= {SetSummary, Override}
    assert all(_attrs.has(type(o)) for o in objects)
    return objects


@pytest.mark.parametrize("obj", _public_instances(), ids=lambda o: type(o).__name__)
def test_every_public_type_round_trips_through_json(obj) -> None:
    data = json.loads(json.dumps(io.unstructure(obj), ensure_ascii=False))
    assert io.structure(data, type(obj)) == obj
