"""Words of the docs' criteria catalogue (one page per set version, unknowns, coverage)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "title": ("Danh mục bộ tiêu chí", "Criteria catalogue"),
    "intro": ("Sinh từ dữ liệu của ntmkit khi dựng các trang này: mọi phiên bản bộ tiêu chí, "
              "mọi chỉ tiêu và ngưỡng, kèm đơn vị, nguồn và độ tin cậy.",
              "Generated from ntmkit's registry when these pages were built: every set version, "
              "every indicator and threshold, with its unit, source and confidence."),
    "legal_basis": ("Căn cứ pháp lý", "Legal basis"),
    "amended_by": ("Sửa đổi bởi", "Amended by"),
    "effective": ("Có hiệu lực từ", "Effective"),
    "superseded": ("Hết hiệu lực", "Superseded"),
    "superseded_by": ("{date}, thay bằng {act}", "{date}, by {act}"),
    "checked": ("Ngày đối chiếu nguồn", "Checked against sources"),
    "complete": ("Đầy đủ", "Complete"),
    "complete.no": ("không — không bao giờ đạt được trọn bộ",
                    "no — can never be met as a whole"),
    "fingerprint": ("Mã băm nội dung", "Fingerprint"),
    "cells": ("Ô ngưỡng", "Threshold cells"),
    "cells.value": ("{cells}, đã biết {known} ({share})", "{cells}, {known} known ({share})"),
    "empty_criteria": ("Tiêu chí chưa có chỉ tiêu", "Criteria without indicators"),
    "note": ("Ghi chú", "Note"),
    "substitution": ("Xã thuộc loại {classes} áp dụng cột {region} ({confidence}).",
                     "Communes classed as {classes} use the {region} column ({confidence})."),
    "incomplete": ("Dữ liệu chưa có đủ mọi chỉ tiêu của tiêu chí này.",
                   "The registry does not hold every indicator of this criterion."),
    "empty": ("Dữ liệu chưa có chỉ tiêu nào của tiêu chí này: không thể xét từ số liệu.",
              "The registry holds no indicator of this criterion: it cannot be decided from "
              "values."),
    "rule": ("quy tắc", "rule"),
    "cells_of": ("số ô: {cells}, chưa biết: {unknown}", "cells: {cells}, unknown: {unknown}"),
    "column.context": ("bối cảnh", "context"),
    "column.threshold": ("ngưỡng", "threshold"),
    "column.confidence": ("độ tin cậy", "confidence"),
    "column.sources": ("nguồn", "sources"),
    "column.indicator": ("chỉ tiêu", "indicator"),
    "sources": ("Nguồn", "Sources"),
    "candidate": ("một nguồn ghi {candidate}, chưa dùng", "a source printed {candidate}; not used"),
    "relative": ("{symbol} {factor} % ngưỡng chỉ tiêu {indicator} của {set}",
                 "{symbol} {factor} % of the threshold of indicator {indicator} in {set}"),
    "class": ("loại xã: {name}", "class: {name}"),
    "unknowns.title": ("Các ngưỡng chưa biết", "Unknown values"),
    "unknowns.intro": (
        "Mọi ô ngưỡng mà dữ liệu chưa biết (chưa rõ), chưa tin được (chưa chắc chắn) hoặc chỉ "
        "có do suy ra (một giá trị tham khảo, không bao giờ dùng). Mỗi ô như vậy cho kết luận "
        "Chưa rõ. Các tiêu chí chưa có chỉ tiêu nào được liệt kê sau các ô.",
        "Every threshold cell the registry does not know (unknown), does not trust "
        "(uncertain) or holds only as placed by reasoning (inferred: a candidate, never "
        "used). Each gives UNKNOWN verdicts. Criteria that hold no indicator are listed after "
        "the cells."),
    "unknowns.count": ("{count} ô chưa biết trên {cells} ô.", "{count} unknown of {cells} cells."),
    "coverage.title": ("Mức độ đầy đủ của dữ liệu", "Coverage"),
    "coverage.intro": (
        "Số ô ngưỡng mỗi phiên bản bộ tiêu chí biết, theo độ tin cậy; cùng một cách đếm với "
        "dòng lệnh và với mẫu điền ngưỡng.",
        "How many threshold cells each set version knows, by confidence; the same counts as "
        "`ntmkit criteria coverage` and the fill-in template `ntmkit criteria template`."),
    "registry.set": ("Bộ tiêu chí", "Set"),
    "registry.version": ("Phiên bản", "Version"),
    "registry.in_force": ("Hiệu lực", "In force"),
    "registry.title": ("Tên", "Title"),
    "registry.from": ("từ {date}", "from {date}"),
    "registry.until": ("đến {date}", "until {date}"),
    "cases.title": ("Xã có thật: bao nhiêu kết luận xét được",
                    "Real communes: how many verdicts are decided"),
    "cases.none": ("Không tìm thấy tệp xã nào khi dựng trang này.",
                   "No case files were found in this build."),
    "cases.intro": (
        "Bộ kiểm thử có {count} xã mà mức đạt và số liệu đã được công bố (báo tỉnh, cổng thông "
        "tin xã, huyện, báo cáo thẩm định), mỗi số liệu kèm trang, đơn vị đăng, ngày và câu "
        "trích nguyên văn. Mỗi xã được xét theo bộ tiêu chí có hiệu lực trong năm của nó. Một "
        "kết luận được đếm khi trang có số liệu cho chỉ tiêu (và cho tiêu chí chứa nó); kết "
        "luận xét được khi dữ liệu nói được Đạt hoặc Chưa đạt, và là Chưa rõ khi ngưỡng chưa "
        "rõ hoặc chưa chắc chắn. Các tiêu chí mà trang tự công bố (Đạt) được đếm riêng: "
        "{declared}.",
        "The test suite carries {count} communes whose tier and values were published "
        "(provincial news, commune and district portals, appraisal reports), each value with "
        "its page, publisher, date and a verbatim quote. Each is assessed against the set in "
        "force in its year. A verdict counts when the page gives a value for the indicator "
        "(and for the criterion that holds it); it is decided when the registry can say MET or "
        "NOT_MET, and UNKNOWN when the threshold is unknown or uncertain. Criterion verdicts "
        "the pages declare (Đạt) are counted apart: {declared}."),
    "cases.column.thresholds": ("ngưỡng dùng", "thresholds"),
    "cases.column.decided": ("xét được", "decided"),
    "cases.column.verdicts": ("kết luận", "verdicts"),
    "cases.column.share": ("tỷ lệ", "share"),
    "cases.column.commune": ("xã", "commune"),
    "cases.column.province": ("tỉnh", "province"),
    "cases.column.year": ("năm", "year"),
    "cases.column.tier": ("mức", "tier"),
    "cases.column.outcome": ("kết quả", "outcome"),
    "cases.policy.published": ("đã công bố", "published"),
    "cases.policy.provisional": ("tạm tính", "provisional"),
    "cases.no_provisional": ("Phiên bản ntmkit này chưa có cách tính tạm.",
                             "The provisional policy (candidate values of uncertain thresholds) "
                             "is not available in this version of ntmkit."),
    "cases.status.recognised": ("được công nhận", "recognised"),
    "cases.status.recommended": ("được đề nghị công nhận", "recommended"),
    "cases.status.proposed": ("được huyện đề xuất", "proposed"),
    "cases.status.refused": ("không được công nhận", "refused"),
    "cases.status.not_reached": ("chưa đạt", "not reached"),
}
