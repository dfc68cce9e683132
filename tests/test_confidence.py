"""The confidence levels are rules: every shipped set keeps them, and a set that breaks one
is caught (docs: registry-format.md, *Confidence levels*)."""

from __future__ import annotations

import datetime as dt
import math
import warnings

import attrs
import pytest

import ntmkit
from ntmkit import registry
from ntmkit.model.criteria import LegalRef, Rule, Source, Threshold
from ntmkit.model.enums import Confidence, Region, RuleKind, SourceKind
from ntmkit.registry.confidence import check_confidence, is_provincial_set
from ntmkit.registry.coverage import coverage
from ntmkit.registry.loader import derive

KEYS = [f"{s.id}@{s.version}" for s in registry.list()]


@pytest.mark.parametrize("key", KEYS)
def test_every_shipped_set_keeps_the_confidence_rules(key) -> None:
    assert check_confidence(registry.get(key)) == []


@pytest.mark.parametrize("key", KEYS)
def test_shipped_files_use_no_deprecated_confidence(key) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", DeprecationWarning)
        fresh = registry.CriteriaRegistry.bundled()
        fresh.get(key)


def _set_2021_2025() -> list[str]:
    return [k for k in KEYS if registry.get(k).period == "2021-2025"]


@pytest.mark.parametrize("key", _set_2021_2025())
def test_no_2016_2020_value_is_filed_under_2021_2025(key) -> None:
    # 1980/QĐ-TTg values turn up in every search; they must never become 2021-2025 values.
    cs = registry.get(key)
    old = registry.get("commune/ntm@2016-12-01")
    old_income = {}
    for region in Region:
        t = old.threshold("10", region=region, year=2020)
        if t is not None and t.value is not None:
            old_income[region] = t.value
    assert len(old_income) == 7
    for ind in cs.indicators.values():
        for t in ind.rule.thresholds:
            assert t.legal_ref is None or "1980/QĐ-TTg" not in t.legal_ref.act, ind.code
            if ind.code == "10" and t.when.region is not None:
                placed = [t.value] if t.value is not None else []
                if t.candidate:
                    placed.append(float(t.candidate))
                assert old_income[t.when.region] not in placed, (key, t.when.describe())


def test_the_southeast_income_of_2022_is_the_2021_2025_value() -> None:
    cs = registry.get("commune/ntm@2022-03-08")
    t = cs.threshold("10", region=Region.SOUTHEAST, year=2022)
    assert t is not None and t.value == 62 and t.confidence is Confidence.RESTATED


def test_a_provincial_figure_is_never_a_known_national_value() -> None:
    # Bình Phước (Southeast) gives its special-difficulty communes figures that the 318 rule
    # would send to the Northern Midlands and Mountains column: inferred, not known.
    cs = registry.get("commune/ntm@2022-03-08")
    assert not is_provincial_set(cs)
    provincial = {s.id for s in cs.sources if s.kind is SourceKind.PROVINCIAL}
    assert "C04" in provincial
    t = cs.threshold("2.2", region=Region.NORTHERN_MIDLANDS_MOUNTAINS)
    assert t is not None and t.confidence is Confidence.INFERRED and t.candidate == "80"
    assert not t.known
    for ind in cs.indicators.values():
        for t in ind.rule.thresholds:
            if t.sources and set(t.sources) <= provincial:
                assert not t.confidence.has_value or not t.applies, (ind.code, t.when)


def test_guidance_of_2024_belongs_to_the_2024_version() -> None:
    old = registry.get("commune/ntm-advanced@2022-03-08")
    new = registry.get("commune/ntm-advanced@2024-03-01")
    assert not old.threshold("4.household_supply", region="red_river_delta").known
    t = new.threshold("4.household_supply", region="red_river_delta")
    assert t.value == 100 and t.confidence is Confidence.GUIDANCE
    assert t.legal_ref.date == dt.date(2024, 6, 3)
    for cs in (registry.get("commune/ntm@2022-03-08"), old):
        for ind in cs.indicators.values():
            for t in ind.rule.thresholds:
                if t.legal_ref is not None and t.legal_ref.date is not None:
                    assert t.legal_ref.date < cs.superseded_on, (cs.key, ind.code)


