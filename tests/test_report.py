from __future__ import annotations

import html
import re
import shutil
import subprocess
from collections.abc import Iterable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit.cli import main
from ntmkit.report import assessment_html, criteria_set_html, report_html
from vietnamese import assert_vietnamese

SAMPLE = Path(__file__).parents[1] / "examples" / "communes.csv"


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs) -> None:
        self.tags.append(tag)
        for name, value in attrs:
            if name in ("src", "href") and value and "://" in value:
                self.external.append(value)


def test_report_is_self_contained_and_names_the_version(tmp_path, capsys) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(SAMPLE), "-o", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    parser = _Collector()
    parser.feed(text)
    assert parser.external == []  # opens without a network
    assert "script" not in parser.tags and parser.tags.count("svg") >= 2
    cs = ntmkit.registry.get("commune/ntm@2024-03-01")
    assert cs.fingerprint in text and "Tỷ lệ xã đạt theo tiêu chí" in text
    assert "MH-003" in text and "3, 6, 7, 9, 15" in text  # the criteria blocking MH-003


def test_report_in_english_and_escaped(ntm_2022) -> None:
    commune = ntmkit.Commune(code="<b>1</b>", name="A & B", region="southeast")
    a = ntmkit.assess(commune, {"3.1": 70.0}, ntm_2022, year=2023)
    text = report_html([a], ntm_2022, lang="en")
    assert "Share of communes meeting each criterion" in text
    assert "&lt;b&gt;1&lt;/b&gt;" in text and "<b>1</b>" not in text
    with pytest.raises(ValueError):
        report_html([a], ntm_2022, lang="fr")


