"""The errors a command-line user meets most, shown in Vietnamese (and unchanged in English)."""

from __future__ import annotations

import pickle
import re
import string
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ntmkit import cli
from ntmkit.errors import ObservationFileError
from ntmkit.i18n import errors as catalogue
from vietnamese import assert_vietnamese

SET = ["--set", "commune/ntm@2024-03-01"]
HEAD = "code,name,year,region,3.1,3.2\n"
ROW = "A,Xã A,2024,red_river_delta"

# key → (files to write: name → text or bytes, arguments ({d} is the folder),
#        what the Vietnamese line must name, other entries the message uses)
CASES: dict[str, tuple[dict[str, str | bytes], list[str], list[str], list[str]]] = {
    "cannot_read": ({}, ["assess", "{d}/nope.csv", *SET], ["nope.csv"], ["no_such_file"]),
    "input_folder": ({"in.json/x": ""}, ["assess", "{d}/in.json", *SET], ["in.json"], []),
    "file_type": ({"a.doc": HEAD}, ["assess", "{d}/a.doc", *SET], ["a.doc"], []),
    "empty_file": ({"e.csv": ""}, ["assess", "{d}/e.csv", *SET], ["e.csv"], []),
    "other_encoding": ({"u.csv": (HEAD + ROW + ",80,Đạt\n").encode("utf-16")},
                       ["assess", "{d}/u.csv", *SET], ["u.csv"], []),
    "binary_file": ({"b.csv": b"code,name\x00\x01"}, ["assess", "{d}/b.csv", *SET], ["b.csv"],
                    []),
    "separator": ({"s.csv": "code;name;year\nA;B;2024\n", "t.csv": "code\tname\tyear\n"},
                  ["assess", "{d}/s.csv", *SET], ["s.csv"], ["semicolons"]),
    "tabs": ({"t.csv": "code\tname\tyear\n"}, ["assess", "{d}/t.csv", *SET], ["t.csv"],
             ["separator"]),
    "bad_header": ({"h.csv": "code,name,,3.1\nA,B,2024,80\n"}, ["assess", "{d}/h.csv", *SET],
                   ["h.csv", "cột 3"], ["where.column"]),
    "twice": ({"w.csv": "code,name,year,3.1,3.1\nA,B,2024,80,80\n"},
              ["assess", "{d}/w.csv", *SET], ["w.csv", "cột '3.1'"], ["where.column"]),
    "cells": ({"c.csv": HEAD + ROW + ",80\n"}, ["assess", "{d}/c.csv", *SET],
              ["c.csv", "dòng 2"], ["where.row"]),
    "no_indicator": ({"i.csv": "code,name,year,99.9\nA,B,2024,80\n"},
                     ["assess", "{d}/i.csv", *SET], ["i.csv", "cột '99.9'"], []),
    "not_a_number": ({"n.csv": HEAD + ROW + ",abc,Đạt\n"}, ["assess", "{d}/n.csv", *SET],
                     ["n.csv", "dòng 2", "cột '3.1'"], []),
    "not_a_number_unknown": ({"nn.csv": HEAD + ROW + ",nan,Đạt\n"},
                             ["assess", "{d}/nn.csv", *SET], ["nn.csv", "dòng 2", "cột '3.1'"],
                             []),
    "ambiguous_number": ({"k.csv": HEAD + ROW + ',"1,000",Đạt\n'},
                         ["assess", "{d}/k.csv", *SET], ["k.csv", "dòng 2", "cột '3.1'"], []),
    "too_large": ({"l.csv": HEAD + ROW + ",1e400,Đạt\n"}, ["assess", "{d}/l.csv", *SET],
                  ["l.csv", "dòng 2", "cột '3.1'"], []),
    "out_of_range": ({"r.csv": HEAD + ROW + ",150,Đạt\n"}, ["assess", "{d}/r.csv", *SET],
                     ["r.csv", "dòng 2", "cột '3.1'", "chỉ tiêu 3.1", "150"],
                     ["where.indicator"]),
    "yes_no_condition": ({"y.csv": HEAD + ROW + ",80,maybe\n"}, ["assess", "{d}/y.csv", *SET],
                         ["y.csv", "dòng 2", "cột '3.2'", "'maybe'"], ["yes_no"]),
    "region": ({"g.csv": "code,name,year,region,3.1\nA,B,2024,mars,80\n"},
               ["assess", "{d}/g.csv", *SET], ["g.csv", "dòng 2", "'mars'"], []),
    "no_region": ({"nr.csv": "code,name,year,3.1\nA,B,2024,80\n"},
                  ["assess", "{d}/nr.csv", *SET], ["nr.csv", "dòng 2"], []),
    "commune_class": ({"cc.csv": "code,name,year,region,classes,3.1\n"
                                 "A,B,2024,red_river_delta,zz,80\n"},
                      ["assess", "{d}/cc.csv", *SET], ["cc.csv", "dòng 2", "'zz'"], []),
    "year_literal": ({"yl.csv": HEAD + "A,B,20x4,red_river_delta,80,Đạt\n"},
                     ["assess", "{d}/yl.csv", *SET], ["yl.csv", "dòng 2", "'20x4'"], []),
    "unit_mismatch": ({"m.csv": "code,name,year,region,3.1 [household]\n"
                                "A,B,2024,red_river_delta,80\n"},
                      ["assess", "{d}/m.csv", *SET], ["m.csv", "chỉ tiêu 3.1", "'hộ'"],
                      ["dimensions", "where.indicator_code"]),
    "undefined_unit": ({"f.csv": "code,name,year,region,3.1 [furlong]\n"
                                 "A,B,2024,red_river_delta,80\n"},
                       ["assess", "{d}/f.csv", *SET], ["f.csv", "chỉ tiêu 3.1", "'furlong'"],
                       ["unit_mismatch"]),
    "no_set": ({"o.csv": HEAD + ROW + ",80,Đạt\n"},
               ["assess", "{d}/o.csv", "--set", "commune/nope@2024-03-01"], ["'commune/nope'"],
               []),
    "no_version": ({"o.csv": HEAD + ROW + ",80,Đạt\n"},
                   ["assess", "{d}/o.csv", "--set", "commune/ntm@1999-01-01"], ["'1999-01-01'"],
                   []),
    "output_folder_missing": ({"o.csv": HEAD + ROW + ",80,Đạt\n"},
                              ["assess", "{d}/o.csv", *SET, "-o", "{d}/no/out.csv"],
                              ["out.csv"], []),
    "output_parent_not_folder": ({"o.csv": HEAD + ROW + ",80,Đạt\n"},
                                 ["assess", "{d}/o.csv", *SET, "-o", "{d}/o.csv/out.csv"],
                                 ["out.csv"], []),
    "output_is_folder": ({"o.csv": HEAD + ROW + ",80,Đạt\n", "sub/x": ""},
                         ["assess", "{d}/o.csv", *SET, "-o", "{d}/sub"], ["sub"], []),
    "output_no_name": ({"o.csv": HEAD + ROW + ",80,Đạt\n"},
                       ["assess", "{d}/o.csv", *SET, "-o", "{d}/.."], [".."], []),
    "output_is_input": ({"o.csv": HEAD + ROW + ",80,Đạt\n"},
                        ["assess", "{d}/o.csv", *SET, "-o", "{d}/o.csv"], ["o.csv"], []),
    "fill_header": ({"fh.csv": "a,b\n1,2\n"},
                    ["criteria", "fill", "commune/ntm@2024-03-01", "{d}/fh.csv", "--as",
                     "x/y", "--set-version", "2024-01-01", "-o", "{d}/x.toml"], ["fh.csv"], []),
    "fill_not_utf8": ({"fu.csv": b"set,indicator\n\xff\xfe\xfd\n"},
                      ["criteria", "fill", "commune/ntm@2024-03-01", "{d}/fu.csv", "--as",
                       "x/y", "--set-version", "2024-01-01", "-o", "{d}/x.toml"], ["fu.csv"],
                      []),
    "fill_nothing": ({"fn.csv": "set,indicator,region,year,unit,value,confidence,source_act,"
                                "source_url\n"},
                     ["criteria", "fill", "commune/ntm@2024-03-01", "{d}/fn.csv", "--as",
                      "x/y", "--set-version", "2024-01-01", "-o", "{d}/x.toml"], ["fn.csv"],
                     []),
}


