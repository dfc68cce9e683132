"""Bad input gets an NtmkitError that says where and what to do, never a crash or a wrong answer."""

from __future__ import annotations

import datetime as dt
import decimal
import json
import pickle

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit import Commune, Q, assess, registry
from ntmkit.io import peek_years, read_observations

COMMUNE = Commune(code="1", name="x", region="red_river_delta")
HEADER = "code,name,year,"


@pytest.fixture(scope="module")
def cs() -> ntmkit.CriteriaSet:
    return registry.get("commune/ntm", version="2024-03-01")


def _assess(cs: ntmkit.CriteriaSet, observations: dict[str, object]) -> ntmkit.Assessment:
    return assess(COMMUNE, observations, cs, year=2024)


def _json_file(tmp_path, observations: dict[str, object], year: object = 2024,
               text: str | None = None):
    path = tmp_path / "obs.json"
    body = {"format": "ntmkit.observations.v1", "communes": [
        {"commune": {"code": "1", "name": "x", "region": "red_river_delta"}, "year": year,
         "observations": observations}]}
    path.write_text(text if text is not None else json.dumps(body), encoding="utf-8")
    return path


def _csv_file(tmp_path, text: str, name: str = "obs.csv"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# Numbers that floats cannot hold -------------------------------------------------------------

@pytest.mark.parametrize("value", [10**400, -(10**400), decimal.Decimal("sNaN"),
                                   decimal.Decimal("NaN"), decimal.Decimal("1e400"),
                                   float("inf"), float("nan")])
def test_values_no_float_holds_are_invalid_values_naming_the_indicator(cs, value) -> None:
    with pytest.raises(ntmkit.InvalidValue) as info:
        _assess(cs, {"3.1": value})
    assert info.value.indicator == "3.1" and "3.1" in str(info.value)


def test_a_huge_integer_is_shown_short_in_the_message(cs) -> None:
    with pytest.raises(ntmkit.InvalidValue) as info:
        _assess(cs, {"3.1": 10**400})
    assert len(str(info.value)) < 200 and "too large" in str(info.value)


def test_a_json_number_of_400_digits_is_an_observation_file_error(tmp_path, cs) -> None:
    path = _json_file(tmp_path, {}, text=json.dumps({
        "format": "ntmkit.observations.v1", "communes": [
            {"commune": {"code": "1", "name": "x", "region": "red_river_delta"}, "year": 2024,
             "observations": {}}]}).replace('"observations": {}',
                                            '"observations": {"3.1": ' + "9" * 400 + "}"))
    with pytest.raises(ntmkit.ObservationFileError) as info:
        read_observations(path, cs)
    assert info.value.indicator == "3.1" and info.value.file == str(path)


def test_a_tiny_value_in_another_unit_converts_without_overflow(cs) -> None:
    result = _assess(cs, {"10": Q(1e-300, "million VND/person/month")})
    assert result.indicators["10"].verdict is not ntmkit.Verdict.MET
    assert result.indicators["10"].value == pytest.approx(1.2e-299)


def test_a_tiny_csv_cell_under_a_unit_header_converts(tmp_path, cs) -> None:
    path = _csv_file(tmp_path, HEADER + "10 [million VND/person/month]\n1,x,2024,1e-300\n")
    (record,) = read_observations(path, cs)
    assert record.observations["10"] == pytest.approx(1.2e-299)


def test_a_value_too_large_after_conversion_says_so_not_that_it_is_infinite(cs) -> None:
    with pytest.raises(ntmkit.InvalidValue) as info:
        _assess(cs, {"10": Q(1e308, "million VND/person/month")})
    assert "too large" in str(info.value) and "not finite" not in str(info.value)


# Years ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("year", [0, -1, 10_000, 10**30])
def test_years_outside_the_calendar_are_invalid_contexts(year) -> None:
    cs2026 = registry.get("commune/ntm", version="2026-02-15")
    with pytest.raises(ntmkit.InvalidContext, match="calendar year"):
        assess(COMMUNE, {}, cs2026, year=year)


def test_a_json_row_year_of_31_digits_names_the_row(tmp_path, cs) -> None:
    path = _json_file(tmp_path, {}, year=10**30)
    for read in (lambda: read_observations(path, cs), lambda: peek_years(path)):
        with pytest.raises(ntmkit.ObservationFileError) as info:
            read()
        assert (info.value.row, info.value.column) == (0, "year")


@pytest.mark.parametrize("cell", ["0", "99999", "²", "2024x"])
def test_a_csv_year_that_is_not_a_year_names_its_row(tmp_path, cs, cell) -> None:
    path = _csv_file(tmp_path, HEADER + "3.1\n1,x,2024,80\n2,y," + cell + ",80\n")
    with pytest.raises(ntmkit.ObservationFileError) as info:
        peek_years(path)
    assert info.value.row == 3 and info.value.column == "year"
    with pytest.raises(ntmkit.ObservationFileError, match="row 3"):
        read_observations(path, cs)


# Readers: limits, encodings, separators, numbers -------------------------------------------------

def test_a_csv_field_over_the_limit_is_an_error_naming_the_row(tmp_path, cs) -> None:
    path = _csv_file(tmp_path, HEADER + "3.1\n1," + "x" * 140_000 + ",2024,80\n")
    for read in (lambda: read_observations(path, cs), lambda: peek_years(path)):
        with pytest.raises(ntmkit.ObservationFileError, match="131,072") as info:
            read()
        assert info.value.row == 2


def test_deeply_nested_json_is_an_observation_file_error(tmp_path, cs) -> None:
    path = _json_file(tmp_path, {}, text="[" * 100_000 + "]" * 100_000)
    with pytest.raises(ntmkit.ObservationFileError, match="nested too deeply"):
        read_observations(path, cs)


@pytest.mark.parametrize(("content", "fragment"), [
    (b"", "empty"),
    (b"\xff\xfec\x00o\x00d\x00e\x00", "UTF-16"),
    (b"code,name,year,3.1\n1,T\xea,2024,80\n", "Windows-1258"),
    (b"\x00\x01\x02binary", "NUL bytes"),
    (b"code;name;year;3.1\n1;A;2024;80\n", "semicolons"),
    (b"code\tname\tyear\t3.1\n1\tA\t2024\t80\n", "tabs"),
])
def test_file_problems_are_reported_before_any_year_is_needed(tmp_path, cs, content,
                                                              fragment) -> None:
    path = tmp_path / "obs.csv"
    path.write_bytes(content)
    for read in (lambda: read_observations(path, cs), lambda: peek_years(path)):
        with pytest.raises(ntmkit.ObservationFileError, match=fragment) as info:
            read()
        assert info.value.file == str(path)


def test_a_folder_and_a_missing_file_are_reported_as_such(tmp_path) -> None:
    (tmp_path / "dir.csv").mkdir()
    with pytest.raises(ntmkit.ObservationFileError, match="is a folder"):
        peek_years(tmp_path / "dir.csv")
    with pytest.raises(ntmkit.ObservationFileError, match="cannot read"):
        peek_years(tmp_path / "missing.csv")


@pytest.mark.parametrize("text", ['{"format": "ntmkit.observations.v1", "communes": [',
                                  '{"format": "ntmkit.observations.v1", "communes": NaN}',
                                  '[1, 2]'])
def test_broken_json_is_reported_by_the_year_peek(tmp_path, text) -> None:
    with pytest.raises(ntmkit.ObservationFileError):
        peek_years(_json_file(tmp_path, {}, text=text))


@pytest.mark.parametrize("cell", ["1,000", "12,345", "1,000,000"])
def test_a_thousands_separator_is_refused_with_how_to_write_it(tmp_path, cs, cell) -> None:
    code = _count_indicator(cs)
    path = _csv_file(tmp_path, HEADER + code + '\n1,x,2024,"' + cell + '"\n')
    with pytest.raises(ntmkit.ObservationFileError) as info:
        read_observations(path, cs)
    assert "Write" in str(info.value) and cell.replace(",", "") in str(info.value)
    assert (info.value.row, info.value.column) == (2, code)


def test_a_single_decimal_comma_is_still_read(tmp_path, cs) -> None:
    path = _csv_file(tmp_path, HEADER + '3.1\n1,x,2024,"85,5"\n')
    assert read_observations(path, cs)[0].observations["3.1"] == 85.5


@pytest.mark.parametrize("cell", ["nan", "inf", "-Infinity", "1e400", "1_000", "0x10"])
def test_number_cells_python_would_accept_are_refused(tmp_path, cs, cell) -> None:
    path = _csv_file(tmp_path, HEADER + "3.1\n1,x,2024," + cell + "\n")
    with pytest.raises(ntmkit.ObservationFileError, match="row 2") as info:
        read_observations(path, cs)
    assert "None" not in str(info.value)  # the message speaks of cells, not Python


def test_a_json_unit_error_names_file_commune_and_indicator(tmp_path, cs) -> None:
    path = _json_file(tmp_path, {"10": {"value": 5, "unit": "km"}})
    with pytest.raises(ntmkit.ObservationFileError) as info:
        read_observations(path, cs)
    message = str(info.value)
    assert str(path) in message and "communes[0]" in message and "'10'" in message
    assert (info.value.file, info.value.row, info.value.indicator, info.value.unit) == \
        (str(path), 0, "10", "km")
    assert "dong" not in message and "kilometer" not in message


@pytest.mark.parametrize("value", ['"9**9**9"', "true", '"85"', "[1]"])
def test_a_json_value_with_a_unit_must_be_a_number(tmp_path, cs, value) -> None:
    text = json.dumps({"format": "ntmkit.observations.v1", "communes": [
        {"commune": {"code": "1", "name": "x", "region": "red_river_delta"}, "year": 2024,
         "observations": {"3.1": {"value": 0, "unit": "%"}}}]}).replace(
        '"value": 0', f'"value": {value}')
    with pytest.raises(ntmkit.ObservationFileError, match="must be a number"):
        read_observations(_json_file(tmp_path, {}, text=text), cs)


def test_a_unit_pint_would_compute_for_hours_is_refused_at_once() -> None:
    with pytest.raises(ntmkit.UnitMismatch, match="not a unit ntmkit reads"):
        Q(1, "9**9**9 m")
    with pytest.raises(ntmkit.UnitMismatch):
        Q(1, "m" * 100)


def test_unit_spellings_in_messages_are_the_laws_not_pints(cs) -> None:
    with pytest.raises(ntmkit.UnitMismatch) as info:
        _assess(cs, {"3.1": Q(4.5, "million VND/person/month")})
    assert "million VND/person/month" in str(info.value)
    assert "dong" not in str(info.value)
    assert ntmkit.units.readable_unit("dong * million / month / person") == \
        "million VND/person/month"


# Kinds of dimensionless quantity --------------------------------------------------------------

def _count_indicator(cs: ntmkit.CriteriaSet) -> str:
    return next(code for code, i in cs.indicators.items() if i.unit == "count")


def test_a_percentage_is_not_a_count(cs) -> None:
    with pytest.raises(ntmkit.UnitMismatch):
        _assess(cs, {_count_indicator(cs): Q(150, "%")})


def test_a_count_is_not_a_percentage(cs) -> None:
    with pytest.raises(ntmkit.UnitMismatch):
        _assess(cs, {"3.1": Q(0.9, "count")})


def test_a_ratio_of_units_is_not_a_percentage(tmp_path, cs) -> None:
    with pytest.raises(ntmkit.UnitMismatch):
        _assess(cs, {"3.1": Q(146, "m2/ha")})
    path = _json_file(tmp_path, {"3.1": {"value": 146, "unit": "m2/ha"}})
    with pytest.raises(ntmkit.ObservationFileError) as info:
        read_observations(path, cs)
    assert info.value.unit == "m2/ha"


def test_a_bare_fraction_is_still_a_share_of_one(cs) -> None:
    assert _assess(cs, {"3.1": Q(0.85, "")}).indicators["3.1"].value == 85.0
    assert _assess(cs, {"3.1": Q(0.85, "dimensionless")}).indicators["3.1"].value == 85.0
    assert _assess(cs, {"3.1": Q(85, "percent")}).indicators["3.1"].value == 85.0


# Errors carry data -----------------------------------------------------------------------------

def test_errors_keep_their_fields_when_pickled() -> None:
    exc = ntmkit.ObservationFileError("a.csv, row 3: bad", file="a.csv", row=3, column="3.1",
                                      indicator="3.1", unit="%")
    back = pickle.loads(pickle.dumps(exc))
    assert type(back) is ntmkit.ObservationFileError and back.where == exc.where
    assert str(back) == str(exc)


def test_csv_cell_errors_carry_file_row_column_indicator_and_unit(tmp_path, cs) -> None:
    path = _csv_file(tmp_path, HEADER + "3.1 [%]\n1,x,2024,150\n")
    with pytest.raises(ntmkit.ObservationFileError) as info:
        read_observations(path, cs)
    assert info.value.where == {"file": str(path), "row": 2, "column": "3.1",
                                "indicator": "3.1", "unit": "%"}


def test_a_derived_sets_date_must_be_a_date(cs) -> None:
    with pytest.raises(ntmkit.CriteriaDataError, match="checked_on must be a date"):
        registry.derive(cs, id="my/ntm", version="1", checked_on="2025-06-01")
    derived = registry.derive(cs, id="my/ntm", version="1", checked_on=dt.date(2025, 6, 1))
    assert _assess(derived, {"3.1": 85.0}).criteria["3"].verdict is not None


# Set files ---------------------------------------------------------------------------------------

SET_HEAD = '''format = "ntmkit.criteria-set.v1"
id = "my/ntm"
version = "2024-05-01"
extends = "{base}"
effective = 2024-05-01

[sources]
P1 = {{ url = "https://example.org/act" }}
'''


def _set_file(tmp_path, body: str, base: str = "commune/ntm@2024-03-01"):
    path = tmp_path / "set.toml"
    path.write_text(SET_HEAD.format(base=base) + body, encoding="utf-8")
    return path


def _override(indicator: str, extra: str) -> str:
    return (f'\n[[overrides]]\nindicator = "{indicator}"\nregion = "red_river_delta"\n'
            f'confidence = "restated"\nsources = ["P1"]\n{extra}\n')


def test_deeply_nested_toml_in_a_set_file_is_a_criteria_data_error(tmp_path) -> None:
    path = _set_file(tmp_path, "x = " + "[" * 5000 + "]" * 5000 + "\n")
    with pytest.raises(ntmkit.CriteriaDataError, match="nested too deeply"):
        registry.load(path)


@pytest.mark.parametrize("kind", ["targets", "points"])
def test_deeply_nested_or_broken_toml_in_target_and_points_files_is_an_error(
        tmp_path, kind: str) -> None:
    from ntmkit import points, targets

    load = targets.load if kind == "targets" else points.load
    for name, body in (("deep.toml", b"x = " + b"[" * 5000 + b"]" * 5000 + b"\n"),
                       ("bad.toml", b"x = = 1\n"), ("latin.toml", b"x = '\xe9'\n")):
        path = tmp_path / name
        path.write_bytes(body)
        with pytest.raises(ntmkit.CriteriaDataError) as caught:
            load(path)
        assert caught.value.file is not None and name in caught.value.file
    assert "nested too deeply" in str(_error(load, tmp_path / "deep.toml"))


def _error(load, path) -> Exception:
    try:
        load(path)
    except ntmkit.CriteriaDataError as exc:
        return exc
    raise AssertionError(f"{path} loaded")


def test_a_set_that_requires_itself_is_refused(tmp_path) -> None:
    path = _set_file(tmp_path, "")
    path.write_text(path.read_text(encoding="utf-8").replace(
        'effective = 2024-05-01', 'effective = 2024-05-01\nrequires = ["my/ntm@2024-05-01"]'),
        encoding="utf-8")
    own = registry.CriteriaRegistry.bundled()
    with pytest.raises(ntmkit.CriteriaDataError, match="cycle"):
        own.load(path)
    with pytest.raises(ntmkit.CriteriaDataError, match="cycle"):
        registry.load(path)


@pytest.mark.parametrize(("indicator", "base"), [("3.2", "commune/ntm@2024-03-01"),
                                                 ("H.1", "district/ntm@2022-03-08")])
def test_relative_to_on_a_yes_no_or_share_indicator_is_refused(tmp_path, indicator,
                                                               base) -> None:
    extra = 'relative_to = { set = "commune/ntm@2024-03-01", indicator = "3.1", factor = 1.1 }'
    body = _override(indicator, extra).replace('region = "red_river_delta"\n', "")
    with pytest.raises(ntmkit.CriteriaDataError, match="relative_to applies only"):
        registry.load(_set_file(tmp_path, body, base))


@pytest.mark.parametrize("factor", ["1e308", "nan", "inf", "-1", "0"])
def test_a_relative_factor_that_is_not_a_plain_ratio_is_refused(tmp_path, factor) -> None:
    extra = ('relative_to = { set = "commune/ntm-advanced@2024-03-01", indicator = "10", '
             f"factor = {factor} }}")
    with pytest.raises(ntmkit.CriteriaDataError, match="factor"):
        registry.load(_set_file(tmp_path, _override("10", extra)))


@pytest.mark.parametrize(("indicator", "value"), [("3.1", "-5"), ("3.1", "1000")])
def test_thresholds_outside_the_possible_range_are_refused_on_load(tmp_path, indicator,
                                                                   value) -> None:
    path = _set_file(tmp_path, _override(indicator, f"value = {value}"))
    with pytest.raises(ntmkit.CriteriaDataError, match="outside the possible range"):
        registry.load(path)


def test_a_threshold_inside_the_range_still_loads(tmp_path) -> None:
    cs = registry.load(_set_file(tmp_path, _override("3.1", "value = 90")))
    assert cs.threshold("3.1", region="red_river_delta").value == 90.0


# Fill-in files -----------------------------------------------------------------------------------

FILL_HEAD = 'format = "ntmkit.fill.v1"\nset = "commune/ntm@2024-03-01"\n'


def _fill(tmp_path, body: str, name: str = "fill.toml"):
    from ntmkit.io.fill import fill

    path = tmp_path / name
    path.write_text(FILL_HEAD + body, encoding="utf-8")
    return fill(registry.get("commune/ntm", version="2024-03-01"), path, new_id="my/ntm",
                checked_on=dt.date(2025, 1, 1))


@pytest.mark.parametrize("body", ['cells = "abc"\n', "cells = 1\n", "cells = [1, 2]\n",
                                  "x = " + "[" * 5000 + "]" * 5000 + "\n"])
def test_a_malformed_fill_file_is_a_fill_error(tmp_path, body) -> None:
    from ntmkit.io.fill import FillError

    with pytest.raises(FillError):
        _fill(tmp_path, body)


def _cell(**values: str) -> str:
    cell = {"indicator": "3.1", "region": "red_river_delta", "unit": "%", "value": "90",
            "confidence": "restated", "source_act": "1/QĐ-UBND", "source_url": "", **values}
    return "\n[[cells]]\n" + "".join(f"{k} = {json.dumps(v)}\n" for k, v in cell.items())


@pytest.mark.parametrize(("column", "text"), [("value", "nan"), ("value", "inf"),
                                              ("value", "1,000"), ("year", "inf"),
                                              ("group", "inf"), ("year", "2024.5")])
def test_fill_values_that_are_not_numbers_name_their_column(tmp_path, column, text) -> None:
    from ntmkit.io.fill import FillError

    with pytest.raises(FillError, match=f"column '{column}'"):
        _fill(tmp_path, _cell(**{column: text}))


def test_control_characters_in_a_note_still_give_a_set_file_that_loads(tmp_path) -> None:
    derived, text = _fill(tmp_path, _cell(note="a\x7fb\x01c \"quoted\" \\ end"))
    path = tmp_path / "my.toml"
    path.write_text(text, encoding="utf-8")
    loaded = registry.load(path)
    assert loaded.fingerprint == derived.fingerprint
    assert loaded.threshold("3.1", region="red_river_delta").note == \
        "a\x7fb\x01c \"quoted\" \\ end"


# checked_on: part of the fingerprint, since strict="unknown" verdicts depend on it -----------

def test_results_record_the_checked_on_their_verdicts_depend_on(cs) -> None:
    import attrs

    rechecked = attrs.evolve(cs, checked_on=cs.checked_on + dt.timedelta(days=400))
    assert rechecked.fingerprint != cs.fingerprint
    on = cs.checked_on + dt.timedelta(days=1)
    old = assess(COMMUNE, {"3.1": 85.0, "3.2": True}, cs, year=2024, on=on, strict="unknown")
    new = assess(COMMUNE, {"3.1": 85.0, "3.2": True}, rechecked, year=2024, on=on,
                 strict="unknown")
    assert old.criteria["3"].verdict is ntmkit.Verdict.UNKNOWN
    assert new.criteria["3"].verdict is ntmkit.Verdict.MET
    assert (old.checked_on, new.checked_on) == (cs.checked_on, rechecked.checked_on)
    assert old.trace()["criteria_set"]["checked_on"] == cs.checked_on.isoformat()
    assert old.fingerprint != new.fingerprint


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(shifts=st.tuples(st.integers(-800, 800), st.integers(-800, 800)),
       after=st.integers(-800, 800), value=st.floats(0, 100),
       strict=st.sampled_from(["warn", "unknown"]))
def test_one_fingerprint_one_verdict_whatever_the_strict_policy(
        cs, shifts: tuple[int, int], after: int, value: float, strict: str) -> None:
    import warnings

    import attrs

    first, second = (attrs.evolve(cs, checked_on=cs.checked_on + dt.timedelta(days=d))
                     for d in shifts)
    on = cs.checked_on + dt.timedelta(days=after)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ntmkit.StaleCriteriaWarning)
        a, b = (assess(COMMUNE, {"3.1": value, "3.2": True}, s, year=2024, on=on,
                       strict=strict)  # type: ignore[arg-type]
                for s in (first, second))
    verdicts = ({c: r.verdict for c, r in a.criteria.items()},
                {c: r.verdict for c, r in b.criteria.items()})
    if first.fingerprint == second.fingerprint:
        assert verdicts[0] == verdicts[1]
    if verdicts[0] != verdicts[1]:
        assert first.fingerprint != second.fingerprint


