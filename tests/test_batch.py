from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntmkit

pd = pytest.importorskip("pandas")
np = pytest.importorskip("numpy")

from ntmkit.batch import assess_frame  # noqa: E402

SETS = ["commune/ntm@2022-03-08", "commune/ntm@2024-03-01", "commune/ntm-advanced@2024-03-01"]


def _edge_values(cs, code):
    """Values around every threshold of the indicator, so that ties are exercised."""
    ind = cs.indicators[code]
    values = {t.value for t in ind.rule.thresholds if t.value is not None}
    low = ind.minimum if ind.minimum is not None else 0.0
    high = ind.maximum if ind.maximum is not None else 200.0
    edges = {low, high}
    for v in values:
        edges |= {v, min(high, v + 0.5), max(low, v - 0.5)}
    return sorted(edges)


@st.composite
def frames(draw, cs):
    n = draw(st.integers(1, 12))
    rows = []
    indicators = {}
    for key in cs.requires:
        indicators.update(ntmkit.registry.get(key).indicators)
    indicators.update(cs.indicators)
    for _ in range(n):
        row = {
            "region": draw(st.sampled_from([r.value for r in ntmkit.Region])),
            "year": draw(st.integers(2022, 2025)),
            "classes": draw(st.sampled_from(["", "extremely_difficult", "area_iii",
                                             "atk_poor_district;area_ii"])),
        }
        for code, ind in indicators.items():
            if draw(st.booleans()) and draw(st.booleans()):
                row[code] = None  # missing
            elif ind.rule.kind is ntmkit.RuleKind.ACHIEVED:
                row[code] = draw(st.booleans())
            else:
                edges = _edge_values(cs if code in cs.indicators else
                                     ntmkit.registry.get(cs.requires[0]), code)
                low, high = edges[0], edges[-1]
                row[code] = draw(st.sampled_from(edges) | st.floats(low, high))
        rows.append(row)
    return rows


def _scalar(cs, row):
    commune = ntmkit.Commune(code="x", name="x", region=row["region"],
                             classes=[c for c in row["classes"].split(";") if c])
    obs = {k: v for k, v in row.items() if k not in ("region", "year", "classes")}
    return ntmkit.assess(commune, obs, cs, year=row["year"])


@pytest.mark.parametrize("key", SETS)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_assess_frame_agrees_with_scalar_assess_row_by_row(key, data) -> None:
    cs = ntmkit.registry.get(key)
    rows = data.draw(frames(cs))
    frame = pd.DataFrame(rows)
    for code in frame.columns:
        if code in ("region", "year", "classes"):
            continue
        if all(isinstance(v, bool) or v is None for v in frame[code]):
            frame[code] = frame[code].astype(object)
        else:
            frame[code] = pd.to_numeric(frame[code])
    out = assess_frame(frame, cs)
    for i, row in enumerate(rows):
        result = _scalar(cs, row)
        assert out["verdict"].iloc[i] == result.verdict.value
        assert out["met"].iloc[i] == result.met
        assert out["region_column"].iloc[i] == result.region_column.value
        for code, c in result.criteria.items():
            assert out[f"c:{code}"].iloc[i] == c.verdict.value, (code, row)
        for code, r in result.indicators.items():
            assert out[f"v:{code}"].iloc[i] == r.verdict.value, (code, row)
            if r.gap is not None:
                assert out[f"gap:{code}"].iloc[i] == pytest.approx(r.gap)
            elif f"gap:{code}" in out:
                assert math.isnan(out[f"gap:{code}"].iloc[i])


def test_units_are_converted_once_per_column(ntm_2022) -> None:
    frame = pd.DataFrame({"region": ["northern_midlands_mountains"] * 3,
                          "10": [3.25, 3.2, None]})
    out = assess_frame(frame, ntm_2022, year=2022, units={"10": "million VND/person/month"})
    assert list(out["v:10"]) == ["met", "not_met", "unknown"]
    assert out["gap:10"].iloc[1] == pytest.approx(0.6)