def _run(capsys: pytest.CaptureFixture[str], tmp_path: Path, key: str, lang: str) -> str:
    files, argv, _, _ = CASES[key]
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")
    code = cli.main([a.replace("{d}", str(tmp_path)) for a in argv] + ["--lang", lang])
    err = capsys.readouterr().err
    assert code == 1, err
    return err.strip()


def _pattern(template: str) -> str:
    """A template as a search pattern (each field any text)."""
    return re.sub(r"\\\{\w+\\\}", ".+", re.escape(template))


@pytest.mark.parametrize("key", sorted(CASES))
def test_each_error_reads_in_vietnamese_and_stays_english_with_lang_en(
        capsys: pytest.CaptureFixture[str], tmp_path: Path, key: str) -> None:
    vi_line = _run(capsys, tmp_path, key, "vi")
    en_line = _run(capsys, tmp_path, key, "en")
    vi, en = catalogue.MESSAGES[key]
    assert vi_line.startswith("ntmkit: lỗi: "), vi_line
    assert_vietnamese(vi_line, where=key)
    assert re.search(_pattern(vi), vi_line), (key, vi_line)
    assert en_line.startswith("ntmkit: error: "), en_line
    assert re.search(_pattern(en), en_line), (key, en_line)
    for named in CASES[key][2]:
        assert named in vi_line, (named, vi_line)
    # The English line is the library's own message, untouched.
    assert catalogue.translate(en_line.removeprefix("ntmkit: error: ")) == \
        vi_line.removeprefix("ntmkit: lỗi: ")


