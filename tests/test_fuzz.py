"""Fuzz tests: whatever a user hands ntmkit, only an NtmkitError comes out.

Every entry point that takes user data (the CSV and JSON readers, set files, fill-in files,
``assess``, ``assess_frame`` and the command line) is fed generated input.  The only
exceptions allowed are :class:`ntmkit.NtmkitError` subclasses; the command line must answer
with exit code 0, 1 or 2 and, on an error, exactly one ``ntmkit: lỗi:`` line
(``ntmkit: error:`` with ``--lang en``).

The bounded profile runs with the test suite; the long one (over 100,000 cases) with
``NTMKIT_FUZZ=long python -m pytest tests/test_fuzz.py -q`` (see docs/threat-model.md).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import decimal
import io
import json
import math
import os
import shutil
import tempfile
import warnings
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ntmkit
from ntmkit import registry
from ntmkit.cli import main
from ntmkit.io import peek_years, read_observations, records_from_json

_PROFILE = {"long": "fuzz-long"}.get(os.environ.get("NTMKIT_FUZZ", ""), "fuzz")
_BASE = settings.get_profile(_PROFILE)


def fuzz(weight: float) -> settings:
    """The fuzz profile, with max_examples scaled by *weight* (cheap tests get more)."""
    return settings(_BASE, max_examples=max(10, int(_BASE.max_examples * weight)))


EXAMPLES = Path(__file__).parents[1] / "examples"
SAMPLE_CSV = (EXAMPLES / "communes.csv").read_bytes()
SAMPLE_JSON = (EXAMPLES / "communes.json").read_bytes()
CS = registry.get("commune/ntm", version="2024-03-01")
CODES = sorted(CS.indicators)
WORK = Path(tempfile.mkdtemp(prefix="ntmkit-fuzz-"))


@pytest.fixture(scope="module", autouse=True)
def _clean_work_folder():
    yield
    shutil.rmtree(WORK, ignore_errors=True)


# Values -----------------------------------------------------------------------------------------

UNITS = ["%", "percent", "", "dimensionless", "count", "household", "person", "km", "m2/ha",
         "million VND/person/month", "million VND/person/year", "VND/person/month",
         "thousand VND/person/year", "furlong", "9**9**9 m", "m**99", "1e400 m", "%%", "ha",
         "m" * 70, "\x00", "million VND"]

numbers = st.one_of(
    st.integers(), st.integers(min_value=10**300, max_value=10**500),
    st.floats(allow_nan=True, allow_infinity=True),
    st.sampled_from([0.0, -0.0, 1e-300, 5e-324, 1e308, -1e308, 80.0, 100.0, 100.0000001]),
    st.decimals(allow_nan=True, allow_infinity=True),
    st.sampled_from([decimal.Decimal("sNaN"), decimal.Decimal("-NaN"), decimal.Decimal("1e999")]),
    st.fractions(),
)


def _quantity(magnitude: object, unit: str) -> object:
    try:
        return ntmkit.Q(magnitude, unit)  # type: ignore[arg-type]
    except ntmkit.NtmkitError:
        return magnitude


values = st.one_of(
    st.none(), st.booleans(), numbers, st.text(max_size=12),
    st.sampled_from(["Đạt", "không áp dụng", "n/a", "85", "1,000", "nan"]),
    st.builds(_quantity, numbers, st.sampled_from(UNITS)),
    st.builds(ntmkit.BySex, st.one_of(st.none(), numbers), st.one_of(st.none(), numbers)),
    st.just(ntmkit.Verdict.NOT_APPLICABLE), st.just(ntmkit.Verdict.MET),
    st.complex_numbers(max_magnitude=1e6), st.lists(st.integers(), max_size=2),
    st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
    st.datetimes(), st.just(object()),
)

def _share(met: int, total: int, unknown: int) -> object:
    try:
        return ntmkit.Share(met=met, total=total, unknown=unknown)
    except ntmkit.NtmkitError:
        return None


shares = st.builds(_share, met=st.integers(-3, 50), total=st.integers(-3, 50),
                   unknown=st.integers(-3, 5))


def _commune(region: object, province: object, classes: object, group: object,
             edition: object) -> object:
    try:
        return ntmkit.Commune(code="F-1", name="Fuzz", region=region,  # type: ignore[arg-type]
                              province=province, classes=classes,  # type: ignore[arg-type]
                              group=group, edition=edition)  # type: ignore[arg-type]
    except ntmkit.NtmkitError:
        return None


communes = st.builds(
    _commune,
    region=st.one_of(st.none(), st.sampled_from([r.value for r in ntmkit.Region]),
                     st.text(max_size=8)),
    province=st.one_of(st.none(), st.sampled_from(["Hưng Yên", "Nam Định", "Hà Nội", "Atlantis"])),
    classes=st.one_of(st.just(()), st.lists(st.sampled_from(
        [c.value for c in ntmkit.CommuneClass] + ["bogus"]), max_size=2), st.integers()),
    group=st.one_of(st.none(), st.integers(-2, 5), st.just(True)),
    edition=st.one_of(st.none(), st.sampled_from(["pre-2025-07", "2025-07", "1999"])),
)

SETS = [CS, registry.get("commune/ntm", version="2026-02-15"),
        registry.get("commune/ntm-advanced", version="2024-03-01"),
        registry.get("commune/ntm-model", version="2022-03-08")]


# assess ------------------------------------------------------------------------------------------

@fuzz(2)
@given(
    commune=communes,
    cs=st.sampled_from(SETS),
    observations=st.dictionaries(st.one_of(st.sampled_from(CODES), st.text(max_size=5)),
                                 st.one_of(values, shares), max_size=8),
    year=st.one_of(st.none(), st.integers(2015, 2032), st.integers(), st.just(True),
                   st.just(2024.0)),
    on=st.one_of(st.none(), st.dates(), st.datetimes(), st.just("2024-01-01")),
    strict=st.sampled_from(["warn", "raise", "unknown"]),
)
def test_assess_raises_only_ntmkit_errors(commune, cs, observations, year, on, strict) -> None:
    if commune is None:
        return
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = ntmkit.assess(commune, observations, cs, year=year, on=on, strict=strict)
        except ntmkit.NtmkitError:
            return
    assert result.verdict in tuple(ntmkit.Verdict)
    for r in result.indicators.values():  # missing data is never a pass
        if observations.get(r.code) is None:
            assert r.verdict is not ntmkit.Verdict.MET


# Observation files -----------------------------------------------------------------------------

HEADERS = ["code", "name", "year", "region", "province", "classes", "group", "edition",
           "mã xã", "tên xã", "năm", "3.1", "3.2", "10 [million VND/person/month]",
           "10 [furlong]", "10 [9**9**9 m]", "15.1:men", "15.1:women", "15.1", "17.8",
           "3.1 [%]", "3.1 [count]", "2.1", "99", "", "x[", "6.village_cultural_houses"]
CELLS = ["", "85", "85.5", "58,5", "1,000", "1e-300", "1e400", "nan", "inf", "-1", "Đạt",
         "Chưa đạt", "yes", "không áp dụng", "2024", "0", "10000", "²", "red_river_delta",
         "bogus", "area_iii", "9" * 400, "1_000", "=1+1", "\"", "a\nb", "\x00", "x" * 200]

csv_texts = st.builds(
    lambda header, rows, sep: "\n".join(sep.join(r) for r in [header, *rows]),
    st.lists(st.sampled_from(HEADERS), min_size=1, max_size=7),
    st.lists(st.lists(st.one_of(st.sampled_from(CELLS), st.text(max_size=6)), max_size=8),
             max_size=4),
    st.sampled_from([",", ",", ";", "\t"]),
)


def _mutate(data: bytes, edits: list[tuple[int, int, bytes]]) -> bytes:
    out = bytearray(data)
    for kind, at, chunk in edits:
        at %= max(len(out), 1)
        if kind == 0:
            out[at:at + 1] = chunk
        elif kind == 1:
            out[at:at] = chunk
        else:
            del out[at:at + len(chunk) + 1]
    return bytes(out)


edits = st.lists(st.tuples(st.integers(0, 2), st.integers(0, 10**6), st.binary(max_size=4)),
                 max_size=6)
csv_bytes = st.one_of(
    csv_texts.map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.builds(_mutate, st.just(SAMPLE_CSV), edits),
    st.binary(max_size=200),
    csv_texts.map(lambda t: t.encode("utf-16")),
)

json_values = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False),
              st.text(max_size=8)),
    lambda children: st.one_of(st.lists(children, max_size=3),
                               st.dictionaries(st.text(max_size=6), children, max_size=3)),
    max_leaves=12,
)
json_observation = st.one_of(
    json_values, st.sampled_from([85, 85.5, True, "Đạt", "not_applicable", None, 10**40]),
    st.fixed_dictionaries({"value": st.one_of(json_values, st.floats()),
                           "unit": st.one_of(st.sampled_from(UNITS), json_values)}),
    st.fixed_dictionaries({"men": json_values, "women": json_values}),
)
json_docs = st.fixed_dictionaries({
    "format": st.sampled_from(["ntmkit.observations.v1", "ntmkit.observations.v1", "x", None]),
    "communes": st.one_of(json_values, st.lists(st.fixed_dictionaries(
        {"commune": st.one_of(json_values, st.fixed_dictionaries({
            "code": st.one_of(st.just("1"), json_values), "name": st.just("x"),
            "region": st.one_of(st.just("red_river_delta"), json_values)})),
         "year": st.one_of(st.just(2024), json_values, st.integers()),
         "observations": st.one_of(json_values, st.dictionaries(
             st.one_of(st.sampled_from(CODES), st.text(max_size=4)), json_observation,
             max_size=5))}), max_size=3)),
})
json_bytes = st.one_of(
    json_docs.map(lambda d: json.dumps(d, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    st.builds(_mutate, st.just(SAMPLE_JSON), edits),
    st.sampled_from([b"[" * 50_000 + b"]" * 50_000, b"NaN", b"{\"format\": Infinity}",
                     b"\"\\ud800\"", b"{}" * 3]),
)


def _file(data: bytes, suffix: str) -> Path:
    path = WORK / f"observations{suffix}"
    path.write_bytes(data)
    return path


def _read(path: Path, cs: ntmkit.CriteriaSet) -> None:
    for read in (lambda: peek_years(path), lambda: read_observations(path, cs)):
        error: ntmkit.NtmkitError | None = None
        try:
            read()
        except ntmkit.NtmkitError as exc:
            error = exc
        # Every file error says which file, in its message and in its field.
        assert error is None or (str(path) in str(error) and error.file == str(path))


@fuzz(1.5)
@given(data=csv_bytes, cs=st.sampled_from(SETS))
def test_csv_reader_raises_only_ntmkit_errors(data, cs) -> None:
    _read(_file(data, ".csv"), cs)


@fuzz(1)
@given(data=json_bytes, cs=st.sampled_from(SETS))
def test_json_reader_raises_only_ntmkit_errors(data, cs) -> None:
    _read(_file(data, ".json"), cs)


@fuzz(0.8)
@given(doc=json_docs)
def test_parsed_json_raises_only_ntmkit_errors(doc) -> None:
    with contextlib.suppress(ntmkit.NtmkitError):
        records_from_json(doc, CS)


# Set files ---------------------------------------------------------------------------------------

def _toml_value(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return "nan" if math.isnan(value) else ("inf" if value == math.inf else
                                                "-inf" if value == -math.inf else repr(value))
    if isinstance(value, (int, dt.date)):
        return str(value)
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(k)} = {_toml_value(v)}"
                                for k, v in value.items()) + " }"
    return json.dumps(str(value), ensure_ascii=False)


toml_scalars = st.one_of(st.integers(-10**6, 10**6), st.floats(), st.booleans(),
                         st.text(max_size=8), st.dates(),
                         st.sampled_from([0, 100, 1000, -5, 1e308, "verified", "restated",
                                          "red_river_delta", "P1", "3.1", "at_least"]))
toml_values = st.recursive(toml_scalars, lambda c: st.one_of(
    st.lists(c, max_size=3), st.dictionaries(st.sampled_from(
        ["set", "indicator", "factor", "act", "url", "x"]), c, max_size=3)), max_leaves=6)
OVERRIDE_KEYS = ["indicator", "region", "year", "group", "commune_class", "value", "upper",
                 "confidence", "sources", "candidate", "applies", "relative_to", "legal_ref",
                 "note", "options", "bogus"]
overrides = st.dictionaries(st.sampled_from(OVERRIDE_KEYS), toml_values, max_size=6).map(
    lambda d: {"indicator": "3.1", "confidence": "restated", "sources": ["P1"], **d})
TOP_KEYS = ["requires", "checked_on", "superseded_on", "years", "groups", "complete",
            "criteria_count", "level", "tier", "region_substitutions", "title_en", "bogus"]


def _set_text(top: dict[str, object], items: list[dict[str, object]], base: str) -> str:
    lines = ['format = "ntmkit.criteria-set.v1"', 'id = "fuzz/ntm"', 'version = "1"',
             f'extends = "{base}"', "effective = 2024-05-01"]
    lines += [f"{k} = {_toml_value(v)}" for k, v in top.items()]
    lines += ["", "[sources]", 'P1 = { url = "https://example.org" }']
    for item in items:
        lines += ["", "[[overrides]]", *(f"{k} = {_toml_value(v)}" for k, v in item.items())]
    return "\n".join(lines) + "\n"


set_texts = st.one_of(
    st.builds(_set_text, st.dictionaries(st.sampled_from(TOP_KEYS), toml_values, max_size=3),
              st.lists(overrides, max_size=3),
              st.sampled_from(["commune/ntm@2024-03-01", "commune/ntm@2022-03-08",
                               "district/ntm@2022-03-08", "fuzz/ntm@1", "nope@1"])),
    st.builds(lambda raw, e: _mutate(raw, e).decode("utf-8", "replace"),
              st.just((Path(registry.__file__).parent / "data" /
                       "commune-ntm-2024-03-01.toml").read_bytes()), edits),
    st.just("x = " + "[" * 3000 + "]" * 3000),
)


@fuzz(0.6)
@given(text=set_texts)
def test_set_files_raise_only_ntmkit_errors(text) -> None:
    path = WORK / "set.toml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        cs = registry.load(path)
    except ntmkit.NtmkitError:
        return
    # A set that loads can be assessed and fingerprinted.
    assert cs.fingerprint.startswith("sha256:")
    with warnings.catch_warnings(), contextlib.suppress(ntmkit.NtmkitError):
        warnings.simplefilter("ignore")
        ntmkit.assess(ntmkit.Commune(code="1", name="x", region="red_river_delta"),
                      {"3.1": 85.0}, cs, year=2024)


# Fill-in files -----------------------------------------------------------------------------------

FILL_COLUMNS = ["indicator", "region", "year", "group", "unit", "value", "confidence",
                "source_act", "source_article", "source_url", "note", "criterion", "name_vi",
                "comparator"]
fill_cells = st.dictionaries(st.sampled_from(FILL_COLUMNS), st.one_of(
    toml_values, st.sampled_from(["3.1", "10", "red_river_delta", "2024", "inf", "nan",
                                  "1,000", "90", "%", "verified", "1/QĐ", "a\x7fb", "Đạt"])),
    max_size=10)


def _fill_toml(cells: object, set_key: object) -> str:
    lines = ['format = "ntmkit.fill.v1"', f"set = {_toml_value(set_key)}"]
    if isinstance(cells, list) and all(isinstance(cell, dict) for cell in cells):
        for cell in cells:
            lines += ["", "[[cells]]"]
            lines += [f"{k} = {_toml_value(v)}" for k, v in cell.items()]
    else:
        lines.append(f"cells = {_toml_value(cells)}")
    return "\n".join(lines) + "\n"


def _fill_csv(cells: list[dict[str, object]], set_key: object) -> str:
    from ntmkit.io.fill import TEMPLATE_COLUMNS

    out = io.StringIO()
    import csv

    writer = csv.DictWriter(out, fieldnames=TEMPLATE_COLUMNS, extrasaction="ignore")
    writer.writeheader()
    for cell in cells:
        writer.writerow({"set": set_key, **{k: str(v) for k, v in cell.items()}})
    return out.getvalue()


fill_files = st.one_of(
    st.builds(lambda c, s: (_fill_toml(c, s), ".toml"),
              st.one_of(st.lists(fill_cells, max_size=3), toml_values),
              st.sampled_from(["commune/ntm@2024-03-01", "x", 1])),
    st.builds(lambda c, s: (_fill_csv(c, s), ".csv"), st.lists(fill_cells, max_size=3),
              st.sampled_from(["commune/ntm@2024-03-01", "x"])),
)


@fuzz(0.8)
@given(file=fill_files, accept=st.booleans(), add=st.booleans())
def test_fill_files_raise_only_ntmkit_errors(file, accept, add) -> None:
    from ntmkit.io.fill import fill

    text, suffix = file
    path = WORK / f"fill{suffix}"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        derived, set_text = fill(CS, path, new_id="fuzz/filled", accept_corrections=accept,
                                 add_indicators=add, checked_on=dt.date(2025, 1, 1))
    except ntmkit.NtmkitError:
        return
    # What fill writes reads back to the same set.
    out = WORK / "filled.toml"
    out.write_text(set_text, encoding="utf-8")
    assert registry.load(out).fingerprint == derived.fingerprint


# assess_frame ------------------------------------------------------------------------------------

pd = pytest.importorskip("pandas")

NUMERIC = [c for c in CODES if CS.indicators[c].numeric and not CS.indicators[c].by_sex]
YES_NO = [c for c in CODES if CS.indicators[c].rule.kind is ntmkit.RuleKind.ACHIEVED]


@st.composite
def clean_frames(draw):
    """Frames of the dtypes assess_frame documents: floats (any value) and booleans."""
    n = draw(st.integers(1, 4))
    frame = {"region": draw(st.lists(st.sampled_from([r.value for r in ntmkit.Region]),
                                     min_size=n, max_size=n))}
    for code in draw(st.lists(st.sampled_from(NUMERIC), max_size=4, unique=True)):
        frame[code] = draw(st.lists(st.one_of(
            st.floats(allow_nan=True, allow_infinity=True),
            st.sampled_from([1e-300, 1e308, -1.0, 0.0, 85.0])), min_size=n, max_size=n))
    for code in draw(st.lists(st.sampled_from(YES_NO), max_size=3, unique=True)):
        frame[code] = draw(st.lists(st.booleans(), min_size=n, max_size=n))
    return pd.DataFrame(frame)


@fuzz(0.4)
@given(frame=clean_frames(), year=st.one_of(st.just(2024), st.integers()))
def test_assess_frame_raises_only_ntmkit_errors_on_documented_dtypes(frame, year) -> None:
    from ntmkit.batch import assess_frame

    with warnings.catch_warnings(), contextlib.suppress(ntmkit.NtmkitError):
        warnings.simplefilter("ignore")
        assess_frame(frame, CS, year=year)


@st.composite
def lenient_frames(draw):
    """Frames outside the documented dtypes: text, bool, complex, datetime, quantities."""
    n = draw(st.integers(0, 3))
    cell = st.one_of(values, st.sampled_from(["x", "85", True, 1 + 2j]))
    columns = draw(st.lists(st.sampled_from([*CODES[:6], "region", "year", "classes", "group"]),
                            max_size=4))
    data = [[draw(cell) for _ in columns] for _ in range(n)]
    return pd.DataFrame(data, columns=columns) if columns else pd.DataFrame(index=range(n))


@fuzz(0.2)
@given(frame=lenient_frames(), region=st.one_of(st.none(), st.sampled_from(
    ["red_river_delta", "nowhere"])), classes=st.one_of(st.none(), st.just(["bogus"])))
def test_assess_frame_raises_only_ntmkit_errors_on_any_frame(frame, region, classes) -> None:
    from ntmkit.batch import assess_frame

    with warnings.catch_warnings(), contextlib.suppress(ntmkit.NtmkitError):
        warnings.simplefilter("ignore")
        assess_frame(frame, CS, year=2024, region=region, classes=classes)


# The command line --------------------------------------------------------------------------------

OPTIONS = [["--year", "2024"], ["--year", "0"], ["--year", "x"], ["--version", "2024-03-01"],
           ["--version", "1900"], ["--on", "2099-01-01"], ["--on", "bad"],
           ["--set", "commune/ntm@2024-03-01"], ["--set", "commune/nope"], ["--set", "@"],
           ["--format", "json"], ["--format", "csv"], ["--format", "xml"], ["--lang", "en"],
           ["--strict", "raise"], ["--strict", "unknown"], ["--bogus"], ["-o"],
           ["--provisional"], ["--set", "missing.toml"], ["--set", str(WORK / "set.toml")]]
OUTPUTS = ["out.txt", "missing/out.txt", ".", "link.txt", "observations.csv", "", "out.html"]


def _run(argv: list[str]) -> tuple[int, str]:
    err = io.StringIO()
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(err), \
            warnings.catch_warnings():
        warnings.simplefilter("ignore")
        code = main(argv)
    return code, err.getvalue()


@fuzz(0.6)
@given(
    command=st.sampled_from([["assess"], ["report"], ["criteria", "show"],
                             ["criteria", "template"], ["criteria", "fill"], ["criteria", "diff"],
                             ["criteria", "coverage"], ["criteria", "list"], []]),
    data=st.one_of(csv_bytes, json_bytes), suffix=st.sampled_from([".csv", ".json", ".txt"]),
    options=st.lists(st.sampled_from(OPTIONS), max_size=4),
    output=st.one_of(st.none(), st.sampled_from(OUTPUTS)),
    extra=st.lists(st.sampled_from(["commune/ntm@2024-03-01", "commune/ntm", "x@y",
                                    "--as", "my/set", "--only-unknown", "\x00"]), max_size=3),
)
def test_cli_errors_are_one_line_with_exit_code_1_or_2(command, data, suffix, options, output,
                                                       extra) -> None:
    source = _file(data, suffix)
    link = WORK / "link.txt"
    if not link.is_symlink():
        link.symlink_to(WORK / "link-target.txt")
    argv = [*command]
    if command[:1] in (["assess"], ["report"]) or command[-1:] == ["fill"]:
        argv.append(str(source))
    argv += extra + [part for option in options for part in option]
    if output is not None:
        argv += ["-o", str(WORK / output) if output else ""]
    code, err = _run(argv)
    assert code in (0, 1, 2), (argv, code, err)
    assert "Traceback" not in err and "internal error" not in err, (argv, err)
    assert "lỗi nội bộ" not in err, (argv, err)
    errors = [line for line in err.splitlines()
              if line.startswith(("ntmkit: lỗi:", "ntmkit: error:"))]
    if code:
        assert len(errors) == 1, (argv, err)
    else:
        assert not errors, (argv, err)
    assert not list(WORK.glob(".*.tmp")), "a temporary file was left behind"
