"""The results table of many units: one row per unit, one column per criterion verdict.

This is the table ``ntmkit assess --format csv`` writes and ``POST /assess/batch`` answers
(as CSV, or as an Arrow stream), built from the verdict frame of the columnar engine
(:func:`ntmkit.assess_frame`).  Its columns:

``code``, ``name``
    the unit, as the input named it;
``set``, ``fingerprint``
    the criteria-set version the row was scored against (``id@version``) and its fingerprint;
``region_column``
    the regional column of thresholds used;
``verdict``, ``met``, ``total``, ``tier``
    the overall verdict, the criteria met out of ``total``, and the tier reached;
``c:<criterion>``
    each criterion's verdict (``met``, ``not_met``, ``unknown``, ``not_applicable``).

In CSV a missing value is an empty cell, and text that a spreadsheet would read as a formula
is quoted (:func:`ntmkit.io.output.spreadsheet_safe`); in Arrow a missing value is null and
``met`` and ``total`` are 64-bit integers.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import attrs

from ntmkit.errors import MissingDependency
from ntmkit.io.output import FORMULA_STARTS, spreadsheet_safe

if TYPE_CHECKING:
    from ntmkit.model.criteria import CriteriaSet

__all__ = ["ARROW_EXTRA", "HEAD", "ResultTable", "missing", "require_pyarrow", "result_table",
           "results_arrow", "results_csv", "table_csv"]

#: The columns before the criteria columns.
HEAD = ("code", "name", "set", "fingerprint", "region_column", "verdict", "met", "total", "tier")

#: The extra that installs pyarrow.
ARROW_EXTRA = "ntmkit[arrow]"


@attrs.frozen
class ResultTable:
    """The results as columns: ``header`` names them, ``columns`` holds one list per name.

    A missing value is ``None``.
    """

    header: tuple[str, ...]
    columns: tuple[list[Any], ...]

    def rows(self) -> Iterator[tuple[Any, ...]]:
        """The rows, in order."""
        return zip(*self.columns, strict=True)


def missing(value: Any) -> bool:
    """None, NaN or pandas' NA (whose comparisons have no truth value)."""
    if value is None:
        return True
    try:
        return bool(value != value)
    except TypeError:
        return True


def _plain(values: Sequence[Any]) -> list[Any]:
    return [None if missing(v) else v for v in values]


def _plain_column(series: Any) -> list[Any]:
    """A result column as Python values, ``None`` where missing.

    A categorical column (the verdicts) is decoded through its categories, once per
    category rather than once per cell.
    """
    cat = getattr(series, "cat", None) if str(series.dtype) == "category" else None
    if cat is not None:
        import numpy as np

        lookup = np.array([*_plain(list(cat.categories)), None], dtype=object)
        codes = cat.codes.to_numpy()
        return list(lookup[np.where(codes < 0, len(lookup) - 1, codes)])
    return _plain(series.astype(object).tolist())


def result_table(cs: CriteriaSet, frame: Any, out: Any,
                 groups: Sequence[tuple[CriteriaSet, Any]]) -> ResultTable:
    """The results table of *frame* (the input, with ``code`` and ``name`` columns).

    *out* is the verdict frame of the same rows (:func:`ntmkit.assess_frame`); *groups*
    gives, for each set used, the positions of the rows scored against it.  The criteria
    columns are those of *cs*.
    """
    n = len(frame)
    keys: list[Any] = [None] * n
    prints: list[Any] = [None] * n
    for group_set, rows in groups:
        for position in list(rows):
            keys[position] = group_set.key
            prints[position] = group_set.fingerprint
    criteria = list(cs.criteria)
    columns: list[list[Any]] = [
        _plain(frame["code"].tolist()), _plain(frame["name"].tolist()), keys, prints,
        _plain_column(out["region_column"]), _plain_column(out["verdict"]),
        [int(v) for v in out["met"].tolist()], [int(v) for v in out["total"].tolist()],
        _plain_column(out["tier"])]
    for code in criteria:
        name = f"c:{code}"
        columns.append(_plain_column(out[name]) if name in out else [None] * n)
    return ResultTable((*HEAD, *(f"c:{c}" for c in criteria)), tuple(columns))


