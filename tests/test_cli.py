from __future__ import annotations

import json
from pathlib import Path

import pytest

from ntmkit.cli import main

SAMPLE = Path(__file__).parents[1] / "examples" / "communes.csv"


@pytest.fixture(autouse=True)
def english(command_line_language, monkeypatch) -> None:
    """These tests read the English words of errors and tables (``NTMKIT_LANG=en``).

    The default language, Vietnamese, is tested in tests/test_cli_vietnamese.py.
    """
    monkeypatch.setenv("NTMKIT_LANG", "en")


def test_assess_sample_prints_a_table(capsys) -> None:
    assert main(["assess", str(SAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "MH-001" in out and "commune/ntm@2024-03-01" in out and "sha256:" in out


def test_assess_json_output_is_a_trace_per_commune(capsys) -> None:
    assert main(["assess", str(SAMPLE), "--format", "json", "--version", "2022-03-08",
                 "--year", "2023"]) == 0
    traces = json.loads(capsys.readouterr().out)
    assert len(traces) == 8 and {t["format"] for t in traces} == {"ntmkit.trace.v1"}


def test_assess_writes_output_file(tmp_path, capsys) -> None:
    out = tmp_path / "result.txt"
    assert main(["assess", str(SAMPLE), "--lang", "en", "-o", str(out)]) == 0
    assert "Verdict" in out.read_text(encoding="utf-8")


def test_bad_file_is_one_clear_line_and_nothing_written(tmp_path, capsys) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,year,3.1\n1,A,2023,200\n", encoding="utf-8")
    out = tmp_path / "out.txt"
    assert main(["assess", str(bad), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("ntmkit: error:") and "row 2" in err and "Traceback" not in err
    assert not out.exists() and list(tmp_path.iterdir()) == [bad]


def test_missing_file(capsys) -> None:
    assert main(["assess", "nope.csv", "--year", "2023"]) == 1
    assert "cannot read" in capsys.readouterr().err


def test_bad_set_id(capsys) -> None:
    assert main(["assess", str(SAMPLE), "--set", "commune/nope"]) == 1
    assert "known sets" in capsys.readouterr().err


def test_bad_option_exits_2(capsys) -> None:
    assert main(["assess", str(SAMPLE), "--format", "xml"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("ntmkit: error:") and "'xml'" in err


def test_criteria_list_show_diff(capsys) -> None:
    assert main(["criteria", "list"]) == 0
    assert "commune/ntm-advanced" in capsys.readouterr().out
    assert main(["criteria", "show", "commune/ntm@2022-03-08", "--lang", "en"]) == 0
    assert "Irrigation" in capsys.readouterr().out
    assert main(["criteria", "diff", "commune/ntm@2022-03-08", "commune/ntm@2024-03-01",
                 "--lang", "vi"]) == 0
    assert "giữ từ bản trước" in capsys.readouterr().out
    assert main(["criteria", "show", "commune/ntm@1900-01-01"]) == 1


def test_criteria_show_states_each_requirement(capsys) -> None:
    assert main(["criteria", "show", "commune/ntm@2022-03-08", "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    after = {line.split()[0]: lines[i + 1].strip() for i, line in enumerate(lines)
             if line.startswith("    ") and not line.startswith("      ")}
    assert after["3.1"] == "everywhere: ≥ 80 (verified)"
    assert after["3.2"] == "everywhere: achieved (restated)"
    assert after["15.3"].startswith("Northern Midlands and Mountains: ≤ 24 ")
    assert after["15.1"] == "everywhere: threshold unknown (candidate 90; uncertain)"
    assert main(["criteria", "show", "commune/ntm-model@2022-03-08", "--lang", "en"]) == 0
    assert "≥ 110 % × commune/ntm-advanced" in capsys.readouterr().out


def test_criteria_show_with_sources_cites_every_threshold(capsys) -> None:
    import ntmkit

    cs = ntmkit.registry.get("district/ntm", version="2022-03-08")
    assert main(["criteria", "show", cs.key, "--sources", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "everywhere: achieved (verified) [GT1, GT2, GT3]" in out
    listed = out.split("\nSources:\n", 1)[1]
    for source in cs.sources:
        assert f"  {source.id}: " in listed and source.url in listed


def test_advanced_set_reads_prerequisite_columns_and_names_the_failed_prerequisite(capsys) -> None:
    assert main(["assess", str(SAMPLE), "--set", "commune/ntm-advanced", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "commune/ntm-advanced@2024-03-01" in out
    assert "commune/ntm (3, 8, 9)" in out  # MH-002 fails NTM criteria 3, 8 and 9


def test_criteria_coverage(capsys) -> None:
    assert main(["criteria", "coverage"]) == 0
    out = capsys.readouterr().out
    assert "commune/ntm@2022-03-08" in out and "carried forward" in out  # the English run
    assert main(["criteria", "coverage", "commune/ntm@2024-03-01"]) == 0


def test_assess_csv_output(tmp_path) -> None:
    out = tmp_path / "verdicts.csv"
    assert main(["assess", str(SAMPLE), "--format", "csv", "-o", str(out)]) == 0
    import csv

    with out.open(encoding="utf-8-sig") as fh:
        rows = list(csv.DictReader(fh))
    assert len(rows) == 8 and rows[1]["code"] == "MH-002"
    assert rows[1]["verdict"] == "not_met" and rows[1]["c:3"] == "not_met"
    assert rows[0]["set"] == "commune/ntm@2024-03-01"


GOOD = "commune/ntm@2024-03-01"
BAD = "commune/nope@2024-03-01"


@pytest.mark.parametrize(
    "argv",
    [
        ["assess", str(SAMPLE), "--set", BAD],
        ["report", str(SAMPLE), "--set", BAD, "-o", "{tmp}/r.html"],
        ["criteria", "show", BAD],
        ["criteria", "diff", GOOD, BAD],
        ["criteria", "coverage", BAD],
        ["criteria", "template", BAD, "-o", "{tmp}/t.csv"],
        ["criteria", "fill", BAD, str(SAMPLE), "--as", "p/x", "-o", "{tmp}/x.toml"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_every_subcommand_reports_a_bad_set_id_in_one_line(argv, tmp_path, capsys) -> None:
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    assert main(argv) == 1
    err = capsys.readouterr().err
    assert err.startswith("ntmkit: error:") and "commune/nope" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "argv",
    [
        ["assess", str(SAMPLE), "--lang", "fr"],
        ["report", str(SAMPLE)],  # -o is required
        ["criteria", "show"],
        ["criteria", "diff", GOOD],
        ["criteria", "coverage", GOOD, "--bogus"],
        ["criteria", "template", GOOD],
        ["criteria", "fill", GOOD, str(SAMPLE)],  # --as and -o are required
        ["criteria", "list", "--bogus"],
    ],
    ids=lambda a: " ".join(a[:2]),
)
def test_every_subcommand_rejects_a_bad_option_with_exit_code_2(argv, capsys) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("ntmkit: error:") and err.count("\n") == 1 and "--help" in err


def test_bad_files_for_the_file_subcommands(tmp_path, capsys) -> None:
    empty = tmp_path / "empty.csv"
    empty.write_text("", encoding="utf-8")
    assert main(["report", str(empty), "--year", "2023", "-o", str(tmp_path / "r.html")]) == 1
    assert main(["criteria", "fill", GOOD, str(empty), "--as", "p/x",
                 "-o", str(tmp_path / "x.toml")]) == 1
    assert "lacks the column" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir()) == ["empty.csv"]


def test_json_sample_gives_the_same_verdicts_as_the_csv_sample(tmp_path) -> None:
    csv_out, json_out = tmp_path / "a.csv", tmp_path / "b.csv"
    assert main(["assess", str(SAMPLE), "--format", "csv", "-o", str(csv_out)]) == 0
    assert main(["assess", str(SAMPLE.with_suffix(".json")), "--format", "csv",
                 "-o", str(json_out)]) == 0
    assert csv_out.read_text(encoding="utf-8-sig") == json_out.read_text(encoding="utf-8-sig")


def test_assess_table_names_the_unknown_criteria(capsys) -> None:
    from ntmkit import registry
    from ntmkit.io import read_observations
    from ntmkit.scoring import assess

    assert main(["assess", str(SAMPLE), "--lang", "en"]) == 0
    lines = capsys.readouterr().out.splitlines()
    header = next(line for line in lines if line.startswith("Code"))
    assert header.split()[-1] == "Unknown"
    cs = registry.get("commune/ntm", version="2024-03-01")
    first = read_observations(SAMPLE, cs)[0]
    a = assess(first.commune, first.observations, cs, year=first.year)
    unknown = [c.code for c in a.criteria.values() if c.verdict.value == "unknown"]
    row = next(line for line in lines if line.startswith(first.commune.code))
    assert row.endswith(f"{len(unknown)} ({', '.join(unknown)})")


# One line on stderr, exit 1 or 2, for every file, output path and option ---------------------

def _one_error_line(capsys) -> str:
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("ntmkit: error:")]
    assert len(lines) == 1 and "Traceback" not in err, err
    return lines[0]


@pytest.mark.parametrize(("content", "fragment"), [
    (None, "cannot read"),
    (b"", "empty"),
    (b"\x00\x01binary", "NUL bytes"),
    (b"\xff\xfec\x00o\x00", "UTF-16"),
    (b"code,name,year,3.1\n1,T\xea,2024,80\n", "not UTF-8"),
    (b"code;name;year;3.1\n1;A;2024;80\n", "semicolons"),
])
def test_without_year_the_real_file_problem_is_reported(tmp_path, capsys, content,
                                                        fragment) -> None:
    path = tmp_path / "obs.csv"
    if content is not None:
        path.write_bytes(content)
    assert main(["assess", str(path)]) == 1
    line = _one_error_line(capsys)
    assert fragment in line and "--year" not in line


def test_broken_json_and_a_folder_are_reported_as_such(tmp_path, capsys) -> None:
    broken = tmp_path / "obs.json"
    broken.write_text('{"format": "ntmkit.observations.v1", "communes": [', encoding="utf-8")
    assert main(["assess", str(broken)]) == 1
    assert "not valid JSON" in _one_error_line(capsys)
    folder = tmp_path / "dir.csv"
    folder.mkdir()
    assert main(["assess", str(folder)]) == 1
    assert "is a folder" in _one_error_line(capsys)


@pytest.mark.parametrize("command", [
    ["assess", str(SAMPLE), "-o"],
    ["report", str(SAMPLE), "-o"],
    ["criteria", "template", "commune/ntm@2024-03-01", "-o"],
])
def test_output_into_a_missing_folder_or_onto_a_folder_is_one_line(tmp_path, capsys,
                                                                   command) -> None:
    for target, fragment in ((tmp_path / "no" / "out.csv", "does not exist"),
                             (tmp_path, "is a folder")):
        assert main([*command, str(target)]) == 1
        assert fragment in _one_error_line(capsys)
    assert list(tmp_path.iterdir()) == []


def test_fill_output_into_a_missing_folder_is_one_line(tmp_path, capsys) -> None:
    template = tmp_path / "t.csv"
    assert main(["criteria", "template", "commune/ntm@2024-03-01", "-o", str(template)]) == 0
    capsys.readouterr()
    assert main(["criteria", "fill", "commune/ntm@2024-03-01", str(template), "--as", "my/ntm",
                 "-o", str(tmp_path / "no" / "set.toml")]) == 1
    assert "does not exist" in _one_error_line(capsys)
    assert main(["criteria", "fill", "commune/ntm@2024-03-01", str(template), "--as", "my/ntm",
                 "-o", str(template)]) == 1
    assert "input file" in _one_error_line(capsys)


def test_output_over_the_input_file_is_refused(tmp_path, capsys) -> None:
    copy = tmp_path / "communes.csv"
    copy.write_bytes(SAMPLE.read_bytes())
    assert main(["assess", str(copy), "--format", "csv", "-o", str(copy)]) == 1
    assert "input file" in _one_error_line(capsys)
    assert copy.read_bytes() == SAMPLE.read_bytes()


def test_output_replaces_an_existing_file_atomically_and_keeps_its_mode(tmp_path,
                                                                        capsys) -> None:
    out = tmp_path / "out.txt"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o640)
    assert main(["assess", str(SAMPLE), "--lang", "en", "-o", str(out)]) == 0
    assert "Verdict" in out.read_text(encoding="utf-8")
    assert out.stat().st_mode & 0o777 == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_link_planted_at_the_old_temporary_name_is_not_followed(tmp_path, capsys) -> None:
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out.txt"
    (tmp_path / ".out.txt.tmp").symlink_to(victim)
    assert main(["assess", str(SAMPLE), "-o", str(out)]) == 0
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert out.is_file() and not out.is_symlink()


def test_nothing_is_left_behind_when_writing_fails(tmp_path, monkeypatch) -> None:
    from ntmkit.io import output

    def fail(*args, **kwargs):
        raise OSError(28, "No space left on device")

    # Path.replace, as write_file calls it (on Python 3.10 it does not go through os.replace).
    monkeypatch.setattr(output.Path, "replace", fail)
    with pytest.raises(ntmkit_errors().OutputFileError, match="No space left"):
        output.write_file(tmp_path / "out.txt", "text")
    assert list(tmp_path.iterdir()) == []


def ntmkit_errors():
    import ntmkit.errors

    return ntmkit.errors


def test_csv_output_is_safe_from_formula_injection(tmp_path, capsys) -> None:
    source = tmp_path / "obs.csv"
    source.write_text("code,name,region,3.1\n=1+1,=HYPERLINK(\"http://x\"),red_river_delta,85\n"
                      "-2,@SUM(A1),red_river_delta,85\n", encoding="utf-8")
    assert main(["assess", str(source), "--version", "2024-03-01", "--year", "2024",
                 "--format", "csv"]) == 0
    import csv as _csv

    rows = list(_csv.reader(capsys.readouterr().out.splitlines()))
    assert [r[:2] for r in rows[1:]] == [["'=1+1", "'=HYPERLINK(\"http://x\")"],
                                         ["'-2", "'@SUM(A1)"]]


def test_conflicting_version_pins_are_a_usage_error(capsys) -> None:
    assert main(["assess", str(SAMPLE), "--set", "commune/ntm@2024-03-01",
                 "--version", "2022-03-08"]) == 2
    assert "pin different versions" in _one_error_line(capsys)
    assert main(["assess", str(SAMPLE), "--set", "commune/ntm@2024-03-01", "--version",
                 "2024-03-01", "--year", "2024"]) == 0


def test_on_says_which_version_the_date_chose(capsys) -> None:
    main(["assess", str(SAMPLE), "--on", "2099-01-01"])
    err = capsys.readouterr().err
    latest = ntmkit_registry().default().versions("commune/ntm")[-1]
    assert f"--on 2099-01-01 chose commune/ntm@{latest}" in err


def ntmkit_registry():
    from ntmkit import registry

    return registry


@pytest.mark.parametrize("year", ["0", "10000", "x", "-5"])
def test_a_year_option_outside_the_calendar_is_a_usage_error(capsys, year) -> None:
    assert main(["assess", str(SAMPLE), "--year", year]) == 2
    assert "--year" in _one_error_line(capsys)


def test_criteria_commands_ask_for_a_version_in_cli_words(capsys) -> None:
    assert main(["criteria", "show", "commune/ntm"]) == 2
    line = _one_error_line(capsys)
    assert "ID@VERSION" in line and "get(" not in line and "on=<date>" not in line


def test_help_and_version_exit_0(capsys) -> None:
    assert main(["--version"]) == 0
    assert main(["assess", "--help"]) == 0
def test_python_m_ntmkit_runs_the_command() -> None:
    import subprocess
    import sys

    import ntmkit

    done = subprocess.run([sys.executable, "-m", "ntmkit", "--version"], capture_output=True,
                          text=True, check=False, timeout=60)
    assert done.returncode == 0 and done.stdout.strip() == f"ntmkit {ntmkit.__version__}"
    done = subprocess.run([sys.executable, "-m", "ntmkit", "criteria", "show", "x@y"],
                          capture_output=True, text=True, check=False, timeout=60)
    assert done.returncode == 1 and done.stderr.startswith("ntmkit: error:")


def _parsers():
    import argparse

    from ntmkit.cli import _parser

    todo = [_parser()]
    while todo:
        parser = todo.pop()
        yield parser
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                todo.extend(action.choices.values())


def test_every_option_of_every_command_has_help() -> None:
    import argparse

    parsers = list(_parsers())
    assert {p.prog for p in parsers} >= {"ntmkit report", "ntmkit criteria diff"}
    for parser in parsers:
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                continue
            assert action.help and action.help != argparse.SUPPRESS, (parser.prog, action.dest)


def test_set_version_has_its_own_name_and_version_is_deprecated(capsys) -> None:
    assert main(["assess", str(SAMPLE), "--format", "csv", "--set-version", "2022-03-08",
                 "--year", "2023"]) == 0
    pinned = capsys.readouterr()
    assert "commune/ntm@2022-03-08" in pinned.out and "deprecated" not in pinned.err
    assert main(["assess", str(SAMPLE), "--format", "csv", "--version", "2022-03-08",
                 "--year", "2023"]) == 0
    old = capsys.readouterr()
    assert old.out == pinned.out
    (note,) = [line for line in old.err.splitlines() if "deprecated" in line]
    assert "--set-version" in note
    assert main(["--version"]) == 0
    assert capsys.readouterr().out.startswith("ntmkit ")
    assert main(["assess", str(SAMPLE), "--set-version", "2022-03-08", "--version",
                 "2024-03-01"]) == 2


@pytest.mark.parametrize(("argv", "names"), [
    ([], ["assess", "report", "progress", "criteria"]),
    (["criteria"], ["list", "show", "diff", "coverage", "template", "fill"]),
])
def test_a_missing_command_lists_the_commands(capsys, argv, names) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "criteria_command" not in err and "choose" in err
    assert all(name in err for name in names)


def test_a_bare_income_column_is_read_in_its_unit_with_a_note(tmp_path, capsys) -> None:
    bare, declared = tmp_path / "bare.csv", tmp_path / "declared.csv"
    bare.write_text("code,name,region,year,10\n1,A,red_river_delta,2024,60\n", encoding="utf-8")
    declared.write_text("code,name,region,year,10 [million VND/person/month]\n"
                        "1,A,red_river_delta,2024,5\n", encoding="utf-8")
    assert main(["assess", str(bare), "--format", "json"]) == 0
    out = capsys.readouterr()
    (note,) = out.err.splitlines()
    assert note.startswith("ntmkit: note:") and "column '10'" in note
    assert "million VND/person/year" in note and "10 [million VND/person/month]" in note
    value = json.loads(out.out)[0]
    assert main(["assess", str(declared), "--format", "json"]) == 0
    out = capsys.readouterr()
    assert out.err == ""
    assert json.dumps(value).count('"value": 60') and json.loads(out.out)[0] == value


def test_csv_has_the_same_bom_on_standard_output_as_in_a_file(tmp_path, capsys) -> None:
    out = tmp_path / "v.csv"
    assert main(["assess", str(SAMPLE), "--format", "csv", "-o", str(out)]) == 0
    assert main(["assess", str(SAMPLE), "--format", "csv"]) == 0
    printed = capsys.readouterr().out
    assert printed.startswith("\ufeff") and printed == out.read_bytes().decode("utf-8")
    assert main(["assess", str(SAMPLE), "--format", "json"]) == 0
    assert not capsys.readouterr().out.startswith("\ufeff")


def test_a_bare_income_number_in_json_gets_one_note_per_file(tmp_path, capsys) -> None:
    rows = [{"commune": {"code": str(n), "name": f"X{n}", "region": "red_river_delta"},
             "year": 2024, "observations": {"10": 60 + n}} for n in range(3)]
    path = tmp_path / "o.json"
    path.write_text(json.dumps({"format": "ntmkit.observations.v1", "communes": rows}),
                    encoding="utf-8")
    assert main(["assess", str(path), "--lang", "en"]) == 0
    notes = [line for line in capsys.readouterr().err.splitlines() if "note:" in line]
    assert len(notes) == 1 and "'10'" in notes[0] and "million VND/person/year" in notes[0]