@pytest.mark.parametrize(("key", "value", "fragment"), [
    ("groups", "[" + ", ".join(str(i) for i in range(1, 2000)) + "]", "at most 10"),
    ("years", "[1, 9999]", "at most 50 years"),
    ("years", "[2030, 2020]", "in order"),
])
def test_sets_whose_size_would_make_checking_unbounded_are_refused(tmp_path, key, value,
                                                                   fragment) -> None:
    path = _set_file(tmp_path, "")
    path.write_text(path.read_text(encoding="utf-8").replace(
        "effective = 2024-05-01", f"effective = 2024-05-01\n{key} = {value}"), encoding="utf-8")
    with pytest.raises(ntmkit.CriteriaDataError, match=fragment):
        registry.load(path)


def test_set_and_fill_file_errors_carry_the_file(tmp_path) -> None:
    from ntmkit.io.fill import FillError

    path = _set_file(tmp_path, _override("3.1", "value = 1000"))
    with pytest.raises(ntmkit.CriteriaDataError) as info:
        registry.load(path)
    assert info.value.file == str(path)
    with pytest.raises(FillError) as fill_info:
        _fill(tmp_path, _cell(value="nan"))
    assert fill_info.value.file == str(tmp_path / "fill.toml")
    assert fill_info.value.column == "value"


