"""The words of points schemes for people.

``PointsAssessment.explain``, the ranking table and the description of a points set
(:mod:`ntmkit.points.present`).

``reason.*`` entries give the Vietnamese beside the exact English that points scoring
writes, so that :func:`ntmkit.i18n.reasons.translate` can say them in Vietnamese.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "code": ("Mã", "Code"),
    "name": ("Tên", "Name"),
    "total": ("Tổng điểm", "Total"),
    "band": ("Hạng", "Band"),
    "maxima": ("Điểm tối đa", "Maxima"),
    "fingerprint": ("phiên bản {fingerprint}", "fingerprint {fingerprint}"),
    "table_note": ("(hạng trong ngoặc; * không tính điểm; '?' chưa xác định)",
                   "(ranks in brackets; * not scored; '?' undecided)"),
    "set_head": ("{act}; hiệu lực {effective}; đối chiếu ngày {checked}; phiên bản {fingerprint}",
                 "{act}; effective {effective}; checked {checked}; fingerprint {fingerprint}"),
    "set_total": ("tổng điểm: {total} ({confidence})", "total: {total} ({confidence})"),
    "component": ("{code}. {name}: tối đa {max} ({confidence}){scored}",
                  "{code}. {name}: max {max} ({confidence}){scored}"),
    "sub": ("{code} {name}: tối đa {max} [{rule}] ({confidence})",
            "{code} {name}: max {max} [{rule}] ({confidence})"),
    "not_scored": (" — không tính điểm", " — not scored"),
    "set_band": ("hạng {band}: từ {min} ({confidence}){gates}",
                 "band {band}: from {min} ({confidence}){gates}"),
    "gates": ("; tiêu chí bắt buộc {codes}", "; gates {codes}"),
    "gates_unknown": ("; tiêu chí bắt buộc chưa có trong bộ dữ liệu",
                      "; mandatory criteria not in the registry"),
    "rule.points": ("điểm", "points"),
    "rule.fixed": ("đạt thì được điểm", "fixed"),
    "rule.steps": ("theo bậc", "steps"),
    "rule.ratio": ("tỷ lệ", "ratio"),
    "rule.role": ("theo vai trò", "role"),
    "reason.points_given": ("điểm đã cho", "points given"),
    "reason.no_data": ("chưa có số liệu", "no data"),
    "reason.achieved": ("đạt", "achieved"),
    "reason.not_achieved": ("chưa đạt", "not achieved"),
    "reason.assessors_mean": ("trung bình điểm của {count} người chấm",
                              "mean of {count} assessors"),
    "reason.assessors_points": ("trung bình điểm của những người chấm",
                                "mean of the assessors' points"),
    "reason.former_units": ("trung bình của {count} đơn vị cũ", "mean of {count} former units"),
    "reason.not_scored": ("không tính điểm: giữ lại nhưng không cộng vào tổng",
                          "not scored: kept, but out of the total"),
    "reason.subs_missing": ("chỉ tiêu thành phần chưa có điểm: {codes}",
                            "sub-indicators without points: {codes}"),
    "reason.subs_partial": ("bộ dữ liệu chưa có đủ các chỉ tiêu thành phần của nhóm này",
                            "the registry does not hold every sub-indicator of this component"),
    "reason.below_bands": ("thấp hơn ngưỡng dưới của mọi hạng", "below every band's lower edge"),
    "reason.band_edge": ("{total} ≥ {edge}", "{total} ≥ {edge}"),
    "reason.ratio_zero": ("mẫu số bằng 0: tỷ lệ không xác định",
                          "the denominator is 0: the ratio is undefined"),
    "reason.maximum": ("điểm tối đa {confidence}", "maximum {confidence}"),
    "reason.gates_without_data": ("tiêu chí bắt buộc của hạng {band} chưa có số liệu: {codes}",
                                  "mandatory criteria of {band} without data: {codes}"),
    "reason.gates_unknown": ("tiêu chí bắt buộc của hạng {band} chưa có trong bộ dữ liệu: chưa "
                             "thể xác nhận hạng",
                             "the mandatory criteria of {band} are not in the registry: the "
                             "class cannot be confirmed"),
    "reason.no_bands": ("hệ thống điểm không chia hạng", "the scheme has no bands"),
    "reason.total_unknown": ("chưa rõ tổng điểm", "the total is unknown"),
    "reason.maxima_disagree": ("tổng điểm tối đa của các nhóm được tính điểm là {summed}, "
                               "nhưng văn bản ghi tổng là {stated}",
                               "the scored components' maxima add up to {summed}, but the "
                               "stated total is {stated}"),
    "reason.sub_maxima_disagree": ("nhóm {code}: tổng điểm tối đa của các chỉ tiêu thành phần "
                                   "là {added}, không phải {maximum}",
                                   "component {code}: its sub-indicators' maxima add up to "
                                   "{added}, not {maximum}"),
}
