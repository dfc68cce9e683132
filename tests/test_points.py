"""Points schemes: DTI indices and OCOP star ratings (ntmkit.points)."""

from __future__ import annotations

import datetime as dt
import json
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ntmkit
from ntmkit import points
from ntmkit.errors import CriteriaDataError, InvalidValue, UnknownIndicator
from ntmkit.points import Product, Ratio, rank, rank_table, score

ROOT = Path(__file__).resolve().parents[1]
POINTS_DATA = ROOT / "src" / "ntmkit" / "registry" / "points"
RULES = ROOT / "examples" / "district-dti-rule-shapes.toml"

# Hải Dương district DTI 2023.  Gia Lộc's total and three components are published (Báo Hải
# Dương: 407.17/570; awareness 32.5/50, 2nd; infrastructure 45.74/50, 3rd; human resources
# 39.68/50, 9th); its other five components and every other district's row are user-supplied
# example numbers, made up so that the published total and ranks can be checked.
#          awareness institutions infrastructure human-res. security government economy society
GIA_LOC = (32.5, 40.00, 45.74, 39.68, 42.50, 110.25, 50.00, 46.50)
OTHERS = {
    "Huyện A": (35.0, 35, 46.20, 44.10, 40, 100, 45, 40),
    "Huyện B": (30.0, 38, 47.10, 42.00, 41, 105, 48, 44),
    "Huyện C": (28.5, 36, 44.00, 41.50, 39, 98, 44, 42),
    "Huyện D": (31.0, 37, 43.50, 40.80, 40, 102, 46, 43),
    "Huyện E": (27.0, 33, 42.00, 40.20, 38, 95, 42, 40),
    "Huyện F": (29.0, 34, 41.00, 43.00, 37, 96, 40, 41),
    "Huyện G": (26.0, 32, 40.50, 45.00, 36, 90, 41, 39),
    "Huyện H": (25.5, 30, 39.00, 40.00, 35, 88, 38, 37),
    "Huyện I": (24.0, 29, 38.00, 38.00, 34, 85, 36, 35),
    "Huyện J": (23.0, 28, 37.00, 36.50, 33, 80, 35, 34),
    "Huyện K": (20.0, 25, 35.00, 35.00, 30, 75, 30, 30),
}


def _hai_duong_table() -> list[points.PointsAssessment]:
    ps = points.get("province/hai-duong/dti-district@2023-02-24")
    codes = [c.code for c in ps.components]
    rows = {"Gia Lộc": GIA_LOC, **OTHERS}
    return [score(ntmkit.District(name=name, province="Hải Dương"),
                  dict(zip(codes, values, strict=True)), ps)
            for name, values in rows.items()]


def test_gia_loc_total_share_and_ranks_reproduce_the_published_figures() -> None:
    results = _hai_duong_table()
    gia_loc = results[0]
    assert gia_loc.total == 407.17  # exact: points are added as decimals
    assert gia_loc.maximum == 570
    assert gia_loc.share == pytest.approx(407.17 / 570)
    row = rank_table(results)[0]
    assert row["rank"] == 1
    assert (row["rank:HD-H-1"], row["rank:HD-H-3"], row["rank:HD-H-4"]) == (2, 3, 9)
    assert [r.unit.name for r in rank(results)][-1] == "Huyện K"


def test_hai_duong_total_disagrees_with_its_components_and_says_so() -> None:
    ps = points.get("province/hai-duong/dti-district@2023-02-24")
    assert ps.scored_maximum == 600
    assert ps.maximum == 570
    assert any("600" in text and "570" in text for text in ps.inconsistencies)
    assert _hai_duong_table()[0].inconsistencies == ps.inconsistencies


def test_a_users_file_settles_the_hai_duong_total(tmp_path: Path) -> None:
    own = tmp_path / "hd.toml"
    own.write_text('''format = "ntmkit.points-set.v1"
kind = "points"
id = "my/hai-duong-dti"
version = "2023-02-24"
effective = 2023-02-24
extends = "province/hai-duong/dti-district@2023-02-24"
[total_points]
value = 600
confidence = "restated"
sources = ["ANNEX"]
[sources]
ANNEX = { url = "file:my-copy-of-the-annex.pdf", about = "our copy of the 297 annex" }
''', encoding="utf-8")
    mine = points.load(own)
    assert mine.inconsistencies == ()
    assert mine.derived_from == "province/hai-duong/dti-district@2023-02-24"
    assert mine.fingerprint != points.get("province/hai-duong/dti-district@2023-02-24").fingerprint


