"""Observation files read into columns, for the columnar engine (the command line's path).

The CSV reader here follows the same rules as :func:`ntmkit.io.read_observations` (header,
identity columns, CSV text of numbers and yes/no, blank rows skipped, errors naming file,
row and column), but keeps every column as one array: a numeric column is parsed once,
a yes/no column decodes each distinct text once, and no per-commune object is built.
JSON files are checked by :func:`ntmkit.io.records_from_json` and turned into columns.
"""

from __future__ import annotations

import functools
import io
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs

from ntmkit._values import cell, declares_not_applicable
from ntmkit.errors import NtmkitError, ObservationFileError
from ntmkit.model.criteria import CriteriaSet
from ntmkit.model.enums import RuleKind, Verdict
from ntmkit.model.results import BySex

__all__ = ["CsvText", "Table", "read_csv_text", "read_table"]


@attrs.frozen
class Table:
    """Observations as columns.

    ``frame`` (index: CSV line or JSON position) holds the identity columns ``code``,
    ``name``, ``region``, ``province``, ``district``, ``edition``, ``classes``, ``year``,
    ``group`` and one column per indicator (or ``<code>:men`` / ``<code>:women``);
    ``units`` holds the unit of each column that gives one.
    """

    frame: Any
    units: dict[str, str]
    origin: str


def read_table(path: str | Path, cs: CriteriaSet, read: CsvText | None = None) -> Table:
    """Read and check a CSV or JSON observations file into columns.

    *read* is the same CSV file already read by :func:`read_csv_text`.
    """
    from ntmkit.io.observations import _load_json, _read_text

    if read is not None:
        return _text_table(read, cs)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".xlsx":  # the first sheet, by the CSV rules
        import csv

        from ntmkit.io.xlsx import read_first_sheet

        sheet, rows = read_first_sheet(path, ObservationFileError)
        buffer = io.StringIO()
        csv.writer(buffer).writerows(rows)
        return _csv_table(buffer.getvalue(), f"{path}, sheet {sheet!r}", cs)
    if suffix not in (".json", ".csv", ".txt"):
        raise ObservationFileError(f"{path}: unknown file type {path.suffix!r}; use .csv, "
                                   ".json or .xlsx", file=str(path), key="errors.file_type",
                                   fields={"file": path, "suffix": repr(path.suffix)})
    text = _read_text(path)
    if suffix == ".json":
        return _json_table(_load_json(text, path), cs, str(path))
    return _csv_table(text, str(path), cs)


@attrs.frozen
class CsvText:
    """A CSV observations file read once: its header and its cells as text.

    ``raw`` holds one column per header position (text, NaN where empty), indexed by line
    number, blank rows left out.  Reading it checks the records (valid CSV, each as long as
    the header) but not the columns, which need the criteria set.
    """

    origin: str
    header: list[str]
    raw: Any

    def years(self) -> set[int | None]:
        """The years the rows name, as :func:`ntmkit.io.peek_years` gives them."""
        from ntmkit.io.observations import _IDENTITY, _year

        keys = [_IDENTITY.get(" ".join(h.strip().casefold().split())) for h in self.header]
        if not len(self.raw):
            return {None}
        if "year" not in keys:
            return {None}
        col = self.raw[keys.index("year")]
        cells = col.fillna("").tolist()
        years: set[int | None] = set()
        for text in dict.fromkeys(cells):
            try:
                years.add(_year(text))
            except ValueError as exc:
                line = int(col.index[cells.index(text)])
                raise ObservationFileError(f"{self.origin}, row {line}, column 'year': {exc}",
                                           file=self.origin, row=line, column="year") from None
        return years


def read_csv_text(path: str | Path) -> CsvText | None:
    """A CSV file read once, for :meth:`CsvText.years` and :func:`read_table`.

    ``None`` when the file is not CSV or cannot be read as such: reading it the usual way
    then says why, in the usual order of the checks.
    """
    from ntmkit.io.observations import _read_text

    path = Path(path)
    if path.suffix.lower() not in (".csv", ".txt"):
        return None
    try:
        return _csv_text(_read_text(path), str(path), None)
    except (NtmkitError, ValueError):  # pandas' ParserError is a ValueError
        return None


