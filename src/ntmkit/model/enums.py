"""Closed vocabularies of the domain: regions, classifications, verdicts, confidences."""

from __future__ import annotations

import enum

__all__ = [
    "CommuneClass",
    "Confidence",
    "Level",
    "Region",
    "RuleKind",
    "Tier",
    "Verdict",
]


class Region(str, enum.Enum):
    """The seven socio-economic regions whose columns the criteria tables carry.

    Values are stable English slugs; :attr:`name_vi` and :attr:`name_en` give the names.
    Either name also finds the region:

    >>> Region("Đồng bằng sông Cửu Long") is Region.MEKONG_DELTA
    True
    """

    NORTHERN_MIDLANDS_MOUNTAINS = "northern_midlands_mountains"
    RED_RIVER_DELTA = "red_river_delta"
    NORTH_CENTRAL_COAST = "north_central_coast"
    SOUTH_CENTRAL_COAST = "south_central_coast"
    CENTRAL_HIGHLANDS = "central_highlands"
    SOUTHEAST = "southeast"
    MEKONG_DELTA = "mekong_delta"

    @classmethod
    def _missing_(cls, value: object) -> Region | None:
        # Accept the Vietnamese or English name as well as the slug: Region("Tây Nguyên").
        if isinstance(value, str):
            wanted = " ".join(value.strip().casefold().split())
            for region, names in _REGION_NAMES.items():
                if wanted in (names[0].casefold(), names[1].casefold()):
                    return region
        return None

    @property
    def name_vi(self) -> str:
        """The Vietnamese name of the region."""
        return _REGION_NAMES[self][0]

    @property
    def name_en(self) -> str:
        """The English name of the region."""
        return _REGION_NAMES[self][1]


_REGION_NAMES = {
    Region.NORTHERN_MIDLANDS_MOUNTAINS: (
        "Trung du và miền núi phía Bắc",
        "Northern Midlands and Mountains",
    ),
    Region.RED_RIVER_DELTA: ("Đồng bằng sông Hồng", "Red River Delta"),
    Region.NORTH_CENTRAL_COAST: ("Bắc Trung Bộ", "North Central Coast"),
    Region.SOUTH_CENTRAL_COAST: ("Duyên hải Nam Trung Bộ", "South Central Coast"),
    Region.CENTRAL_HIGHLANDS: ("Tây Nguyên", "Central Highlands"),
    Region.SOUTHEAST: ("Đông Nam Bộ", "Southeast"),
    Region.MEKONG_DELTA: ("Đồng bằng sông Cửu Long", "Mekong River Delta"),
}


class CommuneClass(str, enum.Enum):
    """Classifications of a commune that change which thresholds apply to it.

    Under 318/QĐ-TTg some communes are assessed against the Northern Midlands and
    Mountains column whatever their region; which classes qualify is data of each
    criteria-set version (see :class:`~ntmkit.RegionSubstitution`).
    """

    #: *Xã đặc biệt khó khăn* — an extremely difficult commune.
    EXTREMELY_DIFFICULT = "extremely_difficult"
    #: *Xã an toàn khu (ATK)* of a poor district or of a district that escaped poverty in
    #: 2018–2020.
    ATK_POOR_DISTRICT = "atk_poor_district"
    #: Area II commune of the ethnic-minority and mountainous region (33/2020/QĐ-TTg).
    AREA_II = "area_ii"
    #: Area III commune of the ethnic-minority and mountainous region (33/2020/QĐ-TTg).
    AREA_III = "area_iii"
    #: Extremely difficult coastal-lowland (*bãi ngang ven biển*) or island commune
    #: (36/2021/QĐ-TTg).
    EXTREMELY_DIFFICULT_COASTAL_ISLAND = "extremely_difficult_coastal_island"