def test_ties_share_the_best_rank_and_unknown_totals_are_unranked() -> None:
    ps = points.get("province/quang-nam/dti-commune@2021-08-13")
    units = [ntmkit.Commune(code=c, name=c, province="Quảng Nam") for c in "abcd"]
    rows = [{"CQS": 40, "KTS": 10, "XHS": 20}, {"CQS": 30, "KTS": 10, "XHS": 30},
            {"CQS": 45, "KTS": 20, "XHS": 30}, {"CQS": 45, "KTS": None, "XHS": 30}]
    results = [score(u, o, ps) for u, o in zip(units, rows, strict=True)]
    ranked = [(r.unit.code, r.rank, r.tied) for r in rank(results)]
    assert ranked == [("c", 1, False), ("a", 2, True), ("b", 2, True), ("d", None, False)]
    assert results[3].total is None
    assert results[3].total_known == 75


def test_averaged_89_6_stays_below_the_90_edge_under_the_documented_rule() -> None:
    ocop = points.get("product/ocop@2019-08-21")
    assert ocop.edge_rule is points.EdgeRule.LOWER_EDGE
    council = [{"A": 31, "B": 22, "C": 37}, {"A": 32, "B": 23, "C": 35},
               {"A": 30, "B": 22, "C": 36}, {"A": 33, "B": 23, "C": 36},
               {"A": 30, "B": 21, "C": 37}]
    r = score(Product("P", "Example"), None, ocop, assessors=council)
    assert r.total == 89.6
    assert r.assessors == 5
    assert (r.stars, r.band_known) == (4, True)
    rounded = points.PointsSet(**{**_fields(ocop), "edge_rule": "round_half_up"})
    assert score(Product("P", "Example"), None, rounded, assessors=council).stars == 5


def _fields(ps: points.PointsSet) -> dict[str, object]:
    import attrs

    return {f.name: getattr(ps, f.name) for f in attrs.fields(type(ps)) if f.init}


def test_under_148_a_score_below_90_has_no_known_class() -> None:
    r = score(Product("P", "Example"), {"A": 35, "B": 22, "C": 32.6},
              points.get("product/ocop@2023-02-24"))
    assert r.total == 89.6
    assert r.band is None
    assert not r.band_known
    assert "unknown" in r.band_reason or "uncertain" in r.band_reason


def test_a_4_star_score_missing_a_mandatory_criterion_gets_the_lower_class(tmp_path) -> None:
    gated = tmp_path / "gated.toml"
    bands = "".join(f'''
[[bands]]
code = "{s}"
stars = {s}
label_vi = "{s} sao"
label_en = "{s} stars"
min_points = {edge}
confidence = "restated"
sources = ["OWN"]
gates = {gates}
''' for s, edge, gates in [(5, 90, '["M5"]'), (4, 70, '["M4"]'), (3, 50, '["M3"]'),
                            (2, 30, "[]"), (1, 0, "[]")])
    gated.write_text(f'''format = "ntmkit.points-set.v1"
kind = "points"
id = "my/ocop-gated"
version = "2020-06-08"
effective = 2020-06-08
extends = "product/ocop@2019-08-21"
[sources]
OWN = {{ url = "file:our-781-annex.pdf", about = "our copy of 781's minimum criteria" }}
{bands}''', encoding="utf-8")
    ps = points.load(gated)
    product = Product("P", "Example")
    obs = {"A": 30, "B": 20, "C": 30}
    assert score(product, obs, ps, gates={"M4": True}).stars == 4
    refused = score(product, obs, ps, gates={"M4": False, "M3": True})
    assert (refused.stars, refused.band_by_points, refused.gates_failed) == (3, "4", ("M4",))
    assert refused.band_known
    undecided = score(product, obs, ps, gates={"M4": False})
    assert undecided.band is None
    assert "M3" in undecided.band_reason
    with pytest.raises(UnknownIndicator):
        score(product, obs, ps, gates={"M9": True})


