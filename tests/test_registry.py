from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit import registry
from ntmkit.registry import CriteriaRegistry, Override

DATA = Path(ntmkit.__file__).parent / "registry" / "data"

SHIPPED = [("commune/ntm", "2016-12-01"), ("commune/ntm", "2022-03-08"), ("commune/ntm", "2024-03-01"),
           ("commune/ntm-advanced", "2022-03-08"), ("commune/ntm-advanced", "2024-03-01")]


def test_registry_lists_both_sets_in_both_versions() -> None:
    listed = {(s.id, s.version) for s in registry.list()}
    assert set(SHIPPED) <= listed


def test_version_in_force_depends_on_the_date() -> None:
    assert registry.get("commune/ntm", on=dt.date(2019, 6, 1)).version == "2016-12-01"
    assert registry.get("commune/ntm", on=dt.date(2022, 3, 7)).version == "2016-12-01"
    assert registry.get("commune/ntm", on=dt.date(2023, 6, 1)).version == "2022-03-08"
    assert registry.get("commune/ntm", on=dt.date(2024, 6, 1)).version == "2024-03-01"
    assert registry.get("commune/ntm", on=dt.date(2024, 3, 1)).version == "2024-03-01"
    assert registry.get("commune/ntm", on=dt.date(2024, 2, 29)).version == "2022-03-08"


def test_no_version_in_force_before_the_first_or_after_the_last() -> None:
    with pytest.raises(ntmkit.UnknownCriteriaSet, match="earliest"):
        registry.get("commune/ntm", on=dt.date(2010, 1, 1))
    with pytest.raises(ntmkit.UnknownCriteriaSet, match="51/2025"):
        registry.get("commune/ntm-advanced", on=dt.date(2026, 6, 1))


def test_the_2026_2030_set_is_in_force_from_15_february_2026() -> None:
    assert registry.get("commune/ntm", on=dt.date(2026, 2, 14)).version == "2024-03-01"
    current = registry.get("commune/ntm", on=dt.date(2026, 2, 15))
    assert current.version == "2026-02-15" and current.criteria_count == 10
    assert current.legal_basis.act == "51/2025/QĐ-TTg"
    commune = ntmkit.Commune(code="1", name="X", region="red_river_delta", group=2)
    result = ntmkit.assess(commune, {}, current)
    assert result.verdict is ntmkit.Verdict.UNKNOWN and result.total == 10


@pytest.mark.parametrize(
    ("args", "kwargs", "fragment"),
    [
        (("commune/ntm",), {"version": "1999-01-01"}, "versions: .*2022-03-08, 2024-03-01"),
        (("commune/none",), {"version": "2022-03-08"}, "known sets"),
        (("commune/ntm",), {}, "exactly one"),
        (("commune/ntm",), {"version": "2022-03-08", "on": dt.date(2023, 1, 1)}, "exactly one"),
    ],
)
def test_unknown_set_or_version_is_a_clear_error(args, kwargs, fragment) -> None:
    with pytest.raises(ntmkit.UnknownCriteriaSet, match=fragment):
        registry.get(*args, **kwargs)


def test_id_at_version_spelling() -> None:
    assert registry.get("commune/ntm@2022-03-08").version == "2022-03-08"


def test_fingerprint_is_stable_when_reloaded() -> None:
    fresh = CriteriaRegistry.bundled()
    for set_id, version in SHIPPED:
        assert fresh.get(set_id, version=version).fingerprint == \
            registry.get(set_id, version=version).fingerprint


def test_amended_version_carries_forward_values_and_marks_them(ntm_2022, ntm_2024) -> None:
    old = ntm_2022.threshold("3.1", region="red_river_delta")
    new = ntm_2024.threshold("3.1", region="red_river_delta")
    assert old is not None and new is not None
    assert new.value == old.value
    assert new.confidence is ntmkit.Confidence.CARRIED_FORWARD
    unknown = ntm_2024.threshold("11", region="red_river_delta")
    assert unknown is not None and unknown.confidence is ntmkit.Confidence.UNKNOWN


