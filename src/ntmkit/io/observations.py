"""Observation files: communes and their indicator values, as CSV, JSON or Excel (.xlsx).

CSV (one row per commune, UTF-8, with or without a BOM)::

    code,name,province,region,edition,classes,year,3.1,3.2,10 [million VND/person/month]
    00001,Tứ Dân,Hưng Yên,,pre-2025-07,,2024,85,Đạt,4.8

* identity columns: ``code`` and ``name`` (required), ``province``, ``region`` (a region slug
  or its Vietnamese/English name), ``district``, ``edition``, ``classes`` (slugs separated by
  ``;``), ``year``; Vietnamese headers are accepted too (``mã xã``, ``tên xã``, ``tỉnh``,
  ``vùng``, ``năm``, ``phân loại``);
* every other column is an indicator code, optionally followed by its unit in brackets
  (``10 [million VND/person/month]``); a column without a unit is read in the indicator's
  own unit, and where that unit is easy to mistake (money, per month or per year) an
  :class:`~ntmkit.errors.AssumedUnitWarning` says which unit was assumed;
* an indicator that men and women must each reach may instead have two columns,
  ``15.1:men`` and ``15.1:women`` (in JSON, ``{"men": …, "women": …}``);
* an indicator that binds only under a condition (``Indicator.applies_if``) takes
  ``không áp dụng`` / ``not applicable`` (in JSON, ``"not_applicable"``) where it does not;
* an empty cell is missing data (verdict UNKNOWN); yes/no cells accept ``Đạt``/``Chưa đạt``,
  ``yes``/``no``, ``true``/``false``, ``1``/``0``; numbers use a decimal point (a single
  decimal comma, ``58,5``, is read as 58.5).

JSON (format ``ntmkit.observations.v1``)::

    {"format": "ntmkit.observations.v1",
     "communes": [{"commune": {"code": "00001", "name": "Tứ Dân", "province": "Hưng Yên"},
                   "year": 2024,
                   "observations": {"3.1": 85, "3.2": true,
                                    "10": {"value": 4.8, "unit": "million VND/person/month"}}}]}

Excel workbooks (``.xlsx``, with ``ntmkit[xlsx]``): the first sheet, laid out as the CSV file
(header row, one row per commune).

Every cell is checked against the criteria set before anything is scored; an error names
the file (and sheet), the row (CSV line or sheet row number, or JSON index) and the column or
field.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
import warnings
from collections.abc import Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any

import attrs

from ntmkit._values import declares_not_applicable, parse_achieved
from ntmkit.errors import AssumedUnitWarning, NtmkitError, ObservationFileError
from ntmkit.model.criteria import CriteriaSet, Indicator
from ntmkit.model.enums import CommuneClass, Region, RuleKind, Verdict
from ntmkit.model.places import Commune
from ntmkit.model.results import BySex
from ntmkit.scoring import (
    DECLARED_PREFIX,
    by_sex_parts,
    check_declared_keys,
    coerce_value,
    declared_key,
    declared_verdict,
    observable_indicators,
    split_sex_column,
)
from ntmkit.units import Q, finite_float

__all__ = [
    "MAX_FIELD_SIZE",
    "OBSERVATIONS_FORMAT",
    "ObservationRecord",
    "observable_indicators",
    "observations_json_schema",
    "parse_achieved",
    "parse_number",
    "peek_years",
    "read_observations",
    "records_from_json",
]

#: The format id of JSON observation files.
OBSERVATIONS_FORMAT = "ntmkit.observations.v1"

_IDENTITY = {
    "code": "code", "mã xã": "code", "ma xa": "code", "mã": "code",
    "name": "name", "tên xã": "name", "ten xa": "name", "tên": "name",
    "province": "province", "tỉnh": "province", "tinh": "province",
    "region": "region", "vùng": "region", "vung": "region",
    "district": "district", "huyện": "district", "huyen": "district",
    "edition": "edition", "classes": "classes", "phân loại": "classes",
    "year": "year", "năm": "year", "nam": "year",
    "group": "group", "nhóm": "group", "nhom": "group", "nhóm xã": "group",
}
_HEADER = re.compile(r"^\s*(?P<code>[^\[\]]+?)\s*(?:\[(?P<unit>[^\]]+)\])?\s*$")
_DECIMAL_COMMA = re.compile(r"^-?\d+,\d+$")


@attrs.frozen
class ObservationRecord:
    """One commune read from an observations file, with its checked values.

    ``observations`` maps indicator codes to values ready for :func:`ntmkit.assess`
    (numbers already in each indicator's unit; :class:`~ntmkit.BySex` for values given for
    men and women).  ``row`` is the CSV line number or the
    JSON index, for messages.
    """

    commune: Commune
    observations: Mapping[str, float | bool | str | BySex | Verdict | None]
    row: int
    year: int | None = None


def _region(text: str) -> Region:
    t = " ".join(text.strip().casefold().split())
    for r in Region:
        if t in (r.value, r.name_vi.casefold(), r.name_en.casefold()):
            return r
    raise ValueError(f"unknown region {text!r}; use a slug such as 'red_river_delta' or the "
                     "Vietnamese name such as 'Đồng bằng sông Hồng'")


_THOUSANDS = re.compile(r"^[-+]?\d{1,3}([,.]\d{3})+$")
_NUMBER = re.compile(r"^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$")


def parse_number(text: str) -> float:
    """Read a number cell: ``85``, ``85.5``, ``1e3``, or ``58,5`` (one decimal comma).

    >>> parse_number("85"), parse_number("58,5"), parse_number(" 1e3 ")
    (85.0, 58.5, 1000.0)

    ``1,000`` (a comma before exactly three digits) is refused: it may be a thousands
    separator or a decimal comma.  Raises ValueError with a message saying how to write it.
    """
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if _THOUSANDS.match(t) and "," in t:
        plain = t.replace(",", "").replace(".", "") if t.count(",") + t.count(".") > 1 \
            else t.replace(",", "")
        raise ValueError(
            f"{text.strip()!r} is ambiguous: a thousands separator or a decimal comma? Write "
            f"{plain} for the whole number, or use a decimal point ({t.replace(',', '.')})")
    if _DECIMAL_COMMA.match(t):
        t = t.replace(",", ".")
    if not _NUMBER.match(t):
        shown = text.strip() if len(text.strip()) <= 40 else text.strip()[:40] + "…"
        raise ValueError(f"expected a number such as 85 or 85.5, got {shown!r}"
                         + ("; leave the cell empty when the value is not known"
                            if t.casefold() in ("nan", "na", "-", "inf", "infinity") else ""))
    value = float(t)
    if value in (math.inf, -math.inf):
        raise ValueError(f"{text.strip()!r} is too large to be a measured value")
    return value


def _year(text: str) -> int | None:
    """A year cell: empty, or a whole year between 1 and 9999 (``2024.0`` is read as 2024)."""
    t = text.strip()
    if not t:
        return None
    if re.fullmatch(r"\d{1,4}(\.0*)?", t) and 1 <= int(t.split(".")[0]) <= 9999:
        return int(t.split(".")[0])
    shown = t if len(t) <= 20 else t[:20] + "…"
    raise ValueError(f"expected a year such as 2024, got {shown!r}")


def _cell(indicator: Indicator, text: str,
          unit: str | None) -> float | bool | str | Verdict | None:
    if not text.strip():
        return None
    if declares_not_applicable(text):
        coerce_value(indicator, Verdict.NOT_APPLICABLE)  # raises unless it may be declared
        return Verdict.NOT_APPLICABLE
    kind = indicator.rule.kind
    if kind is RuleKind.ACHIEVED:
        raw: Any = parse_achieved(text)
    elif kind is RuleKind.ONE_OF:
        raw = text.strip()
    else:
        raw = parse_number(text)
        if unit is not None:
            raw = Q(raw, unit)
    value, _ = coerce_value(indicator, raw)
    return value


def _group(text: str) -> int | None:
    t = text.strip()
    if not t:
        return None
    if not re.fullmatch(r"\d{1,3}", t):
        raise ValueError(f"expected a commune group number such as 1 or 2, got {t[:20]!r}")
    return int(t)


def _column_letter(index: int) -> str:
    """The spreadsheet letter of column *index* (0 → A, 26 → AA)."""
    from ntmkit.io.xlsx import column_letter

    return column_letter(index)


def _easy_to_mistake(unit: str) -> bool:
    """Whether values in *unit* are often written in another unit (money, per month …)."""
    return any(word in unit for word in ("VND", "/year", "/month"))


def _note_assumed_unit(origin: str, code: str, indicator: Indicator,
                       where: str = "column") -> None:
    if indicator.numeric and _easy_to_mistake(indicator.unit):
        how = (f"declare another in the header, e.g. '{code} [million VND/person/month]'"
               if where == "column" else
               'give {"value": …, "unit": "million VND/person/month"} for another')
        warnings.warn(AssumedUnitWarning(
            f"{origin}, {where} {code!r}: no unit given, read as {indicator.unit} (the "
            f"indicator's unit); {how}"), stacklevel=3)


def _commune(fields: Mapping[str, str]) -> Commune:
    classes = [c.strip() for c in fields.get("classes", "").replace(",", ";").split(";")
               if c.strip()]
    for c in classes:
        CommuneClass(c)  # a clear ValueError for an unknown class
    region = fields.get("region", "").strip()
    return Commune(
        code=fields.get("code", "").strip(),
        name=fields.get("name", "").strip(),
        region=_region(region) if region else None,
        province=fields.get("province", "").strip() or None,
        district=fields.get("district", "").strip() or None,
        classes=frozenset(CommuneClass(c) for c in classes),
        edition=fields.get("edition", "").strip() or None,
        group=_group(fields.get("group", "")),
    )


#: The longest CSV cell read, in characters (Python's csv module's default limit).
MAX_FIELD_SIZE = 131_072


def _csv_rows(text: str, origin: str) -> Iterator[list[str]]:
    """The rows of CSV *text*; a malformed row is an error naming its line."""
    reader = csv.reader(io.StringIO(text))
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            line = reader.line_num
            reason = str(exc)
            if "field larger than field limit" in reason:
                reason = (f"a cell is longer than {MAX_FIELD_SIZE:,} characters; is a quote "
                          "left open on an earlier line?")
            raise ObservationFileError(f"{origin}, row {line}: not valid CSV ({reason})",
                                       file=origin, row=line) from None
        yield row


def _check_separator(header: list[str], origin: str) -> None:
    """Refuse a file whose columns are separated by ';' or tabs, saying so."""
    names = {" ".join(h.strip().casefold().split()) for h in header}
    if names & {"code", "mã xã", "ma xa", "mã"}:
        return
    for sep, what in ((";", "semicolons (';')"), ("\t", "tabs")):
        if any(sep in h for h in header):
            parts = {" ".join(p.strip().casefold().split()) for h in header for p in h.split(sep)}
            if parts & set(_IDENTITY):
                raise ObservationFileError(
                    f"{origin}: the columns are separated by {what}, not commas (a spreadsheet "
                    "set to a language that writes decimal commas saves CSV this way); save it "
                    "again as 'CSV UTF-8 (comma delimited)', or replace the separators with commas",
                    file=origin, row=1)


def csv_columns(header: list[str], origin: str,
                cs: CriteriaSet) -> list[tuple[str, str, str | None]]:
    """Check a CSV header against *cs*: per column, its kind, key and unit.

    The kind is ``"identity"`` (the key is the identity field), ``"indicator"`` (the key is
    the indicator code), ``"declared"`` (the key is ``criterion:<code>``, a declared
    criterion verdict), or ``"men"`` / ``"women"`` (the key is the indicator code).
    """
    indicators = observable_indicators(cs)
    columns: list[tuple[str, str, str | None]] = []  # (kind, key, unit)
    seen: set[str] = set()
    for i, raw_name in enumerate(header):
        name = raw_name.strip()
        key = " ".join(name.casefold().split())
        declared = declared_key(name) if key not in _IDENTITY else None
        if key in _IDENTITY:
            target = _IDENTITY[key]
            kind, code, unit = "identity", target, None
        elif declared is not None:
            try:
                check_declared_keys([declared], cs)
            except NtmkitError as exc:
                raise _located(exc, f"{origin}, column {name!r}: {exc}", file=origin, row=1,
                               column=name) from None
            kind, code, unit = "declared", declared, None
        else:
            m = _HEADER.match(name)
            if not m or not name:
                raise ObservationFileError(f"{origin}, column {i + 1}: empty or malformed header "
                                           f"{raw_name!r}", file=origin, row=1,
                                           column=str(i + 1))
            code, unit = m.group("code"), m.group("unit")
            kind = "indicator"
            base, part = split_sex_column(code)
            if part is not None and base in indicators:
                if not indicators[base].by_sex:
                    raise ObservationFileError(f"{origin}, column {name!r}: indicator {base} is "
                                               f"not observed by sex; give one column {base!r}",
                                               file=origin, row=1, column=name, indicator=base)
                kind = part
            elif code not in indicators:
                from ntmkit.scoring import _check_codes

                try:
                    _check_codes({code: None}, set(indicators), cs)
                except NtmkitError as exc:
                    raise _located(exc, f"{origin}, column {name!r}: {exc}", file=origin,
                                   row=1, column=name, indicator=code) from None
        label = code if kind in ("identity", "indicator", "declared") else f"{base}:{kind}"
        if label in seen:
            raise ObservationFileError(f"{origin}, column {name!r}: {label} appears twice",
                                       file=origin, row=1, column=name)
        seen.add(label)
        columns.append((kind, code if kind in ("identity", "indicator", "declared") else base,
                        unit))
    for kind, code, _ in columns:
        if kind in ("men", "women"):
            other = f"{code}:{'women' if kind == 'men' else 'men'}"
            if other not in seen:
                raise ObservationFileError(f"{origin}, column {code}:{kind}: needs its pair "
                                           f"column {other!r}", file=origin, row=1,
                                           column=f"{code}:{kind}", indicator=code)
            if code in seen:
                raise ObservationFileError(f"{origin}, columns {code!r} and {code}:{kind}: give "
                                           "either one value or the men's and women's values",
                                           file=origin, row=1, column=code, indicator=code)
    for kind, code, unit in columns:
        if kind in ("indicator", "men", "women") and unit is None:
            _note_assumed_unit(origin, code, indicators[code])
    if "code" not in seen or "name" not in seen:
        raise ObservationFileError(f"{origin}: the header needs 'code' and 'name' columns "
                                   f"(or 'mã xã' and 'tên xã'); found {header}", file=origin,
                                   row=1)
    return columns


def _read_csv(text: str, origin: str, cs: CriteriaSet) -> list[ObservationRecord]:
    return _read_rows(_csv_rows(text, origin), origin, cs)


def _read_rows(rows: Iterable[list[str]], origin: str, cs: CriteriaSet,
               letters: bool = False) -> list[ObservationRecord]:
    """Check rows of text cells (a header, then one row per commune) against *cs*.

    With *letters* (a workbook), a cell's error also names its spreadsheet column letter.
    """
    indicators = observable_indicators(cs)
    reader = enumerate(rows, start=1)
    try:
        _, header = next(reader)
    except StopIteration:
        raise ObservationFileError(f"{origin}: the file is empty", file=origin) from None
    if not letters:
        _check_separator(header, origin)
    columns = csv_columns(header, origin, cs)
    records = []
    for line, row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            raise ObservationFileError(f"{origin}, row {line}: {len(row)} cells, but the header "
                                       f"has {len(columns)} columns", file=origin, row=line)
        identity: dict[str, str] = {}
        values: dict[str, float | bool | str | BySex | Verdict | None] = {}
        by_sex: dict[str, dict[str, Any]] = {}
        for at, ((kind, code, unit), cell) in enumerate(zip(columns, row, strict=False)):
            if kind == "identity":
                identity[code] = cell
                continue
            column = code if kind in ("indicator", "declared") else f"{code}:{kind}"
            try:
                if kind == "declared":
                    values[code] = declared_verdict(code, cell)
                elif kind == "indicator":
                    values[code] = _cell(indicators[code], cell, unit)
                elif cell.strip():
                    number = parse_number(cell)
                    by_sex.setdefault(code, {})[kind] = number if unit is None else Q(number, unit)
            except (ValueError, NtmkitError) as exc:
                where = f"{origin}, row {line}, column {column!r}"
                if letters:
                    where += f" ({_column_letter(at)})"
                raise _located(exc, f"{where}: {exc}", file=origin, row=line, column=column,
                               indicator=code, unit=unit) from None
        for code in {c for k, c, _ in columns if k in ("men", "women")}:
            parts = by_sex.get(code, {})
            try:
                values[code] = by_sex_parts(
                    indicators[code], BySex(men=parts.get("men"), women=parts.get("women")))
            except NtmkitError as exc:
                raise _located(exc, f"{origin}, row {line}, column {code!r}: {exc}",
                               file=origin, row=line, column=code, indicator=code) from None
        try:
            commune = _commune(identity)
            year = _year(identity.get("year", ""))
        except (ValueError, NtmkitError) as exc:
            raise ObservationFileError(f"{origin}, row {line}: {exc}", file=origin,
                                       row=line) from None
        records.append(ObservationRecord(commune, values, line, year))
    return records


def _located(exc: Exception, message: str, **where: Any) -> ObservationFileError:
    """An :class:`ObservationFileError` for *exc*, keeping the fields *exc* already has."""
    fields = {k: v for k, v in where.items() if v is not None}
    if isinstance(exc, NtmkitError):
        fields = {**fields, **{k: v for k, v in exc.where.items() if k in ("indicator", "unit")}}
    return ObservationFileError(message, **fields)


def records_from_json(
    data: Any, cs: CriteriaSet, origin: str = "<json>"
) -> list[ObservationRecord]:
    """Check parsed JSON observations (format ``ntmkit.observations.v1``) against *cs*."""
    from ntmkit.io.convert import structure

    _check_json_format(data, origin)
    indicators = observable_indicators(cs)
    bare: dict[str, None] = {}  # indicators given as plain numbers, without a unit
    items = data.get("communes")
    if not isinstance(items, list):
        raise ObservationFileError(f"{origin}: \"communes\" must be a list", file=origin,
                                   column="communes")
    records = []
    for i, item in enumerate(items):
        where = f"{origin}, communes[{i}]"
        at: dict[str, Any] = {"file": origin, "row": i}
        if not isinstance(item, Mapping) or set(item) - {"commune", "year", "observations"}:
            raise ObservationFileError(f"{where}: expected keys commune, year, observations",
                                       **at)
        try:
            commune = structure(item.get("commune"), Commune)
        except NtmkitError as exc:
            raise ObservationFileError(f"{where}.commune: {exc}", column="commune",
                                       **at) from None
        year = _json_year(item.get("year"), where, at)
        raw = item.get("observations", {})
        if not isinstance(raw, Mapping):
            raise ObservationFileError(f"{where}.observations: expected an object",
                                       column="observations", **at)
        values: dict[str, float | bool | str | BySex | Verdict | None] = {}
        for code, v in raw.items():
            field = f"{where}.observations[{code!r}]"
            column = str(code)  # the indicator, as a CSV column names it
            if isinstance(code, str) and code.startswith(DECLARED_PREFIX):
                try:
                    check_declared_keys([code], cs)
                    values[code] = declared_verdict(code, v)
                except NtmkitError as exc:
                    raise _located(exc, f"{field}: {exc}", column=column, **at) from None
                continue
            if code not in indicators:
                raise ObservationFileError(f"{field}: {cs.key} has no indicator {code!r}",
                                           column=column, indicator=code, **at)
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                bare.setdefault(code, None)
            try:
                if isinstance(v, Mapping) and set(v) == {"men", "women"}:
                    v = BySex(men=_json_number(v["men"]), women=_json_number(v["women"]))
                elif isinstance(v, Mapping):
                    v = _json_number(v)
                if isinstance(v, BySex):
                    values[code] = by_sex_parts(indicators[code], v)
                elif declares_not_applicable(v):
                    coerce_value(indicators[code], Verdict.NOT_APPLICABLE)
                    values[code] = Verdict.NOT_APPLICABLE
                else:
                    values[code], _ = coerce_value(indicators[code], v)
            except NtmkitError as exc:
                message = str(exc)
                if not message.startswith(f"indicator {code}"):
                    message = f"indicator {code}: {message}"
                raise _located(exc, f"{field}: {message}", column=column, indicator=code,
                               **at) from None
        records.append(ObservationRecord(commune, values, i, year))
    for code in bare:
        _note_assumed_unit(origin, code, indicators[code], "observations")
    return records


def _check_json_format(data: Any, origin: str) -> None:
    if not isinstance(data, Mapping) or data.get("format") != OBSERVATIONS_FORMAT:
        raise ObservationFileError(f"{origin}: expected an object with "
                                   f"\"format\": \"{OBSERVATIONS_FORMAT}\"", file=origin)


def _json_year(year: Any, where: str, at: Mapping[str, Any]) -> int | None:
    if year is None:
        return None
    if isinstance(year, bool) or not isinstance(year, int) or not 1 <= year <= 9999:
        shown = repr(year) if len(repr(year)) <= 20 else repr(year)[:20] + "…"
        raise ObservationFileError(f"{where}.year: expected a year such as 2024, got {shown}",
                                   column="year", **at)
    return year


def _json_number(v: Any) -> Any:
    """A JSON observation value: a plain value, or ``{"value": …, "unit": …}``."""
    if not isinstance(v, Mapping):
        return v
    if set(v) != {"value", "unit"}:
        raise ObservationFileError("a value with a unit is {\"value\": …, \"unit\": …}; a "
                                   "value by sex is {\"men\": …, \"women\": …}")
    value, unit = v["value"], v["unit"]
    if value is None:
        return None
    if not isinstance(unit, str):
        raise ObservationFileError(f"\"unit\" must be text such as \"%\" or \"million "
                                   f"VND/person/month\", not {unit!r}")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ObservationFileError(f"\"value\" must be a number, not {value!r}", unit=unit)
    finite_float(value, unit=unit)
    return Q(value, unit)


#: Byte-order marks of text ntmkit does not read, and what to say about them.
_OTHER_ENCODINGS = ((b"\xff\xfe", "UTF-16"), (b"\xfe\xff", "UTF-16"))


def _read_text(path: Path) -> str:
    """The text of an observations file, or an :class:`ObservationFileError` saying why not."""
    at: dict[str, Any] = {"file": str(path)}
    if path.suffix.lower() not in (".csv", ".txt", ".json"):
        raise ObservationFileError(f"{path}: unknown file type {path.suffix!r}; use .csv or "
                                   ".json", **at)
    try:
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ObservationFileError(f"{path}: is a folder; give an observations file", **at,
                                   key="errors.input_folder", fields={"file": path}) from None
    except OSError as exc:
        raise ObservationFileError(f"{path}: cannot read: {exc.strerror}", **at,
                                   key="errors.cannot_read",
                                   fields={"file": path, "reason": exc.strerror}) from None
    for bom, name in _OTHER_ENCODINGS:
        if raw.startswith(bom):
            raise ObservationFileError(f"{path}: the file is {name} text; save it as UTF-8 "
                                       "(in Excel: 'CSV UTF-8 (comma delimited)')", **at,
                                       key="errors.other_encoding",
                                       fields={"file": path, "encoding": name})
    if b"\x00" in raw:
        raise ObservationFileError(f"{path}: not a text file (it holds NUL bytes); give a "
                                   "CSV or JSON file saved as UTF-8", **at,
                                   key="errors.binary_file", fields={"file": path})
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ObservationFileError(
            f"{path}: not UTF-8 text (byte {raw[exc.start]:#04x} at position {exc.start}); "
            "save the file as UTF-8 (in Excel: 'CSV UTF-8'); a file from an older Vietnamese "
            "system may be in Windows-1258 or TCVN3 and needs converting", **at) from None
    if not text.strip():
        raise ObservationFileError(f"{path}: the file is empty", **at, key="errors.empty_file",
                                   fields={"file": path})
    return text


def _reject_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _load_json(text: str, path: Path) -> Any:
    at: dict[str, Any] = {"file": str(path)}
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as exc:
        raise ObservationFileError(f"{path}: not valid JSON: {exc}", row=exc.lineno, **at) \
            from None
    except RecursionError:
        raise ObservationFileError(f"{path}: the JSON is nested too deeply; an observations "
                                   "file is nested five levels deep", **at) from None
    except ValueError as exc:  # NaN/Infinity, or an integer of more than 4,300 digits
        raise ObservationFileError(f"{path}: not valid JSON: {exc}", **at) from None
    if "\\ud" in text.casefold():
        try:
            json.dumps(data, ensure_ascii=False).encode("utf-8")
        except UnicodeEncodeError:
            raise ObservationFileError(f"{path}: a string holds a lone surrogate escape "
                                       "(\\ud800–\\udfff), which is not text", **at) from None
    return data


def read_observations(path: str | Path, criteria_set: CriteriaSet) -> list[ObservationRecord]:
    """Read and check a CSV, JSON or Excel (``.xlsx``) observations file, by its extension.

    A workbook is read from its first sheet: a header row, then one row per commune, with the
    columns and rules of CSV (``.xlsx`` needs openpyxl: ``pip install 'ntmkit[xlsx]'``).
    Every row is checked before any is returned; the first problem raises
    :class:`~ntmkit.errors.ObservationFileError` naming file, row and column (also as its
    ``file``, ``row``, ``column``, ``indicator`` and ``unit`` fields).
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from ntmkit.io.xlsx import read_first_sheet

        sheet, rows = read_first_sheet(path, ObservationFileError)
        return _read_rows(rows, f"{path}, sheet {sheet!r}", criteria_set, letters=True)
    text = _read_text(path)
    try:
        if path.suffix.lower() == ".json":
            return records_from_json(_load_json(text, path), criteria_set, str(path))
        return _read_csv(text, str(path), criteria_set)
    except NtmkitError as exc:
        if exc.file is None:
            exc.file = str(path)
        raise


