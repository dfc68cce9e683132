"""Criteria sets from the package, plugins, NTMKIT_CRITERIA_PATH and explicit files."""

from __future__ import annotations

import csv
import datetime as dt
import os
import shutil
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

import ntmkit
from ntmkit import registry
from ntmkit.cli import main

ROOT = Path(__file__).resolve().parents[1]
PLUGIN = ROOT / "examples" / "ntmkit-nam-dinh"
PLUGIN_SETS = PLUGIN / "src" / "ntmkit_nam_dinh" / "sets"
SAMPLE = ROOT / "examples" / "communes.csv"


@pytest.fixture
def search_path(monkeypatch):
    def use(*folders: Path) -> None:
        monkeypatch.setenv(registry.PATH_VARIABLE, os.pathsep.join(map(str, folders)))
    return use


def test_bundled_sets_say_they_are_bundled() -> None:
    summaries = registry.list()
    assert summaries
    assert {s.origin.kind for s in summaries if s.origin is not None} >= {"bundled"}
    assert all(s.origin is not None for s in summaries)


def test_search_path_sets_are_listed_and_used(search_path, capsys) -> None:
    search_path(PLUGIN_SETS)
    key = "province/nam-dinh/commune/ntm-model@2022-08-08"
    origin = registry.default().origin(key)
    assert origin.kind == "path"
    assert origin.location.endswith("commune-ntm-model-2022-08-08.toml")
    assert main(["criteria", "list"]) == 0
    listed = [line for line in capsys.readouterr().out.splitlines()
              if line.startswith("province/nam-dinh/commune/ntm-model")]
    assert len(listed) == 1
    assert str(PLUGIN_SETS) in listed[0]


def test_provincial_set_wins_for_its_province_and_says_why(search_path) -> None:
    search_path(PLUGIN_SETS)
    nam_dinh = ntmkit.Commune(code="ND", name="Xã A", province="Nam Định")
    a = ntmkit.assess(nam_dinh, {"10": 80.0}, "commune/ntm-model", year=2023)
    assert a.set_id == "province/nam-dinh/commune/ntm-model"
    assert "Nam Định" in a.resolution and "23/2022/QĐ-UBND" in a.resolution
    income = a.indicators["10"]
    assert (income.threshold.value, income.verdict) == (83.0, ntmkit.Verdict.NOT_MET)
    thai_binh = ntmkit.Commune(code="TB", name="Xã B", province="Thái Bình")
    b = ntmkit.assess(thai_binh, {"10": 80.0}, "commune/ntm-model", year=2023)
    assert b.set_id == "commune/ntm-model"
    assert "national" in b.resolution and "Thái Bình" in b.resolution


def test_get_with_a_province_falls_back_to_the_national_set_before_the_provincial_one(
        search_path) -> None:
    search_path(PLUGIN_SETS)
    before = registry.get("commune/ntm-model", on=dt.date(2022, 6, 1), province="Nam Định")
    after = registry.get("commune/ntm-model", on=dt.date(2022, 9, 1), province="Nam Định")
    assert before.id == "commune/ntm-model"
    assert after.id == "province/nam-dinh/commune/ntm-model"
    with pytest.raises(ntmkit.UnknownCriteriaSet, match="by date"):
        registry.get("commune/ntm-model", version="2022-03-08", province="Nam Định")