def _csv_text(text: str, origin: str, cs: CriteriaSet | None) -> CsvText:
    """The records of CSV *text* checked and read as text cells.

    With *cs*, the header is checked against it before the records, as read_observations
    does.
    """
    import numpy as np
    import pandas as pd

    from ntmkit.io.observations import _check_separator, csv_columns

    lines = _plain_lines(text)
    if lines is not None:
        header = lines[0].split(",")
        _check_separator(header, origin)
        if cs is not None:
            csv_columns(header, origin, cs)
        blank, line = _scan_lines(lines, len(header), origin)
    else:
        blank, line, header = _scan_records(text, origin, cs)
    width = len(header)
    raw = pd.read_csv(io.StringIO(text), header=None, skiprows=1, names=list(range(width)),
                      dtype=object, keep_default_na=False, na_values=[""],
                      skip_blank_lines=False, engine="c")
    if len(raw) != line - 1:
        raise ObservationFileError(f"{origin}: the CSV records could not be read "
                                   "consistently; check the quoting of the file", file=origin)
    raw.index = np.arange(2, len(raw) + 2)
    if blank:
        raw = raw.drop(index=[b for b in blank if b in raw.index])
    return CsvText(origin, header, raw)


def _plain_lines(text: str) -> list[str] | None:
    """The lines of CSV *text* when each is one record split at its commas, else None.

    That is when the text has no quote and no carriage return, and no line is as long as
    the csv module's limit on a cell; the csv module reads it into the same records.
    """
    from ntmkit.io.observations import MAX_FIELD_SIZE

    if not text or '"' in text or "\r" in text:
        return None
    lines = text.split("\n")
    if lines[-1] == "":
        lines.pop()
    if not lines or not lines[0] or max(map(len, lines)) >= MAX_FIELD_SIZE:
        return None
    return lines


def _scan_lines(lines: list[str], width: int, origin: str) -> tuple[list[int], int]:
    """The blank records of *lines* (header first) and the number of the last record.

    A record whose number of cells is not *width* is an error unless it is blank.
    """
    blank: list[int] = []
    for line, text in enumerate(lines[1:], start=2):
        empty = not text.replace(",", "").strip()
        if empty:
            blank.append(line)
            continue
        cells = text.count(",") + 1
        if cells != width:
            raise ObservationFileError(f"{origin}, row {line}: {cells} cells, but the "
                                       f"header has {width} columns", file=origin, row=line)
    return blank, len(lines)


def _scan_records(text: str, origin: str,
                  cs: CriteriaSet | None) -> tuple[list[int], int, list[str]]:
    """As :func:`_scan_lines`, through the csv module (quoted cells, any line ends)."""
    from ntmkit.io.observations import _check_separator, _csv_rows, csv_columns

    # One pass of the csv module: the header, each record's length and whether it is blank
    # (the same records, and the same line numbers, as read_observations).
    reader = enumerate(_csv_rows(text, origin), start=1)
    try:
        _, header = next(reader)
    except StopIteration:
        raise ObservationFileError(f"{origin}: the file is empty", file=origin) from None
    _check_separator(header, origin)
    if cs is not None:
        csv_columns(header, origin, cs)
    width = len(header)
    blank: list[int] = []
    line = 1
    for line, row in reader:
        if len(row) != width:
            if not any(cell.strip() for cell in row):
                blank.append(line)
                continue
            raise ObservationFileError(f"{origin}, row {line}: {len(row)} cells, but the "
                                       f"header has {width} columns", file=origin, row=line)
        if not any(cell.strip() for cell in row):
            blank.append(line)
    return blank, line, header


def _csv_table(text: str, origin: str, cs: CriteriaSet) -> Table:
    return _text_table(_csv_text(text, origin, cs), cs)