def peek_years(path: str | Path) -> set[int | None]:
    """The years named by the rows of an observations file (``None`` for rows without one).

    Used to pick the criteria-set version before the file is checked against it; the file
    is fully checked later by :func:`read_observations`.  A file that cannot be read (missing,
    empty, not UTF-8, not valid CSV or JSON, columns not separated by commas) or a year that
    is not a year raises :class:`~ntmkit.errors.ObservationFileError` here already.
    """
    path = Path(path)
    origin = str(path)
    if path.suffix.lower() == ".xlsx":
        from ntmkit.io.xlsx import read_first_sheet

        sheet_rows = read_first_sheet(path, ObservationFileError)[1]
        keys = ([_IDENTITY.get(" ".join(str(h).strip().casefold().split())) for h in sheet_rows[0]]
                if sheet_rows else [])
        if "year" not in keys:
            return {None}
        where = keys.index("year")
        found: set[int | None] = set()
        for line, row in enumerate(sheet_rows[1:], start=2):
            if any(str(c).strip() for c in row):
                try:
                    found.add(_year(row[where] if where < len(row) else ""))
                except ValueError as exc:
                    raise ObservationFileError(f"{origin}, row {line}, column 'year': {exc}",
                                               file=origin, row=line, column="year") from None
        return found or {None}
    text = _read_text(path)
    years: set[int | None] = set()
    if path.suffix.lower() == ".json":
        data = _load_json(text, path)
        _check_json_format(data, origin)
        items = data.get("communes")
        for i, item in enumerate(items if isinstance(items, list) else []):
            if isinstance(item, Mapping):
                years.add(_json_year(item.get("year"), f"{origin}, communes[{i}]",
                                     {"file": origin, "row": i}))
        return years or {None}
    rows = enumerate(_csv_rows(text, origin), start=1)
    try:
        _, header = next(rows)
    except StopIteration:
        raise ObservationFileError(f"{origin}: the file is empty", file=origin) from None
    _check_separator(header, origin)
    keys = [_IDENTITY.get(" ".join(h.strip().casefold().split())) for h in header]
    at = keys.index("year") if "year" in keys else None
    seen: set[str] = set()  # each distinct cell is read once (a file holds a few years)
    for line, row in rows:
        cell = (row[at] if at < len(row) else "") if at is not None else ""
        if cell in seen or not any(c.strip() for c in row):
            continue
        seen.add(cell)
        if at is None:
            years.add(None)
            continue
        try:
            years.add(_year(cell))
        except ValueError as exc:
            raise ObservationFileError(f"{origin}, row {line}, column 'year': {exc}",
                                       file=origin, row=line, column="year") from None
    return years or {None}