def test_a_commune_with_an_unknown_region_or_a_text_group_is_an_invalid_value() -> None:
    with pytest.raises(ntmkit.InvalidValue, match="known regions"):
        Commune(code="1", name="x", region="nowhere")
    with pytest.raises(ntmkit.InvalidValue, match="group"):
        Commune(code="1", name="x", region="red_river_delta", group="2")  # type: ignore[arg-type]
    with pytest.raises(ntmkit.InvalidValue, match="classes"):
        Commune(code="1", name="x", classes=1)  # type: ignore[arg-type]


# assess refuses these; assess_frame must too (one value policy for both paths) -----------------

@pytest.mark.parametrize(("column", "cells"), [
    ("3.1", [True, False]),
    ("3.1", ["85", "90"]),
    ("3.1", [85 + 1j, 90 + 0j]),
    ("3.1", [dt.datetime(2024, 1, 1), dt.datetime(2024, 1, 2)]),
    ("year", [2024.5, 2024.0]),
])
def test_assess_and_assess_frame_refuse_the_same_lenient_values(cs, column, cells) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"region": ["red_river_delta"] * 2, column: cells})
    if column == "year":
        with pytest.raises(ntmkit.InvalidContext):
            assess(COMMUNE, {}, cs, year=cells[0])
    else:
        with pytest.raises(ntmkit.InvalidValue):
            _assess(cs, {column: cells[0]})
    with pytest.raises(ntmkit.NtmkitError):
        ntmkit.assess_frame(frame, cs, **({} if column == "year" else {"year": 2024}))


