from __future__ import annotations

import json

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit import registry
from ntmkit.cli import main
from ntmkit.diff_text import render

OLD, NEW = "commune/ntm@2022-03-08", "commune/ntm@2024-03-01"


@pytest.mark.parametrize("lang", ["vi", "en"])
def test_amendment_diff_fits_one_screen_and_names_the_substitution_change(capsys, lang) -> None:
    assert main(["criteria", "diff", OLD, NEW, "--lang", lang]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) <= 40 and max(len(line) for line in lines) <= 100
    text = " ".join(line.strip() for line in lines)
    # Sections: title, values, rules and structure, provenance (blank lines between).
    structure = "\n".join(lines).split("\n\n")[2]
    assert structure.startswith("Quy tắc và cấu trúc" if lang == "vi" else "Rules and structure")
    structure = " ".join(line.strip() for line in structure.splitlines())
    region = ntmkit.Region.NORTHERN_MIDLANDS_MOUNTAINS
    area_ii = "xã khu vực II" if lang == "vi" else "area II commune"
    sentence = next(line for line in structure.split(" - ")
                    if (region.name_vi if lang == "vi" else region.name_en) in line)
    # One sentence names the column and what joined it; no raw dict of the data file.
    sentence = sentence[:sentence.index(".") + 1]
    assert area_ii in sentence and ("khu vực III" in sentence or "area III" in sentence)
    assert "{" not in text and "'classes'" not in text and "northern_midlands_mountains" not in text


def test_provenance_is_counted_and_listed_with_all(capsys) -> None:
    d = registry.diff(registry.get(OLD), registry.get(NEW))
    provenance = d.of_kind("provenance")
    assert len(provenance) > 20
    assert main(["criteria", "diff", OLD, NEW, "--lang", "en"]) == 0
    short = capsys.readouterr().out
    assert f"({len(provenance)} changes; list each with --all)" in short
    assert main(["criteria", "diff", OLD, NEW, "--lang", "en", "--all"]) == 0
    full = capsys.readouterr().out.splitlines()
    items = [line for line in full[full.index(next(x for x in full if x.startswith("Sources"))):]
             if line.startswith("  - ")]
    assert len(items) == len(provenance)
    assert max(len(line) for line in full) <= 100


def test_json_diff_lists_every_change_with_its_kind_values_first(capsys) -> None:
    d = registry.diff(registry.get("commune/ntm@2024-03-01"), registry.get("commune/ntm@2026-02-15"))
    assert main(["criteria", "diff", "commune/ntm@2024-03-01", "commune/ntm@2026-02-15",
                 "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    kinds = [c["kind"] for c in data["changes"]]
    assert len(kinds) == len(d.changes)
    assert kinds == sorted(kinds, key=("value", "structure", "provenance").index)
    assert data["indicators_added"] == list(d.added) and data["indicators_removed"] == list(d.removed)
    assert set(data["labels"]) >= set(d.added) | set(d.removed)


def test_region_substitution_change_keeps_its_meaning_apart_from_its_provenance() -> None:
    d = registry.diff(registry.get(OLD), registry.get(NEW))
    (sub,) = [c for c in d.changes if c.what == "region_substitutions"]
    assert sub.kind == "structure"
    assert {k for s in sub.new for k in s} == {"classes", "region"}
    assert "area_ii" in sub.new[0]["classes"] and "area_ii" not in sub.old[0]["classes"]
    assert any(c.where.startswith("region substitution") and c.what == "confidence"
               and c.kind == "provenance" for c in d.changes)


@settings(max_examples=25, deadline=None)
@given(value=st.integers(0, 100), region=st.sampled_from(list(ntmkit.Region)),
       lang=st.sampled_from(["vi", "en"]))
def test_a_changed_threshold_is_shown_first_old_to_new_in_its_context(value, region, lang) -> None:
    base = registry.get(NEW)
    old = base.threshold("3.1", region=region)
    assert old is not None and old.value is not None
    changed = attrs.evolve(old, value=float(value), confidence="restated")
    derived = registry.derive(base, id="test/derived", version="1",
                              overrides=[registry.Override("3.1", changed)])
    d = registry.diff(base, derived)
    values = d.of_kind("value")
    if value == old.value:
        assert not values
        return
    (change,) = values
    assert change.indicator == "3.1" and change.context == old.when
    assert (change.old, change.new) == (old.value, value)
    text = render(d, lang)
    _head, _, rest = text.partition("\n\n")
    first_section = rest.split("\n\n")[0]
    assert f"{old.value:g} % → {value:g} %" in first_section
    where = old.when.region
    if where is not None:
        assert (where.name_vi if lang == "vi" else where.name_en) in first_section