def test_every_entry_is_used_by_a_case_and_every_case_names_real_entries() -> None:
    used = set(CASES) | {k for case in CASES.values() for k in case[3]}
    assert used <= set(catalogue.MESSAGES)
    assert set(catalogue.MESSAGES) - used == set()


def test_every_key_given_at_a_raise_site_is_an_entry() -> None:
    source = Path(catalogue.__file__).parents[1]
    keys = {m for f in source.rglob("*.py")
            for m in re.findall(r'key="errors\.(\w+)"', f.read_text(encoding="utf-8"))}
    assert keys and keys <= set(catalogue.MESSAGES)


def test_a_keyed_error_renders_its_entry_and_a_rewritten_message_is_matched_instead() -> None:
    exc = ObservationFileError("a.csv: the file is empty", file="a.csv",
                               key="errors.empty_file", fields={"file": "a.csv"})
    assert catalogue.error_text(exc, "vi") == "a.csv: tệp rỗng"
    assert catalogue.error_text(exc, "en") == "a.csv: the file is empty"
    moved = exc.relocated("b.csv, row 3: the file is empty")
    assert moved.key is None
    assert catalogue.error_text(moved, "vi") == "b.csv, dòng 3: tệp rỗng"


def test_a_message_no_entry_matches_keeps_its_english() -> None:
    exc = ObservationFileError("a.json: not valid JSON: Expecting value")
    assert catalogue.error_text(exc, "vi") == "a.json: not valid JSON: Expecting value"


@pytest.mark.parametrize(("name", "content", "key"), [
    ("e.csv", b"", "empty_file"),
    ("b.csv", b"code\x00", "binary_file"),
    ("u.csv", "code,name\n".encode("utf-16"), "other_encoding"),
    ("a.doc", b"code,name\n", "file_type"),
    ("gone.csv", None, "cannot_read"),
])
def test_file_errors_carry_their_key_and_fields(tmp_path: Path, name: str,
                                                content: bytes | None, key: str) -> None:
    from ntmkit import registry
    from ntmkit.io._tables import read_table

    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ObservationFileError) as caught:
        read_table(path, registry.get("commune/ntm", version="2024-03-01"))
    exc = caught.value
    assert exc.key == f"errors.{key}"
    assert catalogue.MESSAGES[key][1].format(**exc.fields) == str(exc)
    again = pickle.loads(pickle.dumps(exc))
    assert (again.key, again.fields, str(again)) == (exc.key, exc.fields, str(exc))


_PLAIN = st.text(st.sampled_from("abcxyz019_.'/ "), min_size=1, max_size=12).filter(
    lambda t: t.strip() == t)


@settings(max_examples=60, deadline=None)
@given(key=st.sampled_from(sorted(k for k in catalogue.MESSAGES
                                  if not k.startswith("where."))), value=_PLAIN,
       row=st.integers(1, 10**6))
def test_any_rendered_entry_is_found_again_behind_a_location(key: str, value: str,
                                                             row: int) -> None:
    en = catalogue.MESSAGES[key][1]
    names = {n for _, n, _, _ in string.Formatter().parse(en) if n}
    english = en.format(**dict.fromkeys(names, value))
    found = catalogue.translate(f"x.csv, row {row}: {english}")
    assert found is not None and found.startswith(f"x.csv, dòng {row}: ")
    assert catalogue.error_text(ObservationFileError(english), "en") == english


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=80))
def test_any_message_gives_a_line_and_english_is_untouched(message: str) -> None:
    exc = ObservationFileError(message)
    assert catalogue.error_text(exc, "en") == message
    assert isinstance(catalogue.error_text(exc, "vi"), str)
