"""One definition of a threshold cell: coverage, the fill-in template, fill and the catalogue."""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit import registry
from ntmkit.cli import _coverage, main
from ntmkit.io.fill import fill, filled_cells, template_rows, write_template
from ntmkit.model.criteria import Condition
from ntmkit.registry.coverage import cells, coverage
from vietnamese import assert_vietnamese

DOCS_EXT = Path(__file__).resolve().parents[1] / "docs" / "_ext"
sys.path.insert(0, str(DOCS_EXT))
try:
    import catalogue

    import real_cases
finally:
    sys.path.remove(str(DOCS_EXT))

KEYS = [f"{s.id}@{s.version}" for s in registry.list()]


def _csv_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _table_row(text: str, key: str) -> list[str]:
    """The cells of the table line that starts with *key* (CLI or Markdown table)."""
    for line in text.splitlines():
        parts = [p.strip() for p in line.strip("| ").split("|")] if line.startswith("|") \
            else line.split()
        if parts and (parts[0] == key or parts[0].startswith(f"{{doc}}`{key} ")):
            return parts
    raise AssertionError(f"no row for {key}")


def _without_codes(markdown: str) -> str:
    """The page's words: code spans (indicator and criterion codes, source ids) removed."""
    return re.sub(r"`[^`]*`", " ", markdown)


@pytest.mark.parametrize("key", KEYS)
def test_coverage_template_and_catalogue_count_the_same_cells(key, tmp_path, capsys) -> None:
    cs = registry.get(key)
    cov, listed = coverage(cs), cells(cs)
    # Each cell is one context of one indicator, and holds the threshold the set gives there.
    assert len({(c.indicator, c.condition) for c in listed}) == len(listed)
    for c in listed:
        found = cs.indicators[c.indicator].rule.candidates(ntmkit.Context(
            c.region, c.year, frozenset([c.commune_class] if c.commune_class else []), c.group))
        assert c.threshold == (found[0] if len(found) == 1 else None)
    assert cov.cells == len(listed) and cov.known + cov.unknown == cov.cells
    # The command line: coverage, template, template --only-unknown.
    assert main(["criteria", "coverage", key]) == 0
    row = _table_row(capsys.readouterr().out, key)
    assert row[1:3] == [str(cov.cells), str(cov.known)]
    everything, unknown = tmp_path / "all.csv", tmp_path / "unknown.csv"
    assert main(["criteria", "template", key, "-o", str(everything)]) == 0
    assert main(["criteria", "template", key, "-o", str(unknown), "--only-unknown"]) == 0
    assert len(_csv_rows(everything)) == cov.cells == len(template_rows(cs))
    assert len(_csv_rows(unknown)) == cov.unknown
    assert {(r["indicator"], r["region"], r["year"], r["group"]) for r in _csv_rows(unknown)} == {
        (c.indicator, c.region.value if c.region else "", str(c.year or ""),
         str(c.group or "")) for c in listed if not c.known}
    # The catalogue: the coverage table, the set's page and the unknowns page.
    page_row = _table_row(catalogue.coverage_page([cs], with_cases=False), key)
    assert page_row[1] == str(cov.cells) and page_row[2].startswith(f"{cov.known} (")
    page = catalogue.set_page(cs, ("vi",))
    assert f"| Ô ngưỡng | {cov.cells}, đã biết {cov.known} (" in page
    assert sum(int(n) for n in re.findall(r"; số ô: (\d+), chưa biết: \d+\)", page)) == cov.cells
    unknowns = catalogue.unknowns_page([cs], ("vi",))
    assert f"{cov.unknown} ô chưa biết trên {cov.cells} ô." in unknowns


def _fillable(cs: ntmkit.CriteriaSet) -> list[dict[str, str]]:
    return [r for r in template_rows(cs, only_unknown=True)
            if r["comparator"] in ("at_least", "at_most", "achieved", "share_of_children")]


FILLABLE = [k for k in KEYS if _fillable(registry.get(k))]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                  HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_filling_rows_of_the_template_decides_exactly_those_cells(data, tmp_path) -> None:
    cs = registry.get(data.draw(st.sampled_from(FILLABLE)))
    rows = _fillable(cs)
    chosen = data.draw(st.lists(st.sampled_from(range(len(rows))), min_size=1, max_size=8,
                                unique=True))
    for i in chosen:
        ind = cs.indicators[rows[i]["indicator"]]
        value = ind.minimum if ind.minimum is not None else 1.0
        rows[i].update(value="Đạt" if ind.rule.kind is ntmkit.RuleKind.ACHIEVED else f"{value:g}",
                       source_act="318/QĐ-TTg")
    path = tmp_path / "filled.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    derived, _ = fill(cs, path, new_id="province/test/filled")
    decided = filled_cells(cs, derived)
    assert sorted((c.indicator, str(c.condition)) for c in decided) == sorted(
        (rows[i]["indicator"], str(Condition(
            region=rows[i]["region"] or None, year=int(rows[i]["year"]) if rows[i]["year"] else None,
            group=int(rows[i]["group"]) if rows[i]["group"] else None))) for i in chosen)
    before, after = coverage(cs), coverage(derived)
    assert after.cells == before.cells
    assert after.unknown == before.unknown - len(chosen)
    assert len(template_rows(derived, only_unknown=True)) == after.unknown