def test_pyarrow_table_is_accepted(ntm_2022) -> None:
    pa = pytest.importorskip("pyarrow")
    table = pa.table({"region": ["southeast"], "3.1": [90.0], "3.2": [True]})
    assert assess_frame(table, ntm_2022, year=2023)["c:3"].iloc[0] == "met"


def test_text_yes_no_cells_are_read(ntm_2022) -> None:
    frame = pd.DataFrame({"region": ["southeast", "southeast"], "3.2": ["Đạt", "Chưa đạt"]})
    assert list(assess_frame(frame, ntm_2022, year=2023)["v:3.2"]) == ["met", "not_met"]


@pytest.mark.parametrize(
    ("frame", "kwargs", "error", "fragment"),
    [
        ({"region": ["southeast"], "3.11": [1.0]}, {}, ntmkit.UnknownIndicator, "did you mean"),
        ({"region": ["southeast"], "3.1": [140.0]}, {}, ntmkit.InvalidValue, "row 0, column '3.1'"),
        ({"region": ["southeast"], "3.1": ["high"]}, {}, ntmkit.InvalidValue, "takes a number"),
        ({"region": ["atlantis"], "3.1": [1.0]}, {}, ntmkit.InvalidValue, "unknown region"),
        ({"3.1": [1.0]}, {}, ntmkit.InvalidContext, "no region"),
        ({"region": ["southeast"], "3.2": ["maybe"]}, {}, ntmkit.InvalidValue, "yes/no"),
        ({"region": ["southeast"], "10": [1.0]}, {"units": {"10": "km"}}, ntmkit.UnitMismatch, "km"),
    ],
)
def test_bad_frames_name_row_and_column(ntm_2022, frame, kwargs, error, fragment) -> None:
    with pytest.raises(error, match=fragment):
        assess_frame(pd.DataFrame(frame), ntm_2022, year=2023, **kwargs)


def test_year_column_and_range(ntm_2022) -> None:
    frame = pd.DataFrame({"region": ["southeast"], "year": [2030]})
    with pytest.raises(ntmkit.InvalidContext, match="2030"):
        assess_frame(frame, ntm_2022)


def test_summary_counts_and_shares_per_group(ntm_2022) -> None:
    from ntmkit.batch import summarise

    frame = pd.DataFrame({
        "province": ["Nam Định", "Nam Định", "Hà Giang", "Hà Giang"],
        "3.1": [85.0, 70.0, 90.0, None], "3.2": [True, True, True, True],
        "15.3": [10.0, 10.0, 30.0, 20.0],
    })
    out = assess_frame(frame, ntm_2022, year=2023)
    table = summarise(out, by=frame["province"])
    assert table.loc["Nam Định", "units"] == 2
    assert table.loc["Nam Định", "met:c:3"] == 0.5
    assert table.loc["Hà Giang", "unknown:c:3"] == 0.5
    assert table.loc["Hà Giang", "met:v:3.1"] == 0.5
    assert table.loc["Hà Giang", "not_met"] == 1  # stunting 30 % > 24 % in the mountains
    assert table["units"].sum() == len(frame)
    by_name = summarise(out, by="region_column")
    by_list = summarise(out, by=["region_column"])
    assert by_name["units"].tolist() == by_list["units"].tolist()
    assert by_name["met:c:3"].tolist() == by_list["met:c:3"].tolist()
    assert list(by_name.columns[:4]) == ["units", "met", "not_met", "unknown"]