def test_report_bad_file_writes_nothing(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,year,3.1\n1,A,2023,abc\n", encoding="utf-8")
    out = tmp_path / "r.html"
    assert main(["report", str(bad), "-o", str(out)]) == 1
    assert not out.exists()


def test_notebook_displays(ntm_2022, red_river) -> None:
    a = ntmkit.assess(red_river, {"3.1": 70.0, "3.2": True}, ntm_2022, year=2023)
    assert "Chưa đạt" in a._repr_html_() and "3.1" in a._repr_html_()
    assert ntm_2022.key in ntm_2022._repr_html_()
    pd = pytest.importorskip("pandas")
    frame = a.to_frame()
    assert isinstance(frame, pd.DataFrame)
    row = frame.set_index("indicator").loc["3.1"]
    assert row["verdict"] == "not_met" and row["threshold"] == 80.0 and row["gap"] == 10.0


def test_values_by_sex_show_both_halves(ntm_2022, red_river) -> None:
    from ntmkit.report import assessment_html

    obs = {"15.1": ntmkit.BySex(men=95.0, women=89.0), "12.trained_labour": ntmkit.BySex(
        men=70.0, women=None)}
    a = ntmkit.assess(red_river, obs, ntm_2022, year=2023)
    vi, en = assessment_html(a, "vi"), assessment_html(a, "en")
    assert "89 (nam 95.0; nữ 89.0)" in vi
    assert "nam 70.0; nữ thiếu" in vi
    assert "89 (men 95.0; women 89.0)" in en and "men 70.0; women missing" in en


@pytest.mark.skipif(shutil.which("chromium") is None, reason="Chromium is not installed")
def test_report_renders_in_headless_chromium(tmp_path) -> None:
    out = tmp_path / "report.html"
    assert main(["report", str(SAMPLE), "-o", str(out), "--lang", "en"]) == 0
    shot = tmp_path / "report.png"
    subprocess.run(
        ["chromium", "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
         "--no-first-run", "--disable-background-networking", "--disable-component-update",
         "--disable-sync", f"--user-data-dir={tmp_path / 'profile'}", "--window-size=1200,1600",
         f"--screenshot={shot}", out.as_uri()],
        check=True, capture_output=True, timeout=120)
    data = shot.read_bytes()
    assert data.startswith(b"\x89PNG") and len(data) > 20_000  # a real, non-blank page


def test_report_of_many_communes_lists_the_first_ones_and_counts_all(tmp_path, monkeypatch,
                                                                    capsys) -> None:
    import ntmkit.report

    monkeypatch.setattr(ntmkit.report, "PROFILE_LIMIT", 3)
    out = tmp_path / "r.html"
    assert main(["report", str(SAMPLE), "--lang", "en", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "The first 3 of 8 communes" in html
    codes = [f"MH-00{i}" for i in range(1, 9)]
    assert all(f'<td class="code">{c}</td>' in html for c in codes[:3])
    assert not any(f'<td class="code">{c}</td>' in html for c in codes[3:])
    # the summary still counts every commune: the verdict counts add up to 8
    full = tmp_path / "full.html"
    monkeypatch.setattr(ntmkit.report, "PROFILE_LIMIT", 1000)
    assert main(["report", str(SAMPLE), "--lang", "en", "-o", str(full)]) == 0
    summary = html.split("<h2>", 2)[1]
    assert summary == full.read_text(encoding="utf-8").split("<h2>", 2)[1]


def test_report_frame_html_matches_report_html_for_a_few_communes(ntm_2022) -> None:
    # The same communes through assessments and through an assess_frame result.
    import datetime as dt

    pd = pytest.importorskip("pandas")
    from ntmkit.report import report_frame_html

    frame = pd.DataFrame({"code": ["1", "2"], "name": ["A", "B"],
                          "region": ["southeast", "red_river_delta"],
                          "3.1": [90.0, 50.0], "3.2": [True, True]})
    out = ntmkit.assess_frame(frame, ntm_2022, year=2023)
    assessments = [ntmkit.assess(ntmkit.Commune(code=r.code, name=r.name, region=r.region),
                                 {"3.1": r[3], "3.2": r[4]}, ntm_2022, year=2023)
                   for r in frame.itertuples(index=False)]
    failed = [", ".join(c.code for c in a.criteria.values() if c.verdict.value == "not_met")
              or "—" for a in assessments]
    stamp = dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)
    assert report_frame_html(out, frame, ntm_2022, failed=failed, sample=assessments,
                             generated=stamp) == \
        report_html(assessments, ntm_2022, generated=stamp)


# --- What people read: Vietnamese words, names on every dot, whole names, units -----------

class _Visible(HTMLParser):
    """The text a person reads: text nodes (SVG titles included) and tooltips, no styles."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs) -> None:
        if tag in ("style", "script"):
            self._hidden += 1
        self.parts += [value for name, value in attrs if name in ("title", "aria-label")
                       and value]

    def handle_endtag(self, tag) -> None:
        if tag in ("style", "script"):
            self._hidden -= 1

    def handle_data(self, data) -> None:
        if not self._hidden:
            self.parts.append(data)


def visible_text(page: str, *, codes: Iterable[str] = ()) -> str:
    """The visible text of *page*, with the given codes (indicator codes, the version)
    taken out: codes are allowed in Vietnamese text, and some hold English-looking parts."""
    parser = _Visible()
    parser.feed(page)
    text = " ".join(parser.parts)
    for code in sorted(codes, key=len, reverse=True):
        text = text.replace(code, " ")
    return text


def _codes(cs: ntmkit.CriteriaSet) -> list[str]:
    # the fingerprint whole and as the notebook display shortens it
    return [*cs.indicators, ntmkit.__version__, cs.fingerprint, cs.fingerprint[:19]]


def _report(tmp_path: Path, lang: str, source: Path = SAMPLE) -> str:
    out = tmp_path / f"report-{lang}.html"
    assert main(["report", str(source), "-o", str(out), "--lang", lang]) == 0
    return out.read_text(encoding="utf-8")


def _assessments(cs: ntmkit.CriteriaSet) -> list[ntmkit.Assessment]:
    from ntmkit.io import read_observations

    return [ntmkit.assess(r.commune, r.observations, cs, year=r.year)
            for r in read_observations(SAMPLE, cs)]


def test_report_and_notebook_displays_read_in_vietnamese(tmp_path, ntm_2024, capsys) -> None:
    page = _report(tmp_path, "vi")
    assert_vietnamese(visible_text(page, codes=_codes(ntm_2024)), where="report")
    a = _assessments(ntm_2024)[0]
    shown = assessment_html(a, "vi")
    assert_vietnamese(visible_text(shown, codes=_codes(ntm_2024)), where="assessment_html")
    # a carried-forward threshold says so in words, not as a code
    assert "giữ từ bản trước" in shown and "carried_forward" not in shown
    assert_vietnamese(visible_text(criteria_set_html(ntm_2024, "vi"), codes=_codes(ntm_2024)),
                      where="criteria_set_html")
    assert_vietnamese(visible_text(ntm_2024._repr_html_(), codes=_codes(ntm_2024)))
    # the tooltips of the bars name verdicts in words and say what is counted
    assert 'title="Chưa rõ: 8/8 xã"' in page
    assert "unknown: 8" not in page and "not_met: 1" not in page


def test_report_in_english_has_no_vietnamese_but_the_data(tmp_path, ntm_2024, capsys) -> None:
    page = _report(tmp_path, "en")
    text = visible_text(page, codes=[*_codes(ntm_2024), *(
        a.unit.name for a in _assessments(ntm_2024)), *(
        act for act in ntm_2024.legal_basis.act.split(", "))])
    words = {w for w in re.findall(r"[^\W\d_]+", text) if not w.isascii()}
    assert words <= {"QĐ"}, words  # act numbers such as 318/QĐ-TTg stay as written
    assert "Share of communes meeting each criterion" in text and "Legend" in text
    assert "million VND/person/year" in text


def test_units_are_vietnamese(tmp_path, ntm_2024, capsys) -> None:
    page = _report(tmp_path, "vi")
    assert "triệu đồng/người/năm" in page and "12 hộ" in page
    assert "million VND" not in page and "household" not in page
    shown = criteria_set_html(ntm_2024, "vi")
    assert "triệu đồng/người/năm" in shown and ">household<" not in shown


class _Strips(HTMLParser):
    """Per value plot (by its heading's indicator code): dot titles and threshold lines."""

    def __init__(self) -> None:
        super().__init__()
        self.plots: dict[str, dict[str, list[str]]] = {}
        self._heading: str | None = None
        self._code: str | None = None
        self._in: str | None = None  # "circle" / "mark" while inside one, for its title
        self._title = False

    def handle_starttag(self, tag, attrs) -> None:
        a = dict(attrs)
        if tag == "h3":
            self._heading = ""
        elif tag == "svg" and "strip" in (a.get("class") or ""):
            self.plots[self._code or "?"] = {"dots": [], "marks": []}
        elif tag == "circle" and self._code in self.plots:
            self._in = "dots"
        elif tag == "line" and a.get("class") == "mark" and self._code in self.plots:
            self._in = "marks"
        elif tag == "title":
            self._title = True

    def handle_endtag(self, tag) -> None:
        if tag == "h3" and self._heading is not None:
            self._code, self._heading = self._heading.split(" ")[0], None
        elif tag == "title":
            self._title = False
        elif tag in ("circle", "line"):
            self._in = None

    def handle_data(self, data) -> None:
        if self._heading is not None:
            self._heading += data
        elif self._title and self._in is not None and self._code is not None:
            self.plots[self._code][self._in].append(data)


def test_every_dot_names_its_commune_and_each_threshold_has_a_line(tmp_path, ntm_2024,
                                                                 capsys) -> None:
    page = _report(tmp_path, "vi")
    parser = _Strips()
    parser.feed(page)
    assessments = _assessments(ntm_2024)
    for code, plot in parser.plots.items():
        named = [a for a in assessments
                 if isinstance(getattr(a.indicators.get(code), "value", None), float)]
        assert len(plot["dots"]) == len(named), code
        for a in named:  # each commune's name is on one of the dots
            assert sum(t.startswith(f"{a.unit.name} ({a.unit.code}): ")
                       for t in plot["dots"]) == 1, (code, a.unit.name)
        # one line per distinct known threshold among the communes' threshold columns
        values = set()
        for a in named:
            t = ntm_2024.threshold(code, region=a.region_column, year=2024,
                                   classes=a.unit.classes)
            if t is not None and t.confidence.has_value and t.value is not None:
                values.add(t.value)
        assert len(plot["marks"]) == len(values), code
    assert len(parser.plots["15.3"]["marks"]) > 1  # the example's regions differ there
    marks = parser.plots["15.3"]["marks"]
    assert any("Đồng bằng sông Hồng" in m and "16.5" in m for m in marks)
    # and the table of values names the commune of every dot
    table = page.split('<details class="data">', 1)[1]
    assert all(f'<th scope="row">{html.escape(a.unit.name)}</th>' in table
               for a in assessments)


def test_criterion_names_are_whole_and_the_legend_is_beside_the_bars(tmp_path, ntm_2024,
                                                                   capsys) -> None:
    page = _report(tmp_path, "vi")
    bars = page.split('<table class="bars">', 1)[1].split("</table>", 1)[0]
    for code, c in ntm_2024.criteria.items():
        assert f'<th scope="row">{html.escape(f"{code}. {c.name_vi}")}</th>' in bars
    assert "…" not in bars
    chart = page.split('<div class="chart">', 1)[1]
    assert chart.index("</table>") < chart.index('<aside class="legend">') < chart.index("<h2>")


def test_unknown_criteria_are_listed_per_commune(tmp_path, ntm_2024, capsys) -> None:
    page = _report(tmp_path, "en")
    rows = {m.group(1): m.group(2) for m in re.finditer(
        r'<tr><td class="code">([^<]+)</td>.*?<td>([^<]*(?:<b>.*?</span>)?)</td></tr>', page)}
    for a in _assessments(ntm_2024):
        unknown = [c.code for c in a.criteria.values() if c.verdict is ntmkit.Verdict.UNKNOWN]
        cell = rows[a.unit.code]
        if unknown:
            assert cell == (f'<b>{len(unknown)}</b> <span class="tiny">· '
                            f'{", ".join(unknown)}</span>'), a.unit.code
        else:
            assert cell == "0"


def test_a_large_file_keeps_the_dots_and_the_table_of_values_bounded(tmp_path, monkeypatch,
                                                                     capsys) -> None:
    import ntmkit.report
    from ntmkit.datasets import synthetic_communes

    source = tmp_path / "many.csv"
    synthetic_communes(40, seed=2).drop(columns=["synthetic"]).to_csv(source, index=False)
    monkeypatch.setattr(ntmkit.report, "PROFILE_LIMIT", 6)
    page = _report(tmp_path, "en", source)
    parser = _Strips()
    parser.feed(page)
    assert parser.plots and all(len(p["dots"]) <= 6 for p in parser.plots.values())
    table = page.split('<details class="data">', 1)[1]
    assert table.count('<th scope="row">') == 6
    assert "The dots are the first 6 of 40 communes." in table
    assert "The first 6 of 40 communes" in page


def test_points_report_reads_in_vietnamese(tmp_path, capsys) -> None:
    from ntmkit import points

    key = "province/hai-duong/dti-district@2023-02-24"
    source = tmp_path / "districts.csv"
    source.write_text("code,name,HD-H-1,HD-H-2\nGL,Gia Lộc,32.5,40\nKT,Kim Thành,20,\n",
                      encoding="utf-8")
    out = tmp_path / "p.html"
    assert main(["report", str(source), "--set", key, "-o", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    ps = points.get(key)
    assert ps.inconsistencies and "chưa xác định" in page  # a stated note, an undecided band
    text = visible_text(page, codes=[ps.fingerprint, ntmkit.__version__,
                                     *(c.code for c in ps.components)])
    assert_vietnamese(text, where="points report")
    assert "Bảng xếp hạng" in text


@given(values=st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=40),
       marks=st.lists(st.floats(-1e6, 1e6, allow_nan=False), max_size=8))
@settings(max_examples=60, deadline=None)
def test_every_dot_and_threshold_line_of_a_value_plot_lies_inside_it(values, marks) -> None:
    from ntmkit.report import _strip_plot

    svg = _strip_plot([(v, ntmkit.Verdict.MET, f"x{i}") for i, v in enumerate(values)],
                      [((m,), f"≥ {m:g}", "t") for m in marks], "%", "plot")
    width, height = map(float, re.search(r'viewBox="0 0 (\S+) (\S+)"', svg).groups())
    xs = [float(x) for x in re.findall(r'cx="([^"]+)"', svg)]
    ys = [float(y) for y in re.findall(r'cy="([^"]+)"', svg)]
    assert len(xs) == len(values) and svg.count('class="mark"') == len(marks)
    assert all(3.5 <= x <= width - 3.5 for x in xs) and all(3.5 <= y <= height for y in ys)
    lines = [float(x) for x in re.findall(r'class="mark" x1="([^"]+)"', svg)]
    assert all(0 <= x <= width for x in lines)
