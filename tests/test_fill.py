from __future__ import annotations

import csv
import shutil
import subprocess
from pathlib import Path

import pytest

import ntmkit
from ntmkit.cli import main
from ntmkit.io.fill import FillError, fill, read_fill, template_rows, write_template

KEY = "commune/ntm@2024-03-01"


def _read(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.DictReader(fh))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    with path.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)


@pytest.fixture
def template(tmp_path) -> Path:
    path = tmp_path / "template.csv"
    write_template(ntmkit.registry.get(KEY), path, only_unknown=True)
    return path


def test_template_has_one_row_per_unknown_cell_and_a_bom(template) -> None:
    assert template.read_bytes().startswith(b"\xef\xbb\xbf")
    rows = _read(template)
    cs = ntmkit.registry.get(KEY)
    assert {r["indicator"] for r in rows} >= {"10", "11", "9.2"}
    income = [r for r in rows if r["indicator"] == "10"]
    assert len(income) == 7 * 4 - 7  # the 2022 row is known
    assert all(r["value"] == "" and r["set"] == cs.key for r in rows)
    everything = template_rows(cs)
    assert len(everything) > len(rows)
    assert any(r["current_value"] == "80" for r in everything if r["indicator"] == "3.1")


def test_round_trip_fills_unknowns_and_leaves_the_national_set_unchanged(template, tmp_path) -> None:
    national = ntmkit.registry.get(KEY)
    before = national.fingerprint
    commune = ntmkit.Commune(code="1", name="A", region="mekong_delta")
    observations = {"11": 2.5, "10": 50.0}
    old = ntmkit.assess(commune, observations, national, year=2024)
    assert old.indicators["11"].verdict is ntmkit.Verdict.UNKNOWN
    assert old.indicators["10"].verdict is ntmkit.Verdict.UNKNOWN

    rows = _read(template)
    for r in rows:
        if r["comparator"] == "achieved":
            r["value"] = "Đạt"
        elif r["indicator"] == "11":
            r["value"] = "3"          # ceiling 3 %: 2.5 meets it
        elif r["indicator"] == "10":
            r["value"] = "55"         # 55 million: 50 does not meet it
        else:
            r["value"] = "75,5"       # decimal comma accepted
        r["source_act"] = "318/QĐ-TTg"
        r["source_article"] = "Phụ lục I"
        r["source_url"] = "https://example.org/318"
    _write(template, rows)
    derived, text = fill(national, template, new_id="province/test/commune-ntm")
    assert derived.fingerprint != before and national.fingerprint == before
    new = ntmkit.assess(commune, observations, derived, year=2024)
    assert new.indicators["11"].verdict is ntmkit.Verdict.MET
    assert new.indicators["10"].verdict is ntmkit.Verdict.NOT_MET
    assert new.indicators["10"].gap == pytest.approx(5.0)
    assert new.indicators["10"].threshold.confidence is ntmkit.Confidence.RESTATED
    # The written file loads back to the same set.
    out = tmp_path / "derived.toml"
    out.write_text(text, encoding="utf-8")
    loaded = ntmkit.registry.load(out)
    assert loaded.fingerprint == derived.fingerprint


def _one_row(template: Path, **changes: str) -> Path:
    rows = _read(template)
    row = next(r for r in rows if r["indicator"] == "11")
    row.update({"value": "3", "source_act": "318/QĐ-TTg"})
    row.update(changes)
    _write(template, rows)
    return template


@pytest.mark.parametrize(
    ("changes", "fragment"),
    [
        ({"source_act": ""}, "column 'source_act': a filled value needs its source"),
        ({"unit": "km"}, "column 'unit'"),
        ({"value": "140"}, "column 'value': 140 % is outside"),
        ({"value": "abc"}, "column 'value': expected a number"),
        ({"indicator": "99"}, "column 'indicator'"),
        ({"set": "commune/ntm@2022-03-08"}, "column 'set'"),
        ({"confidence": "sure"}, "column 'confidence'"),
        ({"region": "atlantis"}, "column 'region'"),
    ],
)
def test_bad_fill_names_row_and_column_and_writes_nothing(template, tmp_path, changes,
                                                         fragment) -> None:
    _one_row(template, **changes)
    out = tmp_path / "derived.toml"
    assert main(["criteria", "fill", KEY, str(template), "--as", "p/x", "-o", str(out)]) == 1
    assert not out.exists()
    with pytest.raises(FillError) as info:
        read_fill(template, ntmkit.registry.get(KEY))
    assert fragment in str(info.value) and "row " in str(info.value)


