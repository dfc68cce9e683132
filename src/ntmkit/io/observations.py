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
import re
import warnings
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

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
    declares_not_applicable,
    observable_indicators,
    parse_yes_no,
    split_sex_column,
)
from ntmkit.units import Q

__all__ = [
    "OBSERVATIONS_FORMAT",
    "ObservationRecord",
    "observable_indicators",
    "observations_json_schema",
    "parse_achieved",
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


def parse_achieved(text: str) -> bool | None:
    """Read a yes/no cell: ``Đạt`` → True, ``Chưa đạt`` → False, empty → None.

    >>> parse_achieved("Đạt"), parse_achieved("chưa đạt"), parse_achieved("")
    (True, False, None)
    """
    return parse_yes_no(text)


def _region(text: str) -> Region:
    t = " ".join(text.strip().casefold().split())
    for r in Region:
        if t in (r.value, r.name_vi.casefold(), r.name_en.casefold()):
            return r
    raise ValueError(f"unknown region {text!r}; use a slug such as 'red_river_delta' or the "
                     "Vietnamese name such as 'Đồng bằng sông Hồng'")


def _number(text: str) -> float:
    t = text.strip().replace("\u00a0", "").replace(" ", "")
    if _DECIMAL_COMMA.match(t):
        t = t.replace(",", ".")
    try:
        return float(t)
    except ValueError:
        raise ValueError(f"expected a number, got {text!r}") from None


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
        raw = _number(text)
        if unit is not None:
            raw = Q(raw, unit)
    value, _ = coerce_value(indicator, raw)
    return value


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
        group=int(fields["group"]) if fields.get("group", "").strip() else None,
    )


def _read_csv(text: str, origin: str, cs: CriteriaSet) -> list[ObservationRecord]:
    return _read_rows(csv.reader(io.StringIO(text)), origin, cs)


def _read_rows(rows: Iterable[list[str]], origin: str, cs: CriteriaSet,
               letters: bool = False) -> list[ObservationRecord]:
    """Check rows of text cells (a header, then one row per commune) against *cs*.

    With *letters*, a cell's error also names its spreadsheet column letter.
    """
    indicators = observable_indicators(cs)
    reader = iter(rows)
    try:
        header = next(reader)
    except StopIteration:
        raise ObservationFileError(f"{origin}: the file is empty") from None
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
                raise ObservationFileError(f"{origin}, column {name!r}: {exc}") from None
            kind, code, unit = "declared", declared, None
        else:
            m = _HEADER.match(name)
            if not m or not name:
                raise ObservationFileError(f"{origin}, column {i + 1}: empty or malformed header "
                                           f"{raw_name!r}")
            code, unit = m.group("code"), m.group("unit")
            kind = "indicator"
            base, part = split_sex_column(code)
            if part is not None and base in indicators:
                if not indicators[base].by_sex:
                    raise ObservationFileError(f"{origin}, column {name!r}: indicator {base} is "
                                               f"not observed by sex; give one column {base!r}")
                kind = part
            elif code not in indicators:
                from ntmkit.scoring import _check_codes

                try:
                    _check_codes({code: None}, set(indicators), cs)
                except NtmkitError as exc:
                    raise ObservationFileError(f"{origin}, column {name!r}: {exc}") from None
        label = code if kind in ("identity", "indicator", "declared") else f"{base}:{kind}"
        if label in seen:
            raise ObservationFileError(f"{origin}, column {name!r}: {label} appears twice")
        seen.add(label)
        columns.append((kind, code if kind in ("identity", "indicator", "declared") else base,
                        unit))
    for kind, code, _ in columns:
        if kind in ("men", "women"):
            other = f"{code}:{'women' if kind == 'men' else 'men'}"
            if other not in seen:
                raise ObservationFileError(f"{origin}, column {code}:{kind}: needs its pair "
                                           f"column {other!r}")
            if code in seen:
                raise ObservationFileError(f"{origin}, columns {code!r} and {code}:{kind}: give "
                                           "either one value or the men's and women's values")
    for kind, code, unit in columns:
        if kind in ("indicator", "men", "women") and unit is None:
            _note_assumed_unit(origin, code, indicators[code])
    if "code" not in seen or "name" not in seen:
        raise ObservationFileError(f"{origin}: the header needs 'code' and 'name' columns "
                                   f"(or 'mã xã' and 'tên xã'); found {header}")
    records = []
    for line, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) != len(columns):
            raise ObservationFileError(f"{origin}, row {line}: {len(row)} cells, but the header "
                                       f"has {len(columns)} columns")
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
                    number = _number(cell)
                    by_sex.setdefault(code, {})[kind] = number if unit is None else Q(number, unit)
            except (ValueError, NtmkitError) as exc:
                where = f"{origin}, row {line}, column {column!r}"
                if letters:
                    where += f" ({_column_letter(at)})"
                raise ObservationFileError(f"{where}: {exc}") from None
        for code in {c for k, c, _ in columns if k in ("men", "women")}:
            parts = by_sex.get(code, {})
            try:
                values[code] = by_sex_parts(
                    indicators[code], BySex(men=parts.get("men"), women=parts.get("women")))
            except NtmkitError as exc:
                raise ObservationFileError(f"{origin}, row {line}, column {code!r}: {exc}") \
                    from None
        try:
            commune = _commune(identity)
            year_text = identity.get("year", "").strip()
            year = int(year_text) if year_text else None
        except ValueError as exc:
            raise ObservationFileError(f"{origin}, row {line}: {exc}") from None
        records.append(ObservationRecord(commune, values, line, year))
    return records


