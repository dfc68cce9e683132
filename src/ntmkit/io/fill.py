"""Fill-in templates: complete a criteria set's unknown values from your copy of the decision.

1. :func:`write_template` writes one row per threshold cell of a set (CSV for spreadsheets,
   UTF-8 with a BOM so that Excel shows Vietnamese; or TOML), with the current value and its
   confidence, and empty columns for the value you read and its source;
2. you fill the ``value``, ``confidence`` and ``source_*`` columns of the cells you know;
3. :func:`read_fill` checks every row (set, indicator, context, unit, range, source,
   duplicates, contradictions with verified values) and :func:`fill` turns the rows into a
   derived set with its own id, version and fingerprint, plus the text of a set file that
   :func:`ntmkit.registry.load` reads back.

Nothing is written when any row is wrong; every problem names its row and column.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path

import attrs

from ntmkit.errors import NtmkitError, ObservationFileError
from ntmkit.i18n import Lang
from ntmkit.io.observations import parse_number
from ntmkit.io.output import write_file
from ntmkit.model.criteria import Condition, CriteriaSet, Indicator, LegalRef, Source, Threshold
from ntmkit.model.enums import CommuneClass, Confidence, Region, RuleKind
from ntmkit.registry.coverage import Cell, cells, writes_regional_values
from ntmkit.registry.loader import derive
from ntmkit.registry.schema import FORMAT

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib  # type: ignore[import-not-found,unused-ignore]

__all__ = [
    "FILL_FORMAT",
    "TEMPLATE_COLUMNS",
    "FillError",
    "FilledCell",
    "fill",
    "filled_cells",
    "read_fill",
    "set_file_text",
    "template_rows",
    "write_template",
]

#: The format id of TOML fill-in files.
FILL_FORMAT = "ntmkit.fill.v1"

#: The columns of a fill-in template, in order.  The first ones describe the cell (do not
#: edit them); ``value``, ``confidence``, ``source_act``, ``source_article``, ``source_url``
#: and ``note`` are yours to fill; ``unit`` may be changed to the unit your copy uses.
TEMPLATE_COLUMNS = (
    "set", "indicator", "criterion", "name_vi", "name_en", "region", "year", "group",
    "commune_class", "unit", "comparator",
    "current_value", "current_confidence", "current_candidate", "value", "confidence", "source_act",
    "source_article", "source_url", "note",
)
_FILLED = ("value", "confidence", "source_act", "source_article", "source_url", "note")
_USER_CONFIDENCE = (Confidence.VERIFIED, Confidence.RESTATED, Confidence.GUIDANCE)
_FILLABLE = (RuleKind.AT_LEAST, RuleKind.AT_MOST, RuleKind.ACHIEVED,
             RuleKind.SHARE_OF_CHILDREN)


class FillError(ObservationFileError):
    """A fill-in file has problems; the message lists every one with its row and column."""


@attrs.frozen
class FilledCell:
    """One filled row: the threshold to set for an indicator, and the row it came from."""

    row: int
    indicator: str
    threshold: Threshold


def _cell_value(t: Threshold | None) -> str:
    if t is None or not t.confidence.has_value:
        return ""
    if t.relative_to is not None:
        r = t.relative_to
        return f"{r.factor * 100:g}% of {r.set} {r.indicator}"
    if t.value is None:
        return "Đạt"
    return f"{t.value:g}"


def template_rows(cs: CriteriaSet, *, only_unknown: bool = False) -> list[dict[str, str]]:
    """The rows of the fill-in template of *cs*: one per threshold cell.

    The cells are those of :func:`ntmkit.registry.coverage.cells` (an indicator in each
    context in which its threshold may differ: region, commune group, year, commune class),
    so the template has as many rows as :func:`ntmkit.registry.coverage` counts cells.
    With *only_unknown*, only the cells that are not known (unknown, uncertain or inferred)
    are listed: as many as ``coverage(cs).unknown``.
    """
    rows = []
    for cell in cells(cs):
        if only_unknown and cell.known:
            continue
        ind, t = cs.indicators[cell.indicator], cell.threshold
        rows.append({
            "set": cs.key, "indicator": ind.code, "criterion": ind.criterion,
            "name_vi": ind.name_vi, "name_en": ind.name_en,
            "region": cell.region.value if cell.region else "",
            "year": str(cell.year) if cell.year is not None else "",
            "group": str(cell.group) if cell.group is not None else "",
            "commune_class": cell.commune_class.value if cell.commune_class else "",
            "unit": ind.unit, "comparator": ind.rule.kind.value, "current_value": _cell_value(t),
            "current_confidence": cell.confidence.value,
            "current_candidate": (t.candidate or "") if t is not None else "",
            **dict.fromkeys(_FILLED, ""),
        })
    return rows


def _user_confidence(text: str) -> Confidence:
    """The confidence a filler wrote, or UNKNOWN.

    Its code (``restated``) or its name in either language (*một nguồn nhắc lại*, as a
    workbook's drop-down offers it).
    """
    try:
        return Confidence(text)
    except ValueError:
        pass
    from ntmkit import i18n

    wanted = " ".join(text.casefold().split())
    for level in _USER_CONFIDENCE:
        if wanted in (i18n.confidence_name(level, lang).casefold() for lang in i18n.LANGS):
            return level
    return Confidence.UNKNOWN


def filled_cells(base: CriteriaSet, derived: CriteriaSet) -> list[Cell]:
    """The cells of *derived* that are known and were not known in *base*.

    Cells are those of :func:`ntmkit.registry.coverage.cells`.  After :func:`fill` from
    unknown rows of the base's own template, the count is the number of rows filled (one per
    cell), and ``coverage(derived).unknown == coverage(base).unknown - len(filled)`` — as long
    as the fill adds no indicator and no row names a region or group outside the base's cells.
    """
    before = {(c.indicator, c.condition) for c in cells(base) if c.known}
    return [c for c in cells(derived) if c.known and (c.indicator, c.condition) not in before]


def _toml_string(text: str) -> str:
    """*text* as a TOML basic string: quotes, backslashes and control characters escaped.

    JSON's escaping is not enough: TOML also forbids DEL (U+007F) unescaped, and a lone
    surrogate cannot be written at all (it is replaced by U+FFFD).
    """
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch in '"\\':
            out.append("\\" + ch)
        elif code < 0x20 or code == 0x7F:
            out.append({"\n": "\\n", "\t": "\\t", "\r": "\\r"}.get(ch, f"\\u{code:04X}"))
        elif 0xD800 <= code <= 0xDFFF:
            out.append("\uFFFD")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def write_template(cs: CriteriaSet, path: str | Path, *, only_unknown: bool = False,
                   lang: Lang = "vi") -> int:
    """Write the fill-in template of *cs* to *path* (``.csv``, ``.toml`` or ``.xlsx``).

    Returns the number of rows.  The file is written whole or not at all.  A workbook
    (``.xlsx``, needs ``ntmkit[xlsx]``) locks the columns that describe a cell (sheet
    protection without a password) and leaves the columns to fill editable, with drop-downs
    for yes/no values and for the confidence, its notes and sheet name in *lang*.
    """
    path = Path(path)
    rows = template_rows(cs, only_unknown=only_unknown)
    if path.suffix.lower() == ".xlsx":
        from ntmkit.io.xlsx import write_template as write_workbook

        write_workbook(cs, rows, TEMPLATE_COLUMNS, (*_FILLED, "unit"), path, lang=lang)
        return len(rows)
    if path.suffix.lower() == ".csv":
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=TEMPLATE_COLUMNS)
        writer.writeheader()
        writer.writerows(rows)
        text, encoding = buffer.getvalue(), "utf-8-sig"
    elif path.suffix.lower() == ".toml":
        lines = [f"format = {_toml_string(FILL_FORMAT)}", f"set = {_toml_string(cs.key)}", ""]
        for r in rows:
            lines.append("[[cells]]")
            for key in TEMPLATE_COLUMNS[1:]:
                lines.append(f"{key} = {_toml_string(r[key])}")
            lines.append("")
        text, encoding = "\n".join(lines), "utf-8"
    else:
        raise FillError(f"{path}: unknown template type {path.suffix!r}; use .csv, .toml or "
                        ".xlsx")
    write_file(path, text, encoding=encoding)
    return len(rows)


def _header_check(path: Path, fieldnames: Iterable[str]) -> None:
    missing = [c for c in ("set", "indicator", "region", "year", "unit", "value",
                           "confidence", "source_act", "source_url") if c not in fieldnames]
    if missing:
        raise FillError(f"{path}: the header lacks the column(s) {', '.join(missing)}; "
                        "start from a template written by 'ntmkit criteria template'",
                        file=str(path), row=1, key="errors.fill_header",
                        fields={"file": path, "columns": ", ".join(missing)})


def _read_rows(path: Path) -> list[tuple[int, dict[str, str]]]:
    if path.suffix.lower() == ".xlsx":
        from ntmkit.io.xlsx import read_first_sheet

        _, sheet = read_first_sheet(path, FillError)
        if not sheet:
            raise FillError(f"{path}: the first sheet is empty")
        header = [h.strip() for h in sheet[0]]
        _header_check(path, header)
        return [(n, dict(zip(header, row, strict=True))) for n, row in enumerate(sheet[1:], 2)
                if any(cell.strip() for cell in row)]
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FillError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise FillError(f"{path}: not UTF-8 text; save it as 'CSV UTF-8'") from None
    if path.suffix.lower() == ".toml":
        try:
            data = tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            raise FillError(f"{path}: not valid TOML: {exc}", file=str(path)) from None
        except RecursionError:
            raise FillError(f"{path}: the TOML is nested too deeply (a fill-in file is "
                            "nested two levels deep)", file=str(path)) from None
        if data.get("format") != FILL_FORMAT:
            raise FillError(f"{path}: expected format = {FILL_FORMAT!r}", file=str(path))
        cells = data.get("cells", [])
        if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
            raise FillError(f"{path}: 'cells' must be a list of [[cells]] tables, as in a "
                            "template written by 'ntmkit criteria template'",
                            file=str(path), column="cells")
        return [(i, {"set": _toml_text(data.get("set", "")),
                     **{str(k): _toml_text(v) for k, v in c.items()}})
                for i, c in enumerate(cells)]
    reader = csv.DictReader(io.StringIO(text))
    try:
        _header_check(path, reader.fieldnames or [])
        return [(n, {k: (v if isinstance(v, str) else "") for k, v in row.items()
                     if k is not None})
                for n, row in enumerate(reader, start=2)]
    except csv.Error as exc:
        raise FillError(f"{path}, row {reader.line_num}: not valid CSV ({exc})",
                        file=str(path), row=reader.line_num) from None


def _toml_text(value: object) -> str:
    """A TOML cell as the text a CSV cell would hold (numbers as written, no containers)."""
    if isinstance(value, (dict, list)):
        return "<a table or list>"  # refused by the row checks as not a number/name
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _whole_number(row: Mapping[str, str], column: str) -> int | None:
    """An optional whole-number cell (``2024``, or ``2024.0`` from a spreadsheet).

    Raises ValueError when the cell holds something else.
    """
    text = row.get(column, "").strip()
    if not text:
        return None
    value = parse_number(text)
    if not value.is_integer() or not 0 <= value <= 9999:
        raise ValueError(f"expected a whole number, got {text!r}")
    return int(value)


def _check_row(
    n: int, row: Mapping[str, str], cs: CriteriaSet, problems: list[str]
) -> tuple[Indicator, Condition, float | None, Confidence, LegalRef] | None:
    def problem(column: str, message: str) -> None:
        problems.append(f"row {n}, column {column!r}: {message}")

    from ntmkit.units import to_unit

    if row.get("set", "").strip() != cs.key:
        problem("set", f"this row is for {row.get('set')!r}, not {cs.key}")
        return None
    code = row.get("indicator", "").strip()
    if code not in cs.indicators:
        problem("indicator", f"{cs.key} has no indicator {code!r}")
        return None
    ind = cs.indicators[code]
    if ind.rule.kind not in _FILLABLE:
        problem("indicator", f"indicator {code} ({ind.rule.kind.value}) takes more than one "
                "value and cannot be filled from a template; write its thresholds in a set file "
                "(see the registry format)")
        return None
    region: Region | None = None
    if row.get("region", "").strip():
        try:
            region = Region(row["region"].strip())
        except ValueError:
            problem("region", f"unknown region {row['region']!r}")
            return None
    try:
        year = _whole_number(row, "year")
    except ValueError:
        problem("year", f"expected a year, got {row['year']!r}")
        return None
    try:
        group = _whole_number(row, "group")
    except ValueError:
        problem("group", f"expected a commune group number, got {row['group']!r}")
        return None
    if group is not None and (not cs.groups or group not in cs.groups):
        problem("group", f"{cs.key} has no commune group {group}")
        return None
    commune_class: CommuneClass | None = None
    if row.get("commune_class", "").strip():
        try:
            commune_class = CommuneClass(row["commune_class"].strip())
        except ValueError:
            problem("commune_class", f"unknown commune class {row['commune_class']!r}; use one "
                    f"of {', '.join(c.value for c in CommuneClass)} or leave it empty")
            return None
    by_place = writes_regional_values(cs) or bool(cs.groups)
    if ind.year_dependent and (year is None or (by_place and region is None and group is None)):
        problem("year", f"indicator {code} depends on the year: give the year and the "
                "region (or group)")
        return None
    if not ind.year_dependent and year is not None:
        problem("year", f"indicator {code} does not depend on the year; leave it empty")
        return None
    if cs.years is not None and year is not None and not cs.years[0] <= year <= cs.years[1]:
        problem("year", f"{year} is outside {cs.years[0]}-{cs.years[1]}")
        return None
    text = row.get("value", "").strip()
    act = row.get("source_act", "").strip()
    url = row.get("source_url", "").strip()
    if not act and not url:
        problem("source_act", "a filled value needs its source: the act (e.g. 318/QĐ-TTg) "
                "and/or a URL in source_url")
        return None
    confidence_text = row.get("confidence", "").strip() or Confidence.RESTATED.value
    confidence = _user_confidence(confidence_text)
    if confidence not in _USER_CONFIDENCE:
        problem("confidence", f"{confidence_text!r}: use verified (the act's own text, or two "
                "sources of different publishers agree), restated (one source) or guidance (a "
                "ministry's guidance act)")
        return None
    value: float | None
    if ind.rule.kind is RuleKind.ACHIEVED:
        if text.casefold() not in ("đạt", "dat", "achieved", "yes"):
            problem("value", f"indicator {code} is a yes/no condition: write 'Đạt', got {text!r}")
            return None
        value = None
    else:
        try:
            number = parse_number(text)
        except ValueError as exc:
            problem("value", str(exc))
            return None
        unit = row.get("unit", "").strip() or ind.unit
        try:
            value = to_unit(number, unit, ind.unit, indicator=code)
        except NtmkitError as exc:
            problem("unit", str(exc))
            return None
        low, high = ind.minimum, ind.maximum
        if (low is not None and value < low) or (high is not None and value > high):
            problem("value", f"{value:g} {ind.unit} is outside the possible range "
                    f"{low if low is not None else '-∞'}–{high if high is not None else '∞'}")
            return None
    ref = LegalRef(act=act or "(see source_url)", article=row.get("source_article", "").strip()
                   or None, url=url or None)
    when = Condition(region=region, year=year, commune_class=commune_class, group=group)
    return ind, when, value, confidence, ref


def _new_indicators(
    rows: list[tuple[int, dict[str, str]]], cs: CriteriaSet, problems: list[str]
) -> list[Indicator]:
    """Indicators described by rows whose code *cs* does not have (``add_indicators``)."""
    from ntmkit.model.criteria import Rule
    from ntmkit.units import Q

    specs: dict[str, tuple[int, dict[str, str], bool]] = {}
    for n, row in rows:
        code = row.get("indicator", "").strip()
        if not code or code in cs.indicators or not row.get("value", "").strip():
            continue
        if row.get("set", "").strip() != cs.key:
            continue  # reported by the row checks
        year_dependent = bool(row.get("year", "").strip())
        if code not in specs:
            specs[code] = (n, row, year_dependent)
            continue
        first_n, first, first_year = specs[code]
        for column in ("criterion", "name_vi", "name_en", "unit", "comparator"):
            if row.get(column, "").strip() != first.get(column, "").strip():
                problems.append(f"row {n}, column {column!r}: differs from row {first_n}, "
                                f"which defines the new indicator {code}")
        if year_dependent != first_year:
            problems.append(f"row {n}, column 'year': every row of the new indicator {code} "
                            "must give a year, or none")
    out = []
    for code, (n, row, year_dependent) in specs.items():
        criterion = row.get("criterion", "").strip()
        name_vi = row.get("name_vi", "").strip()
        unit = row.get("unit", "").strip()
        comparator = row.get("comparator", "").strip()
        if criterion not in cs.criteria:
            problems.append(f"row {n}, column 'criterion': a new indicator {code} needs the "
                            f"code of one of the set's criteria, got {criterion!r}")
            continue
        if not name_vi:
            problems.append(f"row {n}, column 'name_vi': a new indicator {code} needs a name")
            continue
        if comparator not in ("at_least", "at_most", "achieved"):
            problems.append(f"row {n}, column 'comparator': use at_least, at_most or achieved "
                            f"for a new indicator, got {comparator!r}")
            continue
        if comparator == "achieved":
            unit = "achieved"
        else:
            try:
                Q(1, unit)
            except NtmkitError as exc:
                problems.append(f"row {n}, column 'unit': {exc}")
                continue
        if year_dependent and cs.years is None:
            problems.append(f"row {n}, column 'year': {cs.key} has no years")
            continue
        out.append(Indicator(
            code=code, criterion=criterion, name_vi=name_vi,
            name_en=row.get("name_en", "").strip() or name_vi, unit=unit,
            rule=Rule(kind=comparator, thresholds=(Threshold(confidence=Confidence.UNKNOWN),)),
            year_dependent=year_dependent,
            minimum=0.0 if comparator != "achieved" else None,
            maximum=100.0 if unit == "%" else None,
            code_confidence=Confidence.RESTATED,
            note="Added from a filled template; its structure comes from the filler's copy "
                 "of the act."))
    return out


def read_fill(
    path: str | Path, cs: CriteriaSet, *, accept_corrections: bool = False,
    add_indicators: bool = False,
) -> list[FilledCell]:
    """Read and check a filled template for *cs*; return the filled cells.

    Rows without a value are skipped.  A value that differs from a value the registry
    rates ``verified`` is a problem unless *accept_corrections* is true.  With
    *add_indicators*, rows may describe indicators the set does not have yet (columns
    ``criterion``, ``name_vi``, ``unit``, ``comparator``); otherwise an unknown indicator code
    is a problem.  All problems are collected and raised together as one :class:`FillError`.
    """
    return _read_fill(path, cs, accept_corrections, add_indicators)[0]


def _read_fill(
    path: str | Path, cs: CriteriaSet, accept_corrections: bool, add_indicators: bool
) -> tuple[list[FilledCell], list[Indicator]]:
    path = Path(path)
    rows = _read_rows(path)
    problems: list[str] = []
    added: list[Indicator] = []
    if add_indicators:
        added = _new_indicators(rows, cs, problems)
        if added and not problems:
            # Check the rows against the set as it will be, with the new indicators in it.
            cs = derive(cs, id=cs.id, version=cs.version, add_indicators=added,
                        origin=str(path))
    cells: list[FilledCell] = []
    seen: dict[tuple[str, Condition], int] = {}
    for n, row in rows:
        if not row.get("value", "").strip():
            if any(row.get(k, "").strip() for k in ("source_act", "source_url")):
                problems.append(f"row {n}, column 'value': a source is given but no value")
            continue
        checked = _check_row(n, row, cs, problems)
        if checked is None:
            continue
        ind, when, value, confidence, ref = checked
        key = (ind.code, when)
        if key in seen:
            problems.append(f"row {n}, column 'indicator': the cell {ind.code} "
                            f"({when.describe()}) is already filled in row {seen[key]}")
            continue
        seen[key] = n
        current = cs.threshold(ind.code, region=when.region or Region.RED_RIVER_DELTA,
                               year=when.year, group=when.group,
                               classes=(when.commune_class,) if when.commune_class else ())
        if (current is not None and current.confidence is Confidence.VERIFIED
                and current.value != value and not accept_corrections):
            problems.append(
                f"row {n}, column 'value': {value if value is not None else 'Đạt'} contradicts "
                f"the registry's verified value {current.value:g} for {ind.code} "
                f"({when.describe()}); check your copy, or accept corrections explicitly"
                if current.value is not None else
                f"row {n}, column 'value': contradicts a verified value")
            continue
        note = row.get("note", "").strip()
        threshold = Threshold(when=when, value=value, confidence=confidence, legal_ref=ref,
                              note=note, sources=())
        cells.append(FilledCell(row=n, indicator=ind.code, threshold=threshold))
    if problems:
        head = f"{path}: {len(problems)} problem{'s' if len(problems) > 1 else ''}"
        first = re.match(r"row (\d+), column '([^']*)'", problems[0])
        raise FillError(head + "".join(f"\n  - {p}" for p in problems), file=str(path),
                        row=int(first.group(1)) if first else None,
                        column=first.group(2) if first else None)
    return cells, added


def _sources(cells: Iterable[FilledCell]) -> tuple[list[Source], list[FilledCell]]:
    ids: dict[tuple[str, str | None, str | None], str] = {}
    sources: list[Source] = []
    out = []
    for cell in cells:
        ref = cell.threshold.legal_ref
        assert ref is not None
        key = (ref.act, ref.article, ref.url)
        if key not in ids:
            ids[key] = f"F{len(ids) + 1}"
            about = " ".join(x for x in (ref.act, ref.article) if x and not x.startswith("("))
            sources.append(Source(id=ids[key], url=ref.url or "", about=about))
        out.append(attrs.evolve(cell, threshold=attrs.evolve(cell.threshold,
                                                             sources=(ids[key],))))
    return sources, out


def fill(
    cs: CriteriaSet,
    path: str | Path,
    *,
    new_id: str,
    version: str | None = None,
    accept_corrections: bool = False,
    checked_on: dt.date | None = None,
    add_indicators: bool = False,
) -> tuple[CriteriaSet, str]:
    """Build a derived set from *cs* and a filled template; return it and its file text.

    The derived set has its own id (*new_id*), version (default: the base version) and
    fingerprint; the base set is unchanged.  The returned text is a set file in the
    registry format (``extends`` the base, one override per filled cell), which
    :func:`ntmkit.registry.load` reads back to the same set.  With *add_indicators*, rows
    may add indicators the set does not have (see :func:`read_fill`).
    """
    if new_id == cs.id:
        raise FillError(f"the filled set needs an id of its own, not {cs.id!r}")
    cells, added = _read_fill(path, cs, accept_corrections, add_indicators)
    if not cells:
        raise FillError(f"{path}: no row has a value; nothing to fill")
    sources, cells = _sources(cells)
    version = version or cs.version
    checked = checked_on or dt.date.today()
    note = f"{cs.key} completed from a filled template ({Path(path).name})."
    derived = derive(cs, id=new_id, version=version,
                     overrides=[(c.indicator, c.threshold) for c in cells],
                     origin=str(path), sources=tuple(sources), checked_on=checked, note=note,
                     add_indicators=added)
    text = set_file_text(cs, derived, cells, sources, added)
    try:  # the promised round trip: the text must read back as TOML
        tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:  # pragma: no cover - a bug in set_file_text
        raise FillError(f"{path}: the set file could not be written as valid TOML ({exc})",
                        file=str(path)) from None
    return derived, text


def set_file_text(
    base: CriteriaSet, derived: CriteriaSet, cells: list[FilledCell], sources: list[Source],
    added: Iterable[Indicator] = (),
) -> str:
    """The registry-format file text of a set derived from *base* by filled *cells*."""
    q = _toml_string
    lines = [
        f"format = {q(FORMAT)}", f"id = {q(derived.id)}", f"version = {q(derived.version)}",
        f"extends = {q(base.key)}", f"effective = {derived.effective.isoformat()}",
        f"checked_on = {derived.checked_on.isoformat()}", f"note = {q(derived.note)}", "",
        "[sources]",
    ]
    for s in sources:
        lines.append(f"{s.id} = {{ url = {q(s.url)}, about = {q(s.about)} }}")
    for ind in added:
        lines += ["", "[[add_indicators]]", f"criterion = {q(ind.criterion)}",
                  f"code = {q(ind.code)}", f"name_vi = {q(ind.name_vi)}",
                  f"name_en = {q(ind.name_en)}", f"unit = {q(ind.unit)}",
                  f"rule = {q(ind.rule.kind.value)}", f"code_confidence = {q('restated')}",
                  f"note = {q(ind.note)}"]
        if ind.year_dependent:
            lines.append("year_dependent = true")
        lines.append('thresholds = [{ confidence = "unknown" }]')
    for cell in cells:
        t = cell.threshold
        lines += ["", "[[overrides]]", f"indicator = {q(cell.indicator)}"]
        if t.when.region is not None:
            lines.append(f"region = {q(t.when.region.value)}")
        if t.when.year is not None:
            lines.append(f"year = {t.when.year}")
        if t.when.group is not None:
            lines.append(f"group = {t.when.group}")
        if t.when.commune_class is not None:
            lines.append(f"commune_class = {q(t.when.commune_class.value)}")
        if t.value is not None:
            lines.append(f"value = {t.value!r}")
        lines.append(f"confidence = {q(t.confidence.value)}")
        lines.append(f"sources = [{', '.join(q(s) for s in t.sources)}]")
        ref = t.legal_ref
        if ref is not None:
            parts = [f"act = {q(ref.act)}"]
            if ref.article:
                parts.append(f"article = {q(ref.article)}")
            if ref.url:
                parts.append(f"url = {q(ref.url)}")
            lines.append(f"legal_ref = {{ {', '.join(parts)} }}")
        if t.note:
            lines.append(f"note = {q(t.note)}")
    return "\n".join(lines) + "\n"


def write_set_file(text: str, path: str | Path, *, inputs: Iterable[str | Path] = ()) -> None:
    """Write a set file whole or not at all (see :func:`ntmkit.io.output.write_file`)."""
    write_file(path, text, inputs=inputs)
