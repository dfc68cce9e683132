"""Errors a command-line user meets most, in Vietnamese and English.

Each English side is the exact template of a message ntmkit's library writes (a raise site
gives the key and its fields, see :class:`ntmkit.NtmkitError`), so it also serves as the
pattern that finds the message inside a longer one: the readers put where the problem is in
front (``a.csv, row 3, column '3.1': …``), and :func:`translate` renders that location and the
detail after it in Vietnamese.  A message no entry matches keeps its English text.
"""

from __future__ import annotations

import functools
import re
import string
from typing import Any

MESSAGES: dict[str, tuple[str, str]] = {
    # Where a problem is: the pieces of the location in front of a message.
    "where.row": ("dòng {row}", "row {row}"),
    "where.column": ("cột {column}", "column {column}"),
    "where.indicator": ("chỉ tiêu {indicator} ({name})", "indicator {indicator} ({name})"),
    "where.indicator_code": ("chỉ tiêu {indicator}", "indicator {indicator}"),
    # The file itself.
    "cannot_read": ("{file}: không đọc được: {reason}", "{file}: cannot read: {reason}"),
    "no_such_file": ("không có tệp hoặc thư mục này", "No such file or directory"),
    "input_folder": ("{file}: đây là một thư mục; hãy đưa vào một tệp số liệu",
                     "{file}: is a folder; give an observations file"),
    "file_type": ("{file}: không nhận loại tệp {suffix}; hãy dùng .csv, .json hoặc .xlsx",
                  "{file}: unknown file type {suffix}; use .csv, .json or .xlsx"),
    "empty_file": ("{file}: tệp rỗng", "{file}: the file is empty"),
    "other_encoding": ("{file}: tệp được lưu bằng mã {encoding}; hãy lưu lại bằng UTF-8 (trong "
                       "bảng tính, chọn kiểu CSV UTF-8)",
                       "{file}: the file is {encoding} text; save it as UTF-8 (in Excel: "
                       "'CSV UTF-8 (comma delimited)')"),
    "binary_file": ("{file}: không phải tệp văn bản (có ký tự NUL); hãy đưa vào tệp CSV hoặc "
                    "JSON lưu bằng UTF-8",
                    "{file}: not a text file (it holds NUL bytes); give a CSV or JSON file "
                    "saved as UTF-8"),
    "separator": ("{file}: các cột được ngăn bằng {what} thay vì dấu phẩy (bảng tính đặt "
                  "theo ngôn ngữ dùng dấu phẩy thập phân lưu CSV như vậy); hãy lưu lại dạng "
                  "CSV UTF-8, hoặc thay các dấu ngăn bằng dấu phẩy",
                  "{file}: the columns are separated by {what}, not commas (a spreadsheet set "
                  "to a language that writes decimal commas saves CSV this way); save it "
                  "again as 'CSV UTF-8 (comma delimited)', or replace the separators with "
                  "commas"),
    "semicolons": ("dấu chấm phẩy (';')", "semicolons (';')"),
    "tabs": ("ký tự TAB", "tabs"),
    # The header and the rows.
    "bad_header": ("tiêu đề cột rỗng hoặc sai dạng {header}",
                   "empty or malformed header {header}"),
    "twice": ("{label} xuất hiện hai lần", "{label} appears twice"),
    "cells": ("{count} ô, nhưng dòng tiêu đề có {width} cột",
              "{count} cells, but the header has {width} columns"),
    "no_indicator": ("{key} không có chỉ tiêu {code}", "{key} has no indicator {code}"),
    # Values.
    "not_a_number_unknown": ("cần một số, ví dụ 85 hoặc 85,5, không phải {value}; để trống ô "
                             "khi chưa biết giá trị",
                             "expected a number such as 85 or 85.5, got {value}; leave the "
                             "cell empty when the value is not known"),
    "not_a_number": ("cần một số, ví dụ 85 hoặc 85,5, không phải {value}",
                     "expected a number such as 85 or 85.5, got {value}"),
    "ambiguous_number": ("{value} không rõ nghĩa: dấu phân cách hàng nghìn hay dấu phẩy thập "
                         "phân? Ghi {whole} nếu là số nguyên, hoặc dùng dấu chấm thập phân "
                         "({point})",
                         "{value} is ambiguous: a thousands separator or a decimal comma? "
                         "Write {whole} for the whole number, or use a decimal point ({point})"),
    "too_large": ("{value} quá lớn để là một giá trị đo được",
                  "{value} is too large to be a measured value"),
    "out_of_range": ("{value} {unit} nằm ngoài khoảng có thể {bounds} {unit}",
                     "{value} {unit} is outside the possible range {bounds} {unit}"),
    "yes_no_condition": ("chỉ tiêu {indicator} ({name}) là điều kiện có/không: {detail}",
                         "indicator {indicator} ({name}) is a yes/no condition: {detail}"),
    "yes_no": ("cần giá trị có/không (Đạt / Chưa đạt, có / không), không phải {value}",
               "expected a yes/no value (Đạt / Chưa đạt, yes / no), got {value}"),
    "region": ("không rõ vùng {text}; hãy dùng mã như 'red_river_delta' hoặc tên tiếng Việt "
               "như 'Đồng bằng sông Hồng'",
               "unknown region {text}; use a slug such as 'red_river_delta' or the "
               "Vietnamese name such as 'Đồng bằng sông Hồng'"),
    "no_region": ("không rõ vùng (hãy thêm cột 'region', một 'province' đã biết vùng, hoặc "
                  "ntmkit.assess(region=…))",
                  "no region (give a 'region' column, a 'province' whose region is known, or "
                  "region=)"),
    "commune_class": ("{value} không phải một loại xã ntmkit biết",
                      "{value} is not a valid CommuneClass"),
    "year_literal": ("cần một số nguyên (ví dụ năm 2024), không phải {value}",
                     "invalid literal for int() with base 10: {value}"),
    # Units.
    "unit_mismatch": ("không đổi được {from_unit} sang {to_unit}, đơn vị đo của chỉ tiêu này "
                      "({reason})",
                      "cannot convert {from_unit} to {to_unit}, the unit this indicator is "
                      "measured in ({reason})"),
    "dimensions": ("{unit} và {other_unit} đo những đại lượng khác nhau",
                   "{unit} and {other_unit} measure different things"),
    "undefined_unit": ("{unit} không phải đơn vị ntmkit biết",
                       "{unit} is not defined in the unit registry"),
    # The registry.
    "no_set": ("không có bộ tiêu chí {set_id} trong danh mục (các bộ có: {known})",
               "no criteria set {set_id} in the registry (known sets: {known})"),
    "no_version": ("{set_id} không có phiên bản {version} (các phiên bản: {versions})",
                   "{set_id} has no version {version} (versions: {versions})"),
    # Output files.
    "output_folder_missing": ("{file}: không ghi được: thư mục {folder} không tồn tại; hãy "
                              "tạo thư mục trước hoặc ghi vào chỗ khác",
                              "{file}: cannot write: the folder {folder} does not exist; "
                              "create it first or write elsewhere"),
    "output_parent_not_folder": ("{file}: không ghi được: {folder} không phải một thư mục; "
                                 "hãy tạo thư mục trước hoặc ghi vào chỗ khác",
                                 "{file}: cannot write: the folder {folder} is not a folder; "
                                 "create it first or write elsewhere"),
    "output_is_folder": ("{file}: đây là một thư mục; hãy ghi tên một tệp",
                         "{file}: is a folder; give the name of a file to write"),
    "output_no_name": ("{file}: hãy ghi tên một tệp, không phải một thư mục",
                       "{file}: give a file name to write, not a folder"),
    "output_is_input": ("{file}: đây là tệp đầu vào {source}; hãy ghi kết quả ra tệp khác",
                        "{file}: is the input file {source}; write the output to another "
                        "file"),
    # Fill-in files.
    "fill_header": ("{file}: dòng tiêu đề thiếu (các) cột {columns}; hãy bắt đầu từ một mẫu "
                    "do 'ntmkit criteria template' ghi ra",
                    "{file}: the header lacks the column(s) {columns}; start from a template "
                    "written by 'ntmkit criteria template'"),
    "fill_not_utf8": ("{file}: không phải văn bản UTF-8; hãy lưu lại dạng 'CSV UTF-8'",
                      "{file}: not UTF-8 text; save it as 'CSV UTF-8'"),
    "fill_nothing": ("{file}: không dòng nào có giá trị; không có gì để điền",
                     "{file}: no row has a value; nothing to fill"),
}