def records_from_json(
    data: Any, cs: CriteriaSet, origin: str = "<json>"
) -> list[ObservationRecord]:
    """Check parsed JSON observations (format ``ntmkit.observations.v1``) against *cs*."""
    from ntmkit.io.convert import structure

    if not isinstance(data, Mapping) or data.get("format") != OBSERVATIONS_FORMAT:
        raise ObservationFileError(f"{origin}: expected an object with "
                                   f"\"format\": \"{OBSERVATIONS_FORMAT}\"")
    indicators = observable_indicators(cs)
    bare: dict[str, None] = {}  # indicators given as plain numbers, without a unit
    items = data.get("communes")
    if not isinstance(items, list):
        raise ObservationFileError(f"{origin}: \"communes\" must be a list")
    records = []
    for i, item in enumerate(items):
        where = f"{origin}, communes[{i}]"
        if not isinstance(item, Mapping) or set(item) - {"commune", "year", "observations"}:
            raise ObservationFileError(f"{where}: expected keys commune, year, observations")
        try:
            commune = structure(item.get("commune"), Commune)
        except NtmkitError as exc:
            raise ObservationFileError(f"{where}.commune: {exc}") from None
        year = item.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise ObservationFileError(f"{where}.year: expected an integer, got {year!r}")
        raw = item.get("observations", {})
        if not isinstance(raw, Mapping):
            raise ObservationFileError(f"{where}.observations: expected an object")
        values: dict[str, float | bool | str | BySex | Verdict | None] = {}
        for code, v in raw.items():
            field = f"{where}.observations[{code!r}]"
            if isinstance(code, str) and code.startswith(DECLARED_PREFIX):
                try:
                    check_declared_keys([code], cs)
                    values[code] = declared_verdict(code, v)
                except NtmkitError as exc:
                    raise ObservationFileError(f"{field}: {exc}") from None
                continue
            if code not in indicators:
                raise ObservationFileError(f"{field}: {cs.key} has no indicator {code!r}")
            if isinstance(v, (int, float)) and not isinstance(v, bool):
                bare.setdefault(code, None)
            if isinstance(v, Mapping) and set(v) == {"men", "women"}:
                v = BySex(men=_json_number(v["men"], field), women=_json_number(v["women"], field))
            elif isinstance(v, Mapping):
                v = _json_number(v, field)
            try:
                if isinstance(v, BySex):
                    values[code] = by_sex_parts(indicators[code], v)
                elif declares_not_applicable(v):
                    coerce_value(indicators[code], Verdict.NOT_APPLICABLE)
                    values[code] = Verdict.NOT_APPLICABLE
                else:
                    values[code], _ = coerce_value(indicators[code], v)
            except NtmkitError as exc:
                raise ObservationFileError(f"{field}: {exc}") from None
        records.append(ObservationRecord(commune, values, i, year))
    for code in bare:
        _note_assumed_unit(origin, code, indicators[code], "observations")
    return records