@pytest.mark.parametrize("year", [0, 10_000, 2**63, -(2**70)])
def test_assess_frame_refuses_a_year_outside_the_calendar(cs, year) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"region": ["red_river_delta"], "3.1": [85.0]})
    with pytest.raises(ntmkit.InvalidContext, match="calendar year"):
        ntmkit.assess_frame(frame, cs, year=year)


def test_a_bad_cell_of_a_frame_is_an_error_with_its_row_column_and_indicator(cs) -> None:
    pd = pytest.importorskip("pandas")
    frame = pd.DataFrame({"region": ["red_river_delta"] * 3, "3.1": [50.0, "abc", 60.0]},
                         index=[2, 3, 4])
    with pytest.raises(ntmkit.InvalidValue) as caught:
        ntmkit.assess_frame(frame, cs, year=2024)
    assert caught.value.where == {"row": 3, "column": "3.1", "indicator": "3.1", "unit": "%"}


def test_the_cli_keeps_the_fields_of_an_error_in_a_column(tmp_path, capsys) -> None:
    from ntmkit.cli import main

    path = tmp_path / "bad.csv"
    path.write_text("code,name,region,year,3.1\nA,a,red_river_delta,2024,50\n"
                    "B,b,red_river_delta,2024,abc\n", encoding="utf-8")
    assert main(["assess", str(path), "--lang", "en"]) == 1
    err = capsys.readouterr().err
    assert "row 3" in err and "'3.1'" in err and str(path) in err