def _text_table(read: CsvText, cs: CriteriaSet) -> Table:
    import numpy as np
    import pandas as pd

    from ntmkit.io.observations import csv_columns
    from ntmkit.scoring import declared_verdict, observable_indicators

    indicators = observable_indicators(cs)
    origin, raw = read.origin, read.raw
    columns = csv_columns(read.header, origin, cs)
    data: dict[str, Any] = {}
    units: dict[str, str] = {}
    identity: dict[str, Any] = {}
    for position, (kind, code, unit) in enumerate(columns):
        col = raw[position]
        if kind == "identity":
            identity[code] = col
            continue
        if kind == "declared":  # criterion:<code>: the engine reads each distinct text once
            _check_texts(col, origin, code, functools.partial(declared_verdict, code))
            data[code] = col
            continue
        name = code if kind == "indicator" else f"{code}:{kind}"
        ind = indicators[code]
        if ind.numeric:
            data[name] = _numbers(np, pd, col, origin, name, allow_declared=kind == "indicator")
            if unit is not None:
                units[code] = unit
        else:
            _check_texts(col, origin, name, functools.partial(cell, ind, unit=unit),
                         indicator=code, unit=unit)
            data[name] = col  # text: the engine decodes each distinct value once
            if unit is not None and ind.rule.kind is RuleKind.ACHIEVED:
                units[code] = unit
    frame = pd.DataFrame({**_identity(np, pd, identity, origin, len(raw), raw.index), **data},
                         index=raw.index)
    return Table(frame, units, origin)


def _check_texts(col: Any, origin: str, name: str, decode: Callable[[str], object],
                 indicator: str | None = None, unit: str | None = None) -> None:
    """Check each distinct text of a column with *decode*, as the engine will read it.

    A text it refuses is an :class:`ObservationFileError` naming file, row and column.
    """
    for text in col.dropna().unique().tolist():
        try:
            decode(text)
        except (ValueError, NtmkitError) as exc:
            row = int(col.index[(col == text).to_numpy(dtype=bool).argmax()])
            fields = exc.where if isinstance(exc, NtmkitError) else {}
            raise ObservationFileError(
                f"{origin}, row {row}, column {name!r}: {exc}",
                **{"indicator": indicator, "unit": unit, **fields, "file": origin, "row": row,
                   "column": name}) from None


def _numbers(np: Any, pd: Any, col: Any, origin: str, name: str,
             allow_declared: bool) -> Any:
    """A numeric column's CSV text as floats (NaN where empty), by the CSV number rules.

    Cells that declare the indicator not applicable are kept as text, for the engine.
    """
    from ntmkit.io.observations import parse_number

    present = col.notna().to_numpy(dtype=bool)
    try:
        values = col.astype("float64").to_numpy(dtype=float, na_value=np.nan)
        # "nan", "inf", "1e400" or "1_000" convert, but the text rules refuse them.
        suspicious = present & ~np.isfinite(values)
        if not suspicious.any() and "_" in "".join(col.to_numpy(dtype=object)[present].tolist()):
            suspicious = present
    except (ValueError, TypeError):
        values, suspicious = None, present
    if values is not None and not suspicious.any():
        return values
    # Some cells are not plain numbers: read each distinct text by the CSV rules.
    texts = col.to_numpy(dtype=object)
    out = np.full(len(col), np.nan)
    declared = np.zeros(len(col), dtype=bool)
    cache: dict[str, float] = {}

    def where(i: int) -> dict[str, Any]:
        return {"file": origin, "row": int(col.index[i]), "column": name,
                "indicator": name.split(":")[0]}

    for i in np.flatnonzero(present):
        cell = texts[i]
        if allow_declared and declares_not_applicable(cell):
            declared[i] = True
            continue
        number = cache.get(cell)
        if number is None:
            try:
                number = parse_number(cell)
            except ValueError as exc:
                raise ObservationFileError(f"{origin}, row {col.index[i]}, column {name!r}: "
                                           f"{exc}", **where(i)) from None
            if number != number:
                raise ObservationFileError(f"{origin}, row {col.index[i]}, column {name!r}: "
                                           f"{cell!r} is not a number; leave the cell empty "
                                           "for missing data", **where(i))
            cache[cell] = number
        out[i] = number
    if declared.any():
        mixed = out.astype(object)
        mixed[declared] = Verdict.NOT_APPLICABLE
        mixed[~declared & np.isnan(out)] = None
        return mixed
    return out


