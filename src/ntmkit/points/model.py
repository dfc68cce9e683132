"""Points schemes as data: a points set holds components, components hold sub-indicators.

A points scheme is not passed or failed: a unit (a province, a district, a commune, an OCOP
product) collects points per component, the points add up to a total, the total is compared
with the maximum and with other units (a rank), and it may fall into a band (a grade, an
OCOP star class) that mandatory criteria can gate.  Every maximum, step, band edge and rule
carries its sources and a :class:`~ntmkit.Confidence`; a value no source states is ``None``
with confidence ``unknown`` or ``uncertain``, never guessed.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import json
import types
from collections.abc import Mapping
from typing import Any

import attrs

from ntmkit.model.criteria import LegalRef, Source, canonical_value, to_tuple
from ntmkit.model.enums import Confidence

__all__ = [
    "POINTS_FORMAT",
    "Band",
    "Component",
    "EdgeRule",
    "MergeRule",
    "PointsRule",
    "PointsRuleKind",
    "PointsSet",
    "Step",
    "SubIndicator",
    "Valued",
]

#: The format id every points-set data file declares in its ``format`` key.
POINTS_FORMAT = "ntmkit.points-set.v1"


class PointsRuleKind(str, enum.Enum):
    """How a sub-indicator turns an observation into points."""

    #: the assessor's points, given directly (0 … maximum).
    POINTS = "points"
    #: fixed points when the condition is achieved (``True``), 0 otherwise.
    FIXED = "fixed"
    #: points by steps of a count: the highest step the value reaches (4 meetings → 20 …).
    STEPS = "steps"
    #: ``a / b × maximum`` (e.g. the share of meetings chaired by the district head).
    RATIO = "ratio"
    #: partial credit by role: a share of the maximum per role (chair → 1, deputy → ½).
    ROLE = "role"


class EdgeRule(str, enum.Enum):
    """How a total with decimals is placed among bands printed with integer edges.

    The sources print OCOP bands as 90–100, 70–89 …; an averaged score of 89.6 falls in
    neither printed range, and they do not say what happens to it.
    """

    #: the band whose lower edge the total reaches, with no rounding: 89.6 < 90 is 4★
    #: (ntmkit's default: a class is never given to a total below its printed minimum).
    LOWER_EDGE = "lower_edge"
    #: round the total half up to an integer first: 89.5 → 90 (5★), 89.4 → 89.
    ROUND_HALF_UP = "round_half_up"


class MergeRule(str, enum.Enum):
    """How a unit formed by merging others is scored from its predecessors' results."""

    #: the arithmetic mean of each component over the former units (DTI 2024 for the
    #: provinces merged in 2025).
    MEAN_OF_COMPONENTS = "mean_of_components"


def _confidence_matches_value(instance: Any, attribute: Any, value: Any) -> None:
    confidence: Confidence = instance.confidence
    known = instance.known_value
    if confidence.has_value and known is None and not getattr(instance, "valueless", False):
        raise ValueError(f"{instance.code}: confidence {confidence.value} but no value")
    if not confidence.has_value and known is not None:
        raise ValueError(f"{instance.code}: confidence {confidence.value}: the value must be "
                         "left out (keep what a source printed in 'candidate')")


@attrs.frozen
class Step:
    """One step of a steps rule: a count of at least ``at_least`` earns ``points``."""

    at_least: float
    points: float


@attrs.frozen
class PointsRule:
    """How a sub-indicator is scored; ``cap`` bounds the points (default: the maximum).

    ``steps`` are for :attr:`PointsRuleKind.STEPS`, ``roles`` (role → share of the maximum)
    for :attr:`PointsRuleKind.ROLE`, ``points`` for :attr:`PointsRuleKind.FIXED` (default:
    the maximum).
    """

    kind: PointsRuleKind = attrs.field(converter=PointsRuleKind)
    steps: tuple[Step, ...] = attrs.field(default=(), converter=to_tuple)
    roles: tuple[tuple[str, float], ...] = attrs.field(default=(), converter=to_tuple)
    points: float | None = None
    cap: float | None = None

    def __attrs_post_init__(self) -> None:
        if self.kind is PointsRuleKind.STEPS and not self.steps:
            raise ValueError("a steps rule needs steps")
        if self.kind is PointsRuleKind.ROLE and not self.roles:
            raise ValueError("a role rule needs roles")
        if self.steps and self.kind is not PointsRuleKind.STEPS:
            raise ValueError(f"a {self.kind.value} rule takes no steps")
        edges = [s.at_least for s in self.steps]
        if edges != sorted(edges) or len(set(edges)) != len(edges):
            raise ValueError("steps must be listed by increasing at_least, without repeats")
        for role, share in self.roles:
            if not 0 <= share <= 1:
                raise ValueError(f"role {role!r}: a share of the maximum lies in 0…1")


