"""The words of targets and of progress toward them.

Used by :meth:`ntmkit.targets.Target.wording` and :meth:`ntmkit.standing.Progress.words`.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "wording": ("{symbol} {value} · {what}", "{symbol} {value} · {what}"),
    "wording_indicator": ("chỉ tiêu {code} của {set}", "{set} indicator {code}"),
    "basis.recognised": ("đã công nhận", "recognised"),
    "basis.computed": ("tính từ số liệu", "computed from data"),
    "basis.declared": ("kê khai", "declared"),
    "units.village": ("thôn", "villages"),
    "units.commune": ("xã", "communes"),
    "units.district": ("huyện", "districts"),
    "units.province": ("tỉnh", "provinces"),
    "all": ("tất cả {units}", "all {units}"),
    "among": ("{units} đạt {tier}", "{units} holding {tier}"),
    "reached.true": ("Đạt", "reached"),
    "reached.false": ("Chưa đạt", "not reached"),
    "reached.none": ("Chưa rõ", "undecided"),
    "approximate": ("khoảng", "about"),
}
