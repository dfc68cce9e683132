"""Units as people write them: each word of a unit, and whole units said differently."""

from __future__ import annotations

#: Not a message section: the words of units by language, used by
#: :func:`ntmkit.i18n.unit_name`.  Whole units come first, then single words.
WORDS: dict[str, dict[str, str]] = {
    "vi": {
        "achieved": "đạt/chưa đạt",
        "count": "số lượng",
        "%": "%",
        "percent": "%",
        "household": "hộ",
        "households": "hộ",
        "person": "người",
        "persons": "người",
        "people": "người",
        "year": "năm",
        "month": "tháng",
        "day": "ngày",
        "VND": "đồng",
        "dong": "đồng",
        "million": "triệu",
        "billion": "tỷ",
        "thousand": "nghìn",
        "m2": "m²",
        "km": "km",
        "m": "m",
        "ha": "ha",
        "point": "điểm",
        "points": "điểm",
        "star": "sao",
        "stars": "sao",
        "commune": "xã",
        "village": "thôn",
        "bed": "giường",
        "doctor": "bác sĩ",
    },
    "en": {
        "achieved": "met/not met",
        "m2": "m²",
    },
}

MESSAGES: dict[str, tuple[str, str]] = {
    "label": ("đơn vị", "unit"),
}