def _tiny(confidence: Confidence, sources: dict[str, Source], cited: tuple[str, ...],
          **threshold: object) -> ntmkit.CriteriaSet:
    base = registry.get("commune/ntm@2022-03-08")
    t = Threshold(confidence=confidence, sources=cited, **threshold)  # type: ignore[arg-type]
    if confidence.has_value and "value" not in threshold:
        t = attrs.evolve(t, value=80.0)
    return derive(base, id="test/x", version="1", overrides=[("3.1", t)],
                  sources=tuple(sources.values()))


def _src(id: str, publisher: str, kind: str = "secondary") -> Source:
    return Source(id=id, url=f"https://example.org/{id}", publisher=publisher, kind=kind)


@pytest.mark.parametrize(("cited", "ok"), [
    (("A",), False),                       # one secondary source
    (("A", "B"), False),                   # two pages of one publisher
    (("A", "C"), True),                    # two publishers
    (("A", "P"), False),                   # a provincial page does not count
    (("L",), True),                        # the act's own text
])
def test_verified_needs_the_legal_text_or_two_publishers(cited, ok) -> None:
    sources = {"A": _src("A", "Thư viện Pháp luật"),
               "B": _src("B", "THƯ VIỆN PHÁP LUẬT (Q&A)"),
               "C": _src("C", "Báo Dân Việt"),
               "P": _src("P", "UBND tỉnh Bình Phước", "provincial"),
               "L": _src("L", "Công báo", "legal_text")}
    cs = _tiny(Confidence.VERIFIED, sources, cited)
    problems = [p for p in check_confidence(cs) if "indicator 3.1" in p]
    assert (problems == []) is ok, problems


def test_restated_from_a_provincial_source_alone_is_refused() -> None:
    cs = _tiny(Confidence.RESTATED, {"P": _src("P", "UBND tỉnh", "provincial")}, ("P",))
    assert any("use inferred" in p for p in check_confidence(cs))


@pytest.mark.parametrize(("act_date", "ok"), [
    (dt.date(2022, 6, 6), True),
    (dt.date(2024, 6, 4), False),          # after the version was superseded
    (dt.date(2021, 1, 1), False),          # before the version took effect
    (None, False),                         # undated
])
def test_guidance_is_dated_within_the_version(act_date, ok) -> None:
    cs = _tiny(Confidence.GUIDANCE, {"A": _src("A", "Sở X")}, ("A",),
               legal_ref=LegalRef(act="1/QĐ-BX", date=act_date))
    cs = attrs.evolve(cs, superseded_on=dt.date(2024, 3, 1))
    problems = [p for p in check_confidence(cs) if "indicator 3.1" in p]
    assert (problems == []) is ok, problems


def test_inferred_keeps_its_value_as_a_candidate_with_a_note() -> None:
    bare = _tiny(Confidence.INFERRED, {"P": _src("P", "UBND tỉnh", "provincial")}, ("P",))
    assert len([p for p in check_confidence(bare) if "3.1" in p]) == 2  # no note, no candidate
    full = _tiny(Confidence.INFERRED, {"P": _src("P", "UBND tỉnh", "provincial")}, ("P",),
                 candidate="85", note="a province's own figure")
    assert [p for p in check_confidence(full) if "3.1" in p] == []
    with pytest.raises(ValueError):  # an inferred value never decides a verdict
        Rule(kind=RuleKind.AT_LEAST,
             thresholds=(Threshold(value=85.0, confidence=Confidence.INFERRED),))


def test_carried_forward_only_in_a_derived_version() -> None:
    cs = registry.get("commune/ntm@2022-03-08")
    t = cs.indicators["3.1"].rule.thresholds[0]
    bent = attrs.evolve(cs.indicators["3.1"], rule=attrs.evolve(
        cs.indicators["3.1"].rule, thresholds=(attrs.evolve(
            t, confidence=Confidence.CARRIED_FORWARD),)))
    pillars = tuple(attrs.evolve(p, criteria=tuple(
        attrs.evolve(c, indicators=tuple(bent if i.code == "3.1" else i for i in c.indicators))
        for c in p.criteria)) for p in cs.pillars)
    plain = attrs.evolve(cs, pillars=pillars)
    assert any("only in a version derived" in p for p in check_confidence(plain))


@pytest.mark.parametrize("key", KEYS)
def test_coverage_counts_each_level_apart_and_never_inferred_as_known(key) -> None:
    cov = coverage(registry.get(key))
    assert sum(n for _, n in cov.by_confidence) == cov.cells
    assert cov.known == cov.cells - sum(cov.count(c) for c in (
        Confidence.INFERRED, Confidence.UNCERTAIN, Confidence.UNKNOWN))