class Verdict(str, enum.Enum):
    """The outcome of comparing a value, a criterion or a set with the criteria.

    Missing data is :attr:`UNKNOWN`, never a pass and never a silent fail.
    """

    MET = "met"
    NOT_MET = "not_met"
    UNKNOWN = "unknown"
    NOT_APPLICABLE = "not_applicable"

    @property
    def label_vi(self) -> str:
        """The Vietnamese label used in reports (*Đạt*, *Chưa đạt*, …)."""
        return {"met": "Đạt", "not_met": "Chưa đạt", "unknown": "Chưa rõ",
                "not_applicable": "Không áp dụng"}[self.value]

    @property
    def label_en(self) -> str:
        """The English label used in reports."""
        return {"met": "met", "not_met": "not met", "unknown": "unknown",
                "not_applicable": "not applicable"}[self.value]


class Confidence(str, enum.Enum):
    """How sure the registry is of a value, from the sources it was taken from."""

    #: Stated by a source that quotes or restates the act (by two or more independent
    #: sources where the value lists them); values added from now on need two that agree.
    VERIFIED = "verified"
    #: Stated by a ministry-guidance summary or a provincial implementing text.
    VERIFIED_SECONDARY = "verified_secondary"
    #: Stated by one secondary source (legal Q&A, provincial news).
    RESTATED = "restated"
    #: Computed from other recorded facts (e.g. a merged province whose predecessors all lie
    #: in one region).
    DERIVED = "derived"
    #: Taken over from the previous version because the sources do not say whether the
    #: amending act changed it; awaits confirmation.
    CARRIED_FORWARD = "carried_forward"
    #: Sources are truncated or conflict; the value is left unknown and the note says why.
    UNCERTAIN = "uncertain"
    #: Not found in any source; the value is unknown.
    UNKNOWN = "unknown"

    @property
    def has_value(self) -> bool:
        """Whether a threshold of this confidence carries a usable value."""
        return self not in (Confidence.UNCERTAIN, Confidence.UNKNOWN)


class RuleKind(str, enum.Enum):
    """How an observed value is compared with a threshold."""

    #: value ≥ threshold (*từ … trở lên*, *≥*).
    AT_LEAST = "at_least"
    #: value ≤ threshold (*dưới*, *≤*); also "none" rules with a threshold of 0.
    AT_MOST = "at_most"
    #: lower ≤ value ≤ upper.
    BETWEEN = "between"
    #: a yes/no condition that must hold (*Đạt*).
    ACHIEVED = "achieved"
    #: the value must be one of the listed categories.
    ONE_OF = "one_of"
    #: the share of child units (communes of a district, …) holding a status must reach the
    #: threshold, in percent; compared with exact integer arithmetic (see
    #: :class:`~ntmkit.Share`).
    SHARE_OF_CHILDREN = "share_of_children"


class Level(str, enum.Enum):
    """The administrative level a criteria set is written for."""

    VILLAGE = "village"
    COMMUNE = "commune"
    DISTRICT = "district"
    PROVINCE = "province"


class Tier(str, enum.Enum):
    """The recognition tiers of the programme."""

    #: *Nông thôn mới* — the new-rural standard.
    NTM = "ntm"
    #: *Nông thôn mới nâng cao* — the advanced standard; requires NTM.
    ADVANCED = "ntm-advanced"
    #: *Nông thôn mới kiểu mẫu* — the model standard; requires the advanced standard.
    MODEL = "ntm-model"
    #: *Nông thôn mới hiện đại* — the modern-commune pilot of 2026–2030 (51/2025/QĐ-TTg).
    MODERN = "ntm-modern"

    @property
    def label_vi(self) -> str:
        """The Vietnamese name of the tier."""
        return {"ntm": "Nông thôn mới", "ntm-advanced": "Nông thôn mới nâng cao",
                "ntm-model": "Nông thôn mới kiểu mẫu",
                "ntm-modern": "Nông thôn mới hiện đại"}[self.value]

    @property
    def label_en(self) -> str:
        """The English name of the tier."""
        return {"ntm": "New rural (NTM)", "ntm-advanced": "Advanced NTM",
                "ntm-model": "Model NTM", "ntm-modern": "Modern NTM (pilot)"}[self.value]
