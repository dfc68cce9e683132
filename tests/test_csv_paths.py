"""The command line's faster paths give what the general ones give.

CSV text without quotes is split by lines and commas instead of the csv module; the results
CSV is written column by column instead of row by row through the csv module; the years of
a CSV file come from the one reading of it; the report builds its criteria lists for the
rows it shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit.errors import NtmkitError

pd = pytest.importorskip("pandas")

EXAMPLE = Path(__file__).parent.parent / "examples" / "communes.csv"


def _outcome(fn):  # type: ignore[no-untyped-def]
    try:
        return "ok", fn()
    except NtmkitError as exc:
        return "error", str(exc)


_CELLS = st.sampled_from(["", " ", "a", "1", "Xã A", "\u00a0", "\x1c", "\t", "2024", "x y"])
_LINES = st.lists(_CELLS, min_size=0, max_size=4).map(",".join)


@settings(max_examples=200, deadline=None)
@given(header=st.lists(st.sampled_from(["code", "name", "year", "3.1", " "]), min_size=1,
                       max_size=4).map(",".join),
       lines=st.lists(_LINES, max_size=6), end=st.sampled_from(["", "\n", "\n\n"]))
def test_text_without_quotes_gives_the_records_of_the_csv_module(header, lines, end) -> None:
    from ntmkit.io._tables import _plain_lines, _scan_lines, _scan_records

    text = "\n".join([header, *lines]) + end
    plain = _plain_lines(text)
    if plain is None:  # e.g. an empty first line: the csv module reads it
        assert not header.split("\n")[0]
        return

    def by_lines():  # type: ignore[no-untyped-def]
        blank, last = _scan_lines(plain, len(plain[0].split(",")), "f.csv")
        return blank, last, plain[0].split(",")

    assert _outcome(by_lines) == _outcome(lambda: _scan_records(text, "f.csv", None))


@pytest.mark.parametrize("text", ['a,"b\nc"\n1,2\n', "a,b\r\n1,2\r\n", "\na,b\n", ""])
def test_quotes_carriage_returns_and_an_empty_first_line_go_through_the_csv_module(text):
    from ntmkit.io._tables import _plain_lines

    assert _plain_lines(text) is None


@pytest.mark.parametrize("years", [["2024", "2024", ""], ["2023", " 2024 ", "2024.0"],
                                   ["2024", "24x", "abc"], ["", ""]])
def test_the_years_of_one_reading_are_those_peek_years_gives(tmp_path, years) -> None:
    from ntmkit.io import peek_years
    from ntmkit.io._tables import read_csv_text

    lines = ["code,name,year,3.1", *(f"C{i},Xã {i},{y},80" for i, y in enumerate(years)),
             ",,,"]
    path = tmp_path / "c.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    read = read_csv_text(path)
    assert read is not None
    assert _outcome(read.years) == _outcome(lambda: peek_years(path))


def test_a_file_the_first_reading_refuses_is_read_again_the_usual_way(tmp_path) -> None:
    from ntmkit.io._tables import read_csv_text

    path = tmp_path / "c.csv"
    path.write_text("code,name,3.1\nC1,Xã 1\n", encoding="utf-8")
    assert read_csv_text(path) is None
    assert read_csv_text(tmp_path / "missing.csv") is None


@pytest.mark.parametrize("names", [
    ["Xã A", "Xã B", "Xã C"],
    ['Xã "A"', "B, C", "=SUM(A1)"],
    ["line\nbreak", "-1", "@x"],
    ["Xã A", None, "carriage\rreturn"],
])
def test_the_results_csv_is_the_text_of_the_csv_module(names) -> None:
    from ntmkit.batch import assess_frame
    from ntmkit.io.results import result_table, results_csv, table_csv

    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    frame = pd.DataFrame({"code": ["1", "+2", "x,3"], "name": pd.Series(names, dtype=object),
                          "region": ["southeast", "red_river_delta", "southeast"],
                          "3.1": [90.0, 10.0, None], "3.2": [True, False, None]})
    out = assess_frame(frame.drop(columns=["code", "name"]), cs, year=2024, gaps=False)
    groups = [(cs, [0, 1, 2])]
    expected = table_csv(result_table(cs, frame, out, groups))
    assert results_csv(cs, frame, out, groups) == expected
    assert expected.count("\r\n") >= 4


def test_the_criteria_lists_of_the_first_rows_are_those_of_every_row() -> None:
    from ntmkit.cli import _parser, _per_row, _score

    args = _parser().parse_args(["report", str(EXAMPLE), "-o", "r.html"])
    args.lang = "vi"
    scored = _score(args)
    every, first = set(), set()
    lists = _per_row(scored, every)
    for limit in (0, 1, 3, len(lists), len(lists) + 5):
        assert _per_row(scored, first, limit) == lists[:limit]
    assert first <= every
