"""Words of the coverage counts (``ntmkit criteria coverage`` and the catalogue's pages)."""

from __future__ import annotations

MESSAGES: dict[str, tuple[str, str]] = {
    "column.set": ("bộ tiêu chí", "set"),
    "column.cells": ("số ô ngưỡng", "cells"),
    "column.known": ("ô đã biết", "known"),
    "column.unknown": ("ô chưa biết", "unknown"),
    "column.decidable": ("tiêu chí xét được", "criteria decidable"),
    "column.empty": ("tiêu chí chưa có chỉ tiêu", "criteria without indicators"),
    "cell": (
        "Một ô ngưỡng là một chỉ tiêu trong một bối cảnh mà ngưỡng có thể khác nhau: theo vùng "
        "(khi bộ tiêu chí ghi giá trị theo vùng và chỉ tiêu có giá trị, hoặc khi chính chỉ tiêu "
        "ghi ngưỡng theo vùng), theo nhóm xã (cũng như vậy), theo năm (chỉ tiêu thay đổi theo "
        "năm) và theo loại xã (khi chỉ tiêu ghi ngưỡng theo loại xã). Chỉ tiêu có/không ghi "
        "chung cho mọi vùng là một ô.",
        "A cell is one indicator in one context in which its threshold may differ: by region "
        "(when the set writes values per region and the indicator takes a value, or when the "
        "indicator's own thresholds name a region), by commune group (on the same terms), by "
        "year (year-dependent indicators) and by commune class (when the indicator's "
        "thresholds name one). A yes/no condition written for every region is one cell."),
    "known": (
        "Ô đã biết là ô có ngưỡng dùng được để kết luận (đã kiểm chứng, một nguồn nhắc lại, "
        "văn bản hướng dẫn của bộ, giữ từ bản trước); ô suy ra, chưa chắc chắn hoặc chưa rõ "
        "không bao giờ được tính là đã biết.",
        "A known cell has a threshold that can decide a verdict (verified, restated, ministry "
        "guidance, carried forward); inferred, uncertain and unknown cells never count as "
        "known."),
    "decidable": (
        "Tiêu chí xét được là tiêu chí mà dữ liệu có đủ mọi chỉ tiêu và mọi ô của nó đều đã "
        "biết.",
        "A decidable criterion is one whose every indicator the registry holds and whose every "
        "cell is known."),
    "empty": (
        "Tiêu chí chưa có chỉ tiêu nào trong dữ liệu: không thể xét từ số liệu.",
        "Criteria without any indicator in the registry: they cannot be decided from values."),
    "empty_of": ("{count}/{total}: {codes}", "{count}/{total}: {codes}"),
    "none": ("không có", "none"),
    "criterion": ("tiêu chí {code}", "criterion {code}"),
}
