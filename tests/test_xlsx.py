from __future__ import annotations

import csv
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit.cli import main
from ntmkit.io import read_observations
from ntmkit.io.fill import fill, write_template
from ntmkit.io.xlsx import VERDICT_COLOURS

openpyxl = pytest.importorskip("openpyxl")

SAMPLE = Path(__file__).parents[1] / "examples" / "communes.csv"
KEY = "commune/ntm@2024-03-01"


def _csv_rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def _number_or_text(cell: str) -> object:
    try:
        return int(cell) if cell.isdigit() else float(cell)
    except ValueError:
        return cell or None


def _as_workbook(rows: list[list[str]], path: Path, *, numbers: bool = True) -> Path:
    """Save CSV rows as a workbook, numbers as numbers (as a spreadsheet would hold them)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Dữ liệu"
    for r, row in enumerate(rows, start=1):
        for c, cell in enumerate(row, start=1):
            keep_text = r == 1 or not numbers or c <= 2
            target = sheet.cell(row=r, column=c,
                                value=(cell or None) if keep_text else _number_or_text(cell))
            if isinstance(target.value, str):
                target.data_type = "s"  # text, even where it starts with "="
    book.save(path)
    return path


def test_observations_read_from_xlsx_equal_the_csv_route(tmp_path) -> None:
    cs = ntmkit.registry.get(KEY)
    book = _as_workbook(_csv_rows(SAMPLE), tmp_path / "communes.xlsx")
    from_csv = read_observations(SAMPLE, cs)
    from_xlsx = read_observations(book, cs)
    assert len(from_xlsx) == len(from_csv) == 8
    for a, b in zip(from_csv, from_xlsx, strict=True):
        assert (a.commune, a.observations, a.row, a.year) == (b.commune, b.observations, b.row,
                                                              b.year)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.floats(0, 100, allow_nan=False).map(lambda x: round(x, 3)),
       achieved=st.sampled_from(["Đạt", "Chưa đạt", ""]))
def test_any_cell_reads_the_same_from_a_workbook_as_from_csv(tmp_path, value, achieved) -> None:
    cs = ntmkit.registry.get(KEY)
    rows = [["code", "name", "region", "year", "3.1", "3.2"],
            ["1", "A", "red_river_delta", "2024", repr(value), achieved]]
    path = tmp_path / "one.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(rows)
    book = _as_workbook(rows, tmp_path / "one.xlsx")
    (a,), (b,) = read_observations(path, cs), read_observations(book, cs)
    assert a.observations == b.observations and b.observations["3.1"] == pytest.approx(value)


def test_bad_workbook_cell_names_file_sheet_row_and_column(tmp_path) -> None:
    rows = _csv_rows(SAMPLE)
    rows[3][rows[0].index("3.1")] = "nhiều"
    book = _as_workbook(rows, tmp_path / "bad.xlsx")
    with pytest.raises(ntmkit.ObservationFileError) as info:
        read_observations(book, ntmkit.registry.get(KEY))
    message = str(info.value)
    assert str(book) in message and "sheet 'Dữ liệu'" in message
    letter = openpyxl.utils.get_column_letter(rows[0].index("3.1") + 1)
    assert "row 4" in message and f"column '3.1' ({letter})" in message


def test_value_outside_the_header_is_named_by_its_column_letter(tmp_path) -> None:
    rows = _csv_rows(SAMPLE)
    book = _as_workbook(rows, tmp_path / "extra.xlsx")
    wb = openpyxl.load_workbook(book)
    wb.active.cell(row=5, column=len(rows[0]) + 2, value=7)
    wb.save(book)
    with pytest.raises(ntmkit.ObservationFileError, match=r"row 5, column X: a value in a column "
                       "without a header"):
        read_observations(book, ntmkit.registry.get(KEY))


def _fill_values(rows: list[dict[str, str]]) -> list[dict[str, str]]:
    for r in rows:
        if r["comparator"] == "achieved":
            r["value"] = "Đạt"
        elif r["indicator"] == "11":
            r["value"] = "3"
        elif r["indicator"] == "10":
            r["value"] = "55"
        else:
            r["value"] = "75.5"
        r["source_act"] = "318/QĐ-TTg"
        r["source_article"] = "Phụ lục I"
        r["source_url"] = "https://example.org/318"
    return rows


def test_xlsx_template_filled_with_openpyxl_gives_the_csv_fingerprint(tmp_path) -> None:
    cs = ntmkit.registry.get(KEY)
    # The CSV route.
    template_csv = tmp_path / "t.csv"
    write_template(cs, template_csv, only_unknown=True)
    with template_csv.open(encoding="utf-8-sig", newline="") as fh:
        rows = _fill_values(list(csv.DictReader(fh)))
    with template_csv.open("w", encoding="utf-8-sig", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    by_csv, _ = fill(cs, template_csv, new_id="province/test/commune-ntm")
    # The workbook route: cells typed as a person would (numbers as numbers).
    template_xlsx = tmp_path / "t.xlsx"
    assert write_template(cs, template_xlsx, only_unknown=True) == len(rows)
    book = openpyxl.load_workbook(template_xlsx)
    sheet = book.worksheets[0]
    header = [c.value for c in sheet[1]]
    for r, row in zip(sheet.iter_rows(min_row=2), rows, strict=True):
        cells = dict(zip(header, r, strict=True))
        assert cells["indicator"].value == row["indicator"]
        for name in ("value", "source_act", "source_article", "source_url"):
            cells[name].value = _number_or_text(row[name]) if name == "value" else row[name]
    book.save(template_xlsx)
    by_xlsx, text = fill(cs, template_xlsx, new_id="province/test/commune-ntm")
    assert by_xlsx.fingerprint == by_csv.fingerprint != cs.fingerprint
    out = tmp_path / "derived.toml"
    out.write_text(text, encoding="utf-8")
    assert ntmkit.registry.load(out).fingerprint == by_csv.fingerprint


def test_xlsx_template_locks_code_columns_and_offers_drop_downs(tmp_path) -> None:
    path = tmp_path / "t.xlsx"
    assert main(["criteria", "template", KEY, "-o", str(path)]) == 0
    sheet = openpyxl.load_workbook(path).worksheets[0]
    assert sheet.protection.sheet
    header = [c.value for c in sheet[1]]
    row = {name: sheet.cell(row=2, column=i) for i, name in enumerate(header, start=1)}
    for name in ("set", "indicator", "region", "current_value", "comparator"):
        assert row[name].protection.locked, name
    for name in ("value", "confidence", "source_act", "source_url", "unit", "note"):
        assert not row[name].protection.locked, name
    achieved = [r for r in range(2, sheet.max_row + 1)
                if sheet.cell(row=r, column=header.index("comparator") + 1).value == "achieved"]
    value_col = openpyxl.utils.get_column_letter(header.index("value") + 1)
    validations = sheet.data_validations.dataValidation
    yes_no = next(v for v in validations if "Đạt" in v.formula1)
    assert achieved and all(f"{value_col}{r}" in yes_no.sqref for r in achieved)
    numeric = next(r for r in range(2, sheet.max_row + 1) if r not in achieved)
    assert f"{value_col}{numeric}" not in yes_no.sqref
    assert any("một nguồn nhắc lại" in v.formula1 for v in validations)


def test_assess_writes_a_workbook_of_coloured_verdicts_and_gaps(tmp_path, capsys) -> None:
    out = tmp_path / "out.xlsx"
    assert main(["assess", str(SAMPLE), "-o", str(out)]) == 0
    cs = ntmkit.registry.get(KEY)
    records = read_observations(SAMPLE, cs)
    results = [ntmkit.assess(r.commune, r.observations, cs, year=r.year) for r in records]
    book = openpyxl.load_workbook(out)
    verdicts, gaps = book.worksheets
    header = [c.value for c in verdicts[1]]
    labels = {v.label_vi: v for v in ntmkit.Verdict}
    for r, a in enumerate(results, start=2):
        assert verdicts.cell(row=r, column=1).value == a.unit.code
        for c, code in enumerate(cs.criteria, start=header.index("Tiêu chí 1") + 1):
            cell = verdicts.cell(row=r, column=c)
            verdict = labels[cell.value]
            assert verdict is a.criteria[code].verdict
            assert cell.fill.fgColor.rgb == VERDICT_COLOURS[verdict.value]
    expected = [(a.unit.code, g.indicator, g.value, g.threshold, g.distance)
                for a in results for g in a.gaps()]
    found = [tuple(c.value for c in row) for row in gaps.iter_rows(min_row=2)]
    assert len(found) == len(expected) > 0
    for row, (code, indicator, value, threshold, distance) in zip(found, expected, strict=True):
        assert (row[0], row[3]) == (code, indicator)
        if not isinstance(value, bool):
            assert row[5] == pytest.approx(value) and row[6] == pytest.approx(threshold)
            assert row[7] == pytest.approx(distance)


@pytest.mark.parametrize("name", ["=1+1", "+84 912", "-Xã", "@Xã", "=HYPERLINK(\"x\")"])
def test_names_that_look_like_formulas_stay_text(tmp_path, capsys, name) -> None:
    path = tmp_path / "in.csv"
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows([["code", "name", "region", "year", "3.1"],
                                  ["=2", name, "red_river_delta", "2024", "90"]])
    out = tmp_path / "out.xlsx"
    assert main(["assess", str(path), "-o", str(out)]) == 0
    sheet = openpyxl.load_workbook(out).worksheets[0]
    for cell, text in ((sheet["A2"], "=2"), (sheet["B2"], name)):
        assert cell.data_type == "s" and cell.value == text
    # Read back as observations, the name is the same text.
    (record,) = read_observations(_as_workbook([["code", "name", "region", "year", "3.1"],
                                                ["=2", name, "red_river_delta", "2024", "90"]],
                                               tmp_path / "back.xlsx", numbers=False),
                                  ntmkit.registry.get(KEY))
    assert record.commune.name == name


def test_output_workbook_is_written_whole_or_not_at_all(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,year,3.1\n1,A,2023,200\n", encoding="utf-8")
    out = tmp_path / "out.xlsx"
    assert main(["assess", str(bad), "-o", str(out)]) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv"]
    assert main(["assess", str(SAMPLE), "-o", str(out), "--format", "json", "--lang", "en"]) == 1
    assert "leave out --format json" in capsys.readouterr().err


def test_missing_openpyxl_is_one_line_naming_the_extra(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    assert main(["assess", str(SAMPLE), "-o", str(tmp_path / "out.xlsx")]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "ntmkit[xlsx]" in err and "Traceback" not in err
    assert main(["criteria", "template", KEY, "-o", str(tmp_path / "t.xlsx")]) == 1
    assert "ntmkit[xlsx]" in capsys.readouterr().err
    with pytest.raises(ntmkit.MissingDependency, match=r"ntmkit\[xlsx\]"):
        read_observations(tmp_path / "x.xlsx", ntmkit.registry.get(KEY))
    assert not list(tmp_path.iterdir())


def _soffice_to_csv(path: Path, tmp_path: Path) -> Path:
    profile = f"-env:UserInstallation=file://{tmp_path}/lo-profile"
    subprocess.run(["soffice", profile, "--headless", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1", "--outdir",
                    str(tmp_path / "back"), str(path)], check=True, capture_output=True,
                   timeout=120)
    return tmp_path / "back" / (path.stem + ".csv")


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_reads_the_workbooks_as_written(tmp_path, capsys) -> None:
    template = tmp_path / "t.xlsx"
    write_template(ntmkit.registry.get(KEY), template)
    rows = _csv_rows(_soffice_to_csv(template, tmp_path))
    cs = ntmkit.registry.get(KEY)
    from ntmkit.io.fill import TEMPLATE_COLUMNS, template_rows

    assert rows[0] == list(TEMPLATE_COLUMNS)
    assert rows[1:] == [[r[c] for c in TEMPLATE_COLUMNS] for r in template_rows(cs)]
    named = tmp_path / "in.csv"
    named.write_text("code,name,region,year,3.1\n1,=1+1,red_river_delta,2024,90\n",
                     encoding="utf-8")
    out = tmp_path / "out.xlsx"
    assert main(["assess", str(named), "-o", str(out)]) == 0
    back = _csv_rows(_soffice_to_csv(out, tmp_path))
    assert back[1][:2] == ["1", "=1+1"]