def test_duplicated_cells_are_reported(template) -> None:
    rows = _read(template)
    row = next(r for r in rows if r["indicator"] == "11")
    row.update({"value": "3", "source_act": "318/QĐ-TTg"})
    rows.append(dict(row))
    _write(template, rows)
    with pytest.raises(FillError, match="already filled in row"):
        read_fill(template, ntmkit.registry.get(KEY))


def test_contradicting_a_verified_value_is_reported_not_applied(tmp_path) -> None:
    cs = ntmkit.registry.get("commune/ntm", version="2022-03-08")
    path = tmp_path / "all.csv"
    write_template(cs, path)
    rows = _read(path)
    row = next(r for r in rows if r["indicator"] == "3.1" and r["region"] == "southeast")
    row.update({"value": "85", "source_act": "1234/QĐ-UBND"})
    _write(path, rows)
    with pytest.raises(FillError, match="contradicts the registry's verified value 80"):
        read_fill(path, cs)
    (cell,) = read_fill(path, cs, accept_corrections=True)
    assert cell.threshold.value == 85.0


def test_toml_template_round_trip(tmp_path) -> None:
    cs = ntmkit.registry.get(KEY)
    path = tmp_path / "t.toml"
    write_template(cs, path, only_unknown=True)
    text = path.read_text(encoding="utf-8")
    text = text.replace('indicator = "11"\n', 'indicator = "11"\n', 1)
    start = text.index('indicator = "11"')
    block_end = text.index("[[cells]]", start)
    block = text[start:block_end]
    filled = block.replace('value = ""', 'value = "4"').replace(
        'source_act = ""', 'source_act = "318/QĐ-TTg"')
    path.write_text(text.replace(block, filled, 1), encoding="utf-8")
    (cell,) = read_fill(path, cs)
    assert cell.indicator == "11" and cell.threshold.value == 4.0


def test_cli_template_and_fill(tmp_path, capsys) -> None:
    template = tmp_path / "t.csv"
    assert main(["criteria", "template", KEY, "-o", str(template), "--only-unknown"]) == 0
    _one_row(template)
    out = tmp_path / "derived.toml"
    assert main(["criteria", "fill", KEY, str(template), "--as", "p/x", "-o", str(out)]) == 0
    assert "p/x@2024-03-01" in capsys.readouterr().out
    assert ntmkit.registry.load(out).threshold("11", region="northern_midlands_mountains").value == 3.0


def test_cli_fill_checked_on_makes_the_fingerprint_reproducible(tmp_path) -> None:
    template = tmp_path / "t.csv"
    assert main(["criteria", "template", KEY, "-o", str(template), "--only-unknown"]) == 0
    _one_row(template)
    sets = []
    for name, day in (("a", "2025-05-01"), ("b", "2025-05-01"), ("c", "2025-05-02")):
        out = tmp_path / f"{name}.toml"
        assert main(["criteria", "fill", KEY, str(template), "--as", "p/x",
                     "--checked-on", day, "-o", str(out)]) == 0
        sets.append(ntmkit.registry.load(out))
    assert str(sets[0].checked_on) == "2025-05-01"
    assert sets[0].fingerprint == sets[1].fingerprint != sets[2].fingerprint


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_template_survives_a_libreoffice_round_trip(tmp_path) -> None:
    template = tmp_path / "template.csv"
    write_template(ntmkit.registry.get(KEY), template)
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    csv_filter = "CSV:44,34,76,1"
    subprocess.run(["soffice", profile, "--headless", "--infilter=" + csv_filter,
                    "--convert-to", "xlsx", "--outdir", str(tmp_path / "x"), str(template)],
                   check=True, capture_output=True, timeout=120)
    xlsx = tmp_path / "x" / "template.xlsx"
    subprocess.run(["soffice", profile, "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir",
                    str(tmp_path / "back"), str(xlsx)], check=True, capture_output=True,
                   timeout=120)
    back = _read(tmp_path / "back" / "template.csv")
    original = _read(template)
    assert len(back) == len(original)
    for a, b in zip(original, back, strict=True):
        assert a == b