@attrs.frozen
class SubIndicator:
    """A sub-indicator (*chỉ số thành phần*, *tiêu chí*) of a component and its scoring rule.

    ``max_points`` is ``None`` when the sources do not state it (``confidence`` then says
    ``unknown`` or ``uncertain``); ``candidate`` keeps a value seen only elsewhere.
    """

    code: str
    component: str
    name_vi: str
    name_en: str
    rule: PointsRule | None
    max_points: float | None = None
    confidence: Confidence = attrs.field(default=Confidence.UNKNOWN, converter=Confidence,
                                         validator=_confidence_matches_value)
    sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    candidate: str | None = None
    note: str = ""

    @property
    def known_value(self) -> float | None:
        """The value the confidence speaks of (the maximum)."""
        return self.max_points


@attrs.frozen
class Component:
    """A component (*chỉ số chính*, OCOP part A/B/C) with its maximum and sub-indicators.

    ``scored`` is ``False`` for a component the scheme collects but does not count
    (922/QĐ-BTTTT's smart city, *không tính điểm*): it is scored and shown, but stays out of
    the total.  ``weight`` multiplies the component's points in the total.  ``group`` names
    the component's group (DTI's foundation and activity groups), if any.
    """

    code: str
    name_vi: str
    name_en: str
    max_points: float | None = None
    confidence: Confidence = attrs.field(default=Confidence.UNKNOWN, converter=Confidence,
                                         validator=_confidence_matches_value)
    sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    scored: bool = True
    weight: float = 1.0
    group: str = ""
    sub_indicators: tuple[SubIndicator, ...] = attrs.field(default=(), converter=to_tuple)
    sub_indicators_complete: bool = True
    sub_indicator_count: int | None = None
    candidate: str | None = None
    note: str = ""

    @property
    def known_value(self) -> float | None:
        """The value the confidence speaks of (the maximum)."""
        return self.max_points

    @property
    def valueless(self) -> bool:
        """A not-scored component may have no maximum at all."""
        return not self.scored


@attrs.frozen
class Band:
    """A grade or star class: totals from ``min_points`` up reach it, unless gated.

    ``min_points`` is an integer edge as the sources print it (``None`` when unknown).
    ``gates`` lists the mandatory criteria (*tiêu chí bắt buộc*) a unit must meet for this
    band; ``gates_known`` is ``False`` when the scheme has such criteria but the registry
    does not know them (the band can then not be confirmed).  ``level`` names who rates it.
    """

    code: str
    label_vi: str
    label_en: str
    min_points: int | None
    confidence: Confidence = attrs.field(converter=Confidence)
    stars: int | None = None
    gates: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    gates_known: bool = True
    level: str = ""
    sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    candidate: str | None = None
    note: str = ""

    def __attrs_post_init__(self) -> None:
        if self.confidence.has_value and self.min_points is None:
            raise ValueError(f"band {self.code}: confidence {self.confidence.value} but no "
                             "min_points")
        if not self.confidence.has_value and self.min_points is not None:
            raise ValueError(f"band {self.code}: confidence {self.confidence.value}: leave "
                             "min_points out (keep what a source printed in 'candidate')")


@attrs.frozen
class Valued:
    """A scheme-level value with its sources and confidence (total, validity, …)."""

    value: Any
    confidence: Confidence = attrs.field(converter=Confidence)
    sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    candidate: str | None = None
    note: str = ""

    @property
    def known(self) -> bool:
        """Whether the value can be used."""
        return self.confidence.has_value and self.value is not None


_NOT_FINGERPRINTED = frozenset({"checked_on", "note", "_components", "_subs", "_fingerprint"})


def _fingerprinted(attribute: attrs.Attribute[Any], value: Any) -> bool:
    if not attribute.init or attribute.name in _NOT_FINGERPRINTED:
        return False
    default: Any = attribute.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        default = default.factory()
    return not (default is not attrs.NOTHING and value == default)