#: Fields whose value is itself a message (translated in turn) or a unit (named in words).
_NESTED = frozenset({"detail", "reason", "what"})
_UNITS = frozenset({"unit", "other_unit", "from_unit", "to_unit"})
#: The location pieces, tried on each part of the text in front of a message.
_WHERE = ("where.indicator", "where.indicator_code", "where.row", "where.column")


def _regex(template: str) -> re.Pattern[str]:
    """The English *template* as a pattern: each ``{field}`` matches any text."""
    parts, seen = [], set()
    for literal, name, _, _ in string.Formatter().parse(template):
        parts.append(re.escape(literal))
        if name:
            # A field holds no ': ' (that separates a location from what is wrong there),
            # unless it is itself a message.
            any_text = ".+?" if name in _NESTED else "(?:(?!: ).)+?"
            parts.append(f"(?P={name})" if name in seen else f"(?P<{name}>{any_text})")
            seen.add(name)
    return re.compile("".join(parts), re.DOTALL)


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    return tuple((key, _regex(en)) for key, (_, en) in MESSAGES.items()
                 if not key.startswith("where."))


@functools.cache
def _indicator_names() -> dict[str, str]:
    """English indicator names → Vietnamese ones, over the bundled sets."""
    from ntmkit import registry

    names: dict[str, str] = {}
    reg = registry.default()
    for summary in reg.list():
        try:
            cs = reg.get(summary.id, version=summary.version)
        except Exception:  # a set that does not build has no names to give
            continue
        for ind in cs.indicators.values():
            names.setdefault(ind.name_en, ind.name_vi)
    return names