def test_commune_group_thresholds_agree_between_batch_and_scalar(ntm_2022) -> None:
    grouped = ntmkit.registry.derive(ntm_2022, id="p/groups", version="1", groups=(1, 2, 3),
                                     overrides=[
        ntmkit.registry.Override("3.1", ntmkit.Threshold(
            when=ntmkit.Condition(group=3), value=60.0, confidence="restated",
            sources=("C02",)))])
    frame = pd.DataFrame({"region": ["southeast"] * 2, "group": [3, 1],
                          "3.1": [65.0, 65.0]})
    out = assess_frame(frame, grouped, year=2023)
    assert list(out["v:3.1"]) == ["met", "not_met"]
    with pytest.raises(ntmkit.InvalidContext, match="row 1, column 'group'"):
        assess_frame(frame.assign(group=[3, None]), grouped, year=2023)
    for i, group in enumerate([3, 1]):
        commune = ntmkit.Commune(code="1", name="X", region="southeast", group=group)
        scalar = ntmkit.assess(commune, {"3.1": 65.0}, grouped, year=2023)
        assert scalar.indicators["3.1"].verdict.value == out["v:3.1"].iloc[i]


# --- one value policy: lenient and malformed cells give the same verdict or the same error ---

_NUMBER_CELLS = [85.0, 70, 80, 79.5, Decimal("80"), Fraction(161, 2), np.float32(90.5),
                 np.int64(75), 140.0, -1.0, math.inf, True, np.bool_(False), "85", "58,5", "",
                 "  ", "không áp dụng", "n/a", complex(85, 1), dt.date(2024, 1, 1),
                 dt.timedelta(days=1), None, math.nan, "high"]
_YES_NO_CELLS = [True, False, np.bool_(True), "Đạt", "chưa đạt", "yes", "1", "0", "maybe", 1,
                 0.0, "", None, math.nan, "not applicable", complex(1, 0), "x", b"yes"]


def _column_missing(v) -> bool:
    return v is None or v is pd.NA or (isinstance(v, float) and v != v)


def _as_column(cells, form):
    if form == "object":
        return pd.Series(cells, dtype=object)
    if form == "inferred":
        return pd.Series(cells)
    if form == "categorical":
        return pd.Series(cells, dtype=object).astype("category")
    return pd.Series(cells).convert_dtypes(dtype_backend="pyarrow")


def _outcome(fn):
    try:
        return "ok", fn()
    except ntmkit.NtmkitError as exc:
        return "error", type(exc)


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_lenient_and_malformed_cells_get_the_same_answer_on_both_paths(ntm_2022, data) -> None:
    code = data.draw(st.sampled_from(["3.1", "3.2", "10"]))
    pool = _YES_NO_CELLS if code == "3.2" else _NUMBER_CELLS
    if code == "10":
        pool = [*pool, ntmkit.Q(4.2, "million VND/person/month"), ntmkit.Q(3, "km")]
    cells = data.draw(st.lists(st.sampled_from(pool), min_size=1, max_size=6))
    form = data.draw(st.sampled_from(["object", "inferred", "categorical", "arrow"]))
    try:
        column = _as_column(cells, form)
    except (TypeError, ValueError, ImportError, NotImplementedError):
        return  # pandas itself refuses this column form for these cells
    regions = data.draw(st.lists(st.sampled_from(["red_river_delta", "southeast"]),
                                 min_size=len(cells), max_size=len(cells)))
    frame = pd.DataFrame({"region": regions, code: column})
    batch = _outcome(lambda: assess_frame(frame, ntm_2022, year=2023))
    scalar = []
    # The cells as the column holds them (a categorical column, say, merges equal values).
    held = column.astype(object).tolist()
    for region, cell in zip(regions, held, strict=True):
        commune = ntmkit.Commune(code="x", name="x", region=region)
        obs = {code: None if _column_missing(cell) else cell}
        scalar.append(_outcome(lambda c=commune, o=obs: ntmkit.assess(c, o, ntm_2022, year=2023)))
    errors = [outcome for outcome in scalar if outcome[0] == "error"]
    if errors:
        assert batch == errors[0], (cells, form, batch, scalar)
        return
    assert batch[0] == "ok", (cells, form, batch)
    out = batch[1]
    for i, (_, result) in enumerate(scalar):
        assert out[f"v:{code}"].iloc[i] == result.indicators[code].verdict.value, (cells, form)
        assert out[f"c:{code.split('.')[0]}"].iloc[i] == \
            result.criteria[code.split(".")[0]].verdict.value