@attrs.frozen
class PointsSet:
    """One version of a points scheme, e.g. ``province/dti`` version ``2022-05-20``.

    ``subject`` is what is scored (``province``, ``district``, ``commune``, ``product``).
    ``total_points`` is the maximum the sources state for the whole scheme; where it
    disagrees with the sum of the scored components' maxima the disagreement is kept in
    :attr:`inconsistencies` (and the stated total is what shares are computed against).
    """

    id: str
    version: str
    subject: str
    title_vi: str
    title_en: str
    effective: dt.date
    checked_on: dt.date
    legal_basis: LegalRef
    components: tuple[Component, ...] = attrs.field(converter=to_tuple)
    total_points: Valued | None = None
    bands: tuple[Band, ...] = attrs.field(default=(), converter=to_tuple)
    edge_rule: EdgeRule = attrs.field(default=EdgeRule.LOWER_EDGE, converter=EdgeRule)
    averaging: Valued | None = None
    validity_months: Valued | None = None
    merge_rule: MergeRule | None = attrs.field(
        default=None, converter=attrs.converters.optional(MergeRule))
    merge_rule_confidence: Valued | None = None
    groups: tuple[tuple[str, str, str], ...] = attrs.field(default=(), converter=to_tuple)
    product_groups: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    complete: bool = True
    period: str = ""
    superseded_on: dt.date | None = None
    superseded_by: LegalRef | None = None
    amended_by: tuple[LegalRef, ...] = attrs.field(default=(), converter=to_tuple)
    replaces: tuple[LegalRef, ...] = attrs.field(default=(), converter=to_tuple)
    sources: tuple[Source, ...] = attrs.field(default=(), converter=to_tuple)
    derived_from: str | None = None
    note: str = ""
    _components: Mapping[str, Component] = attrs.field(init=False, eq=False, repr=False)
    _subs: Mapping[str, SubIndicator] = attrs.field(init=False, eq=False, repr=False)
    _fingerprint: list[str] = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        components: dict[str, Component] = {}
        subs: dict[str, SubIndicator] = {}
        for c in self.components:
            if c.code in components:
                raise ValueError(f"component {c.code} appears twice")
            components[c.code] = c
            for s in c.sub_indicators:
                if s.code in subs or s.code in components:
                    raise ValueError(f"sub-indicator {s.code} appears twice")
                subs[s.code] = s
        overlap = set(subs) & set(components)
        if overlap:
            raise ValueError(f"codes used by a component and a sub-indicator: {sorted(overlap)}")
        edges = [b.min_points for b in self.bands if b.min_points is not None]
        if edges != sorted(edges, reverse=True) or len(set(edges)) != len(edges):
            raise ValueError("bands must be listed from the highest to the lowest, with "
                             "distinct min_points")
        object.__setattr__(self, "_components", types.MappingProxyType(components))
        object.__setattr__(self, "_subs", types.MappingProxyType(subs))
        object.__setattr__(self, "_fingerprint", [])

    @property
    def key(self) -> str:
        """``id@version``."""
        return f"{self.id}@{self.version}"

    @property
    def kind(self) -> str:
        """``"points"``: what distinguishes a points set from a criteria set."""
        return "points"

    @property
    def component_map(self) -> Mapping[str, Component]:
        """Components by code, in table order."""
        return self._components

    @property
    def sub_indicators(self) -> Mapping[str, SubIndicator]:
        """Sub-indicators by code, in table order."""
        return self._subs

    @property
    def source_map(self) -> Mapping[str, Source]:
        """Sources by id."""
        return {s.id: s for s in self.sources}

    @property
    def scored_maximum(self) -> float | None:
        """The sum of the scored components' weighted maxima (``None`` if one is unknown)."""
        total = 0.0
        for c in self.components:
            if not c.scored:
                continue
            if c.max_points is None:
                return None
            total += c.weight * c.max_points
        return total

    @property
    def maximum(self) -> float | None:
        """The maximum total: the stated total, else the sum of the components' maxima."""
        if self.total_points is not None and self.total_points.known:
            return float(self.total_points.value)
        return self.scored_maximum

    @property
    def inconsistencies(self) -> tuple[str, ...]:
        """Disagreements between values the sources state (kept, not settled by ntmkit)."""
        out = []
        summed = self.scored_maximum
        if self.total_points is not None and self.total_points.known and summed is not None \
                and summed != float(self.total_points.value):
            out.append(f"the scored components' maxima add up to {summed:g}, but the stated "
                       f"total is {float(self.total_points.value):g}")
        for c in self.components:
            if c.max_points is None or not c.sub_indicators:
                continue
            subs = [s.max_points for s in c.sub_indicators]
            if c.sub_indicators_complete and None not in subs:
                added = sum(s for s in subs if s is not None)
                if added != c.max_points:
                    out.append(f"component {c.code}: its sub-indicators' maxima add up to "
                               f"{added:g}, not {c.max_points:g}")
        return tuple(out)

    def canonical(self) -> dict[str, Any]:
        """The canonical JSON-compatible form the fingerprint is computed from."""
        return attrs.asdict(self, filter=_fingerprinted, value_serializer=canonical_value)

    @property
    def fingerprint(self) -> str:
        """``sha256:`` + the SHA-256 of the canonical JSON form (see :meth:`canonical`).

        Like :attr:`ntmkit.CriteriaSet.fingerprint`: any change to a maximum, rule, band,
        code, name, source or confidence changes it; ``checked_on`` and notes do not.
        """
        if not self._fingerprint:
            text = json.dumps(self.canonical(), sort_keys=True, ensure_ascii=False,
                              separators=(",", ":"))
            digest = hashlib.sha256((POINTS_FORMAT + "\n" + text).encode()).hexdigest()
            self._fingerprint.append("sha256:" + digest)
        return self._fingerprint[0]

    def in_force(self, on: dt.date) -> bool:
        """Tell whether this version is in force on *on*."""
        return self.effective <= on and (self.superseded_on is None or on < self.superseded_on)