def test_step_rule_ratio_rule_with_cap_and_role_rule() -> None:
    ps = points.load(RULES)
    district = ntmkit.District(name="Example")
    r = score(district, {"X-1.1": 3, "X-1.2": Ratio(5, 4), "X-1.3": (1, 2),
                         "DTH-1.1": "deputy"}, ps)
    subs = {s.code: s for c in r.components for s in c.sub_indicators}
    assert subs["X-1.1"].points == 15
    assert subs["X-1.2"].points == 20  # 5/4 × 20 = 25, capped at the maximum
    assert "capped" in subs["X-1.2"].reason
    assert subs["X-1.3"].points == 10
    assert subs["DTH-1.1"].points == 5
    assert score(district, {"X-1.1": 0}, ps).component_map["X-1"].sub_indicators[0].points == 0
    assert score(district, {"X-1.1": 9}, ps).component_map["X-1"].sub_indicators[0].points == 20
    assert score(district, {"X-1.2": Ratio(1, 0)}, ps).component_map["X-1"] \
        .sub_indicators[1].points is None
    with pytest.raises(InvalidValue, match="head, deputy, none"):
        score(district, {"DTH-1.1": "secretary"}, ps)


@given(st.integers(min_value=0, max_value=50), st.integers(min_value=1, max_value=50))
def test_a_ratio_never_scores_beyond_its_maximum(a: int, b: int) -> None:
    ps = points.load(RULES)
    sub = score(ntmkit.District(name="x"), {"X-1.2": Ratio(a, b)}, ps) \
        .component_map["X-1"].sub_indicators[1]
    assert sub.points is not None
    assert 0 <= sub.points <= 20
    assert (sub.points == 20) == (a >= b)


def test_a_not_scored_component_stays_out_of_the_total() -> None:
    ps = points.get("province/dti@2022-05-20")
    obs = {"1": 60, "2": 55, "3": 70, "4": 50, "5": 65, "6": 12, "7": 120, "8": 80, "9": 90}
    r = score(ntmkit.Province(name="Example"), obs, ps)
    smart_city = r.component_map["6"]
    assert (smart_city.points, smart_city.scored) == (12, False)
    assert r.total == 590  # 602 - 12
    assert r.share == pytest.approx(0.59)
    assert "not scored" in smart_city.reason


def test_merged_province_is_the_mean_of_its_former_provinces_components() -> None:
    ps = points.get("province/dti@2025-04-03")
    old = points.get("province/dti@2022-05-20")
    assert ps.merge_rule is points.MergeRule.MEAN_OF_COMPONENTS
    codes = [c.code for c in ps.components]
    a = score(ntmkit.Province(name="A"), dict.fromkeys(codes, 40), ps)
    b = score(ntmkit.Province(name="B"), dict.fromkeys(codes, 45), ps)
    merged = points.merge(ntmkit.Province(name="A+B"), [a, b], ps)
    assert [c.points for c in merged.components] == [42.5] * 8
    assert merged.total == 340
    assert merged.share is None  # the 2025 provincial maximum is not known
    with pytest.raises(ntmkit.InvalidContext):
        points.merge(ntmkit.Province(name="A+B"), [a, b], old)


def test_components_points_and_sub_indicators_cannot_both_be_given() -> None:
    ps = points.load(RULES)
    with pytest.raises(InvalidValue, match="not both"):
        score(ntmkit.District(name="x"), {"X-1": 50, "X-1.1": 2}, ps)
    with pytest.raises(InvalidValue, match="outside"):
        score(ntmkit.District(name="x"), {"X-1": 150}, ps)
    with pytest.raises(UnknownIndicator, match="did you mean"):
        score(ntmkit.District(name="x"), {"X-11": 1}, ps)
    with pytest.raises(ntmkit.InvalidContext):
        score(ntmkit.Commune(code="1", name="x"), {}, ps)