def test_district_set_counts_and_lists_its_criteria_without_indicators(capsys) -> None:
    cs = registry.get("district/ntm@2024-03-01")
    cov = coverage(cs)
    empty = [c for c in cs.criteria.values() if not c.indicators]
    assert len(empty) == 6 and cov.empty_criteria == tuple(c.code for c in empty)
    assert cov.criteria_without_indicators == 6
    # A district set writes no value per region: one cell per indicator, not seven.
    assert cov.cells == len(cs.indicators) == 11
    # Known cells do not make the set decidable: no criterion without indicators is.
    assert cov.criteria_decidable is not None
    assert cov.criteria_decidable <= cov.criteria - len(empty)
    assert main(["criteria", "coverage", cs.key]) == 0
    out = capsys.readouterr().out
    assert_vietnamese(out, where="criteria coverage")
    row = _table_row(out, cs.key)
    assert row[-2:] == [f"{cov.criteria_decidable}/13", "6/13"]
    for c in empty:
        assert f"  {c.code}. {c.name_vi}\n" in out
    english = _coverage(argparse.Namespace(key=cs.key, lang="en"))
    assert "criteria without indicators" in english
    assert all(f"  {c.code}. {c.name_en}\n" in english for c in empty)
    # The catalogue says it on the set's page and on the unknowns page.
    page = catalogue.set_page(cs, ("vi",))
    assert page.count("không thể xét từ số liệu") == 6
    assert "| Tiêu chí chưa có chỉ tiêu | 6/13: " in page
    unknowns = catalogue.unknowns_page([cs], ("vi",))
    assert all(f"- `{c.code}` {c.name_vi}" in unknowns for c in empty)


def test_a_threshold_per_commune_class_is_a_cell_of_its_own(tmp_path) -> None:
    base = registry.get("district/ntm@2024-03-01")
    t = attrs.evolve(base.indicators["H.4"].rule.thresholds[0],
                     when=Condition(commune_class="extremely_difficult"),
                     value=None, confidence="unknown")
    cs = registry.derive(base, id="p/classes", version="1", overrides=[registry.Override("H.4", t)])
    assert coverage(cs).cells == coverage(base).cells + 1
    rows = template_rows(cs, only_unknown=True)
    assert [(r["indicator"], r["commune_class"]) for r in rows] == [
        ("H.4", "extremely_difficult")]
    path = tmp_path / "t.csv"
    write_template(cs, path, only_unknown=True)
    filled = _csv_rows(path)
    filled[0].update(value="85", source_act="320/QĐ-TTg")
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(filled[0]))
        writer.writeheader()
        writer.writerows(filled)
    derived, text = fill(cs, path, new_id="p/classes-filled")
    assert [c.commune_class for c in filled_cells(cs, derived)] == [
        ntmkit.CommuneClass.EXTREMELY_DIFFICULT]
    assert 'commune_class = "extremely_difficult"' in text


@pytest.mark.parametrize("key", KEYS)
def test_catalogue_pages_are_vietnamese_first_with_english_beside_them(key) -> None:
    cs = registry.get(key)
    assert_vietnamese(_without_codes(catalogue.set_page(cs, ("vi",))), where=key)
    page = catalogue.set_page(cs)
    assert "region=" not in page and "rule: " not in page and "everywhere |" not in page
    for level in ntmkit.Confidence:
        assert f"| {level.value} |" not in page
    for region in {t.when.region for i in cs.indicators.values() for t in i.rule.thresholds
                   if t.when.region is not None}:
        vi, en = ntmkit.i18n.region_name(region, "vi"), ntmkit.i18n.region_name(region, "en")
        assert re.search(rf"\| {vi}[^|]* · \*{en}", page), region


def test_catalogue_names_regions_rules_confidence_and_units_in_vietnamese() -> None:
    page = catalogue.set_page(registry.get("commune/ntm@2022-03-08"))
    assert "| Trung du và miền núi phía Bắc · *Northern Midlands and Mountains* | ≥ " in page
    assert "đã kiểm chứng · *verified*" in page
    assert "triệu đồng/người/năm · *million VND/person/year*" in page
    assert "quy tắc · *rule*: ≥;" in page


def test_catalogue_index_unknowns_and_coverage_pages_read_in_vietnamese() -> None:
    sets = [registry.get(k) for k in KEYS]
    for name, text in [("unknowns", catalogue.unknowns_page(sets, ("vi",))),
                       ("coverage", catalogue.coverage_page(sets, ("vi",), with_cases=False)),
                       ("registry table", catalogue.registry_table(sets, ("vi",))),
                       ("real communes", real_cases.coverage_section(langs=("vi",)))]:
        assert_vietnamese(_without_codes(text), where=name)
