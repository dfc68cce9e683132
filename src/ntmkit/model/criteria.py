"""Criteria sets as data: sets hold pillars, pillars hold criteria, criteria hold indicators.

Every threshold carries the sources it was taken from and a :class:`Confidence`.  A value
the law has but the registry does not know is an explicit threshold whose ``value`` is
``None``: data, not a gap in the file.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
import json
import math
import types
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ntmkit.model.enums import (
    CommuneClass,
    Confidence,
    Level,
    Region,
    RuleKind,
    SourceKind,
    Tier,
)

__all__ = [
    "ChildSpec",
    "Condition",
    "Context",
    "CriteriaSet",
    "Criterion",
    "Indicator",
    "LegalRef",
    "Pillar",
    "RegionSubstitution",
    "RelativeValue",
    "Rule",
    "Source",
    "Threshold",
]

def to_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    """Convert any iterable to a tuple (the converter of the sequence fields)."""
    return tuple(value)


_NUMERIC_KINDS = (RuleKind.AT_LEAST, RuleKind.AT_MOST, RuleKind.BETWEEN)
_VALUED_KINDS = (*_NUMERIC_KINDS, RuleKind.SHARE_OF_CHILDREN)


@attrs.frozen
class Source:
    """A published page or text a value was taken from.

    ``publisher`` and ``kind`` are what the confidence rules check: a ``verified`` value cites
    the act's own text (``kind=SourceKind.LEGAL_TEXT``) or two sources of different publishers;
    a ``provincial`` source states a province's value and never makes a national value known.
    """

    id: str
    url: str
    publisher: str = ""
    date: str | None = None
    about: str = ""
    kind: SourceKind = attrs.field(default=SourceKind.SECONDARY, converter=SourceKind)


@attrs.frozen
class LegalRef:
    """A reference to a legal act: its number, where in it, when, and where to read it.

    >>> LegalRef(act="318/QĐ-TTg", date=dt.date(2022, 3, 8)).act
    '318/QĐ-TTg'
    """

    act: str
    article: str | None = None
    date: dt.date | None = None
    url: str | None = None
    title: str | None = None


@attrs.frozen(cache_hash=True)
class Context:
    """What a threshold may depend on, for one assessed unit.

    ``region`` is the column in use *after* any region substitution (``None`` for units,
    such as a district, assessed against a set without regional values).
    """

    region: Region | None
    year: int | None = None
    classes: frozenset[CommuneClass] = frozenset()
    group: int | None = None


@attrs.frozen(cache_hash=True)
class Condition:
    """The ``when`` of a threshold: the context it applies to.

    An empty condition applies everywhere; among the thresholds whose condition matches a
    context, the most specific one (most fields set) wins.
    """

    region: Region | None = attrs.field(default=None, converter=attrs.converters.optional(Region))
    year: int | None = None
    commune_class: CommuneClass | None = attrs.field(
        default=None, converter=attrs.converters.optional(CommuneClass)
    )
    group: int | None = None

    @property
    def specificity(self) -> int:
        """The number of fields this condition constrains."""
        return sum(v is not None for v in (self.region, self.year, self.commune_class, self.group))

    def matches(self, context: Context) -> bool:
        """Tell whether this condition holds in *context*."""
        return (
            (self.region is None or self.region == context.region)
            and (self.year is None or self.year == context.year)
            and (self.commune_class is None or self.commune_class in context.classes)
            and (self.group is None or self.group == context.group)
        )

    def describe(self) -> str:
        """A short English description, e.g. ``region=red_river_delta, year=2024``."""
        parts = []
        if self.region is not None:
            parts.append(f"region={self.region.value}")
        if self.year is not None:
            parts.append(f"year={self.year}")
        if self.commune_class is not None:
            parts.append(f"class={self.commune_class.value}")
        if self.group is not None:
            parts.append(f"group={self.group}")
        return ", ".join(parts) or "everywhere"


@attrs.frozen
class RelativeValue:
    """A threshold defined from another set's threshold: ``factor`` × that value.

    319/QĐ-TTg sets a model commune's income at least 10 % above the advanced-commune income
    threshold of the same region and year: ``RelativeValue("commune/ntm-advanced@2024-03-01",
    "10", 1.1)``.  The referenced value is looked up at assessment time for the same context.
    """

    set: str
    indicator: str
    factor: float = attrs.field(validator=lambda _, __, v: _check_factor(v))


#: The largest factor a relative threshold may apply (a model commune's is 1.1).
MAX_RELATIVE_FACTOR = 1000.0


def _check_factor(value: Any) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or \
            not math.isfinite(value) or not 0 < value <= MAX_RELATIVE_FACTOR:
        raise ValueError(f"relative_to.factor must be a number above 0 and at most "
                         f"{MAX_RELATIVE_FACTOR:g}, got {value!r}")


def _a_date(instance: Any, attribute: Any, value: Any) -> None:
    if not isinstance(value, dt.date):
        raise TypeError(f"{attribute.name} must be a date (datetime.date), not {value!r}")


def _finite_or_none(instance: Any, attribute: Any, value: Any) -> None:
    if value is not None and (
        isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value)
    ):
        raise ValueError(f"Threshold.{attribute.name} must be a finite number or None")


@attrs.frozen(cache_hash=True)
class Threshold:
    """One cell of a criteria table: the value an indicator must reach in one context.

    ``value`` is ``None`` when the value is unknown (confidence ``unknown`` or
    ``uncertain``) and for yes/no indicators, whose requirement is the condition itself.
    ``candidate`` keeps a value a source printed but that could not be trusted.
    """

    when: Condition = Condition()
    value: float | None = attrs.field(default=None, validator=_finite_or_none)
    upper: float | None = attrs.field(default=None, validator=_finite_or_none)
    options: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    applies: bool = True
    confidence: Confidence = attrs.field(default=Confidence.UNKNOWN, converter=Confidence)
    sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    legal_ref: LegalRef | None = None
    candidate: str | None = None
    relative_to: RelativeValue | None = None
    note: str = ""

    @property
    def known(self) -> bool:
        """Whether this threshold can decide a verdict."""
        return self.confidence.has_value or not self.applies

    def requirement(self, kind: RuleKind, lang: str = "en") -> str:
        """What this threshold asks for under a rule of *kind*, in ``"en"`` or ``"vi"``.

        A threshold relative to another set reads as its formula until it has been resolved
        (a result's threshold carries the resolved value).

        >>> Threshold(value=80, confidence="verified").requirement(RuleKind.AT_LEAST)
        '≥ 80'
        >>> Threshold(candidate="95").requirement(RuleKind.AT_LEAST, "vi")
        'chưa rõ (candidate 95)'
        """
        vi = lang == "vi"
        if not self.applies:
            return "không áp dụng" if vi else "does not apply"
        if not self.confidence.has_value:
            unknown = "chưa rõ" if vi else "unknown"
            return f"{unknown} (candidate {self.candidate})" if self.candidate else unknown
        if self.relative_to is not None and self.value is None:
            ref = self.relative_to
            return f"≥ {ref.factor * 100:g} % × {ref.set} {ref.indicator}"
        if kind is RuleKind.ACHIEVED:
            return "Đạt"
        if kind is RuleKind.ONE_OF:
            return " | ".join(self.options)
        if kind is RuleKind.BETWEEN:
            return f"{self.value:g}–{self.upper:g}"
        return f"{'≤' if kind is RuleKind.AT_MOST else '≥'} {self.value:g}"


def _check_rule(instance: Rule, attribute: Any, value: Any) -> None:
    seen: set[Condition] = set()
    for t in instance.thresholds:
        if t.when in seen:
            raise ValueError(f"two thresholds share the condition ({t.when.describe()})")
        seen.add(t.when)
        if not t.applies:
            continue
        has_value = t.confidence.has_value
        if t.relative_to is not None:
            if instance.kind not in (RuleKind.AT_LEAST, RuleKind.AT_MOST):
                raise ValueError(f"threshold ({t.when.describe()}): relative_to applies only to "
                                 f"at_least and at_most rules, not {instance.kind.value}")
            if t.value is not None:
                raise ValueError(f"threshold ({t.when.describe()}) has both a value and "
                                 "relative_to")
            continue
        if instance.kind in _VALUED_KINDS:
            if has_value and t.value is None:
                raise ValueError(
                    f"threshold ({t.when.describe()}) is {t.confidence.value} but has no value"
                )
            if not has_value and t.value is not None:
                raise ValueError(
                    f"threshold ({t.when.describe()}) is {t.confidence.value}: its value must be "
                    "left out (keep what a source printed in 'candidate')"
                )
            if instance.kind is RuleKind.BETWEEN and has_value and t.upper is None:
                raise ValueError(f"threshold ({t.when.describe()}) of a 'between' rule needs upper")
        elif instance.kind is RuleKind.ACHIEVED and t.value is not None:
            raise ValueError("an 'achieved' rule takes no threshold value")
        elif instance.kind is RuleKind.ONE_OF and has_value and not t.options:
            raise ValueError(f"threshold ({t.when.describe()}) of a 'one_of' rule needs options")


@attrs.frozen(cache_hash=True)
class Rule:
    """How an indicator is judged: a comparison and its thresholds by context."""

    kind: RuleKind = attrs.field(converter=RuleKind)
    thresholds: tuple[Threshold, ...] = attrs.field(converter=to_tuple, validator=_check_rule)

    def candidates(self, context: Context) -> list[Threshold]:
        """The most specific thresholds matching *context* (one, unless the data is ambiguous)."""
        return list(_candidates(self, context))


@functools.lru_cache(maxsize=4096)
def _candidates(rule: Rule, context: Context) -> tuple[Threshold, ...]:
    # Rules and contexts are frozen and hash-cached: the lookup is memoised per pair.
    matching = [t for t in rule.thresholds if t.when.matches(context)]
    if not matching:
        return ()
    best = max(t.when.specificity for t in matching)
    return tuple(t for t in matching if t.when.specificity == best)


@attrs.frozen
class ChildSpec:
    """What a share-of-children indicator counts: child units of a level holding a tier.

    >>> ChildSpec(level="commune", tier="ntm-advanced").tier.value
    'ntm-advanced'
    """

    level: Level = attrs.field(converter=Level)
    tier: Tier = attrs.field(converter=Tier)
    note: str = ""


@attrs.frozen
class Indicator:
    """An indicator (*chỉ tiêu*) of a criterion, e.g. ``"10"`` income or ``"2.1"`` roads.

    ``unit`` is the canonical unit: thresholds are written in it and observed values are
    converted to it.  ``by_sex`` marks an indicator that men and women must each reach
    (*áp dụng đạt cho cả nam và nữ*): observe it as :class:`~ntmkit.BySex`.  ``applies_if``
    names the condition under which the indicator binds at all (e.g. a bus station "if the plan
    provides one", *nếu có theo quy hoạch*); where it does not hold, observe
    ``Verdict.NOT_APPLICABLE``.
    ``minimum``/``maximum`` bound what a plausible observation can be (a share cannot exceed
    100 %).
    """

    code: str
    criterion: str
    name_vi: str
    name_en: str
    unit: str
    rule: Rule
    year_dependent: bool = False
    minimum: float | None = None
    maximum: float | None = None
    code_confidence: Confidence = attrs.field(default=Confidence.VERIFIED, converter=Confidence)
    name_vi_reconstructed: bool = False
    children: ChildSpec | None = None
    by_sex: bool = False
    applies_if: str = ""
    note: str = ""

    @property
    def numeric(self) -> bool:
        """Whether the indicator takes a number (rather than yes/no or a category)."""
        return self.rule.kind in _NUMERIC_KINDS


@attrs.frozen
class Criterion:
    """A criterion (*tiêu chí*); met when every one of its indicators is met.

    ``indicators_complete`` is ``False`` when the registry does not know every indicator
    of the criterion: such a criterion can fail but can never be met.
    """

    code: str
    name_vi: str
    name_en: str
    indicators: tuple[Indicator, ...] = attrs.field(default=(), converter=to_tuple)
    indicators_complete: bool = True
    confidence: Confidence = attrs.field(default=Confidence.VERIFIED, converter=Confidence)
    sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    note: str = ""


@attrs.frozen
class Pillar:
    """A group of criteria (*nhóm tiêu chí*), e.g. *Hạ tầng kinh tế - xã hội*."""

    code: str
    name_vi: str
    name_en: str
    criteria: tuple[Criterion, ...] = attrs.field(default=(), converter=to_tuple)
    confidence: Confidence = attrs.field(default=Confidence.VERIFIED, converter=Confidence)
    note: str = ""


def _class_set(value: Iterable[Any]) -> frozenset[CommuneClass]:
    return frozenset(CommuneClass(c) for c in value)


@attrs.frozen
class RegionSubstitution:
    """A rule sending communes of some classes to another region's column.

    Under 318/QĐ-TTg an extremely difficult commune is assessed against the Northern
    Midlands and Mountains values wherever it lies.
    """

    classes: frozenset[CommuneClass] = attrs.field(converter=_class_set)
    region: Region = attrs.field(converter=Region)
    confidence: Confidence = attrs.field(default=Confidence.VERIFIED, converter=Confidence)
    sources: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    note: str = ""


def canonical_value(inst: object, field: attrs.Attribute[object] | None, value: Any) -> Any:
    """Serialise one value for the canonical form (an ``attrs.asdict`` value serializer)."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, frozenset):
        return sorted(canonical_value(inst, field, v) for v in value)
    return value


_NOT_FINGERPRINTED = frozenset(
    {"note", "_criteria", "_indicators", "_fingerprint", "_plans",
     "_year_dependent", "_group_values"})


def _is_default(attribute: attrs.Attribute[Any], value: Any) -> bool:
    default: Any = attribute.default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]
        if default.takes_self:
            return False
        default = default.factory()
    return bool(default is not attrs.NOTHING and value == default)


def _fingerprinted(attribute: attrs.Attribute[Any], value: Any) -> bool:
    # Fields left at their default are left out, so that a field added in a later ntmkit
    # release does not change the fingerprint of a set that does not use it.
    return (attribute.init and attribute.name not in _NOT_FINGERPRINTED
            and not _is_default(attribute, value))


@attrs.frozen
class CriteriaSet:
    """One version of a criteria set, e.g. ``commune/ntm`` version ``2024-03-01``.

    ``id`` is a stable English slug; ``version`` is the effective date of the legal act
    that issued or amended it.  ``complete`` is ``False`` when the registry does not know
    every criterion or indicator of the set: the set can then never be met as a whole.
    ``requires`` pins the sets a unit must meet first (the advanced set requires the NTM
    set of the same version).  ``checked_on`` is the date the values were last checked
    against the law; ``superseded_on`` the date a later act replaced this version.
    """

    id: str
    version: str
    level: Level = attrs.field(converter=Level)
    tier: Tier | None = attrs.field(converter=attrs.converters.optional(Tier))
    title_vi: str
    title_en: str
    effective: dt.date = attrs.field(validator=_a_date)
    checked_on: dt.date = attrs.field(validator=_a_date)
    legal_basis: LegalRef
    pillars: tuple[Pillar, ...] = attrs.field(converter=to_tuple)
    period: str = ""
    superseded_on: dt.date | None = attrs.field(
        default=None, validator=attrs.validators.optional(_a_date))
    superseded_by: LegalRef | None = None
    amended_by: tuple[LegalRef, ...] = attrs.field(default=(), converter=to_tuple)
    years: tuple[int, int] | None = attrs.field(
        default=None, converter=attrs.converters.optional(to_tuple)
    )
    criteria_count: int | None = None
    groups: tuple[int, ...] | None = attrs.field(
        default=None, converter=attrs.converters.optional(to_tuple)
    )
    complete: bool = True
    requires: tuple[str, ...] = attrs.field(default=(), converter=to_tuple)
    region_substitutions: tuple[RegionSubstitution, ...] = attrs.field(
        default=(), converter=to_tuple
    )
    sources: tuple[Source, ...] = attrs.field(default=(), converter=to_tuple)
    derived_from: str | None = None
    note: str = ""
    _criteria: Mapping[str, Criterion] = attrs.field(init=False, eq=False, repr=False)
    _indicators: Mapping[str, Indicator] = attrs.field(init=False, eq=False, repr=False)
    _fingerprint: list[str] = attrs.field(init=False, eq=False, repr=False)
    # Scoring plans by context, built by ntmkit.scoring on first use (a cache, not data).
    _plans: dict[Any, Any] = attrs.field(init=False, eq=False, repr=False)
    _year_dependent: bool = attrs.field(init=False, eq=False, repr=False)
    _group_values: bool = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        criteria: dict[str, Criterion] = {}
        indicators: dict[str, Indicator] = {}
        for pillar in self.pillars:
            for criterion in pillar.criteria:
                if criterion.code in criteria:
                    raise ValueError(f"criterion {criterion.code} appears twice")
                criteria[criterion.code] = criterion
                for indicator in criterion.indicators:
                    if indicator.code in indicators:
                        raise ValueError(f"indicator {indicator.code} appears twice")
                    indicators[indicator.code] = indicator
        object.__setattr__(self, "_criteria", types.MappingProxyType(criteria))
        object.__setattr__(self, "_indicators", types.MappingProxyType(indicators))
        object.__setattr__(self, "_fingerprint", [])
        object.__setattr__(self, "_plans", {})
        object.__setattr__(self, "_year_dependent",
                           any(i.year_dependent for i in indicators.values()))
        object.__setattr__(self, "_group_values", any(
            t.when.group is not None for i in indicators.values() for t in i.rule.thresholds))

    def __getstate__(self) -> dict[str, Any]:
        # Only the fields given at construction: lookups and caches are rebuilt on load, so
        # a set can be sent to worker processes (multiprocessing) or deep-copied.
        return {a.name: getattr(self, a.name) for a in attrs.fields(type(self)) if a.init}

    def __setstate__(self, state: dict[str, Any]) -> None:
        for name, value in state.items():
            object.__setattr__(self, name, value)
        self.__attrs_post_init__()

    @property
    def key(self) -> str:
        """``id@version``, the spelling the CLI and ``requires`` use."""
        return f"{self.id}@{self.version}"

    @property
    def criteria(self) -> Mapping[str, Criterion]:
        """Criteria by code, in table order."""
        return self._criteria

    @property
    def indicators(self) -> Mapping[str, Indicator]:
        """Indicators by code, in table order."""
        return self._indicators

    @property
    def year_dependent(self) -> bool:
        """Whether some threshold depends on the year (an assessment then needs ``year``)."""
        return self._year_dependent

    @property
    def has_group_values(self) -> bool:
        """Whether some threshold is given per commune group (communes then need ``group``)."""
        return self._group_values

    @property
    def source_map(self) -> Mapping[str, Source]:
        """Sources by id."""
        return {s.id: s for s in self.sources}

    def canonical(self) -> dict[str, Any]:
        """The canonical, JSON-compatible form the fingerprint is computed from.

        It holds everything a set says except the free-text ``note`` fields, which explain but
        never change a verdict, and fields left at their default value (so that a field added
        in a later release does not change the fingerprint of a set that does not use it).
        ``checked_on`` is part of it: under ``strict="unknown"`` a verdict depends on it.
        """
        return attrs.asdict(self, filter=_fingerprinted, value_serializer=canonical_value)

    @property
    def fingerprint(self) -> str:
        """``sha256:`` + the SHA-256 of the canonical JSON form of the set (:meth:`canonical`).

        Any change to a threshold, unit, rule, code, name, source, legal reference,
        confidence or ``checked_on`` changes it; editing a note does not.  Two sets with the
        same fingerprint give the same verdicts for the same observations, context and
        options, whatever the ``strict`` policy.
        """
        if not self._fingerprint:
            text = json.dumps(
                self.canonical(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
            )
            digest = hashlib.sha256(("ntmkit.criteria-set.v1\n" + text).encode()).hexdigest()
            self._fingerprint.append("sha256:" + digest)
        return self._fingerprint[0]

    def _repr_html_(self) -> str:
        from ntmkit.report import criteria_set_html

        return criteria_set_html(self)

    def in_force(self, on: dt.date) -> bool:
        """Tell whether this version is in force on *on*."""
        return self.effective <= on and (self.superseded_on is None or on < self.superseded_on)

    def threshold(
        self,
        code: str,
        *,
        region: Region | str,
        year: int | None = None,
        classes: frozenset[CommuneClass] | tuple[CommuneClass, ...] = (),
        group: int | None = None,
    ) -> Threshold | None:
        """The threshold of indicator *code* for a context (``None`` when none matches).

        *region* is the column wanted; region substitutions are not applied here (see
        :func:`ntmkit.assess`, which applies them).
        """
        from ntmkit.errors import UnknownIndicator

        if code not in self._indicators:
            raise UnknownIndicator(f"{self.key} has no indicator {code!r}")
        context = Context(Region(region), year, frozenset(classes), group)
        found = self._indicators[code].rule.candidates(context)
        return found[0] if len(found) == 1 else None