def test_coverage_of_the_2022_commune_set_has_guidance_and_inferred_cells() -> None:
    cov = coverage(registry.get("commune/ntm@2022-03-08"))
    assert cov.count("guidance") > 0 and cov.count("inferred") > 0
    assert cov.known < cov.cells - cov.count("inferred") + 1


def test_deprecated_spellings_still_load_with_a_warning(tmp_path) -> None:
    path = tmp_path / "old.toml"
    path.write_text(
        'format = "ntmkit.criteria-set.v1"\nextends = "commune/ntm@2022-03-08"\n'
        'id = "province/test/commune/ntm"\nversion = "1"\neffective = 2022-03-08\n'
        '[[overrides]]\nindicator = "3.1"\nregion = "red_river_delta"\nvalue = 90\n'
        'confidence = "verified_secondary"\n', encoding="utf-8")
    with pytest.warns(DeprecationWarning, match="verified_secondary"):
        cs = registry.load(path)
    t = cs.threshold("3.1", region="red_river_delta")
    assert t.value == 90 and t.confidence is Confidence.RESTATED
    assert Confidence.VERIFIED_SECONDARY is Confidence.RESTATED
    assert Confidence.DERIVED is Confidence.INFERRED


def test_published_model_incomes_are_the_relative_rule_rounded_up() -> None:
    # 319: model income ≥ 110 % of the advanced income; the published values are that figure
    # rounded up to a whole million VND.
    model = registry.get("commune/ntm-model@2022-03-08")
    advanced = registry.get("commune/ntm-advanced@2022-03-08")
    found = 0
    for t in model.indicators["10"].rule.thresholds:
        if t.value is None:
            continue
        base = advanced.threshold("10", region=t.when.region, year=t.when.year)
        assert base is not None and base.value is not None
        assert t.value == math.ceil(round(base.value * 1.1, 9))
        found += 1
    assert found == 2


def _all_known(cs: ntmkit.CriteriaSet) -> ntmkit.CriteriaSet:
    """*cs* with every unknown value replaced by a made-up known one (test data only)."""
    def known(ind: ntmkit.Indicator) -> ntmkit.Indicator:
        thresholds = []
        for t in ind.rule.thresholds:
            if t.applies and not t.confidence.has_value:
                t = attrs.evolve(t, confidence=Confidence.RESTATED, candidate=None,
                                 value=50.0 if ind.numeric else None)
            thresholds.append(t)
        return attrs.evolve(ind, rule=attrs.evolve(ind.rule, thresholds=tuple(thresholds)))

    pillars = tuple(attrs.evolve(p, criteria=tuple(
        attrs.evolve(c, indicators=tuple(known(i) for i in c.indicators))
        for c in p.criteria)) for p in cs.pillars)
    return attrs.evolve(cs, pillars=pillars)


def _best(ind: ntmkit.Indicator) -> object:
    if not ind.numeric:
        return True
    best = (ind.maximum if ind.maximum is not None else 1000.0) \
        if ind.rule.kind is RuleKind.AT_LEAST else (ind.minimum or 0.0)
    return ntmkit.BySex(men=best, women=best) if ind.by_sex else best


@pytest.mark.filterwarnings("ignore::ntmkit.StaleCriteriaWarning")
@pytest.mark.parametrize(("key", "year"), [("commune/ntm@2022-03-08", 2022),
                                         ("commune/ntm@2024-03-01", 2024),
                                         ("commune/ntm@2026-02-15", 2026)])
def test_a_set_whose_values_are_all_known_can_be_met(key, year) -> None:
    # Every criterion holds its indicators (those the sources do not name stand in one
    # '<criterion>.other' indicator), so knowing every value is enough to meet the set.
    cs = registry.get(key)
    assert cs.complete and all(c.indicators for c in cs.criteria.values())
    filled = _all_known(cs)
    commune = ntmkit.Commune(code="1", name="A", region="red_river_delta", group=2)
    observed = {code: _best(ind) for code, ind in filled.indicators.items()}
    assert ntmkit.assess(commune, observed, filled, year=year).verdict is ntmkit.Verdict.MET
    # and as shipped, with the same observations, the unknown values keep it undecided
    assert ntmkit.assess(commune, observed, cs, year=year).verdict is ntmkit.Verdict.UNKNOWN
