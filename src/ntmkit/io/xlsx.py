"""Excel workbooks (``.xlsx``) in and out, through openpyxl (``pip install 'ntmkit[xlsx]'``).

* reading: the first sheet of a workbook, a header row then one row per record, is turned
  into rows of text cells that follow the CSV rules (numbers as written, ``Đạt`` / ``Chưa
  đạt``, empty = missing); formulas are read as the value the spreadsheet last computed;
* writing: every workbook is written to a temporary file beside the target, then moved into
  place, so that an error never leaves half a file; text cells are always written as text,
  so that a commune named ``=SUM(A1)`` or ``+84…`` never becomes a formula.

openpyxl is imported only when a workbook is read or written.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ntmkit import i18n
from ntmkit.errors import MissingDependency, NtmkitError
from ntmkit.i18n import Lang
from ntmkit.model.enums import Verdict

if TYPE_CHECKING:
    from ntmkit.model.criteria import CriteriaSet
    from ntmkit.model.results import Assessment

__all__ = ["read_first_sheet", "require_openpyxl", "write_assessments", "write_template"]

#: The extra that installs openpyxl.
EXTRA = "ntmkit[xlsx]"

_FORMULA_START = ("=", "+", "-", "@")
#: Fill colours of verdicts (ARGB): met, not met, unknown, not applicable.
VERDICT_COLOURS = {"met": "FFC6EFCE", "not_met": "FFFFC7CE", "unknown": "FFFFEB9C",
                   "not_applicable": "FFD9D9D9"}
_HEADER_FILL = "FFDDEBF7"


def require_openpyxl() -> Any:
    """The openpyxl module, or :class:`~ntmkit.errors.MissingDependency` naming the extra."""
    try:
        import openpyxl
    except ImportError:
        raise MissingDependency(
            f".xlsx files need openpyxl: pip install '{EXTRA}' (or use .csv)") from None
    return openpyxl


def cell_text(value: Any) -> str:
    """A spreadsheet cell as the text a CSV file would hold.

    >>> cell_text(85.0), cell_text(58.5), cell_text(None), cell_text(True), cell_text("Đạt")
    ('85', '58.5', '', 'true', 'Đạt')
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def column_letter(index: int) -> str:
    """The spreadsheet letter of column *index*, counted from 0.

    >>> column_letter(0), column_letter(25), column_letter(26)
    ('A', 'Z', 'AA')
    """
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def read_first_sheet(path: Path, error: type[NtmkitError]) -> tuple[str, list[list[str]]]:
    """The title and rows (as text) of the first sheet of workbook *path*.

    Rows are cut or padded to the header's width; a value right of the header is an *error*
    naming file, sheet, row and column.
    """
    openpyxl = require_openpyxl()
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        workbook = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except OSError as exc:
        raise error(f"{path}: cannot read: {exc.strerror or exc}") from None
    except (InvalidFileException, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise error(f"{path}: not an Excel workbook (.xlsx) that can be read ({exc}); save it "
                    "as 'Excel Workbook (.xlsx)' or as CSV UTF-8") from None
    try:
        sheet = workbook.worksheets[0]
        title = str(sheet.title)
        raw = [[cell_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    if not raw:
        return title, []
    header = raw[0]
    while header and not header[-1].strip():
        header.pop()
    width = len(header)
    rows = [header]
    for n, row in enumerate(raw[1:], start=2):
        extra = [i for i, cell in enumerate(row[width:], start=width) if cell.strip()]
        if extra:
            raise error(f"{path}, sheet {title!r}, row {n}, column {column_letter(extra[0])}: "
                        "a value in a column without a header; give the column a header or "
                        "clear the cell")
        rows.append(row[:width] + [""] * (width - len(row)))
    return title, rows


def _text(cell: Any, value: str | None) -> None:
    """Write *value* into *cell* as text, never as a formula."""
    cell.value = value if value else None
    if value:
        cell.data_type = "s"
        if value.startswith(_FORMULA_START):
            cell.quotePrefix = True


def _save(workbook: Any, path: Path) -> None:
    tmp = path.with_name(f".{path.name}.tmp")
    try:
        workbook.save(tmp)
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def _header(sheet: Any, names: Sequence[str], widths: Sequence[int]) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    for i, (name, width) in enumerate(zip(names, widths, strict=True), start=1):
        cell = sheet.cell(row=1, column=i)
        _text(cell, name)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor=_HEADER_FILL)
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "C2"


#: The template columns that carry a note (``sheets.help.<column>`` in the catalogue).
_TEMPLATE_HELP = ("set", "indicator", "unit", "value", "confidence", "source_act", "source_url")


def write_template(cs: CriteriaSet, rows: list[dict[str, str]], columns: Sequence[str],
                   editable: Sequence[str], path: Path, lang: Lang = "vi") -> None:
    """Write fill-in template *rows* of *cs* as a workbook.

    The columns that describe a cell are locked (sheet protection without a password); the
    *editable* ones are not.  Yes/no rows get a drop-down on ``value``; ``confidence`` a
    drop-down of the names, in *lang*, of the confidences a filler may give (the fill reads
    a name or a code).  The sheet name and the notes on the headers are in *lang*; the
    headers themselves are the column codes the fill reads back.
    """
    from ntmkit.io.fill import _USER_CONFIDENCE

    openpyxl = require_openpyxl()
    from openpyxl.comments import Comment
    from openpyxl.styles import Protection
    from openpyxl.worksheet.datavalidation import DataValidation

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = i18n.text("sheets.template", lang)
    widths = [22 if c in ("name_vi", "name_en", "note", "source_url") else 14 for c in columns]
    _header(sheet, columns, widths)
    for i, name in enumerate(columns, start=1):
        if name in _TEMPLATE_HELP:
            sheet.cell(row=1, column=i).comment = Comment(
                i18n.text(f"sheets.help.{name}", lang), "ntmkit")
    at = {name: i for i, name in enumerate(columns, start=1)}
    yes_no = DataValidation(type="list", formula1='"Đạt"', allow_blank=True,
                            showErrorMessage=True,
                            errorTitle=i18n.text("sheets.yes_no.title", lang),
                            error=i18n.text("sheets.yes_no.error", lang))
    names = ",".join(i18n.confidence_name(c, lang) for c in _USER_CONFIDENCE)
    confidence = DataValidation(type="list", formula1=f'"{names}"', allow_blank=True,
                                showErrorMessage=True,
                                errorTitle=i18n.text("sheets.confidence.title", lang),
                                error=i18n.text("sheets.confidence.error", lang))
    sheet.add_data_validation(yes_no)
    sheet.add_data_validation(confidence)
    unlocked = Protection(locked=False)
    for r, row in enumerate(rows, start=2):
        for name, c in at.items():
            cell = sheet.cell(row=r, column=c)
            _text(cell, row.get(name, ""))
            if name in editable:
                cell.protection = unlocked
        if row.get("comparator") == "achieved":
            yes_no.add(sheet.cell(row=r, column=at["value"]).coordinate)
        confidence.add(sheet.cell(row=r, column=at["confidence"]).coordinate)
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.protection.autoFilter = False
    sheet.protection.sort = False
    sheet.auto_filter.ref = sheet.dimensions
    _save(workbook, path)


def write_assessments(cs: CriteriaSet, results: Sequence[Assessment], path: Path,
                      lang: Lang = "vi") -> None:
    """Write assessments as a workbook: a sheet of verdicts (coloured), a sheet of gaps.

    Sheet names, headers, verdicts, tiers, regions, units and the colour legend are in
    *lang* (Vietnamese by default), from the message catalogue (section ``sheets``).
    """
    openpyxl = require_openpyxl()
    from openpyxl.styles import PatternFill

    lang = i18n.check_lang(lang)
    vi = lang == "vi"

    def t(key: str, /, **fields: object) -> str:
        return i18n.text(f"sheets.{key}", lang, **fields)

    workbook = openpyxl.Workbook()
    verdicts = workbook.active
    verdicts.title = t("verdicts")
    criteria = list(cs.criteria)
    head = [t(f"col.{k}") for k in ("code", "name", "set", "column", "verdict", "met", "total",
                                     "tier")]
    head += [t("col.criterion", code=c) for c in criteria]
    _header(verdicts, head, [12, 24, 24, 18, 14, 10, 10, 12] + [9] * len(criteria))
    fills = {k: PatternFill("solid", fgColor=v) for k, v in VERDICT_COLOURS.items()}

    def verdict_cell(sheet: Any, row: int, column: int, verdict: Any) -> None:
        cell = sheet.cell(row=row, column=column)
        _text(cell, i18n.verdict_name(verdict, lang))
        cell.fill = fills[verdict.value]

    for r, a in enumerate(results, start=2):
        column = a.region_column
        for c, text in enumerate([a.unit.code or "", a.unit.name, f"{a.set_id}@{a.set_version}",
                                  "" if column is None else i18n.region_name(column, lang)],
                                 start=1):
            _text(verdicts.cell(row=r, column=c), text)
        verdict_cell(verdicts, r, 5, a.verdict)
        verdicts.cell(row=r, column=6, value=a.met)
        verdicts.cell(row=r, column=7, value=a.total)
        _text(verdicts.cell(row=r, column=8),
              i18n.text(f"common.tier.{a.tier.value}", lang) if a.tier else "")
        for c, code in enumerate(criteria, start=9):
            verdict_cell(verdicts, r, c, a.criteria[code].verdict)
    verdicts.auto_filter.ref = verdicts.dimensions
    note_row = len(results) + 3
    _text(verdicts.cell(row=note_row, column=1),
          t("version", key=cs.key, fingerprint=cs.fingerprint))
    _text(verdicts.cell(row=note_row + 1, column=1), t("legend"))
    for c, verdict in enumerate(Verdict, start=2):
        verdict_cell(verdicts, note_row + 1, c, verdict)

    gaps = workbook.create_sheet(t("gaps"))
    head = [t(f"col.{k}") for k in ("code", "name", "criterion_code", "indicator",
                                     "indicator_name", "value", "threshold", "distance", "unit")]
    _header(gaps, head, [12, 24, 9, 12, 40, 10, 10, 12, 24])
    r = 2
    for a in results:
        for g in a.gaps():
            indicator = cs.indicators.get(g.indicator)
            name = "" if indicator is None else (indicator.name_vi if vi else indicator.name_en)
            for c, text in enumerate([a.unit.code or "", a.unit.name, g.criterion, g.indicator,
                                      name], start=1):
                _text(gaps.cell(row=r, column=c), text)
            for c, number in ((6, g.value), (7, g.threshold), (8, g.distance)):
                if isinstance(number, bool):
                    _text(gaps.cell(row=r, column=c), i18n.verdict_name(
                        Verdict.MET if number else Verdict.NOT_MET, lang))
                elif isinstance(number, (int, float)):
                    gaps.cell(row=r, column=c, value=number)
                elif number is not None:
                    _text(gaps.cell(row=r, column=c), str(number))
            _text(gaps.cell(row=r, column=9), i18n.unit_name(g.unit, lang))
            gaps.cell(row=r, column=6).fill = fills["not_met"]
            r += 1
    gaps.auto_filter.ref = gaps.dimensions
    _save(workbook, path)