def _json_number(v: Any, field: str) -> Any:
    """A JSON observation value: a plain value, or ``{"value": …, "unit": …}``."""
    if not isinstance(v, Mapping):
        return v
    if set(v) != {"value", "unit"}:
        raise ObservationFileError(f"{field}: a value with a unit is "
                                   "{\"value\": …, \"unit\": …}; a value by sex is "
                                   "{\"men\": …, \"women\": …}")
    return None if v["value"] is None else Q(v["value"], str(v["unit"]))


def read_observations(path: str | Path, criteria_set: CriteriaSet) -> list[ObservationRecord]:
    """Read and check a CSV, JSON or Excel (``.xlsx``) observations file, by its extension.

    A workbook is read from its first sheet: a header row, then one row per commune, with the
    columns and rules of CSV (``.xlsx`` needs openpyxl: ``pip install 'ntmkit[xlsx]'``).
    Every row is checked before any is returned; the first problem raises
    :class:`~ntmkit.errors.ObservationFileError` naming file, row and column.
    """
    path = Path(path)
    if path.suffix.lower() == ".xlsx":
        from ntmkit.io.xlsx import read_first_sheet

        sheet, rows = read_first_sheet(path, ObservationFileError)
        return _read_rows(rows, f"{path}, sheet {sheet!r}", criteria_set, letters=True)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ObservationFileError(f"{path}: cannot read: {exc.strerror}") from None
    except UnicodeDecodeError:
        raise ObservationFileError(f"{path}: not UTF-8 text; save the file as UTF-8 "
                                   "(CSV UTF-8 in Excel)") from None
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise ObservationFileError(f"{path}: not valid JSON: {exc}") from None
        return records_from_json(data, criteria_set, str(path))
    if path.suffix.lower() in (".csv", ".txt"):
        return _read_csv(text, str(path), criteria_set)
    raise ObservationFileError(f"{path}: unknown file type {path.suffix!r}; use .csv, .json "
                               "or .xlsx")


def peek_years(path: str | Path) -> set[int | None]:
    """The years named by the rows of an observations file (``None`` for rows without one).

    Used to pick the criteria-set version before the file is checked against it; the file
    is fully checked later by :func:`read_observations`.
    """
    path = Path(path)
    rows: list[list[str]] | None = None
    if path.suffix.lower() == ".xlsx":
        from ntmkit.io.xlsx import read_first_sheet

        try:
            rows = read_first_sheet(path, ObservationFileError)[1]
        except ObservationFileError:
            return {None}  # read_observations reports the problem properly
        text = ""
    else:
        try:
            text = path.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError):
            return {None}  # read_observations reports the problem properly
    years: set[int | None] = set()
    try:
        if path.suffix.lower() == ".json":
            for item in json.loads(text).get("communes", []):
                y = item.get("year")
                years.add(y if isinstance(y, int) and not isinstance(y, bool) else None)
        else:
            if rows is None:
                rows = list(csv.reader(io.StringIO(text)))
            keys = [_IDENTITY.get(" ".join(h.strip().casefold().split())) for h in rows[0]]
            if "year" not in keys:
                return {None}
            at = keys.index("year")
            for row in rows[1:]:
                if any(c.strip() for c in row):
                    cell = row[at].strip() if at < len(row) else ""
                    years.add(int(cell) if cell.isdigit() else None)
    except (ValueError, AttributeError, IndexError, TypeError):
        return {None}
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
