"""Why a verdict is what it is, and the notes of an assessment, in both languages.

Scoring keeps its reasons and notes as plain English data (``IndicatorResult.reason``,
``Assessment.notes``, the trace).  Each entry here gives the Vietnamese beside the exact
English that scoring writes, so that :func:`translate` can read a reason back and say it in
Vietnamese: the English side is a pattern, its ``{fields}`` the parts that vary.  A reason
that matches no entry is shown as written.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Mapping
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ntmkit.i18n import Lang

MESSAGES: dict[str, tuple[str, str]] = {
    # Indicators.
    "no_data": ("chưa có số liệu", "no data"),
    "incomplete_data": ("số liệu chưa đủ ({observed})", "incomplete data ({observed})"),
    "no_threshold_here": ("không có ngưỡng cho trường hợp này",
                          "no threshold for this context"),
    "does_not_apply": ("không áp dụng ở đây", "does not apply here"),
    "threshold_confidence": ("ngưỡng {confidence}", "threshold {confidence}"),
    "provisional_candidate": ("tạm tính: giá trị ứng viên {candidate} của một ngưỡng "
                              "{confidence}",
                              "provisional: candidate {candidate} of a threshold that is "
                              "{confidence}"),
    "not_checked": ("chưa đối chiếu với văn bản sau ngày {date}", "not checked after {date}"),
    "declared_not_applicable": ("khai báo không áp dụng: chỉ tiêu chỉ áp dụng khi {condition}",
                                "declared not applicable: it binds only where {condition}"),
    "relative_unknown": ("{percent} % của chỉ tiêu {indicator} thuộc {set}, chưa rõ giá trị "
                         "của chỉ tiêu đó",
                         "{percent} % of {set} indicator {indicator}, whose value is unknown"),
    "relative_provisional": ("{percent} % của chỉ tiêu {indicator} thuộc {set} (tạm tính: "
                             "giá trị ứng viên {candidate})",
                             "{percent} % of {set} indicator {indicator} (provisional: "
                             "candidate {candidate})"),
    "relative": ("{percent} % của chỉ tiêu {indicator} thuộc {set}",
                 "{percent} % of {set} indicator {indicator}"),
    "no_children": ("không có đơn vị con", "no child units"),
    "more_children": ("cần thêm {count} đơn vị con", "{count} more child unit(s) needed"),
    "children_unknown": ("tùy vào {count} đơn vị con chưa rõ",
                         "depends on {count} child unit(s) of unknown status"),
    # Criteria.
    "partial": ("bộ dữ liệu chưa có đủ các chỉ tiêu của tiêu chí này",
                "the registry does not hold every indicator of this criterion"),
    "none": ("bộ dữ liệu chưa có các chỉ tiêu của tiêu chí này",
             "the indicators of this criterion are not in the registry"),
    "conflict_provisional": ("khai báo {declared}, nhưng số liệu các chỉ tiêu cho "
                             "{computed} (tạm tính)",
                             "declared {declared}, but the indicator values give "
                             "{computed} (provisional)"),
    "conflict": ("khai báo {declared}, nhưng số liệu các chỉ tiêu cho {computed}",
                 "declared {declared}, but the indicator values give {computed}"),
    "declared_agree": ("do người đánh giá khai báo; số liệu các chỉ tiêu cũng cho kết quả này",
                       "declared by the observer; the indicator values agree"),
    "declared": ("do người đánh giá khai báo", "declared by the observer"),
    "criterion": ("tiêu chí {code} ({reason})", "criterion {code} ({reason})"),
    "criterion_missing": ("tiêu chí {code} (chỉ tiêu chưa có trong bộ dữ liệu)",
                          "criterion {code} (indicators not in the registry)"),
    "indicators_missing": ("chỉ tiêu chưa có trong bộ dữ liệu",
                           "indicators not in the registry"),
    "set_incomplete": ("{key} chưa có đủ trong bộ dữ liệu",
                       "{key} is not complete in the registry"),
    # Notes of an assessment.
    "region_map": ("vùng của tỉnh {province} lấy theo bản đồ hành chính trước tháng 7/2025 "
                   "(xã không ghi phiên bản địa giới)",
                   "region of {province} taken from the pre-2025-07 map "
                   "(the commune gives no edition)"),
    "stale": ("{key} được đối chiếu với văn bản lần cuối ngày {checked}; ngày đánh giá "
              "{when} muộn hơn",
              "{key} was last checked against the law on {checked}; the assessment date "
              "{when} is later"),
    "not_in_force": ("{key} không có hiệu lực vào ngày {on}", "{key} is not in force on {on}"),
}

_FIELD = re.compile(r"\{(\w+)\}")


@functools.cache
def _patterns() -> tuple[tuple[str, re.Pattern[str]], ...]:
    from ntmkit.i18n.points import MESSAGES as POINTS

    out = []
    pairs = [(f"reasons.{key}", pair) for key, pair in MESSAGES.items()]
    pairs += [(f"points.{key}", pair) for key, pair in POINTS.items() if key.startswith("reason.")]
    for key, (_, english) in pairs:
        parts = _FIELD.split(english)
        pattern = "".join(re.escape(part) if n % 2 == 0 else
                          rf"(?P<{part}>\d+)" if part == "count" else f"(?P<{part}>.+?)"
                          for n, part in enumerate(parts))
        out.append((key, re.compile(f"^{pattern}$", re.DOTALL)))
    return tuple(out)


def _field(name: str, value: str, lang: Lang, names: Mapping[str, str]) -> str:
    from ntmkit import i18n

    if name == "confidence":
        return i18n.confidence_name(value, lang)
    if name in ("declared", "computed"):
        return i18n.verdict_name(value, lang)
    if name in ("reason", "observed"):
        return translate(value, lang, names)
    if name == "band":
        return names.get(value, value)
    if name == "province":
        return value.strip("'\"")
    return value


def translate(reason: str, lang: Lang = "vi", names: Mapping[str, str] | None = None) -> str:
    """*reason* (a reason or note as scoring writes it, in English) said in *lang*.

    *names* maps English names that a reason quotes (a points band's label) to their names
    in *lang*.

    >>> translate("threshold unknown", "vi")
    'ngưỡng chưa rõ'
    >>> translate("criterion 17 (declared met, but the indicator values give not_met)", "vi")
    'tiêu chí 17 (khai báo Đạt, nhưng số liệu các chỉ tiêu cho Chưa đạt)'
    >>> translate("something new", "vi")
    'something new'
    """
    from ntmkit import i18n

    for key, pattern in _patterns():
        found = pattern.match(reason)
        if found is not None:
            values = {k: _field(k, v, lang, names or {}) for k, v in found.groupdict().items()}
            return i18n.text(key, lang, **values)
    return reason
