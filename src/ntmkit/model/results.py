"""Results of an assessment: per indicator, per criterion, per pillar and for the set."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Any

import attrs

from ntmkit.errors import InvalidValue
from ntmkit.i18n import Lang
from ntmkit.model.criteria import LegalRef, RegionSubstitution, Threshold, to_tuple
from ntmkit.model.enums import Region, RuleKind, Tier, Verdict
from ntmkit.model.places import Commune, District, Province, Village

__all__ = [
    "TRACE_FORMAT",
    "Assessment",
    "BySex",
    "CriterionResult",
    "Gap",
    "IndicatorResult",
    "PillarResult",
    "Share",
    "combine",
]

#: The format id of :meth:`Assessment.trace`; a change of shape gets a new id.
TRACE_FORMAT = "ntmkit.trace.v1"


def combine(verdicts: list[Verdict], *, complete: bool = True) -> Verdict:
    """Combine the verdicts of the parts of a whole (indicators of a criterion, …).

    Any NOT_MET part fails the whole; otherwise any UNKNOWN part, or a whole whose parts
    the registry does not all know (``complete=False``), leaves it UNKNOWN; a whole with
    only NOT_APPLICABLE parts is NOT_APPLICABLE; otherwise it is MET.

    >>> combine([Verdict.MET, Verdict.UNKNOWN, Verdict.NOT_MET]).value
    'not_met'
    >>> combine([Verdict.MET, Verdict.MET], complete=False).value
    'unknown'
    """
    if Verdict.NOT_MET in verdicts:
        return Verdict.NOT_MET
    if Verdict.UNKNOWN in verdicts or not complete:
        return Verdict.UNKNOWN
    if verdicts and all(v is Verdict.NOT_APPLICABLE for v in verdicts):
        return Verdict.NOT_APPLICABLE
    if not verdicts:
        return Verdict.UNKNOWN
    return Verdict.MET


def _non_negative(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidValue(f"Share.{attribute.name} must be a non-negative integer, not {value!r}")


def _sex_value(instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
    if isinstance(value, (bool, str)) or (type(value).__module__ == "numpy"
                                          and type(value).__name__ in ("bool_", "bool")):
        raise InvalidValue(f"BySex.{attribute.name} must be a number, a quantity or None, "
                           f"not {value!r}")


@attrs.frozen
class BySex:
    """An observation taken separately for men and for women.

    Some indicators must be reached by both (*áp dụng đạt cho cả nam và nữ*): such an
    indicator (``Indicator.by_sex``) is met only when the lower of the two values meets the
    threshold, and is unknown when either value is missing.  Each value is a number in the
    indicator's unit, a quantity, or ``None``.

    >>> BySex(men=92.5, women=88.0)
    BySex(men=92.5, women=88.0)
    """

    men: Any = attrs.field(validator=_sex_value)
    women: Any = attrs.field(validator=_sex_value)


@attrs.frozen
class Share:
    """How many of a unit's children hold a status: the input of a share-of-children rule.

    ``met`` children hold it, ``unknown`` children may or may not, out of ``total``.
    Comparisons are exact: 1 commune of 10 meets "at least 10 %" (``100 * 1 >= 10 * 10``),
    with no rounded percentage in between.

    >>> Share(met=1, total=10).percent
    10.0
    """

    met: int = attrs.field(validator=_non_negative)
    total: int = attrs.field(validator=_non_negative)
    unknown: int = attrs.field(default=0, validator=_non_negative)
    #: what was counted: ``"recognised"`` (decisions), ``"computed"`` (assessments), or None.
    basis: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.met + self.unknown > self.total:
            raise InvalidValue(f"Share: met ({self.met}) + unknown ({self.unknown}) exceeds "
                               f"total ({self.total})")

    @property
    def percent(self) -> float:
        """``100 * met / total`` (for display; comparisons use integers)."""
        return 100.0 * self.met / self.total if self.total else 0.0

    def __str__(self) -> str:
        unknown = f" +{self.unknown} unknown" if self.unknown else ""
        basis = f" ({self.basis})" if self.basis else ""
        return f"{self.met}/{self.total}{unknown}{basis}"


@attrs.frozen
class IndicatorResult:
    """The verdict on one indicator, with what it was compared with and why.

    ``value`` is the observed value converted to the indicator's ``unit``; ``observed``
    keeps the value as received, with its unit as pint spells it (e.g.
    ``"4.5 dong * million / month / person"``).  ``gap`` is how far
    an unmet numeric value is from the threshold, in ``unit`` (always positive).
    """

    code: str
    criterion: str
    verdict: Verdict
    rule: RuleKind
    unit: str
    name_vi: str = ""
    name_en: str = ""
    value: float | bool | str | None = None
    observed: str | None = None
    threshold: Threshold | None = None
    gap: float | None = None
    source_urls: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    reason: str = ""
    #: The threshold is the ``candidate`` of an uncertain value, used under
    #: ``thresholds="provisional"``: the verdict is not the published rule's.
    provisional: bool = False


#: How a criterion's verdict was reached (:attr:`CriterionResult.basis`): ``"computed"`` from
#: its indicators, ``"declared"`` by the observer (an appraisal record: ``criterion:<code>``),
#: or ``"conflict"`` when a declaration and the indicator values disagree (verdict UNKNOWN).
BASES = ("computed", "declared", "conflict")


def _basis(instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in BASES:
        raise ValueError(f"basis must be one of {', '.join(BASES)}, not {value!r}")


@attrs.frozen
class CriterionResult:
    """The verdict on one criterion: met when every indicator is met.

    ``basis`` says how the verdict was reached (see :data:`BASES`).  A declared verdict
    keeps the verdict its indicators give in ``computed``; on a conflict, ``verdict`` is
    UNKNOWN and ``declared`` and ``computed`` hold the two sides.  ``provisional`` is true
    when the verdict depends on a candidate threshold (``thresholds="provisional"``).
    """

    code: str
    verdict: Verdict
    name_vi: str = ""
    name_en: str = ""
    indicators: tuple[IndicatorResult, ...] = attrs.field(default=(), converter=to_tuple)
    indicators_complete: bool = True
    reason: str = ""
    basis: str = attrs.field(default="computed", validator=_basis)
    declared: Verdict | None = None
    computed: Verdict | None = None
    provisional: bool = False


@attrs.frozen
class PillarResult:
    """The verdicts on the criteria of one pillar (criteria group)."""

    code: str
    verdict: Verdict
    name_vi: str = ""
    name_en: str = ""
    criteria: tuple[CriterionResult, ...] = attrs.field(default=(), converter=to_tuple)


@attrs.frozen
class Gap:
    """What separates an unmet indicator from its threshold."""

    indicator: str
    criterion: str
    value: float | bool | str | None
    threshold: float | None
    distance: float | None
    unit: str
    rule: RuleKind


@attrs.frozen
class Assessment:
    """The assessment of one unit against one criteria-set version.

    ``verdict`` is the set as a whole: MET only when every criterion is met, the registry
    knows the whole set, and every prerequisite set (``prerequisites``) is met.  ``tier`` is
    the tier reached through this set (``None`` unless ``verdict`` is MET).  ``met`` and
    ``total`` give the familiar score, e.g. 17/19.  ``checked_on`` is the date the set was
    last checked against the law when it was assessed: with the fingerprint, the assessment
    date and ``strict``, it is everything a verdict depends on (the fingerprint leaves it out,
    see :ref:`fingerprints`).
    """

    unit: Commune | District | Province | Village
    set_id: str
    set_version: str
    fingerprint: str
    verdict: Verdict
    region: Region | None = attrs.field(converter=attrs.converters.optional(Region))
    region_column: Region | None = attrs.field(converter=attrs.converters.optional(Region))
    pillars: tuple[PillarResult, ...] = attrs.field(converter=to_tuple)
    total: int
    legal_basis: LegalRef | None = None
    year: int | None = None
    on: dt.date | None = None
    tier: Tier | None = attrs.field(default=None, converter=attrs.converters.optional(Tier))
    substitution: RegionSubstitution | None = None
    complete: bool = True
    prerequisites: tuple[Assessment, ...] = attrs.field(default=(), converter=to_tuple)
    notes: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    #: ``"published"`` or ``"provisional"``: the threshold policy of the assessment.
    thresholds: str = "published"
    #: The verdict depends on a candidate threshold (never a plain MET).
    provisional: bool = False
    #: Which set was used and why, when it was chosen by id, date and province.
    resolution: str = ""
    #: The date the set was last checked against the law (see the fingerprint guide).
    checked_on: dt.date | None = None

    @functools.cached_property
    def criteria(self) -> Mapping[str, CriterionResult]:
        """Criterion results by criterion code (built once)."""
        return {c.code: c for p in self.pillars for c in p.criteria}

    @functools.cached_property
    def indicators(self) -> Mapping[str, IndicatorResult]:
        """Indicator results by indicator code (built once)."""
        return {i.code: i for p in self.pillars for c in p.criteria for i in c.indicators}

    @property
    def met(self) -> int:
        """How many criteria are met."""
        return sum(c.verdict is Verdict.MET for p in self.pillars for c in p.criteria)

    @property
    def score(self) -> str:
        """``"met/total"``, e.g. ``"17/19"``."""
        return f"{self.met}/{self.total}"

    def gaps(self) -> list[Gap]:
        """The unmet indicators and how far each is from its threshold."""
        out = []
        for r in self.indicators.values():
            if r.verdict is Verdict.NOT_MET:
                out.append(
                    Gap(
                        indicator=r.code,
                        criterion=r.criterion,
                        value=r.value,
                        threshold=r.threshold.value if r.threshold is not None else None,
                        distance=r.gap,
                        unit=r.unit,
                        rule=r.rule,
                    )
                )
        return out

    def undecided_by(self) -> list[str]:
        """Why an UNKNOWN verdict cannot be decided, one reason per item.

        Indicators whose threshold is unknown in the registry or that have no data, criteria
        whose indicators the registry lacks, and prerequisites that are undecided themselves.

        Empty unless ``verdict`` is UNKNOWN.  The same list in Vietnamese is
        :func:`ntmkit.model.explain.undecided`.
        """
        from ntmkit.model.explain import undecided

        return undecided(self, "en")

    def conflicts(self) -> list[CriterionResult]:
        """The criteria whose declared verdict disagrees with their indicator values.

        Prerequisites' conflicts are included.  Each has verdict UNKNOWN, basis
        ``"conflict"``, and the two sides in ``declared`` and ``computed``.
        """
        out = [c for c in self.criteria.values() if c.basis == "conflict"]
        for p in self.prerequisites:
            out.extend(p.conflicts())
        return out

    def unknowns(self) -> list[IndicatorResult]:
        """The indicators whose verdict is UNKNOWN (no data, or no known threshold)."""
        return [r for r in self.indicators.values() if r.verdict is Verdict.UNKNOWN]

    def trace(self) -> dict[str, Any]:
        """The structured trace of the assessment, as a JSON-compatible dict.

        Its shape is identified by ``"format": "ntmkit.trace.v1"``.
        """
        from ntmkit.model.explain import trace

        return trace(self)

    def _repr_html_(self) -> str:
        from ntmkit.report import assessment_html

        return assessment_html(self)

    def to_frame(self) -> Any:
        """One row per indicator (a pandas DataFrame; needs pandas).

        Columns: criterion, indicator, name_vi, name_en, value, unit, threshold, confidence,
        verdict, gap.
        """
        import pandas as pd

        rows = []
        for c in self.criteria.values():
            for r in c.indicators:
                t = r.threshold
                rows.append({
                    "criterion": c.code, "indicator": r.code, "name_vi": r.name_vi,
                    "name_en": r.name_en, "value": r.value, "unit": r.unit,
                    "threshold": t.value if t is not None else None,
                    "confidence": t.confidence.value if t is not None else None,
                    "verdict": r.verdict.value, "gap": r.gap,
                })
        return pd.DataFrame(rows)

    def explain(self, lang: Lang = "vi") -> str:
        """Render the assessment for people, in Vietnamese (``"vi"``, the default) or English.

        Every word comes from :mod:`ntmkit.i18n`; see :func:`ntmkit.model.explain.explain`.
        """
        from ntmkit.model.explain import explain

        return explain(self, lang=lang)
