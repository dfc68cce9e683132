"""Compare the registry's data with the reference extraction of the legal texts, value by value.

The reference lives outside the package (``shared/reference`` beside the repository, or
``$NTMKIT_REFERENCE``); the tests skip where it is absent.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import pytest

import ntmkit
from ntmkit import Confidence, Region, RuleKind

yaml = pytest.importorskip("yaml")

REFERENCE = Path(os.environ.get("NTMKIT_REFERENCE",
                                Path(__file__).resolve().parents[2] / "shared" / "reference"))
pytestmark = pytest.mark.skipif(not REFERENCE.is_dir(), reason="reference folder not present")

SLUGS = {"tdmnpb": Region.NORTHERN_MIDLANDS_MOUNTAINS, "dbsh": Region.RED_RIVER_DELTA,
         "btb": Region.NORTH_CENTRAL_COAST, "dhntb": Region.SOUTH_CENTRAL_COAST,
         "tn": Region.CENTRAL_HIGHLANDS, "dnb": Region.SOUTHEAST, "dbscl": Region.MEKONG_DELTA}
# Where the reference's general value applies to regions whose own cell it leaves empty:
# None = every region ("region: all" in thresholds_supplement.yaml for 3.1); a set of regions =
# the columns the restating province's text covers (Bình Phước prints the special-difficulty
# column, i.e. the Northern Midlands and Mountains one, and its own Southeast column).
GENERAL_APPLIES = {
    "3.1": None,
    "2.1": {Region.NORTHERN_MIDLANDS_MOUNTAINS, Region.SOUTHEAST},
}
# Supplement labels whose code in the act is unknown, and the code the registry gives them.
CODES = {
    "15 (stunting; code unknown)": "15.3",
    "15 (e-health record; code unknown)": "15.4",
    "17 (piped clean water; code unknown)": "17.piped_water",
    "6 (guidance detail: play areas; code unknown)": "6.2",
    "6 (village cultural houses; code unknown)": "6.village_cultural_houses",
}
# Entries that are not thresholds of an indicator: set counts, rules (encoded as region
# substitutions), the ids of guidance acts, and guidance details kept in notes.
NOT_INDICATORS = ("set.", "rule.", "group_rule.", "(guidance act)", "(guidance detail: market)",
                  "(guidance detail: smartphone share)", "(guidance detail: opening hours)",
                  "16 or 18", "; guidance detail)")


# Values the reference rates restated but whose region it cannot tie ("region not stated"):
# by the reference's own definition of `uncertain` (the value cannot be tied to a region
# without an assumption) the registry keeps them as uncertain candidates, never as values.
UNTIED_REGION = ("region not stated", "not stated (story from")


# The reference labels values in its own vocabulary; the registry re-labels them by the rules
# of its confidence levels (registry-format.md, "Confidence levels"): a reference "verified"
# resting on one source is "restated", a ministry-guidance value is "guidance", a province's
# figure filed under a national column is "inferred", a value confirmed by a second publisher
# is "verified".
COMPATIBLE = {
    "verified": {"verified", "restated", "guidance"},
    "verified_secondary": {"restated", "guidance", "inferred"},
    "restated": {"verified", "restated", "guidance", "inferred"},
    "derived": {"inferred"},
    "uncertain": {"uncertain", "inferred"},
    "unknown": {"unknown"},
}


def _compatible(reference: str, mine: Confidence) -> bool:
    return mine.value in COMPATIBLE[reference]


def _load(name: str) -> Any:
    with (REFERENCE / name).open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _ntm() -> ntmkit.CriteriaSet:
    return ntmkit.registry.get("commune/ntm", version="2022-03-08")


def _check_cell(cs, code: str, region: Region, year: int | None, cell: Any) -> None:
    t = cs.threshold(code, region=region, year=year)
    assert t is not None, f"{code} {region} {year}: no threshold"
    where = f"{cs.key} {code} [{region.value}, {year}]"
    if cell is None:
        # unknown in the reference: unknown here too, unless a later source states it
        assert (t.value is None and not t.confidence.has_value) or t.sources or \
            cs.indicators[code].rule.kind is RuleKind.ACHIEVED, f"{where}: should be unknown"
        return
    reference = cell.get("confidence", "unknown")
    value = cell.get("value")
    if value is None:
        value = cell.get("printed_value")
    urls = {cs.source_map[s].url for s in t.sources}
    cited = set(cell.get("sources", []))
    if reference in ("uncertain", "unknown") and t.confidence.has_value:
        # a later source states what the reference could not: it must be cited
        newer = {s for s in t.sources if s not in cited and cs.source_map[s].url not in cited}
        assert newer, f"{where}: known without a source beyond the reference's"
        return
    assert _compatible(reference, t.confidence), f"{where}: {t.confidence} vs {reference}"
    if not t.confidence.has_value:
        assert t.value is None, f"{where}: an {t.confidence.value} value must not be used"
        if value is not None:
            assert t.candidate == str(value), f"{where}: candidate {t.candidate!r} != {value!r}"
    elif isinstance(value, (int, float)):
        assert t.value == float(value), f"{where}: {t.value} != {value}"
    assert cited <= set(t.sources) | urls, f"{where}: sources differ"


def test_commune_ntm_2022_matches_the_main_reference_file() -> None:
    cs = _ntm()
    ref = _load("commune_criteria_2021_2025.yaml")["sets"]["xa_ntm"]
    assert {str(c["number"]) for c in ref["criteria"]} == set(cs.criteria)
    checked = 0
    for criterion in ref["criteria"]:
        assert cs.criteria[str(criterion["number"])].name_vi == criterion["name_vi"]
        for ind in criterion.get("indicators", []):
            code = ind["code"]
            if code in REPLACED_BY:
                assert set(REPLACED_BY[code]) <= set(cs.indicators)
                continue
            assert code in cs.indicators, f"indicator {code} of the reference is missing"
            mine = cs.indicators[code]
            if ind.get("year_dependent"):
                assert mine.year_dependent
                for year, row in ind["thresholds_by_year"].items():
                    for slug, region in SLUGS.items():
                        _check_cell(cs, code, region, int(year), row.get(slug))
                        checked += 1
                continue
            th = ind["thresholds"]
            general = th.get("general")
            by_region = th.get("by_region") or {}
            if general and general.get("value") in ("Đạt",):
                assert mine.rule.kind is RuleKind.ACHIEVED
                assert _compatible(general["confidence"], mine.rule.thresholds[0].confidence)
                checked += 1
                continue
            if general and general.get("value") == "Không":
                assert mine.rule.kind is RuleKind.AT_MOST
                assert mine.rule.thresholds[0].value == 0.0
                checked += 1
                continue
            for slug, region in SLUGS.items():
                cell = by_region.get(slug)
                if cell is None and code in GENERAL_APPLIES:
                    cell = general if GENERAL_APPLIES[code] is None or \
                        region in GENERAL_APPLIES[code] else None
                _check_cell(cs, code, region, None, cell)
                checked += 1
    assert checked > 50


def _region_of(context: dict[str, Any]) -> list[Region]:
    name = context.get("region")
    for r in Region:
        if name == r.name_vi:
            return [r]
    return list(Region)


def _thresholds_of(set_id: str, code: str) -> list[tuple[Any, Any, Any]]:
    """The 2022-03-08 thresholds of *code* (every indicator when the code is unknown), and the
    2024-03-01 ones taken from a guidance act of 2024: such a value belongs to the version in
    force when the act was issued, whichever version the reference files it under."""
    out = []
    for version in ("2022-03-08", "2024-03-01"):
        cs = ntmkit.registry.get(set_id, version=version)
        inds = [cs.indicators[code]] if code in cs.indicators else list(cs.indicators.values())
        for ind in inds:
            for t in ind.rule.thresholds:
                if version == "2022-03-08" or (t.confidence is Confidence.GUIDANCE
                                               and t.legal_ref.date >= cs.effective):
                    out.append((cs, ind, t))
    return out


@pytest.mark.parametrize("name", ["thresholds_supplement.yaml", "thresholds_supplement2.yaml"])
def test_every_supplement_value_is_in_the_registry_with_its_source_and_confidence(name) -> None:
    entries = [e for e in _load(name) if e.get("set") in ("commune/ntm", "commune/ntm-advanced")
               and e.get("version") == "2022-03-08"
               and not any(m in str(e.get("indicator")) for m in NOT_INDICATORS)]
    assert entries
    for e in entries:
        urls = set(e["sources"])
        label = str(e["indicator"])
        code = CODES.get(label, label)
        found = []
        for cs, ind, t in _thresholds_of(e["set"], code):
            if True:
                mine = {cs.source_map[s].url for s in t.sources}
                if not urls & mine:
                    continue
                if ind.rule.kind is RuleKind.ACHIEVED:
                    ok = e["value"] == "Đạt"
                elif str(e["context"].get("region", "")).startswith(UNTIED_REGION) or \
                        e["context"].get("region") == "not stated":
                    # untied in the reference; a later source may state it for the set
                    ok = (t.candidate == str(e["value"]) and t.value is None
                          and t.confidence is Confidence.UNCERTAIN) or (
                        t.when.region is None and t.value == float(e["value"]))
                elif e["confidence"] not in ("uncertain", "unknown") \
                        and isinstance(e["value"], (int, float)):
                    ok = t.value == float(e["value"]) and (
                        t.when.region is None or t.when.region in _region_of(e["context"]))
                else:
                    ok = t.candidate == str(e["value"]) and t.value is None
                if ok:
                    found.append(t)
        assert found, f"{name}: {e['set']} {label} = {e['value']!r} not found with its source"
        # A value confirmed by a second page is upgraded; otherwise the level follows the rules.
        labels = {t.confidence for t in found}
        assert any(_compatible(e["confidence"], c) for c in labels) or \
            Confidence.VERIFIED in labels or Confidence.RESTATED in labels or \
            labels == {Confidence.UNCERTAIN}, f"{label}: confidence {labels}"


# The act's single indicator 5 is held as the three the guidance 1491/QĐ-BGDĐT casts it in.
REPLACED_BY = {"5": ("5.minimum", "5.level1", "5.level1_small")}
CHANGED_IN_2024 = {"13.cooperative", "15.4", "14.1", "4.household_supply"}


@pytest.mark.parametrize("set_id", ["commune/ntm", "commune/ntm-advanced"])
def test_amended_versions_carry_every_value_forward(set_id) -> None:
    old = ntmkit.registry.get(set_id, version="2022-03-08")
    new = ntmkit.registry.get(set_id, version="2024-03-01")
    assert set(old.indicators) <= set(new.indicators)
    for code, ind in old.indicators.items():
        if code in CHANGED_IN_2024:  # what the sources say 211/QĐ-TTg or later guidance changed
            continue
        pairs = zip(ind.rule.thresholds, new.indicators[code].rule.thresholds, strict=False)
        for a, b in pairs:
            assert (a.when, a.value, a.candidate, a.sources) == (b.when, b.value, b.candidate,
                                                                  b.sources)
            if a.confidence.has_value:
                assert b.confidence is Confidence.CARRIED_FORWARD
            else:
                assert b.confidence is a.confidence


def test_province_regions_match_the_reference() -> None:
    from ntmkit import places

    entries = [e for e in _load("thresholds_supplement2.yaml")
               if e.get("set") == "regions" and isinstance(e.get("value"), list)
               and "63 provinces" in str(e["context"].get("province_era"))
               and e["context"].get("region") in {r.name_vi for r in Region}]
    assert len(entries) == 7
    for e in entries:
        region = next(r for r in Region if r.name_vi == e["context"]["region"])
        for name in e["value"]:
            name = name.replace("TP ", "").replace(" – ", " - ")
            assert places.region_of(name, "pre-2025-07") is region, name
    assert len(places.provinces("pre-2025-07")) == 63
    assert len(places.provinces("2025-07")) == 34


def test_commune_ntm_2016_matches_the_reference_file() -> None:
    cs = ntmkit.registry.get("commune/ntm", version="2016-12-01")
    ref = _load("commune_criteria_2016_2020.yaml")
    sets = ref.get("sets", ref)
    ntm = next(v for v in sets.values() if isinstance(v, dict) and "criteria" in v)
    checked = 0
    for criterion in ntm["criteria"]:
        for ind in criterion.get("indicators", []):
            code = ind["code"]
            if code is None:  # no code in the sources: the registry names it
                code = "17.sanitation" if "three cleans" in ind["name_en"] else "17.food_safety"
            assert code in cs.indicators, f"indicator {code} of the reference is missing"
            th = ind.get("thresholds") or {}
            if ind.get("kind") == "numeric_pair":  # hygienic water, of which clean water
                for part, my_code in (("hygienic", code), ("clean", code + ".clean")):
                    for slug, region in SLUGS.items():
                        _check_cell(cs, my_code, region, None, th["by_region"][slug][part])
                        checked += 1
                continue
            general = th.get("general")
            by_region = th.get("by_region") or {}
            mine = cs.indicators[code]
            if mine.rule.kind is RuleKind.ACHIEVED:
                for region in Region:
                    t = cs.threshold(code, region=region)
                    assert t is not None and _compatible(general["confidence"], t.confidence), \
                        (code, region)
                checked += 1
                continue
            for slug, region in SLUGS.items():
                cell = by_region.get(slug)
                if cell is None and th.get("all_regions_same"):
                    cell = general
                if code == "9.1":  # 'Không' (none): no regional number, applies everywhere
                    cell = {"value": 0, "confidence": general["confidence"]}
                # Income is the level to reach by 2020; the yearly levels before it are not
                # in the reference, so they stay unknown.
                year = 2020 if mine.year_dependent else None
                _check_cell(cs, code, region, year, cell)
                if mine.year_dependent:
                    _check_cell(cs, code, region, 2019, None)
                checked += 1
    assert checked > 60
