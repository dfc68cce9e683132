"""Words of the HTML report, the points report and the notebook displays."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    # The assessment report: head and summary
    "title": ("Báo cáo đánh giá nông thôn mới", "New Rural Development assessment report"),
    "unknown_note": ("Nhiều ngưỡng của bộ tiêu chí chưa được công bố trong các nguồn đã tra "
                     "cứu: các chỉ tiêu đó được ghi là Chưa rõ, không bao giờ tính là Đạt.",
                     "Many thresholds of this set are not in the published sources searched: "
                     "those indicators are unknown, never counted as met."),
    "set": ("Bộ tiêu chí", "Criteria set"),
    "legal": ("Căn cứ", "Legal basis"),
    "fingerprint": ("Dấu vân tay", "Fingerprint"),
    "communes": ("Số xã", "Communes"),
    "generated": ("Tạo lúc", "Generated"),
    "summary": ("Tổng hợp", "Summary"),
    "verdict": ("Kết luận", "Verdict"),
    "tier": ("Hạng đạt được", "Tier reached"),
    "note_first": ("{shown} / {total} xã đầu tiên; phần tổng hợp tính tất cả. Danh sách đầy "
                   "đủ: {command}.",
                   "The first {shown} of {total} communes; the summary counts them all. Every "
                   "commune: {command}."),
    # The share of communes meeting each criterion
    "pass": ("Tỷ lệ xã đạt theo tiêu chí", "Share of communes meeting each criterion"),
    "pass_caption": ("Số xã theo kết luận ở từng tiêu chí, trên tổng số {total} xã.",
                     "Communes by verdict for each criterion, out of {total}."),
    "criterion": ("Tiêu chí", "Criterion"),
    "share": ("Tỷ lệ", "Share"),
    "bar_tip": ("{verdict}: {count}/{total} xã", "{verdict}: {count} of {total} communes"),
    "legend": ("Chú giải", "Legend"),
    "legend.met": ("xã đạt tiêu chí", "the commune meets the criterion"),
    "legend.not_met": ("ít nhất một chỉ tiêu chưa đạt", "at least one indicator is not met"),
    "legend.unknown": ("thiếu số liệu hoặc ngưỡng chưa công bố; không bao giờ tính là Đạt",
                       "data or threshold missing; never counted as met"),
    "legend.not_applicable": ("tiêu chí không áp dụng cho xã",
                              "the criterion does not apply to the commune"),
    # Each commune
    "profiles": ("Từng xã", "Communes"),
    "code": ("Mã", "Code"),
    "commune": ("Xã", "Commune"),
    "column": ("Vùng (cột ngưỡng)", "Region (threshold column)"),
    "criteria_met": ("Tiêu chí đạt", "Criteria met"),
    "not_met": ("Tiêu chí chưa đạt", "Criteria not met"),
    "unknown": ("Tiêu chí chưa rõ", "Criteria unknown"),
    "marks": ("Dấu sau mã tiêu chí: {provisional} tạm tính, {declared} khai báo, {conflict} "
              "khai báo khác kết quả tính.",
              "After a criterion code: {provisional} provisional, {declared} declared, "
              "{conflict} declared differs from computed."),
    # Indicator values against thresholds
    "dist": ("Phân bố chỉ tiêu so với ngưỡng", "Indicator values against thresholds"),
    "dist_note": ("Mỗi chấm là một xã, màu theo kết luận của chỉ tiêu. Vạch đứt là ngưỡng: "
                  "một vạch cho mỗi ngưỡng khác nhau giữa các vùng.",
                  "Each dot is a commune, coloured by the indicator's verdict. Dashed lines are "
                  "thresholds: one per threshold that differs between regions."),
    "dist_hover": ("Đưa chuột lên chấm để xem tên xã; bảng số liệu bên dưới ghi tên xã của "
                   "từng chấm.",
                   "Hover a dot for the commune's name; the table below names the commune of "
                   "every dot."),
    "dot": ("{commune}: {value} — {verdict}; ngưỡng {threshold}",
            "{commune}: {value} — {verdict}; threshold {threshold}"),
    "threshold": ("Ngưỡng", "Threshold"),
    "threshold_of": ("Ngưỡng {threshold}: {regions}", "Threshold {threshold}: {regions}"),
    "thresholds_by_region": ("{count} ngưỡng theo vùng", "{count} thresholds by region"),
    "threshold_unknown_for": ("Chưa rõ ngưỡng cho {count} xã", "Threshold unknown for {count} "
                              "communes"),
    "values": ("Bảng số liệu các chấm ({count} xã)", "Values of the dots ({count} communes)"),
    "values_caption": ("✓ đạt, ✗ chưa đạt, ? chưa rõ (thiếu ngưỡng); trống: không có số liệu.",
                       "✓ met, ✗ not met, ? unknown (no threshold); empty: no data."),
    "sample_note": ("Các chấm là {shown} xã đầu tiên trong {total} xã.",
                    "The dots are the first {shown} of {total} communes."),
    # Targets and trajectories
    "targets": ("Tiến độ so với mục tiêu", "Toward the targets"),
    "target": ("Mục tiêu", "Target"),
    "wording": ("Yêu cầu", "Requirement"),
    "current": ("Hiện có", "Current"),
    "required": ("Cần đạt", "Required"),
    "more": ("Còn thiếu", "More needed"),
    "closest": ("Xã gần đạt nhất", "Closest communes"),
    "basis": ("Cơ sở; mẫu số", "Basis; denominator"),
    "outcome": ("Kết quả", "Outcome"),
    "trajectory": ("Diễn biến qua các năm", "Trajectory over the years"),
    "trajectory_note": ("Số tiêu chí đạt mỗi năm; chấm màu: hạng đạt được năm đó (xám: chưa "
                        "đạt hạng nào).",
                        "Criteria met each year; dot colour: the tier reached that year (grey: "
                        "none)."),
    "trajectory_dot": ("năm {year}: {met}/{total} tiêu chí", "{year}: {met}/{total} criteria"),
    # Notebook displays of one assessment and of a criteria set
    "indicator": ("Chỉ tiêu", "Indicator"),
    "value": ("Giá trị", "Value"),
    "confidence": ("Độ tin cậy", "Confidence"),
    "unit": ("Đơn vị", "Unit"),
    "thresholds_known": ("Ngưỡng đã biết", "Thresholds known"),
    "indicators_incomplete": ("danh sách chỉ tiêu chưa đủ", "indicator list incomplete"),
    "value.true": ("Đạt", "achieved"),
    "value.false": ("Chưa đạt", "not achieved"),
    "by_sex": ("nam {men}; nữ {women}", "men {men}; women {women}"),
    "missing": ("thiếu", "missing"),
    "does_not_apply": ("không áp dụng", "does not apply"),
    "unknown_threshold": ("chưa rõ", "unknown"),
    "candidate": ("chưa rõ (dự kiến {value})", "unknown (candidate {value})"),
    "badge.provisional": ("tạm tính", "provisional"),
    "badge.declared": ("khai báo", "declared"),
    "badge.conflict": ("mâu thuẫn", "conflict"),
    # The points report
    "points.title": ("Báo cáo chấm điểm", "Points report"),
    "points.ranking": ("Bảng xếp hạng", "Ranking"),
    "points.rank": ("Hạng", "Rank"),
    "points.unit": ("Đơn vị", "Unit"),
    "points.total": ("Tổng điểm", "Total"),
    "points.band": ("Xếp loại", "Band"),
    "points.components": ("Điểm thành phần", "Component points"),
    "points.undecided": ("chưa xác định", "undecided"),
    "points.not_scored": ("không tính điểm", "not scored"),
    "points.note": ("Điểm chưa rõ không bao giờ được tính là 0; hạng bằng nhau dùng chung "
                    "thứ hạng.", "Unknown points are never counted as 0; equal values share a "
                    "rank."),
}
