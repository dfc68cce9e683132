"""The words of ``Assessment.explain`` and ``PointsAssessment.explain``."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "head": ("{name} ({code}) — {key}", "{name} ({code}) — {key}"),
    "context": ("Năm {year}; vùng {region}; cột ngưỡng áp dụng: {column}",
                "Year {year}; region {region}; threshold column used: {column}"),
    "subst": ("Áp dụng mức của vùng {column} vì xã thuộc diện: {classes} (độ tin cậy: {conf})",
              "Uses the {column} column because the commune is classed as: {classes} "
              "(confidence: {conf})"),
    "score": ("Kết quả: {verdict} — đạt {met}/{total} tiêu chí",
              "Result: {verdict} — {met}/{total} criteria met"),
    "tier": ("Hạng đạt được: {tier}", "Tier reached: {tier}"),
    "undecided": ("Chưa thể kết luận: {reasons}", "Cannot be decided: {reasons}"),
    "more": ("… (thêm {count})", "… (+{count})"),
    "incomplete": ("Lưu ý: bộ dữ liệu chưa có đủ mọi tiêu chí/chỉ tiêu, nên không thể kết "
                   "luận Đạt.",
                   "Note: the registry does not hold every criterion/indicator of this set, "
                   "so it cannot be met as a whole."),
    "criterion": ("Tiêu chí {code}. {name}: {verdict}", "Criterion {code}. {name}: {verdict}"),
    "gap": ("cách ngưỡng {gap} {unit}", "off by {gap} {unit}"),
    "prereq": ("Điều kiện tiên quyết: {key}: {verdict} ({score})",
               "Prerequisite: {key}: {verdict} ({score})"),
    "fingerprint": ("Phiên bản bộ tiêu chí: {fingerprint}",
                    "Criteria set fingerprint: {fingerprint}"),
    "candidate": ("tạm tính theo giá trị ứng viên {candidate}",
                  "provisional, candidate value {candidate}"),
    "declared": ("khai báo", "declared"),
    "conflict": ("mâu thuẫn: khai báo {declared}, số liệu cho {computed}",
                 "conflict: declared {declared}, the values give {computed}"),
    "policy": ("Ngưỡng tạm tính: kết luận dựa trên giá trị ứng viên chưa được xác nhận "
               "được đánh dấu (tạm tính).",
               "Provisional thresholds: verdicts that rest on an unconfirmed candidate value "
               "are marked (provisional)."),
    "resolution": ("Bộ tiêu chí: {resolution}", "Criteria set: {resolution}"),
    "relative": ("{rule} {percent} % × {set} {indicator}",
                 "{rule} {percent} % × {set} {indicator}"),
    "share": ("{met}/{total} đơn vị con", "{met}/{total} child units"),
    "share_unknown": ("{met}/{total} đơn vị con, {unknown} chưa rõ",
                      "{met}/{total} child units, {unknown} unknown"),
    "basis.recognised": ("đã công nhận", "recognised"),
    "basis.computed": ("tính từ số liệu", "computed from data"),
    "basis.declared": ("kê khai", "declared"),
    "note": ("Ghi chú: {note}", "Note: {note}"),
    # Points schemes (``PointsAssessment.explain``).
    "points.total": ("Tổng điểm: {total} / {maximum}{share}",
                     "Total: {total} / {maximum}{share}"),
    "points.total_unknown": ("chưa rõ; đã biết {known}", "unknown; known so far {known}"),
    "points.band": ("Hạng: {band} ({reason})", "Band: {band} ({reason})"),
    "points.band_undecided": ("Hạng: chưa xác định ({reason})", "Band: undecided ({reason})"),
    "points.not_scored": ("không tính điểm", "not scored"),
    "points.fingerprint": ("Phiên bản: {fingerprint}", "Fingerprint: {fingerprint}"),
}