def test_trace_has_its_own_format_and_is_json() -> None:
    r = _hai_duong_table()[0]
    t = json.loads(json.dumps(r.trace(), ensure_ascii=False))
    assert t["format"] == "ntmkit.points.v1"
    assert t["points_set"]["fingerprint"] == r.fingerprint
    assert t["total"] == 407.17
    assert [c["points"] for c in t["components"]][:1] == [32.5]
    assert t["components"][0]["max_confidence"] == "restated"  # one publisher
    assert t["components"][0]["max_sources"][0].startswith("https://baohaiduong.vn/")
    assert "407.17" in r.explain("en") and "Tổng điểm" in r.explain("vi")


def _jsonable(value: object) -> object:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_jsonable(v) for v in value]
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def test_every_points_set_validates_against_its_json_schema() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    toml = pytest.importorskip("tomllib" if sys.version_info >= (3, 11) else "tomli")
    from ntmkit.schemas import generate

    schema = generate()["points-set.v1.json"]
    files = [*sorted(POINTS_DATA.glob("*.toml")), RULES]
    assert len(files) >= 7
    for path in files:
        jsonschema.validate(_jsonable(toml.loads(path.read_text(encoding="utf-8"))), schema)
    broken = _jsonable(toml.loads(files[0].read_text(encoding="utf-8")))
    broken["components"][0]["max_ponts"] = 1  # type: ignore[index]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_every_value_of_every_points_set_has_a_source_and_a_confidence() -> None:
    for ps in points.default().list():
        known = {s.id for s in ps.sources}
        valued: list[tuple[str, object, points.Valued | object]] = []
        for c in ps.components:
            valued.append((f"component {c.code}", c.max_points, c))
            valued += [(f"sub-indicator {s.code}", s.max_points, s) for s in c.sub_indicators]
        valued += [(f"band {b.code}", b.min_points, b) for b in ps.bands]
        for name in ("total_points", "averaging", "validity_months", "merge_rule_confidence"):
            v = getattr(ps, name)
            if v is not None:
                valued.append((name, v.value, v))
        for where, value, holder in valued:
            confidence = holder.confidence  # type: ignore[attr-defined]
            sources = holder.sources  # type: ignore[attr-defined]
            assert isinstance(confidence, ntmkit.Confidence), (ps.key, where)
            if value is not None:
                assert confidence.has_value, (ps.key, where)
                assert sources, f"{ps.key} {where}: a value without a source"
            assert set(sources) <= known, (ps.key, where)


def test_every_points_set_keeps_the_confidence_rules() -> None:
    from ntmkit.points.coverage import check_points_confidence

    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)  # no deprecated spellings
        shipped = points.PointsRegistry.bundled().list()
        assert [p for ps in shipped for p in check_points_confidence(ps)] == []
        assert check_points_confidence(points.load(RULES)) == []
    import attrs

    ps = shipped[0]
    one_source = attrs.evolve(ps.components[0], sources=ps.components[0].sources[:1])
    broken = attrs.evolve(ps, components=(one_source, *ps.components[1:]))
    assert any("verified needs" in p for p in check_points_confidence(broken))


def test_points_registry_picks_the_version_in_force() -> None:
    assert points.get("product/ocop", on=dt.date(2021, 1, 1)).version == "2019-08-21"
    assert points.get("product/ocop", on=dt.date(2024, 1, 1)).version == "2023-02-24"
    assert points.get("product/ocop", on=dt.date(2025, 8, 1)).version == "2025-07-06"
    with pytest.raises(ntmkit.UnknownCriteriaSet):
        points.get("product/ocop", on=dt.date(2019, 1, 1))
    with pytest.raises(ntmkit.UnknownCriteriaSet, match="known points sets"):
        points.get("province/nowhere", version="2020-01-01")