def _identity(np: Any, pd: Any, identity: dict[str, Any], origin: str, n: int,
              index: Any) -> dict[str, Any]:
    """The identity columns, checked as read_observations checks them."""
    from ntmkit.io.observations import _region
    from ntmkit.model.enums import CommuneClass

    def stripped(key: str) -> Any:
        if key not in identity:
            return pd.Series([None] * n, index=index, dtype=object)
        cells = [c.strip() if isinstance(c, str) else None for c in identity[key].tolist()]
        return pd.Series([c or None for c in cells], index=index, dtype=object)

    out: dict[str, Any] = {key: stripped(key) for key in
                           ("code", "name", "province", "district", "edition")}
    from ntmkit.model.places import EDITIONS

    for key in ("code", "name"):
        empty = out[key].isna().to_numpy()
        if empty.any():
            row = index[int(np.flatnonzero(empty)[0])]
            raise ObservationFileError(f"{origin}, row {row}, column {key!r}: the commune's "
                                       f"{key} is empty", file=origin, row=int(row),
                                       column=key)
    editions = out["edition"]
    wrong = (editions.notna() & ~editions.isin(EDITIONS)).to_numpy()
    if wrong.any():
        at = int(np.flatnonzero(wrong)[0])
        raise ObservationFileError(f"{origin}, row {index[at]}, column 'edition': unknown "
                                   f"edition {editions.iloc[at]!r}; expected one of "
                                   f"{', '.join(EDITIONS)}", file=origin, row=int(index[at]),
                                   column="edition")

    def decoded(key: str, decode: Any) -> Any:
        col = stripped(key)
        codes, uniques = pd.factorize(col, use_na_sentinel=True)
        values = []
        for j, text in enumerate(uniques):
            try:
                values.append(decode(text))
            except ValueError as exc:
                row = index[int(np.flatnonzero(codes == j)[0])]
                raise ObservationFileError(f"{origin}, row {row}: {exc}", file=origin,
                                           row=int(row), column=key) from None
        table = np.array([*values, None], dtype=object)
        return pd.Series(table[codes], index=index, dtype=object)

    out["region"] = decoded("region", lambda t: _region(t).value)

    def classes(text: str) -> str:
        found = [c.strip() for c in text.replace(",", ";").split(";") if c.strip()]
        return ";".join(CommuneClass(c).value for c in found)

    out["classes"] = decoded("classes", classes).fillna("")
    for key in ("year", "group"):
        if key in identity:
            ints = decoded(key, int)
            out[key] = pd.array(ints.to_numpy(dtype=object), dtype="Int64")
    return out


def _json_table(data: Any, cs: CriteriaSet, origin: str) -> Table:
    import pandas as pd

    from ntmkit.io.observations import records_from_json

    records = records_from_json(data, cs, origin)
    index = [r.row for r in records]
    frame: dict[str, Any] = {
        "code": [r.commune.code for r in records],
        "name": [r.commune.name for r in records],
        "region": [r.commune.region.value if r.commune.region else None for r in records],
        "province": [r.commune.province for r in records],
        "district": [r.commune.district for r in records],
        "edition": [r.commune.edition for r in records],
        "classes": [";".join(sorted(c.value for c in r.commune.classes)) for r in records],
        "year": pd.array([r.year for r in records], dtype="Int64"),
        "group": pd.array([r.commune.group for r in records], dtype="Int64"),
    }
    codes: dict[str, bool] = {}  # indicator code -> given by sex somewhere
    for r in records:
        for code, value in r.observations.items():
            codes[code] = codes.get(code, False) or isinstance(value, BySex)
    for code, by_sex in codes.items():
        if by_sex:
            for half in ("men", "women"):
                frame[f"{code}:{half}"] = pd.Series(
                    [_half(r.observations.get(code), half) for r in records], dtype=object)
        else:
            frame[code] = pd.Series([r.observations.get(code) for r in records], dtype=object)
    return Table(pd.DataFrame(frame, index=index), {}, origin)


def _half(value: Any, half: str) -> Any:
    if isinstance(value, BySex):
        return getattr(value, half)
    return value  # one value for men and women, or missing