def test_same_id_and_version_from_two_places_is_an_error_naming_both(
        tmp_path, search_path, capsys) -> None:
    other = tmp_path / "copy"
    other.mkdir()
    shutil.copy(PLUGIN_SETS / "commune-ntm-model-2022-08-08.toml", other / "again.toml")
    search_path(PLUGIN_SETS, other)
    with pytest.raises(ntmkit.CriteriaDataError) as info:
        registry.default()
    message = str(info.value)
    assert "defined twice" in message
    assert "commune-ntm-model-2022-08-08.toml" in message and "again.toml" in message
    assert main(["criteria", "list"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and "again.toml" in err


def test_a_bundled_id_in_the_search_path_clashes(tmp_path, search_path) -> None:
    data = Path(ntmkit.__file__).parent / "registry" / "data" / "commune-ntm-2024-03-01.toml"
    shutil.copy(data, tmp_path / "mine.toml")
    search_path(tmp_path)
    with pytest.raises(ntmkit.CriteriaDataError, match=r"bundled .*mine\.toml"):
        registry.default()


def test_a_missing_search_directory_is_named(tmp_path, search_path) -> None:
    search_path(tmp_path / "nowhere")
    with pytest.raises(ntmkit.CriteriaDataError, match="nowhere"):
        registry.default()


def _filled_set(tmp_path: Path) -> Path:
    """A set written by 'ntmkit criteria fill' with one value entered (a test value)."""
    template = tmp_path / "t.csv"
    assert main(["criteria", "template", "commune/ntm@2024-03-01", "-o", str(template),
                 "--only-unknown"]) == 0
    with template.open(encoding="utf-8-sig", newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        if row["indicator"] == "2.1" and row["region"] == "red_river_delta":
            row.update(value="100", confidence="restated", source_act="99/2024/QĐ-UBND",
                       source_url="https://example.org/decision")
    with template.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    out = tmp_path / "my-province.toml"
    assert main(["criteria", "fill", "commune/ntm@2024-03-01", str(template), "--as",
                 "province/demo/commune/ntm", "--version", "2024-06-01", "-o", str(out)]) == 0
    return out


def test_cli_assesses_with_a_set_file_written_by_fill(tmp_path, capsys) -> None:
    set_file = _filled_set(tmp_path)
    capsys.readouterr()
    assert main(["assess", str(SAMPLE), "--set", str(set_file), "--format", "json"]) == 0
    import json

    traces = json.loads(capsys.readouterr().out)
    assert {t["criteria_set"]["id"] for t in traces} == {"province/demo/commune/ntm"}
    values = [s for t in traces for s in t["steps"]
              if s["indicator"] == "2.1" and t["context"]["region_column"] == "red_river_delta"]
    assert values and all(s["threshold"]["value"] == 100.0 for s in values)
    assert main(["assess", str(SAMPLE), "--set", str(set_file), "--version", "x",
                 "--lang", "en"]) == 2
    assert "set file" in capsys.readouterr().err
    assert main(["report", str(SAMPLE), "--set", str(set_file), "-o",
                 str(tmp_path / "r.html")]) == 0
    assert "province/demo/commune/ntm" in (tmp_path / "r.html").read_text(encoding="utf-8")


def test_cli_uses_each_rows_provincial_set(tmp_path, search_path, capsys) -> None:
    search_path(PLUGIN_SETS)
    f = tmp_path / "c.csv"
    f.write_text("code,name,province,year,10\nA,Xã A,Nam Định,2023,80\n"
                 "B,Xã B,Thái Bình,2023,80\n", encoding="utf-8")
    assert main(["assess", str(f), "--set", "commune/ntm-model", "--format", "csv"]) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    assert [r["set"] for r in rows] == ["province/nam-dinh/commune/ntm-model@2022-08-08",
                                        "commune/ntm-model@2022-03-08"]
    assert main(["assess", str(f), "--set", "commune/ntm-model", "--lang", "en"]) == 0
    assert "use their province's own set" in capsys.readouterr().out


def _site_packages() -> list[str]:
    paths = {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}
    return sorted(p for p in paths | {str(Path(ntmkit.__file__).parents[1])} if p)


def test_plugin_installed_with_pip_is_found_in_a_fresh_environment(tmp_path) -> None:
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)  # pip runs from outside: --python below
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    # ntmkit and its dependencies come from this environment; the plugin is pip-installed.
    purelib = subprocess.run([python, "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             check=True, capture_output=True, text=True).stdout.strip()
    (Path(purelib) / "outer.pth").write_text("\n".join(_site_packages()) + "\n", encoding="utf-8")
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet",
                    "--no-deps", "--no-index", "--no-build-isolation", str(PLUGIN)], check=True)
    env = {k: v for k, v in os.environ.items() if k != registry.PATH_VARIABLE}
    code = ("import ntmkit\n"
            "s = [x for x in ntmkit.registry.list() if x.id.startswith('province/nam-dinh')]\n"
            "print(s[0].id, s[0].origin.label)\n"
            "c = ntmkit.Commune(code='X', name='X', province='Nam Định')\n"
            "print(ntmkit.assess(c, {'10': 90.0}, 'commune/ntm-model', year=2023).set_id)\n")
    out = subprocess.run([python, "-c", code], check=True, capture_output=True, text=True,
                         env=env).stdout.split("\n")
    assert out[0] == "province/nam-dinh/commune/ntm-model plugin ntmkit-nam-dinh"
    assert out[1] == "province/nam-dinh/commune/ntm-model"
    assert "nam-dinh" not in {s.id.split("/")[1] for s in registry.list() if "/" in s.id}