def results_csv(cs: CriteriaSet, frame: Any, out: Any,
                groups: Sequence[tuple[CriteriaSet, Any]]) -> str:
    """The results table as CSV text (see :func:`result_table` for the arguments).

    The same text as ``table_csv(result_table(...))``, written column by column: each
    distinct value of a categorical column (the verdicts), of ``met`` and ``total`` and of
    the set columns is written as a CSV field once, and each row is one join of its fields.
    """
    import numpy as np

    n = len(frame)
    header = _line(HEAD + tuple(f"c:{c}" for c in cs.criteria))
    if n == 0:
        return header + "\r\n"
    keys = np.empty(n, dtype=object)
    prints = np.empty(n, dtype=object)
    keys[:] = prints[:] = ""
    for group_set, rows in groups:
        positions = np.asarray(rows, dtype=np.intp)
        keys[positions] = _field(group_set.key)
        prints[positions] = _field(group_set.fingerprint)
    columns: list[Any] = [_text_fields(frame["code"]), _text_fields(frame["name"]), keys,
                          prints, _fields(out["region_column"]), _fields(out["verdict"]),
                          _counts(out["met"]), _counts(out["total"]), _fields(out["tier"])]
    empty = np.full(n, "", dtype=object)
    for code in cs.criteria:
        name = f"c:{code}"
        columns.append(_fields(out[name]) if name in out else empty)
    lines = map(",".join, zip(*(c.tolist() for c in columns), strict=True))
    return header + "\r\n" + "\r\n".join(lines) + "\r\n"


#: Characters after which the csv module may quote a field (it then writes it itself).
_SPECIAL = re.compile(r'[,"\r\n]')


def _line(values: Sequence[Any]) -> str:
    """*values* as one CSV record of the csv module, without the line end."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow(values)
    return buffer.getvalue()[:-2]


def _field(value: Any) -> str:
    """One value as the csv module writes it in a record of several fields."""
    if value is None:
        return ""
    text = str(value)
    return _line([text, ""])[:-1] if _SPECIAL.search(text) else text


def _text_fields(series: Any) -> Any:
    """An input text column (code, name) as CSV fields, made spreadsheet-safe."""
    import numpy as np

    values = series.tolist()
    if set(map(type, values)) == {str}:  # text only (as read from a file)
        safe = ["'" + v if v.startswith(FORMULA_STARTS) else v for v in values]
        joined = "".join(safe)
        if not any(c in joined for c in ',"\r\n'):
            return np.array(safe, dtype=object)  # every value is a field as it stands
    values = [spreadsheet_safe(v) if isinstance(v, str) else v for v in _plain(values)]
    return np.array([v if isinstance(v, str) and not _SPECIAL.search(v) else _field(v)
                     for v in values], dtype=object)


def _counts(series: Any) -> Any:
    """An integer result column (``met``, ``total``) as CSV fields."""
    import numpy as np

    values = series.to_numpy(dtype=np.int64)
    if not len(values):
        return values.astype(object)
    low = int(values.min())
    lookup = np.array([str(v) for v in range(low, int(values.max()) + 1)], dtype=object)
    return lookup[values - low]


def _fields(series: Any) -> Any:
    """A result column as CSV fields, each distinct value written once."""
    import numpy as np
    import pandas as pd

    if str(series.dtype) == "category":
        codes = series.cat.codes.to_numpy()
        categories = list(series.cat.categories)
    else:
        codes, uniques = pd.factorize(series.to_numpy(dtype=object), use_na_sentinel=True)
        categories = list(uniques)
    lookup = np.array([*(_field(None if missing(v) else v) for v in categories), ""],
                      dtype=object)
    return lookup[np.where(codes < 0, len(lookup) - 1, codes)]


def table_csv(table: ResultTable) -> str:
    """*table* as CSV text: empty cells for missing values, text made spreadsheet-safe."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.header)
    columns = list(table.columns)
    for at in (0, 1):  # code and name: text from the input
        columns[at] = [spreadsheet_safe(v) if isinstance(v, str) else v for v in columns[at]]
    writer.writerows(zip(*columns, strict=True))  # the csv module writes None as ""
    return buffer.getvalue()


def require_pyarrow() -> Any:
    """The pyarrow module, or :class:`~ntmkit.errors.MissingDependency` naming the extra."""
    try:
        import pyarrow
    except ImportError:
        raise MissingDependency(
            f"Arrow data needs pyarrow: pip install '{ARROW_EXTRA}' (or use CSV)") from None
    return pyarrow


def results_arrow(table: ResultTable) -> bytes:
    """*table* as an Arrow IPC stream: text columns as strings, ``met`` and ``total`` int64."""
    pa = require_pyarrow()
    arrays = [pa.array(values, type=pa.int64() if name in ("met", "total") else pa.string())
              for name, values in zip(table.header, table.columns, strict=True)]
    data = pa.Table.from_arrays(arrays, names=list(table.header))
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, data.schema) as writer:
        writer.write_table(data)
    return bytes(sink.getvalue().to_pybytes())