def test_diff_shows_what_the_amendment_changed(ntm_2022, ntm_2024) -> None:
    d = registry.diff(ntm_2022, ntm_2024)
    # 211/QĐ-TTg's rewordings: e-health records became a yes/no condition, clean water
    # "theo quy chuẩn", access to law (18.4, guided by 1143/QĐ-BTP)
    assert not d.empty and d.removed == ()
    assert d.added == ("15.e_health_records", "17.clean_water", "18.4")
    whats = {c.what for c in d.changes}
    assert "confidence" in whats and "region_substitutions" in whats
    assert "(no differences)" in str(registry.diff(ntm_2022, ntm_2022))


@settings(max_examples=40, deadline=None)
@given(value=st.floats(0, 100, allow_nan=False), region=st.sampled_from(list(ntmkit.Region)))
def test_any_threshold_change_changes_the_fingerprint(ntm_2022, value, region) -> None:
    current = ntm_2022.threshold("3.1", region=region)
    assert current is not None
    threshold = ntmkit.Threshold(when=ntmkit.Condition(region=region), value=value,
                                 confidence="restated", sources=("C02",))
    derived = registry.derive(ntm_2022, id="province/test", version="1",
                              overrides=[Override("3.1", threshold)])
    same_meaning = registry.derive(ntm_2022, id="province/test", version="1")
    assert derived.fingerprint != same_meaning.fingerprint
    assert derived.threshold("3.1", region=region).value == value
    assert ntm_2022.threshold("3.1", region=region) == current  # the base is untouched


def test_derived_set_gets_its_own_id_and_scores_with_the_override(ntm_2022) -> None:
    stricter = registry.derive(
        ntm_2022, id="province/hung-yen/commune-ntm", version="2023-01-01",
        overrides=[Override("3.1", ntmkit.Threshold(
            when=ntmkit.Condition(region="red_river_delta"), value=90.0,
            confidence="restated", sources=("C02",)))],
    )
    assert stricter.derived_from == "commune/ntm@2022-03-08"
    assert stricter.fingerprint != ntm_2022.fingerprint
    commune = ntmkit.Commune(code="1", name="X", region="red_river_delta")
    national = ntmkit.assess(commune, {"3.1": 85.0}, ntm_2022, year=2023)
    provincial = ntmkit.assess(commune, {"3.1": 85.0}, stricter, year=2023)
    assert national.indicators["3.1"].verdict is ntmkit.Verdict.MET
    assert provincial.indicators["3.1"].verdict is ntmkit.Verdict.NOT_MET
    with pytest.raises(ntmkit.CriteriaDataError, match="id of its own"):
        registry.derive(ntm_2022, id="commune/ntm", version="x")
    with pytest.raises(ntmkit.CriteriaDataError, match="99"):
        registry.derive(ntm_2022, id="p/x", version="1", overrides=[Override("99", ntmkit.Threshold())])


def test_load_a_user_file_that_extends_a_national_set(tmp_path) -> None:
    path = tmp_path / "province.toml"
    path.write_text(
        'format = "ntmkit.criteria-set.v1"\n'
        'id = "province/demo/commune-ntm"\nversion = "2023-01-01"\n'
        'extends = "commune/ntm@2022-03-08"\neffective = 2023-01-01\n'
        '[[overrides]]\nindicator = "3.1"\nregion = "southeast"\nvalue = 85\n'
        'confidence = "restated"\nsources = ["P1"]\n'
        '[sources.P1]\nurl = "https://example.org/decision"\n',
        encoding="utf-8",
    )
    reg = CriteriaRegistry.bundled()
    cs = reg.load(path)
    assert cs.threshold("3.1", region="southeast").value == 85.0
    assert reg.get("province/demo/commune-ntm", version="2023-01-01") is cs