def test_a_broken_points_file_names_the_file_and_key(tmp_path: Path) -> None:
    bad = tmp_path / "bad.toml"
    text = RULES.read_text(encoding="utf-8").replace('sources = ["DT1"]\nsub_indicators',
                                                     'sources = ["NOPE"]\nsub_indicators')
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(CriteriaDataError, match=r"bad\.toml.*\n.*component DTH-1.*NOPE"):
        points.load(bad)
    bad.write_text(text.replace('max_points = 100', 'max_points = "a lot"'), encoding="utf-8")
    with pytest.raises(CriteriaDataError, match=r"components\[0\]\.max_points"):
        points.load(bad)


def test_fingerprint_ignores_notes_and_changes_with_a_maximum() -> None:
    import attrs

    ps = points.get("province/quang-nam/dti-commune@2021-08-13")
    noted = attrs.evolve(ps, note="another note")
    assert noted.fingerprint == ps.fingerprint
    changed = attrs.evolve(ps, components=(attrs.evolve(ps.components[0], max_points=51),
                                           *ps.components[1:]))
    assert changed.fingerprint != ps.fingerprint


def test_weights_multiply_a_component_in_the_total_and_the_maximum(tmp_path: Path) -> None:
    own = tmp_path / "weighted.toml"
    own.write_text('''format = "ntmkit.points-set.v1"
kind = "points"
id = "my/weighted"
version = "2024-01-01"
subject = "commune"
title_vi = "Thử"
title_en = "Test"
effective = 2024-01-01
checked_on = 2024-01-01
[legal_basis]
act = "none"
[sources]
S = { url = "file:x" }
[[components]]
code = "A"
name_vi = "A"
name_en = "A"
max_points = 10
weight = 2
confidence = "restated"
sources = ["S"]
[[components]]
code = "B"
name_vi = "B"
name_en = "B"
max_points = 10
confidence = "restated"
sources = ["S"]
''', encoding="utf-8")
    ps = points.load(own)
    r = score(ntmkit.Commune(code="1", name="x"), {"A": 4, "B": 5}, ps)
    assert (r.total, r.maximum, r.share) == (13, 30, pytest.approx(13 / 30))


@given(st.lists(st.integers(min_value=0, max_value=100), min_size=1, max_size=12))
def test_ranks_follow_totals(totals: list[int]) -> None:
    ps = points.get("province/quang-nam/dti-commune@2021-08-13")
    results = [score(ntmkit.Commune(code=str(i), name=str(i)),
                     {"CQS": t // 2, "KTS": min(t // 4, 20), "XHS": min(t // 4, 30)}, ps)
               for i, t in enumerate(totals)]
    for a in results:
        row = next(r for r in rank(results) if r.unit is a.unit)
        assert row.rank == 1 + sum(b.total > a.total for b in results)  # type: ignore[operator]


def test_points_fingerprints_are_pinned() -> None:
    # As for criteria sets: once released, a version's data never changes meaning; before the
    # first release a data correction re-pins here and is listed in the changelog.
    pinned = {
        ("product/ocop", "2019-08-21"): "sha256:c1ba8a7174f2cb00488e3a8801ae4d8717e5e1afbfa51aa306a62493c93f8828",
        ("product/ocop", "2023-02-24"): "sha256:8b08190432cc527552ef5939246fa585c6879b579560dbcf4cce336222c13aef",
        ("product/ocop", "2025-07-06"): "sha256:1d57a501c6656e3b06080474597eb98d758890a13aed5acade2b2392be5a08b7",
        ("province/dti", "2022-05-20"): "sha256:497fc960f6931cb18cb6ae66cf4bb9f751ccf423f7bcfb164ef826f918e3b1d2",
        ("province/dti", "2025-04-03"): "sha256:74e6bf95646e448366c7963067d1e86cef5e96ba3a4b491557138658f3f6b88b",
        ("province/hai-duong/dti-district", "2023-02-24"): "sha256:7ca56bda30329c0cabf14e4655676f4eaf674f862bb299d6d54213f12fdc2c8f",
        ("province/quang-nam/dti-commune", "2021-08-13"): "sha256:cf5567a269df761132f2d3469c678d3ae1defb3606a5f2039d345b8473115705",
    }
    assert {(p.id, p.version) for p in points.default().list()} == set(pinned)
    for (set_id, version), fingerprint in pinned.items():
        assert points.get(set_id, version=version).fingerprint == fingerprint