def observations_json_schema() -> dict[str, Any]:
    """The JSON observations format (``ntmkit.observations.v1``) as a JSON Schema."""
    with_unit = {"type": "object", "properties": {"value": {"type": ["number", "null"]},
                                                  "unit": {"type": "string"}},
                 "required": ["value", "unit"], "additionalProperties": False}
    number = {"oneOf": [{"type": ["number", "null"]}, with_unit]}
    value = {"oneOf": [
        {"type": ["number", "boolean", "string", "null"]},
        with_unit,
        {"type": "object", "properties": {"men": number, "women": number},
         "required": ["men", "women"], "additionalProperties": False},
    ]}
    commune = {
        "type": "object",
        "properties": {
            "code": {"type": "string", "minLength": 1},
            "name": {"type": "string", "minLength": 1},
            "region": {"enum": [r.value for r in Region] + [None]},
            "province": {"type": ["string", "null"]},
            "district": {"type": ["string", "null"]},
            "classes": {"type": "array", "items": {"enum": [c.value for c in CommuneClass]}},
            "edition": {"enum": ["pre-2025-07", "2025-07", None]},
            "group": {"type": ["integer", "null"]},
        },
        "required": ["code", "name"],
        "additionalProperties": False,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://ntmkit.readthedocs.io/schemas/observations.v1.json",
        "title": "ntmkit observations (ntmkit.observations.v1)",
        "type": "object",
        "properties": {
            "format": {"const": OBSERVATIONS_FORMAT},
            "communes": {"type": "array", "items": {
                "type": "object",
                "properties": {
                    "commune": commune,
                    "year": {"type": ["integer", "null"]},
                    "observations": {"type": "object", "additionalProperties": value},
                },
                "required": ["commune"],
                "additionalProperties": False,
            }},
        },
        "required": ["format", "communes"],
        "additionalProperties": False,
    }
