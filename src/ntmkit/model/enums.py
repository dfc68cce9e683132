"""Closed vocabularies of the domain: regions, classifications, verdicts, confidences."""

from __future__ import annotations

import enum

__all__ = [
    "DEPRECATED_CONFIDENCES",
    "CommuneClass",
    "Confidence",
    "Level",
    "Region",
    "RuleKind",
    "SourceKind",
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
            from ntmkit import i18n

            wanted = " ".join(value.strip().casefold().split())
            for region in cls:
                if wanted in (i18n.region_name(region, "vi").casefold(),
                              i18n.region_name(region, "en").casefold()):
                    return region
        return None

    @property
    def name_vi(self) -> str:
        """The Vietnamese name of the region (from :mod:`ntmkit.i18n`)."""
        from ntmkit import i18n

        return i18n.region_name(self, "vi")

    @property
    def name_en(self) -> str:
        """The English name of the region (from :mod:`ntmkit.i18n`)."""
        from ntmkit import i18n

        return i18n.region_name(self, "en")


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
        from ntmkit import i18n

        return i18n.verdict_name(self, "vi")

    @property
    def label_en(self) -> str:
        """The English label used in reports."""
        from ntmkit import i18n

        return i18n.verdict_name(self, "en")


class Confidence(str, enum.Enum):
    """How sure the registry is of a value, from the sources it was taken from.

    Each level is a rule that ``tests/test_confidence.py`` checks on every shipped file (see
    *Confidence levels* in the registry-format docs):

    >>> Confidence.GUIDANCE.has_value, Confidence.INFERRED.has_value
    (True, False)

    The spellings ``verified_secondary`` and ``derived`` of earlier releases still load, as
    :attr:`RESTATED` and :attr:`INFERRED`, with a :class:`DeprecationWarning`:

    >>> import warnings
    >>> with warnings.catch_warnings():
    ...     warnings.simplefilter("ignore")
    ...     Confidence("verified_secondary") is Confidence.RESTATED
    True
    """

    #: The decision's own text states it (a source marked ``kind = "legal_text"``), or at least
    #: two sources from different publishers each state this value for this exact context
    #: (set, indicator, region, year, group).
    VERIFIED = "verified"
    #: One secondary source states it for this context.
    RESTATED = "restated"
    #: Taken from a ministry's guidance act rather than from the decision: the threshold's
    #: ``legal_ref`` names the act and its date, which lies within the period this set version
    #: was in force (a guidance act issued after an amendment belongs to the amended version).
    GUIDANCE = "guidance"
    #: Taken over from the previous version because the sources do not say whether the
    #: amending act changed it; awaits confirmation.
    CARRIED_FORWARD = "carried_forward"
    #: Placed by reasoning rather than stated for this context (e.g. one province's value filed
    #: under its region's national column): kept as ``candidate``, never counted as known and
    #: never used to decide a verdict.
    INFERRED = "inferred"
    #: Sources are truncated or conflict; the value is left unknown and the note says why.
    UNCERTAIN = "uncertain"
    #: Not found in any source; the value is unknown.
    UNKNOWN = "unknown"

    #: Deprecated spelling of :attr:`RESTATED` (an alias: ``VERIFIED_SECONDARY is RESTATED``).
    VERIFIED_SECONDARY = "restated"
    #: Deprecated spelling of :attr:`INFERRED` (an alias: ``DERIVED is INFERRED``).
    DERIVED = "inferred"

    @classmethod
    def _missing_(cls, value: object) -> Confidence | None:
        # Files written for earlier releases keep loading: the old spellings map onto the
        # levels that now carry their meaning.
        if isinstance(value, str) and value in DEPRECATED_CONFIDENCES:
            import warnings

            new = DEPRECATED_CONFIDENCES[value]
            warnings.warn(f"confidence {value!r} is deprecated; write {new!r} (same meaning "
                          "as loaded)", DeprecationWarning, stacklevel=2)
            return cls(new)
        return None

    @property
    def has_value(self) -> bool:
        """Whether a threshold of this confidence carries a usable value (counts as known)."""
        return self not in (Confidence.INFERRED, Confidence.UNCERTAIN, Confidence.UNKNOWN)


#: Spellings of earlier releases and the level each now loads as.
DEPRECATED_CONFIDENCES = {"verified_secondary": "restated", "derived": "inferred"}


class SourceKind(str, enum.Enum):
    """What a cited source is, as far as the confidence rules need to know."""

    #: A page restating or summarising an act (legal news, Q&A, a ministry's summary, press).
    SECONDARY = "secondary"
    #: The text of the act itself (gazette, the government portal's full text).
    LEGAL_TEXT = "legal_text"
    #: A province's own text or its application of the rule: it states a provincial value,
    #: never a national column.
    PROVINCIAL = "provincial"


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
        """The Vietnamese name of the tier (from :mod:`ntmkit.i18n`)."""
        from ntmkit import i18n

        return i18n.text(f"common.tier.{self.value}", "vi")

    @property
    def label_en(self) -> str:
        """The English name of the tier (from :mod:`ntmkit.i18n`)."""
        from ntmkit import i18n

        return i18n.text(f"common.tier.{self.value}", "en")