@pytest.mark.parametrize(
    ("mutate", "fragment"),
    [
        (lambda t: t.replace('rule = "at_least"', 'rule = "at_leats"', 1), "unknown rule 'at_leats'"),
        (lambda t: t.replace('unit = "%"', 'units = "%"', 1), "units: unknown key"),
        (lambda t: t.replace('value = 80, confidence = "verified"', 'value = "80", confidence = "verified"'), "expected a number"),
        (lambda t: t.replace('{ confidence = "unknown", note = "The values for 2023-2025 were not found." },\n', '', 1), "no threshold for region="),
        (lambda t: t.replace('sources = ["C04"]', 'sources = ["C99"]', 1), "'C99' is not in [sources]"),
        (lambda t: t.replace("effective = 2022-03-08", "", 1), "effective: required key is missing"),
        (lambda t: t + "\n[[[broken", "not valid TOML"),
        (lambda t: t.replace('confidence = "inferred"', 'confidence = "sure"', 1), "unknown confidence 'sure'"),
    ],
)
def test_malformed_file_names_file_key_and_problem(tmp_path, mutate, fragment) -> None:
    text = (DATA / "commune-ntm-2022-03-08.toml").read_text(encoding="utf-8")
    bad = mutate(text)
    assert bad != text
    path = tmp_path / "bad.toml"
    path.write_text(bad.replace('id = "commune/ntm"', 'id = "test/bad"'), encoding="utf-8")
    with pytest.raises(ntmkit.CriteriaDataError) as info:
        CriteriaRegistry().load(path)
    assert str(path) in str(info.value)
    assert fragment in str(info.value)


def test_every_shipped_file_is_valid_and_covers_every_context() -> None:
    for set_id, version in [(s.id, s.version) for s in registry.list()]:
        cs = registry.get(set_id, version=version)
        assert registry.check_coverage(cs) == []


def test_every_threshold_has_a_confidence_and_every_known_value_a_source() -> None:
    for set_id, version in [(s.id, s.version) for s in registry.list()]:
        cs = registry.get(set_id, version=version)
        urls = cs.source_map
        for ind in cs.indicators.values():
            for t in ind.rule.thresholds:
                assert isinstance(t.confidence, ntmkit.Confidence)
                if t.confidence.has_value:
                    assert t.sources, f"{cs.key} {ind.code} {t.when.describe()} has no source"
                    assert all(urls[s].url.startswith("http") for s in t.sources)


def test_codes_shared_with_a_required_set_mean_the_same_observation() -> None:
    # One row of observations serves a set and the sets it requires (the advanced set and the
    # NTM set): a code both use must name the same quantity, in the same unit and kind.
    for info in registry.list():
        cs = registry.get(info.id, version=info.version)
        for key in cs.requires:
            pre = registry.get(key)
            for code in set(cs.indicators) & set(pre.indicators):
                mine, theirs = cs.indicators[code], pre.indicators[code]
                where = f"{cs.key} and {pre.key}, indicator {code}"
                assert mine.unit == theirs.unit, f"{where}: {mine.unit} != {theirs.unit}"
                assert mine.rule.kind is theirs.rule.kind, where