@pytest.mark.parametrize(
    ("year", "error"),
    [([2023, 2024], None), ([2023.0, None], None), ([2023.5], ntmkit.InvalidContext),
     (["x"], ntmkit.InvalidContext), (["2023"], ntmkit.InvalidContext),
     ([True], ntmkit.InvalidContext), ([10**30], ntmkit.InvalidContext)],
)
def test_year_column_takes_integers_only(ntm_2024, year, error) -> None:
    frame = pd.DataFrame({"region": ["southeast"] * len(year),
                          "year": pd.Series(year, dtype=object)})
    if error is None:
        frame = frame.dropna()
        assert len(assess_frame(frame, ntm_2024)) == len(frame)
    else:
        with pytest.raises(error, match="row 0, column 'year'"):
            assess_frame(frame, ntm_2024)
    if error is not None and (isinstance(year[0], bool) or not isinstance(year[0], int)):
        commune = ntmkit.Commune(code="x", name="x", region="southeast")
        with pytest.raises(ntmkit.InvalidContext):
            ntmkit.assess(commune, {}, ntm_2024, year=year[0])


def test_zero_rows_give_an_empty_result_with_every_column(ntm_2022) -> None:
    frame = pd.DataFrame({"region": pd.Series([], dtype=object),
                          "3.1": pd.Series([], dtype=float)})
    out = assess_frame(frame, ntm_2022, year=2023)
    full = assess_frame(pd.DataFrame({"region": ["southeast"], "3.1": [90.0]}), ntm_2022,
                        year=2023)
    assert len(out) == 0
    assert list(out.columns) == list(full.columns)
    assert (out.dtypes == full.dtypes).all()


@pytest.mark.parametrize(
    ("kwargs", "frame", "error", "fragment"),
    [
        ({"region": "nowhere"}, {"3.1": [90.0]}, ntmkit.InvalidValue, "region='nowhere'"),
        ({"classes": ["bogus"]}, {"region": ["southeast"], "3.1": [90.0]}, ntmkit.InvalidValue,
         "classes"),
        ({}, {"region": ["southeast"], "year": ["x"]}, ntmkit.InvalidContext, "year"),
    ],
)
def test_bad_options_and_contexts_are_ntmkit_errors(ntm_2022, kwargs, frame, error,
                                                    fragment) -> None:
    with pytest.raises(error, match=fragment):
        assess_frame(pd.DataFrame(frame), ntm_2022, **kwargs)


def test_duplicate_column_names_are_refused(ntm_2022) -> None:
    frame = pd.DataFrame([[90.0, 80.0]], columns=["3.1", "3.1"]).assign(region="southeast")
    with pytest.raises(ntmkit.InvalidValue, match=r"'3\.1' appears more than once"):
        assess_frame(frame, ntm_2022, year=2023)


def test_a_column_of_quantities_is_converted_like_scalar_assess(ntm_2022) -> None:
    Q = ntmkit.Q
    cells = [Q(3.25, "million VND/person/month"), Q(38_000_000, "VND/person/year"), None]
    frame = pd.DataFrame({"region": ["northern_midlands_mountains"] * 3,
                          "10": pd.Series(cells, dtype=object)})
    out = assess_frame(frame, ntm_2022, year=2022)
    commune = ntmkit.Commune(code="x", name="x", region="northern_midlands_mountains")
    for i, cell in enumerate(cells):
        scalar = ntmkit.assess(commune, {"10": cell}, ntm_2022, year=2022)
        assert out["v:10"].iloc[i] == scalar.indicators["10"].verdict.value
    with pytest.raises(ntmkit.UnitMismatch):
        assess_frame(frame.assign(**{"10": [Q(1, "km"), None, None]}), ntm_2022, year=2022)


_CSV_NUMBERS = ["85", " 85 ", "58,5", "1e2", "80", "79.9", "abc", "", "nan", "inf", "140",
                "không áp dụng", "1_000", "True", "-0", "1 000"]
