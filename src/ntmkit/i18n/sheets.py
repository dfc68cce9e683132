"""The words of the workbooks ntmkit writes (:mod:`ntmkit.io.xlsx`).

Sheet names, headers, legends, the notes on template columns and the messages of their
drop-downs.

The column names of a fill-in template (``set``, ``indicator``, ``value`` …) are codes that
``ntmkit criteria fill`` reads back, and stay as they are; ``help.*`` explains each one.
"""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "template": ("Mẫu điền ngưỡng", "Thresholds to fill"),
    "verdicts": ("Kết quả", "Verdicts"),
    "gaps": ("Chỉ tiêu chưa đạt", "Gaps"),
    "col.code": ("Mã xã", "Code"),
    "col.name": ("Tên xã", "Name"),
    "col.set": ("Bộ tiêu chí", "Set"),
    "col.column": ("Cột ngưỡng", "Threshold column"),
    "col.verdict": ("Kết luận", "Verdict"),
    "col.met": ("Số tiêu chí đạt", "Criteria met"),
    "col.total": ("Tổng số tiêu chí", "Criteria"),
    "col.tier": ("Mức đạt", "Tier"),
    "col.criterion": ("Tiêu chí {code}", "Criterion {code}"),
    "col.criterion_code": ("Tiêu chí", "Criterion"),
    "col.indicator": ("Chỉ tiêu", "Indicator"),
    "col.indicator_name": ("Tên chỉ tiêu", "Indicator name"),
    "col.value": ("Giá trị", "Value"),
    "col.threshold": ("Ngưỡng", "Threshold"),
    "col.distance": ("Khoảng cách", "Distance"),
    "col.unit": ("Đơn vị", "Unit"),
    "legend": ("Chú giải màu:", "Colours:"),
    "version": ("Bộ tiêu chí {key}; phiên bản {fingerprint}",
                "Criteria set {key}; fingerprint {fingerprint}"),
    "help.set": ("bộ tiêu chí (không sửa)", "criteria set (do not edit)"),
    "help.indicator": ("mã chỉ tiêu (không sửa)", "indicator code (do not edit)"),
    "help.unit": ("đơn vị của giá trị; có thể đổi sang đơn vị của văn bản bạn có",
                  "unit of the value; you may change it to the unit of the text you have"),
    "help.value": ("giá trị ngưỡng đọc từ văn bản; chỉ tiêu có/không: chọn 'Đạt'",
                   "threshold value read from the text; yes/no indicators: choose 'Đạt'"),
    "help.confidence": ("chọn trong danh sách: đã kiểm chứng (văn bản gốc, hoặc hai nguồn "
                        "khác nhau), một nguồn nhắc lại, hoặc văn bản hướng dẫn của bộ",
                        "choose from the list: verified (the act's own text, or two different "
                        "sources), restated (one source) or ministry guidance"),
    "help.source_act": ("số hiệu văn bản, ví dụ 318/QĐ-TTg", "number of the act, e.g. 318/QĐ-TTg"),
    "help.source_url": ("đường dẫn tới văn bản", "address of the text"),
    "yes_no.title": ("Đạt", "Đạt"),
    "yes_no.error": ("Chỉ tiêu có/không: chọn 'Đạt' hoặc để trống.",
                     "Yes/no indicator: choose 'Đạt' or leave it empty."),
    "confidence.title": ("Độ tin cậy", "Confidence"),
    "confidence.error": ("Chọn một mục trong danh sách.", "Choose an item of the list."),
}
