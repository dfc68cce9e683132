"""Points sets on the command line, in reports and in data frames."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from ntmkit import points
from ntmkit.cli import main
from ntmkit.errors import InvalidValue, UnknownIndicator
from ntmkit.points.batch import score_frame, score_rows

HD = "province/hai-duong/dti-district@2023-02-24"
ROWS = """code,name,HD-H-1,HD-H-2,HD-H-3,HD-H-4,HD-H-5,HD-H-6,HD-H-7,HD-H-8
GL,Gia Lộc,32.5,40,45.74,39.68,42.5,110.25,50,46.5
A,Huyện A,35,35,46.2,44.1,40,100,45,40
K,Huyện K,20,25,35,35,30,75,30,
"""


@pytest.fixture
def districts(tmp_path: Path) -> Path:
    path = tmp_path / "districts.csv"
    path.write_text(ROWS, encoding="utf-8")
    return path


def test_assess_prints_a_ranking_table_for_a_points_set(districts, capsys) -> None:
    assert main(["assess", str(districts), "--set", HD, "--lang", "en"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if line and line[0] in "12—"]
    assert lines[0].split()[:3] == ["1", "GL", "Gia"]
    assert "407.17 (71.4%)" in lines[0]
    assert "32.5 (2)" in lines[0]
    assert lines[-1].startswith("—  K")  # unknown total: unranked, listed last
    assert "600" in out and "570" in out  # the stated inconsistency is shown


def test_assess_json_and_csv_for_a_points_set(districts, capsys) -> None:
    assert main(["assess", str(districts), "--set", HD, "--format", "json"]) == 0
    traces = json.loads(capsys.readouterr().out)
    assert [t["format"] for t in traces] == ["ntmkit.points.v1"] * 3
    assert traces[0]["total"] == 407.17
    assert main(["assess", str(districts), "--set", "province/hai-duong/dti-district",
                 "--year", "2023", "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    assert [(r["code"], r["rank"], r["rank:HD-H-1"]) for r in rows] == [
        ("GL", "1", "2"), ("A", "2", "1"), ("K", "", "3")]


def test_points_set_needs_a_version_or_a_date(districts, capsys) -> None:
    assert main(["assess", str(districts), "--set", "province/hai-duong/dti-district",
                 "--lang", "en"]) == 1
    assert "--set-version, --on or --year" in capsys.readouterr().err


def test_report_for_a_points_set_has_ranking_and_bars(districts, tmp_path, capsys) -> None:
    out = tmp_path / "r.html"
    assert main(["report", str(districts), "--set", HD, "--lang", "en", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "Ranking" in html and "<svg" in html and "Gia Lộc" in html
    assert html.index("Gia Lộc") < html.index("Huyện A") < html.index("Huyện K")
    assert points.get(HD).fingerprint in html


def test_criteria_coverage_list_and_show_include_points_sets(capsys) -> None:
    assert main(["criteria", "coverage"]) == 0
    out = capsys.readouterr().out
    assert "product/ocop@2023-02-24" in out and "province/dti@2022-05-20" in out
    assert main(["criteria", "coverage", "province/dti@2022-05-20"]) == 0
    row = capsys.readouterr().out.splitlines()[2].split()
    assert row[:3] == ["province/dti@2022-05-20", "10", "9"]
    assert main(["criteria", "list", "--lang", "en"]) == 0
    assert "(points)" in capsys.readouterr().out
    assert main(["criteria", "show", "product/ocop@2019-08-21", "--lang", "en"]) == 0
    assert "band 4 stars: from 70 (restated)" in capsys.readouterr().out


def test_score_frame_averages_assessors_and_ranks() -> None:
    pd = pytest.importorskip("pandas")
    ocop = points.get("product/ocop@2019-08-21")
    frame = pd.DataFrame({"code": ["P1", "P1", "P2"], "assessor": [1, 2, 1],
                          "A": [30, 31, 20], "B": [22, 23, 20], "C": [37, 36, 30]})
    out = score_frame(frame, ocop)
    assert out.loc["P1", "total"] == 89.5
    assert out.loc["P1", "band"] == "4"
    assert list(out["rank"]) == [1, 2]


def test_rows_with_bad_cells_name_the_row() -> None:
    ocop = points.get("product/ocop@2019-08-21")
    with pytest.raises(InvalidValue, match="row 2"):
        score_rows(ocop, [{"code": "a", "A": 1}, {"code": "b", "A": "lots"}])
    with pytest.raises(UnknownIndicator, match="column 'D'"):
        score_rows(ocop, [{"code": "a", "D": 1}])
    with pytest.raises(InvalidValue, match="appears twice"):
        score_rows(ocop, [{"code": "a", "A": 1}, {"code": "a", "A": 2}])
    ps = points.load(Path(__file__).resolve().parents[1] / "examples"
                     / "district-dti-rule-shapes.toml")
    (r,) = score_rows(ps, [{"code": "d", "X-1.2:a": "3", "X-1.2:b": "4", "DTH-1.1": "head"}])
    subs = {s.code: s.points for c in r.components for s in c.sub_indicators}
    assert (subs["X-1.2"], subs["DTH-1.1"]) == (15, 10)


def test_set_may_be_a_points_set_file_of_ones_own(districts, capsys) -> None:
    rules = Path(__file__).resolve().parents[1] / "examples" / "district-dti-rule-shapes.toml"
    path = districts.with_name("d.csv")
    path.write_text("code,name,X-1.1,X-1.2:a,X-1.2:b\nd1,One,4,1,2\nd2,Two,2,2,2\n",
                    encoding="utf-8")
    assert main(["assess", str(path), "--set", str(rules), "--format", "csv"]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out.removeprefix("\ufeff"))))
    assert [(r["code"], r["set"]) for r in rows] == [
        ("d1", "example/district-dti-rule-shapes@2023-01-01"),
        ("d2", "example/district-dti-rule-shapes@2023-01-01")]
    assert rows[0]["total"] == ""  # and DTH-1 are unknown: no total
    assert float(rows[0]["total_known"]) == 0


def test_criteria_and_points_sets_never_share_an_id() -> None:
    from ntmkit import points, registry

    criteria = set(registry.default().ids())
    scored = set(points.default().ids())
    assert criteria and scored and not criteria & scored
