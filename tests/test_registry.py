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
        ("commune/ntm", "2016-12-01"): "sha256:6eeff136de29fbf9ff1dbfa42a7a53b55be2d29204e82d71bd407089efd1e15e",
        ("commune/ntm", "2022-03-08"): "sha256:2b14626ae39911f06db9cb58b44ce201855d5af4f8ab9deb97879d4f294159b2",
        ("commune/ntm", "2024-03-01"): "sha256:556280cdc2186ed69c080fd16a5a364b5d92047711174ecc758dd1aecee97344",
        ("commune/ntm", "2026-02-15"): "sha256:21b8d7bc7f7861fbe1820a79f51c1a73a7477d6e863eb1ea27c66886ac516c75",
        ("commune/ntm-advanced", "2022-03-08"): "sha256:e77824a4e7fd96939001b78f72886ea99f9a936db7f8960858261bb3a4450067",
        ("commune/ntm-advanced", "2024-03-01"): "sha256:6f76ba6d8a816d7978436fe863d23c9487d30dac459ddd77a2a96d314989fd22",
        ("commune/ntm-model", "2022-03-08"): "sha256:d1b0cd04565ef6a9793f27e8c21c6dd587a44f2937807249d74a78e0111ed10b",
        ("commune/ntm-modern", "2026-02-15"): "sha256:17658ade1b6cd64823dad385a3aaed0ffa3a22e1d721542edb6b35c276d8d1e0",
        ("commune/recognition", "2022-08-02"): "sha256:29ef3c9706997c18226ec171cd0456dd0495cbced663e057067168f907969d69",
        ("commune/recognition", "2024-03-07"): "sha256:8fcfb54005ed8ea34fec686d419bd1ca13304f790aadc4934201b5a190cafd8e",
        ("district/ntm", "2022-03-08"): "sha256:8314666cc650ae669cea0785703d9a020aa6d985af62d9fa60f274960fad0260",
        ("district/ntm", "2024-03-01"): "sha256:e3131570fbc7ab091c4c41b4161a3b32bab4f46105ac0ab519d208bfc436070e",
        ("district/ntm-advanced", "2022-03-08"): "sha256:0520b9e4099ed3200ea788eeeb07eed80c3dff0f1b74c22487bbc684ec0a8310",
        ("district/ntm-advanced", "2024-03-01"): "sha256:787323f14acb6ae7c6618fc97514c957b27f6b972286e485c67f6c3ca5beef70",
        ("district/ntm-special", "2024-03-01"): "sha256:6ccc9a60f2eac60303189671ed821a560375529088b18659f6c6eaac5fc9d1be",
        ("province/da-nang/village-smart", "2023-08-24"): "sha256:449178a657dd9c0684901cb82c33caa8a3ef7a02023ede0a0efbb9a7b5ead8b9",
        ("province/dong-thap/village-smart", "2023-04-03"): "sha256:0e77aefbb7c694bcc1fd4c5aef9f63fd166d369f111762b8599aecab1806a905",
        ("province/ntm-completed", "2022-03-08"): "sha256:e5921f1fc0a19437e6f1f90c2cdafdfe5e626ff1ea979de43db81ae0051b03db",
        ("province/ntm-completed", "2026-02-15"): "sha256:68d8ee74e92cac397620a27f369252e4aee43318cc27f8368f650f4f344e3ae8",
        ("province/quang-nam/village-smart", "2022"): "sha256:2c08d8dd08b9c6eecf5ff1405750ff35f54c15e21c07bd54136d66c66f49db95",
        ("province/thanh-hoa/village-smart", "2022"): "sha256:087d433b887ecc01f388c475d62366a52376c75a5298e4749310d5dfdae8a4f1",
        ("town/ntm-completed", "2022-03-08"): "sha256:b4471e7c27f0939c8aa7e083c474c983a91d48c383145ec42c6467408d20f1e2",
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
        assert cov.cells == sum(
            7 * (4 if i.year_dependent else 1) for i in cs.indicators.values())
    # the amendment carries forward known values only, and adds what its sources restate
    assert 0 < new.count("carried_forward") <= old.known
    assert new.known == sum(new.count(c) for c in ("verified", "restated", "guidance",
                                                   "carried_forward"))
    assert 0 < old.share_known < 1
    assert old.criteria_without_indicators == sum(
        not c.indicators for c in ntm_2022.criteria.values())


def test_fingerprint_ignores_checked_on_and_notes_but_not_confidence(ntm_2022) -> None:
    rechecked = attrs.evolve(ntm_2022, checked_on=dt.date(2030, 1, 1), note="re-read")
    assert rechecked.fingerprint == ntm_2022.fingerprint
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