def test_2026_set_is_filled_per_commune_group(tmp_path) -> None:
    cs = ntmkit.registry.get("commune/ntm@2026-02-15")
    path = tmp_path / "t.csv"
    write_template(cs, path, only_unknown=True)
    rows = _read(path)
    poverty = [r for r in rows if r["indicator"] == "6.multidimensional_poverty"]
    assert [r["group"] for r in poverty] == ["1", "2", "3"] and all(not r["region"] for r in poverty)
    for r, ceiling in zip(poverty, ["1", "2", "4"], strict=True):
        r.update({"value": ceiling, "source_act": "51/2025/QĐ-TTg", "source_article": "Phụ lục I"})
    _write(path, rows)
    derived, _ = fill(cs, path, new_id="province/test/commune-ntm-2026")
    group3 = ntmkit.Commune(code="1", name="X", region="northern_midlands_mountains", group=3)
    group1 = ntmkit.Commune(code="2", name="Y", region="red_river_delta", group=1)
    obs = {"6.multidimensional_poverty": 3.0}
    assert ntmkit.assess(group3, obs, derived).indicators[
        "6.multidimensional_poverty"].verdict is ntmkit.Verdict.MET
    assert ntmkit.assess(group1, obs, derived).indicators[
        "6.multidimensional_poverty"].verdict is ntmkit.Verdict.NOT_MET
    with pytest.raises(ntmkit.InvalidContext, match="group"):
        ntmkit.assess(ntmkit.Commune(code="3", name="Z", region="southeast"), obs, derived)
    rows[0].update({"group": "7", "value": "1", "source_act": "51/2025/QĐ-TTg"})
    _write(path, rows)
    with pytest.raises(FillError, match="no commune group 7"):
        read_fill(path, cs)


def test_new_indicators_can_be_added_from_the_decision(tmp_path, capsys) -> None:
    cs = ntmkit.registry.get("commune/ntm@2026-02-15")
    path = tmp_path / "t.csv"
    write_template(cs, path, only_unknown=True)
    rows = _read(path)
    blank = dict.fromkeys(rows[0], "")
    new_rows = []
    for group, value in (("1", "95"), ("2", "90"), ("3", "80")):
        new_rows.append(dict(blank, set=cs.key, indicator="2.roads_test", criterion="2",
                             name_vi="Tỷ lệ đường (thử)", name_en="Road share (test)",
                             group=group, unit="%", comparator="at_least", value=value,
                             source_act="51/2025/QĐ-TTg", source_article="Phụ lục I"))
    _write(path, rows + new_rows)
    with pytest.raises(FillError, match=r"has no indicator '2\.roads_test'"):
        read_fill(path, cs)  # adding needs the explicit switch
    derived, text = fill(cs, path, new_id="province/test/2026", add_indicators=True)
    assert "2.roads_test" in derived.indicators and "2.roads_test" not in cs.indicators
    commune = ntmkit.Commune(code="1", name="X", region="red_river_delta", group=2)
    result = ntmkit.assess(commune, {"2.roads_test": 91.0}, derived)
    assert result.indicators["2.roads_test"].verdict is ntmkit.Verdict.MET
    out = tmp_path / "derived.toml"
    out.write_text(text, encoding="utf-8")
    assert ntmkit.registry.load(out).fingerprint == derived.fingerprint
    # Inconsistent definitions are reported with their rows.
    new_rows[1]["unit"] = "count"
    _write(path, rows + new_rows)
    with pytest.raises(FillError, match="column 'unit': differs from row"):
        read_fill(path, cs, add_indicators=True)
    assert main(["criteria", "fill", cs.key, str(path), "--as", "p/x", "--add-indicators",
                 "-o", str(tmp_path / "x.toml")]) == 1
