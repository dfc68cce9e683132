from __future__ import annotations

import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

import ntmkit
from ntmkit.cli import main
from ntmkit.report import report_html

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
    assert all(f"<td>{c}</td>" in html for c in codes[:3])
    assert not any(f"<td>{c}</td>" in html for c in codes[3:])
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