def test_released_fingerprints_never_change() -> None:
    # A released version never changes meaning: once ntmkit is published, this table changes
    # only by gaining new versions.  (Before the first release, data corrections re-pin here and
    # are listed in the changelog.)
    pinned = {
        ("commune/ntm", "2016-12-01"): "sha256:b6163c6a7fb89d2725157e0086d7081c158d097fc222fa1d674f7e001ce89757",
        ("commune/ntm", "2022-03-08"): "sha256:4fc4536cebe36c6b5ca75991d30e1510c7960cafefd9f6b82e5d376533996fd3",
        ("commune/ntm", "2024-03-01"): "sha256:bda6f7ef48643b976693f7645ae27de4cf3f6e9ae13aa15f1fa6e20cdb6fad3f",
        ("commune/ntm", "2026-02-15"): "sha256:f0104ce4dd66e8d2cd9127bf1cce27f20639f33b5e4d00b86ad6efba6664a20e",
        ("commune/ntm-advanced", "2022-03-08"): "sha256:e9d222c3c15d0d876e7f6c4a9c3ce8314ee8b18630da5364ab90e4022130f373",
        ("commune/ntm-advanced", "2024-03-01"): "sha256:b7b66c5390c64f52448f62469d971568ab6a1cd9a059727da88a32361c2e1a3f",
        ("commune/ntm-model", "2022-03-08"): "sha256:f21e1ee3b5194111febb88d4a875b3f8647ca1220992d62d2180774ac74e891e",
        ("commune/ntm-modern", "2026-02-15"): "sha256:281428047f93bc5e7602bfdfca0c2ccce783732f4028f874029677b33964561e",
        ("commune/recognition", "2022-08-02"): "sha256:6bf4bc2b856ca9b2287fa3d0069d4f2e1799606356881b102a4b34d443300e3a",
        ("commune/recognition", "2024-03-07"): "sha256:cfe7550871a30e4350a2838462be0bdbcd2b1899256f8fa6517ef744aca7728e",
        ("district/ntm", "2022-03-08"): "sha256:d65ebfb7996b84f7de9aef00d34a4efcff01fc79167505c602425dcc4c3840fa",
        ("district/ntm", "2024-03-01"): "sha256:c9114c912c46d715ae609f6d1f02a9ae24ac6c6b93a2b83fc5a03c05c2931805",
        ("district/ntm-advanced", "2022-03-08"): "sha256:6969c2d7f7866c49f386f747b92a3691542761862c33bb0fbc07594ef776e936",
        ("district/ntm-advanced", "2024-03-01"): "sha256:5963f2c91714b4e78254853036114e3bc1b0fbec4d64b15f2fe684d01363a3f6",
        ("district/ntm-special", "2024-03-01"): "sha256:1148e4275dbaf1499aa55f5957777544d118f7c1304a10b4f68618da9ab5f0a9",
        ("province/da-nang/village-smart", "2023-08-24"): "sha256:4304a924c03845ad26b141302d9170f7ff1c3eb97a478c50ce8e955618b1313f",
        ("province/dong-thap/village-smart", "2023-04-03"): "sha256:14c4a2cd511092791135f077eec5810bcf6c68ecdb633c7ee271d8ba8b89efdc",
        ("province/ntm-completed", "2022-03-08"): "sha256:c39f0d0d5f03ed33f58295c1f484e815663f7fa77362d4c8b6c7b760183a3e85",
        ("province/ntm-completed", "2026-02-15"): "sha256:4ec2c5959a369618f66d18b9a1cb937f022f118333f351a750ca1922fa51cdd2",
        ("province/quang-nam/village-smart", "2022"): "sha256:75b72fa8c8afd15e3e4abc026806d8608176425f38b2397cd37abd14e7871c0a",
        ("province/thanh-hoa/village-smart", "2022"): "sha256:3c8346f108287860314b9656515ebe35700e610e09139d7024a31881c07b2003",
        ("town/ntm-completed", "2022-03-08"): "sha256:3b63cf69b5f38fa5f97f861d8507428e3bd52f084878d5496c3677bd35c699d1",
    }
    for (set_id, version), fingerprint in pinned.items():
        assert registry.get(set_id, version=version).fingerprint == fingerprint


def test_sets_are_frozen(ntm_2022) -> None:
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        ntm_2022.version = "x"  # type: ignore[misc]


def test_module_level_load_leaves_the_shipped_registry_unchanged(tmp_path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'format = "ntmkit.criteria-set.v1"\nid = "province/mine"\nversion = "1"\n'
        'extends = "commune/ntm@2022-03-08"\neffective = 2023-01-01\n', encoding="utf-8")
    first = registry.load(path)
    again = registry.load(path)  # re-running a notebook cell works
    assert first == again and first.id == "province/mine"
    assert "province/mine" not in registry.default().ids()