_CSV_YES_NO = ["Đạt", "chưa đạt", "yes", "NO", "1", "0", "", "maybe", "x", "2", "n/a"]


@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_csv_text_gets_the_same_answer_from_the_column_reader_and_the_row_reader(
        tmp_path_factory, data) -> None:
    from ntmkit.batch import _assess_frame, _Options
    from ntmkit.io import read_observations
    from ntmkit.io._tables import read_table

    cs = ntmkit.registry.get("commune/ntm", version="2022-03-08")
    n = data.draw(st.integers(1, 5))
    lines = ["code,name,region,year,3.1,3.2,10 [million VND/person/month]"]
    for i in range(n):
        cells = [data.draw(st.sampled_from(_CSV_NUMBERS)),
                 data.draw(st.sampled_from(_CSV_YES_NO)),
                 data.draw(st.sampled_from(["3.3", "4", "", "x", "2,5"]))]
        lines.append(f"C{i},Xã {i},southeast,2023," + ",".join(f'"{c}"' for c in cells))
    path = tmp_path_factory.mktemp("csv") / "c.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")

    def columns():
        table = read_table(path, cs)
        return _assess_frame(np, pd, table.frame, cs, _Options(
            None, None, None, table.units, ntmkit.registry.default(), False, None, "warn"))

    def rows():
        return [ntmkit.assess(r.commune, r.observations, cs, year=r.year)
                for r in read_observations(path, cs)]

    by_columns, by_rows = _outcome(columns), _outcome(rows)
    assert by_columns[0] == by_rows[0], (lines, by_columns, by_rows)
    if by_rows[0] == "ok":
        for i, a in enumerate(by_rows[1]):
            for code in ("3.1", "3.2", "10"):
                assert by_columns[1][f"v:{code}"].iloc[i] == a.indicators[code].verdict.value


def test_yes_no_object_column_reads_none_nan_and_na_as_missing():
    # Bools with empty cells (the object column pandas gives) decode like the nullable
    # boolean column, whichever missing marker the empty cells hold.
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    cells = [True, False, None, True, False]
    expected = assess_frame(pd.DataFrame({"3.2": pd.array(cells, dtype="boolean")}), cs,
                            year=2024, region="southeast")["v:3.2"].tolist()
    assert expected == ["met", "not_met", "unknown", "met", "not_met"]
    for missing in (None, float("nan"), pd.NA):
        column = pd.Series([True, False, missing, True, False], dtype=object)
        out = assess_frame(pd.DataFrame({"3.2": column}), cs, year=2024, region="southeast")
        assert out["v:3.2"].tolist() == expected
    with pytest.raises(ntmkit.InvalidValue, match=r"row 2, column '3\.2'"):
        assess_frame(pd.DataFrame({"3.2": pd.Series([True, False, 1], dtype=object)}), cs,
                     year=2024, region="southeast")


def test_a_second_frame_with_other_contexts_uses_their_thresholds():
    # The set compiled for one frame's contexts is kept; a frame with other regions and
    # years must get its own thresholds, and the first frame's verdicts must not change.
    cs = ntmkit.registry.get("commune/ntm", version="2024-03-01")
    regions = ["red_river_delta", "southeast", "northern_midlands_mountains"]
    first = pd.DataFrame({"region": regions, "year": [2024] * 3, "10": [60.0] * 3})
    second = pd.DataFrame({"region": regions[::-1], "year": [2025] * 3, "10": [60.0] * 3})
    before = assess_frame(first, cs)
    for frame in (second, first):
        out = assess_frame(frame, cs)
        for position, row in enumerate(frame.itertuples(index=False)):
            commune = ntmkit.Commune(code="1", name="X", region=row.region)
            scalar = ntmkit.assess(commune, {"10": 60.0}, cs, year=row.year)
            assert out["v:10"].iloc[position] == scalar.criteria["10"].indicators[0].verdict.value
    pd.testing.assert_frame_equal(assess_frame(first, cs), before)
