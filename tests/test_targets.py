"""Targets as data, and progress against them: worked examples computed by hand."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ntmkit
from ntmkit import Tier, targets
from ntmkit.rollup import Recognition
from ntmkit.standing import blocking, progress
from ntmkit.targets import Target, TargetRegistry


def _declared(total: int, model: int, advanced: int) -> dict[str, Tier]:
    """*total* communes: *model* kiểu mẫu, *advanced* nâng cao (model included), rest NTM."""
    return {f"{i:03}": Tier.MODEL if i < model else Tier.ADVANCED if i < advanced else Tier.NTM
            for i in range(total)}


def test_every_shipped_target_file_loads_with_sources_and_a_fingerprint() -> None:
    summaries = targets.list()
    assert {s.id for s in summaries} >= {"national/ntm-2021-2025", "province/hung-yen",
                                         "province/ha-noi", "national/digital-ntm-2021-2025"}
    for s in summaries:
        ts = targets.get(s.id, version=s.version)
        assert s.fingerprint == ts.fingerprint and ts.fingerprint.startswith("sha256:")
        for t in ts:
            assert t.sources and t.known and t.id.startswith(ts.id + "/")


def test_hung_yen_end_2023_advanced_needs_37_more() -> None:
    """139 communes, 102 nâng cao (36 of them kiểu mẫu).  100 % of 139 is 139: 139 - 102 = 37."""
    p = progress("province/hung-yen/communes-advanced", _declared(139, 36, 102))
    assert (p.counted, p.total, p.required, p.more_needed) == (102, 139, 139, 37)
    assert p.reached is False and p.basis == "declared" and p.denominator == "all communes"


def test_hung_yen_model_more_than_30_percent_needs_42() -> None:
    """"trên 30 %" is strictly more: 30 × 139 / 100 = 41.7, so 42 (30.2 %) is the first count
    above it; 41 would be 29.5 %.  The province has 36: 42 - 36 = 6 more."""
    p = progress("province/hung-yen/communes-model", _declared(139, 36, 102))
    assert (p.counted, p.required, p.more_needed) == (36, 42, 6)
    assert not progress("province/hung-yen/communes-model", _declared(139, 41, 102)).reached
    assert progress("province/hung-yen/communes-model", _declared(139, 42, 102)).reached


def test_ha_noi_mid_2023_districts_and_communes() -> None:
    """15 of 18 districts NTM: 100 % needs 18, 3 more.  With 382 communes (an input; HN2 gives
    382/382), 48 nâng cao and 5 kiểu mẫu: 40 % of 382 = 152.8 → 153, 153 - 48 = 105 more;
    20 % of 382 = 76.4 → 77, 77 - 5 = 72 more."""
    districts = {f"D{i}": Tier.NTM if i < 15 else None for i in range(18)}
    p = progress("province/ha-noi/districts-ntm", districts)
    assert (p.counted, p.total, p.required, p.more_needed) == (15, 18, 18, 3)
    communes = _declared(382, 5, 48)
    assert progress("province/ha-noi/communes-advanced", communes).more_needed == 105
    assert progress("province/ha-noi/communes-model", communes).more_needed == 72


def test_a_denominator_of_ntm_units_only_gives_another_answer_than_all_units() -> None:
    """10 districts, 5 NTM, 1 of them nâng cao; target 20 % nâng cao.
    Over the NTM districts: 20 % of 5 = 1 → reached.  Over all 10: 20 % of 10 = 2 → 1 more."""
    districts = {f"D{i}": Tier.ADVANCED if i == 0 else Tier.NTM if i < 5 else None
                 for i in range(10)}
    among = targets.target("national/ntm-2021-2025/districts-advanced", version="2021-07-28")
    assert among.among is Tier.NTM
    everyone = Target("x", "", "", "district", "ntm-advanced", percent=20)
    a, b = progress(among, districts), progress(everyone, districts)
    assert (a.total, a.required, a.reached, a.denominator) == (5, 1, True, "districts holding ntm")
    assert (b.total, b.required, b.reached, b.denominator) == (10, 2, False, "all districts")


def test_recognitions_count_on_a_date_and_say_so() -> None:
    """3 communes; one recognised nâng cao in 2023, one NTM revoked in 2024.  On 2024-06-01,
    1 of 3 holds nâng cao and 1 of 3 holds NTM (the revoked one no longer counts)."""
    recs = [Recognition("A", "ntm-advanced", "1/QĐ", dt.date(2023, 5, 1)),
            Recognition("B", "ntm", "2/QĐ", dt.date(2022, 5, 1), revoked_on=dt.date(2024, 1, 1))]
    t = Target("x", "", "", "commune", "ntm", percent=50)
    p = progress(t, recs, children=["A", "B", "C"], on=dt.date(2024, 6, 1))
    assert (p.basis, p.counted, p.total, p.required, p.more_needed) == ("recognised", 1, 3, 2, 1)
    with pytest.raises(ntmkit.InvalidValue, match="on="):
        progress(t, recs, children=["A"])


def test_about_targets_are_flagged_approximate() -> None:
    t = targets.target("national/ntm-2021-2025/communes-advanced")
    p = progress(t, _declared(10, 0, 4))
    assert p.approximate and p.reached


@given(total=st.integers(0, 5000), percent=st.integers(0, 100))
def test_required_count_is_the_least_count_whose_share_reaches_the_target(total, percent) -> None:
    for comparison in ("at_least", "more_than"):
        t = Target("x", "", "", "commune", "ntm", percent=percent, comparison=comparison)
        need = t.required(total)

        def ok(k: int, c: str = comparison) -> bool:
            return 100 * k > percent * total if c == "more_than" else 100 * k >= percent * total

        assert ok(need) and (need == 0 or not ok(need - 1))


def test_bad_target_files_are_refused_with_the_key(tmp_path) -> None:
    path = tmp_path / "t.toml"
    path.write_text('format = "ntmkit.targets.v1"\nid = "x"\nversion = "1"\ntitle_vi = ""\n'
                    'title_en = ""\nissued = 2024-01-01\nchecked_on = 2024-01-01\nscope = ""\n'
                    '[sources]\nA = { url = "u" }\n[[targets]]\ncode = "a"\nname_vi = ""\n'
                    'name_en = ""\nlevel = "commune"\ntier = "ntm"\npercent = 130\n'
                    'confidence = "verified"\nsources = ["A"]\n', encoding="utf-8")
    with pytest.raises(ntmkit.CriteriaDataError, match=r"targets\[0\].*between 0 and 100"):
        targets.load(path)
    path.write_text(path.read_text().replace("percent = 130", "percnt = 30"), encoding="utf-8")
    with pytest.raises(ntmkit.CriteriaDataError, match="percnt: unknown key"):
        targets.load(path)
    path.write_text(path.read_text().replace("percnt = 30", "percent = 30").replace(
        'sources = ["A"]', "sources = [1]"), encoding="utf-8")
    with pytest.raises(ntmkit.CriteriaDataError, match=r"targets\[0\]\.sources: item 0"):
        targets.load(path)


def test_fingerprint_changes_with_a_value_and_not_with_a_note() -> None:
    ts = targets.get("province/hung-yen")
    import attrs

    renoted = attrs.evolve(ts, note="other")
    changed = attrs.evolve(ts, targets=[attrs.evolve(ts.targets[0], percent=Fraction(99))])
    assert renoted.fingerprint == ts.fingerprint != changed.fingerprint


def test_versions_are_picked_by_date_or_pinned() -> None:
    assert targets.get("national/ntm-2021-2025").version == "2022-02-22"
    assert targets.get("national/ntm-2021-2025", on=dt.date(2022, 1, 1)).version == "2021-07-28"
    with pytest.raises(targets.UnknownTarget, match="versions"):
        targets.get("national/ntm-2021-2025", version="2030")
    with pytest.raises(targets.UnknownTarget, match="no target"):
        targets.target("province/hung-yen/nope")
    assert isinstance(TargetRegistry.bundled(), TargetRegistry)


def test_blocking_is_progress_toward_a_share_of_children() -> None:
    p = blocking({"a": Tier.NTM, "b": None}, "ntm")
    assert (p.required, p.more_needed) == (2, 1)


def test_cli_progress_prints_the_table_in_vietnamese_then_english(tmp_path, capsys) -> None:
    from ntmkit.cli import main

    path = tmp_path / "tiers.csv"
    rows = [f"X{i},{t.value}" for i, t in enumerate(_declared(139, 36, 102).values())]
    path.write_text("code,tier\n" + "\n".join(rows) + "\n", encoding="utf-8")
    assert main(["progress", "province/hung-yen/communes-model", str(path)]) == 0
    out = capsys.readouterr().out
    assert "Cần đạt    42" in out and "Còn thiếu  6" in out and "tất cả xã" in out
    assert main(["progress", "province/hung-yen/communes-model", str(path), "--lang", "en"]) == 0
    assert "More needed  6" in capsys.readouterr().out
    path.write_text("code,tier\nX1,nang-cao\n", encoding="utf-8")
    assert main(["progress", "province/hung-yen/communes-model", str(path), "--lang", "en"]) == 1
    assert "row 2, column 'tier'" in capsys.readouterr().err


def test_report_has_a_targets_section_and_a_trajectory_per_commune(tmp_path) -> None:
    from ntmkit.cli import main

    path = tmp_path / "panel.csv"
    path.write_text("code,name,region,year,3.1,3.2\n"
                    "1,Xã Một,red_river_delta,2022,70,true\n"
                    "1,Xã Một,red_river_delta,2023,85,true\n"
                    "2,Xã Hai,red_river_delta,2022,90,false\n"
                    "2,Xã Hai,red_river_delta,2023,90,true\n", encoding="utf-8")
    out = tmp_path / "r.html"
    assert main(["report", str(path), "--target", "province/hung-yen/communes-advanced",
                 "--strict", "unknown", "-o", str(out), "--version", "2022-03-08"]) == 0
    page = out.read_text(encoding="utf-8")
    assert "Tiến độ so với mục tiêu" in page and "province/hung-yen/communes-advanced" in page
    assert "Diễn biến qua các năm" in page and page.count("<polyline") == 2


def _communes(n: int) -> list[ntmkit.Commune]:
    return [ntmkit.Commune(code=f"C{i}", name=f"Xã {i}", region="red_river_delta")
            for i in range(n)]


def test_an_indicator_target_counts_the_indicator_and_keeps_unknowns_apart() -> None:
    """924/QĐ-TTg: ≥ 97 % of communes meet 8.4.  Four communes: two meet it, one does not,
    one has no data.  97 % of 4 = 3.88 → 4; 2 + 1 unknown < 4, so not reached, 2 more.  The
    commune without data lacks no criterion for sure and comes first."""
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    values = [True, True, False, None]
    assessments = [ntmkit.assess(c, {"8.4": v}, cs, year=2024)
                   for c, v in zip(_communes(4), values, strict=True)]
    p = progress("national/digital-ntm-2021-2025/communes-8.4", assessments)
    assert (p.basis, p.counted, p.unknown, p.required, p.more_needed, p.reached) == (
        "computed", 2, 1, 4, 2, False)
    assert [(c.unit, c.criteria_not_met, c.criteria_unknown) for c in p.candidates] == [
        ("C3", (), ("8",)), ("C2", ("8",), ())]
    assert p.candidates[1].gaps[0].relative == 1.0  # a yes/no requirement missing entirely


def test_an_indicator_the_registry_lacks_is_refused_by_name() -> None:
    cs = ntmkit.registry.get("commune/ntm-advanced", version="2024-03-01")
    assessments = [ntmkit.assess(c, {}, cs, year=2024) for c in _communes(2)]
    with pytest.raises(ntmkit.UnknownIndicator, match=r"8\.4 of commune/ntm-advanced"):
        progress("national/digital-ntm-2021-2025/communes-advanced-8.4", assessments)
    with pytest.raises(ntmkit.InvalidValue, match="give assessments against commune/ntm-adv"):
        progress("national/digital-ntm-2021-2025/communes-advanced-8.4",
                 [ntmkit.assess(c, {}, ntmkit.registry.get("commune/ntm@2024-03-01"),
                                year=2024) for c in _communes(1)])


def test_unknown_assessments_leave_the_outcome_undecided() -> None:
    """Two communes assessed against the shipped NTM set, which cannot be met in full: both
    are unknown.  50 % of 2 needs 1: 0 counted + 2 unknown may reach it, so undecided."""
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    assessments = [ntmkit.assess(c, {"3.1": 90.0}, cs, year=2024) for c in _communes(2)]
    p = progress(Target("x", "", "", "commune", "ntm", percent=50), assessments)
    assert (p.counted, p.unknown, p.reached) == (0, 2, None)


@given(tiers=st.lists(st.sampled_from([None, "ntm", "ntm-advanced", "ntm-model"]),
                      min_size=1, max_size=60),
       percent=st.integers(0, 100), among=st.sampled_from([None, "ntm"]),
       extra=st.integers(0, 5))
def test_declared_counts_match_a_count_by_hand(tiers, percent, among, extra) -> None:
    rank = {None: -1, "ntm": 0, "ntm-advanced": 1, "ntm-model": 2}
    declared = {f"U{i}": t for i, t in enumerate(tiers)}
    t = Target("x", "", "", "commune", "ntm-advanced", percent=percent, among=among)
    p = progress(t, declared, total=len(tiers) + extra)
    pool = [x for x in tiers if among is None or rank[x] >= 0]
    total = len(pool) + (extra if among is None else 0)
    counted = sum(rank[x] >= 1 for x in pool)
    assert (p.total, p.counted, p.unknown) == (total, counted, 0)
    assert p.more_needed == max(0, p.required - counted)
    assert p.reached is (counted >= p.required)
    assert p.candidates == () and p.denominator.startswith("all" if among is None else "com")


def test_declared_tiers_with_a_misspelt_tier_name_the_unit() -> None:
    with pytest.raises(ntmkit.InvalidValue, match="unit X: unknown tier 'nang-cao'"):
        progress("province/hung-yen/communes-model", {"X": "nang-cao"})


def test_a_frame_of_verdicts_counts_like_the_assessments(tmp_path) -> None:
    pd = pytest.importorskip("pandas")
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    frame = pd.DataFrame({"region": "red_river_delta", "8.4": [True, True, False, None]},
                         index=["C0", "C1", "C2", "C3"])
    assessed = ntmkit.assess_frame(frame, cs, year=2024)
    p = progress("national/digital-ntm-2021-2025/communes-8.4", assessed)
    assert (p.counted, p.unknown, p.more_needed) == (2, 1, 2)
    assert [(c.unit, c.criteria_not_met, c.criteria_unknown) for c in p.candidates] == [
        ("C3", (), ("8",)), ("C2", ("8",), ())]
    with pytest.raises(ntmkit.InvalidValue, match="frame_tier"):
        progress(Target("x", "", "", "commune", "ntm", percent=50), assessed)
    tiered = progress(Target("x", "", "", "commune", "ntm", percent=50), assessed,
                      frame_tier="ntm")
    # C2 fails 8.4, so it fails the set; the other three cannot be decided (the shipped set
    # is not known in full): 0 counted, 3 unknown, and 50 % of 4 needs 2 — undecided.
    assert (tiered.counted, tiered.unknown, tiered.reached) == (0, 3, None)
    assert tiered.candidates[-1].unit == "C2" and tiered.candidates[-1].criteria_not_met


def test_cli_progress_assesses_an_observations_file(tmp_path, capsys) -> None:
    from ntmkit.cli import main

    path = tmp_path / "obs.csv"
    path.write_text("code,name,region,8.4\nC0,Xã 0,red_river_delta,đạt\n"
                    "C1,Xã 1,red_river_delta,chưa đạt\n", encoding="utf-8")
    assert main(["progress", "national/digital-ntm-2021-2025/communes-8.4", str(path),
                 "--year", "2024", "--lang", "en", "--strict", "unknown"]) == 0
    out = capsys.readouterr().out
    assert "computed from data" in out and "Closest to counting" in out and "C1" in out


def test_nothing_to_count_is_an_error_not_a_reached_target() -> None:
    with pytest.raises(ntmkit.InvalidValue, match="no units to count"):
        progress("province/hung-yen/communes-model", {})
    with pytest.raises(ntmkit.InvalidValue, match="no units to count"):
        progress("province/hung-yen/communes-model", [])
    assert progress("province/hung-yen/communes-model", {}, total=3).more_needed == 1


def _all_targets() -> list[Target]:
    return [t for s in targets.list() for t in targets.get(s.id, version=s.version)]


@pytest.mark.parametrize("t", _all_targets(), ids=lambda t: f"{t.set_version}:{t.id}")
def test_each_shipped_target_agrees_with_its_quote_and_names_a_known_set(t) -> None:
    if t.quote and t.percent is not None:
        assert f"{t.percent}%" in t.quote.replace(" %", "%")
        strict = "trên" in t.quote.split(f"{t.percent}%")[0].split()[-1:]
        assert (t.comparison.value == "more_than") is strict
        if t.comparison.value == "about":
            assert "khoảng" in t.quote
    if t.indicator is not None:
        assert ntmkit.registry.default().versions(t.indicator.set), t.indicator.set
        present = any(t.indicator.code in ntmkit.registry.get(t.indicator.set, version=v)
                      .indicators for v in ntmkit.registry.default().versions(t.indicator.set))
        assert present or "does not list" in t.note
    assert t.year is not None and t.year >= int(t.set_version[:4])


def test_assessments_of_another_level_are_refused() -> None:
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    assessments = [ntmkit.assess(c, {}, cs, year=2024) for c in _communes(2)]
    with pytest.raises(ntmkit.InvalidValue, match="counts districts, but the assessments are "
                                                  "of Commune units"):
        progress("province/ha-noi/districts-ntm", assessments)


def test_every_shipped_target_file_validates_against_the_json_schema() -> None:
    import sys
    from pathlib import Path

    jsonschema = pytest.importorskip("jsonschema")
    toml = pytest.importorskip("tomllib" if sys.version_info >= (3, 11) else "tomli")
    schema = targets.json_schema()
    folder = Path(targets.__file__).parent / "registry" / "targets"
    files = sorted(folder.glob("*.toml"))
    assert files

    def jsonable(value):
        if isinstance(value, dict):
            return {k: jsonable(v) for k, v in value.items()}
        if isinstance(value, list):
            return [jsonable(v) for v in value]
        return value.isoformat() if isinstance(value, dt.date) else value

    for path in files:
        jsonschema.validate(jsonable(toml.loads(path.read_text(encoding="utf-8"))), schema)
    broken = jsonable(toml.loads(files[0].read_text(encoding="utf-8")))
    broken["targets"][0]["comparison"] = "at_most"
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)