def test_reloading_the_same_file_into_a_registry_returns_the_same_set(tmp_path) -> None:
    path = tmp_path / "mine.toml"
    path.write_text(
        'format = "ntmkit.criteria-set.v1"\nid = "province/mine"\nversion = "1"\n'
        'extends = "commune/ntm@2022-03-08"\neffective = 2023-01-01\n', encoding="utf-8")
    reg = CriteriaRegistry.bundled()
    assert reg.load(path) is reg.load(path)
    other = tmp_path / "other.toml"
    other.write_text(path.read_text(encoding="utf-8") + 'note = "changed"\n', encoding="utf-8")
    with pytest.raises(ntmkit.CriteriaDataError, match="already in the registry"):
        reg.load(other)


def test_coverage_counts_cells_by_confidence(ntm_2022, ntm_2024) -> None:
    old, new = registry.coverage(ntm_2022), registry.coverage(ntm_2024)
    for cov, cs in ((old, ntm_2022), (new, ntm_2024)):
        # The commune tables are written per region: a value per region, a yes/no condition
        # once (none of these sets writes a yes/no condition per region).
        assert cov.cells == sum(
            (1 if i.rule.kind is ntmkit.RuleKind.ACHIEVED else 7) * (4 if i.year_dependent else 1)
            for i in cs.indicators.values())
    # the amendment carries forward known values only, and adds what its sources restate
    assert 0 < new.count("carried_forward") <= old.known
    assert new.known == sum(new.count(c) for c in ("verified", "restated", "guidance",
                                                   "carried_forward"))
    assert 0 < old.share_known < 1
    assert old.criteria_without_indicators == sum(
        not c.indicators for c in ntm_2022.criteria.values())


def test_fingerprint_ignores_notes_but_not_checked_on_or_confidence(ntm_2022) -> None:
    assert attrs.evolve(ntm_2022, note="re-read").fingerprint == ntm_2022.fingerprint
    rechecked = attrs.evolve(ntm_2022, checked_on=dt.date(2030, 1, 1))
    assert rechecked.fingerprint != ntm_2022.fingerprint
    ind = ntm_2022.indicators["3.1"]
    t = ind.rule.thresholds[0]
    weaker = registry.derive(ntm_2022, id="p/x", version="1", overrides=[
        Override("3.1", attrs.evolve(t, confidence=ntmkit.Confidence.RESTATED))])
    same = registry.derive(ntm_2022, id="p/x", version="1")
    assert weaker.fingerprint != same.fingerprint


def test_a_new_optional_field_left_at_its_default_does_not_change_fingerprints(ntm_2022) -> None:
    canonical = ntm_2022.canonical()
    first = canonical["pillars"][0]["criteria"][0]
    assert "note" not in first and "indicators_complete" not in first  # True is the default
    advanced = registry.get("commune/ntm-advanced", version="2022-03-08").canonical()
    assert "indicators_complete" in advanced["pillars"][0]["criteria"][0]  # False is not
    ind = canonical["pillars"][1]["criteria"][0]["indicators"][0]
    assert "children" not in ind and "year_dependent" not in ind


def test_year_and_group_dependence_are_read_from_the_thresholds(ntm_2022) -> None:
    assert ntm_2022.year_dependent  # the income table rises by year
    assert not ntm_2022.has_group_values
    district = registry.get("district/ntm", version="2022-03-08")
    assert not district.year_dependent
    grouped = registry.derive(ntm_2022, id="p/groups", version="1", groups=(1, 2, 3),
                              overrides=[Override("3.1", ntmkit.Threshold(
                                  when=ntmkit.Condition(group=1), value=90.0,
                                  confidence="restated", sources=("C02",)))])
    assert grouped.has_group_values