def _field(name: str, value: str) -> str:
    from ntmkit import i18n

    if name in _NESTED:
        return _detail(value) or value
    if name in _UNITS:
        quoted = len(value) > 1 and value[0] == value[-1] == "'"
        named = i18n.unit_name(value[1:-1] if quoted else value, "vi")
        return f"'{named}'" if quoted else named
    if name == "name":
        return _indicator_names().get(value, value)
    if name == "file":
        return _where(value)
    if name == "columns":
        return ", ".join(f"'{column}'" for column in value.split(", "))
    return value


def _render(key: str, match: re.Match[str]) -> str:
    vi, _ = MESSAGES[key]
    return vi.format(**{k: _field(k, v) for k, v in match.groupdict().items()})


def _detail(text: str) -> str | None:
    """*text* in Vietnamese if one entry matches the whole of it, else ``None``."""
    for key, pattern in _patterns():
        match = pattern.fullmatch(text)
        if match:
            return _render(key, match)
    return None


def _where(part: str) -> str:
    """A location part (``a.csv, row 3, column '3.1'``) in Vietnamese; unknown pieces kept."""
    for key in _WHERE:
        match = _regex(MESSAGES[key][1]).fullmatch(part)
        if match:
            return _render(key, match)
    pieces = part.split(", ")
    if len(pieces) == 1:
        return part
    return ", ".join(_where(piece) for piece in pieces)


def translate(message: str) -> str | None:
    """*message* in Vietnamese, or ``None`` when no entry matches its detail.

    The message is read as ``location: …: detail``; the longest tail that an entry matches
    whole is the detail, and each part in front of it is a location.
    """
    parts = message.split(": ")
    for start in range(len(parts)):
        found = _detail(": ".join(parts[start:]))
        if found is not None:
            return ": ".join([*(_where(p) for p in parts[:start]), found])
    return None


def error_text(exc: BaseException, lang: str = "vi") -> str:
    """The message of *exc* in *lang*: English as the library wrote it, or Vietnamese.

    An error raised with a ``key`` renders that entry; otherwise the message is matched
    against the entries (:func:`translate`); a message none matches stays in English.
    """
    message = str(exc)
    if lang == "en":
        return message
    key: Any = getattr(exc, "key", None)
    fields: Any = getattr(exc, "fields", None) or {}
    if key and key.startswith("errors."):
        rest = key.removeprefix("errors.")
        if rest in MESSAGES and MESSAGES[rest][1].format(**fields) == message:
            return MESSAGES[rest][0].format(**{k: _field(k, str(v)) for k, v in fields.items()})
    try:
        found = translate(message)
    except Exception:  # an error must still be shown, in English at worst
        found = None
    return message if found is None else found
