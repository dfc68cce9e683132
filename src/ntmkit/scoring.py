"""Pure scoring: compare one commune's observations with one criteria-set version.

:func:`assess` has no side effects: the same commune, observations, set and year give the
same :class:`~ntmkit.Assessment`, whatever was assessed before.
"""

from __future__ import annotations

import datetime as dt
import difflib
import fractions
import math
import re
import warnings
from collections.abc import Mapping
from typing import TYPE_CHECKING, Literal, NamedTuple

import attrs

from ntmkit._values import (
    NO_TEXTS as NO_TEXTS,
)
from ntmkit._values import (
    NOT_APPLICABLE_TEXTS as NOT_APPLICABLE_TEXTS,
)
from ntmkit._values import (
    YES_TEXTS as YES_TEXTS,
)
from ntmkit._values import (
    declares_not_applicable,
    is_blank_text,
    is_bool,
    is_number,
    parse_yes_no,
    yes_no,
)
from ntmkit.errors import (
    InvalidContext,
    InvalidValue,
    StaleCriteriaError,
    StaleCriteriaWarning,
    UnknownIndicator,
    UnknownProvince,
)
from ntmkit.model.criteria import (
    Context,
    CriteriaSet,
    Criterion,
    Indicator,
    Pillar,
    RegionSubstitution,
    Threshold,
)
from ntmkit.model.enums import Confidence, Region, RuleKind, Verdict
from ntmkit.model.places import Commune, District, Province, Village
from ntmkit.model.results import (
    Assessment,
    BySex,
    CriterionResult,
    IndicatorResult,
    PillarResult,
    Share,
    combine,
)
from ntmkit.units import finite_float, is_quantity, split_quantity, to_unit

_INF = math.inf

if TYPE_CHECKING:
    from ntmkit.registry import CriteriaRegistry

__all__ = [
    "DECLARED_PREFIX",
    "Strict",
    "ThresholdPolicy",
    "Unit",
    "assess",
    "check_declared_keys",
    "coerce_value",
    "declared_key",
    "declared_verdict",
    "observable_indicators",
    "resolve_region",
    "split_sex_column",
]

#: The units :func:`assess` takes: a commune for commune sets, a district or province for
#: theirs.
Unit = Commune | District | Province | Village

#: What :func:`assess` does when the assessment date is after the set's ``checked_on``.
Strict = Literal["warn", "raise", "unknown"]

#: Which thresholds :func:`assess` uses: ``"published"`` (only values the registry knows) or
#: ``"provisional"`` (also the ``candidate`` of an uncertain value, every verdict that uses
#: one marked provisional).
ThresholdPolicy = Literal["published", "provisional"]

#: The observation key prefix of a declared criterion verdict: ``"criterion:10"``; a
#: prerequisite set's criterion is named with its set id, ``"criterion:commune/ntm:10"``.
DECLARED_PREFIX = "criterion:"

_DECLARED_HEADER = re.compile(r"^(?:criterion|tiêu chí|tieu chi)\s*:?\s*(?P<rest>\S.*)$")


def declared_key(header: str) -> str | None:
    """The observation key of a column that declares a criterion's verdict, or ``None``.

    ``"criterion:10"``, ``"Tiêu chí 10"`` and ``"tieu chi 10"`` all give ``"criterion:10"``;
    ``"criterion:commune/ntm:10"`` names a prerequisite set's criterion.

    >>> declared_key("Tiêu chí 10"), declared_key("CRITERION:KM.4"), declared_key("10")
    ('criterion:10', 'criterion:KM.4', None)
    """
    text = " ".join(header.strip().split())
    m = _DECLARED_HEADER.match(text.casefold())
    # The prefix is matched without case; the criterion code keeps its own (KM.4).
    return None if m is None else DECLARED_PREFIX + text[m.start("rest"):].strip()


def check_declared_keys(keys: list[str], cs: CriteriaSet,
                        registry: CriteriaRegistry | None = None) -> None:
    """Check that each declared key names a criterion of *cs* or of a set it requires.

    Raises :class:`~ntmkit.errors.UnknownIndicator` naming the key.
    """
    if registry is None:
        from ntmkit import registry as _registry_module

        registry = _registry_module.default()
    _split_declared(dict.fromkeys(keys), cs, registry)


def declared_verdict(key: str, raw: object) -> Verdict | None:
    """The verdict declared for a criterion by the value *raw* of observation *key*.

    ``True``, ``"Đạt"``, ``"met"`` or :attr:`Verdict.MET` declare the criterion met;
    ``False``, ``"Chưa đạt"`` or :attr:`Verdict.NOT_MET` not met; ``None`` or an empty text
    declares nothing.  Anything else raises :class:`~ntmkit.errors.InvalidValue` naming *key*.

    >>> declared_verdict("criterion:10", "Đạt").value
    'met'
    >>> declared_verdict("criterion:10", False).value
    'not_met'
    """
    if raw is None:
        return None
    if raw is Verdict.MET or raw is Verdict.NOT_MET:
        return raw
    if is_bool(raw):
        return Verdict.MET if raw else Verdict.NOT_MET
    if isinstance(raw, str):
        try:
            yes = parse_yes_no(raw)
        except ValueError:
            raise InvalidValue(
                f"{key}: a declared criterion verdict is Đạt or Chưa đạt (true / false), "
                f"not {raw!r}") from None
        return None if yes is None else (Verdict.MET if yes else Verdict.NOT_MET)
    raise InvalidValue(f"{key}: a declared criterion verdict is Đạt or Chưa đạt (true / false), "
                       f"not {raw!r} ({type(raw).__name__})")


def coerce_value(indicator: Indicator, raw: object) -> tuple[float | bool | str | None, str | None]:
    """Check an observed value and convert it to the indicator's unit.

    Returns ``(value, as given)``.  ``None`` means missing data.  Raises
    :class:`~ntmkit.errors.InvalidValue` or :class:`~ntmkit.errors.UnitMismatch` with a
    message naming the indicator.
    """
    return _coerce(indicator, raw, part=False)


_COMPARED = frozenset({RuleKind.AT_LEAST, RuleKind.AT_MOST, RuleKind.BETWEEN})


def _coerce(indicator: Indicator, raw: object,
            part: bool) -> tuple[float | bool | str | None, str | None]:
    # part: raw is one half (men or women) of a BySex value.
    code = indicator.code
    if type(raw) is float and raw == raw and indicator.rule.kind in _COMPARED \
            and raw not in (_INF, -_INF):
        # The common case first: a finite float for a compared indicator (the same checks
        # and the same result as the general path below).
        observed = f"{raw}"
        if indicator.by_sex and not part:
            observed += " (one value given for men and women)"
        low, high = indicator.minimum, indicator.maximum
        if (low is None or raw >= low) and (high is None or raw <= high):
            return raw, observed
    if raw is None or is_blank_text(raw):
        return None, None
    if isinstance(raw, BySex) and not part:
        return _coerce_by_sex(indicator, raw)
    if not part and declares_not_applicable(raw):
        _check_declared_not_applicable(indicator)
        return None, "not applicable"
    kind = indicator.rule.kind
    if kind is RuleKind.ACHIEVED:
        flag = yes_no(indicator, raw)
        return flag, None if flag is None else str(flag)
    if kind is RuleKind.ONE_OF:
        if isinstance(raw, str):
            return raw, raw
        raise InvalidValue(f"indicator {code}: expected a category name, got {raw!r}")
    if kind is RuleKind.SHARE_OF_CHILDREN:
        if isinstance(raw, Share):
            return raw.percent, str(raw)
        raise InvalidValue(
            f"indicator {code} ({indicator.name_en}) counts child units: give "
            f"ntmkit.Share(met=…, total=…), not {raw!r} ({type(raw).__name__})")
    if type(raw) is float:  # the common case, without the ABC checks
        observed = f"{raw}"
        value = raw
        if value != value or value in (_INF, -_INF):
            value = finite_float(raw, indicator=code)
    elif type(raw) is int:
        observed = f"{raw}" if -10**40 < raw < 10**40 else "a very large integer"
        value = finite_float(raw, indicator=code)
    elif is_quantity(raw):
        magnitude, unit = split_quantity(raw)
        observed = f"{magnitude} {unit}"
        value = to_unit(magnitude, unit, indicator.unit, indicator=code)
    elif is_number(raw):
        value = finite_float(raw, indicator=code)
        observed = f"{raw}"
    else:
        hint = " (convert the text to a number first)" if isinstance(raw, str) else ""
        shown = repr(raw) if len(repr(raw)) <= 60 else repr(raw)[:60] + "…"
        raise InvalidValue(
            f"indicator {code} ({indicator.name_en}) takes a number in {indicator.unit!r}, "
            f"got {shown} ({type(raw).__name__}){hint}", indicator=code, unit=indicator.unit
        )
    if indicator.by_sex and not part:
        observed += " (one value given for men and women)"
    low, high = indicator.minimum, indicator.maximum
    if (low is not None and value < low) or (high is not None and value > high):
        bounds = f"{low if low is not None else '-∞'}–{high if high is not None else '∞'}"
        raise InvalidValue(
            f"indicator {code} ({indicator.name_en}): {value:g} {indicator.unit} is outside "
            f"the possible range {bounds} {indicator.unit}", indicator=code, unit=indicator.unit
        )
    return value, observed


def _check_declared_not_applicable(indicator: Indicator) -> None:
    if not indicator.applies_if:
        raise InvalidValue(f"indicator {indicator.code} ({indicator.name_en}) applies to every "
                           "unit and cannot be declared not applicable: give its observed "
                           "value, or leave it empty if it is not known")


def _result(step: _Step, verdict: Verdict, value: float | bool | str | None = None,
            observed: str | None = None, reason: str = "", gap: float | None = None,
            threshold: Threshold | None = None, provisional: bool = False) -> IndicatorResult:
    """An indicator result with the indicator's identity and, unless given, the step's threshold."""
    indicator = step.indicator
    return IndicatorResult(
        code=indicator.code, criterion=indicator.criterion, verdict=verdict,
        rule=indicator.rule.kind, unit=indicator.unit, name_vi=indicator.name_vi,
        name_en=indicator.name_en, value=value, observed=observed,
        threshold=step.threshold if threshold is None else threshold, gap=gap,
        source_urls=step.urls, reason=reason,
        provisional=(step.provisional or provisional)
        and verdict in (Verdict.MET, Verdict.NOT_MET))


def _declared_not_applicable(step: _Step) -> IndicatorResult:
    """The result of an indicator the observer declares does not apply to the unit."""
    indicator = step.indicator
    _check_declared_not_applicable(indicator)
    return _result(step, observed="not applicable", verdict=Verdict.NOT_APPLICABLE,
                   reason=f"declared not applicable: it binds only where {indicator.applies_if}")


def by_sex_parts(indicator: Indicator, raw: BySex) -> BySex:
    """*raw* checked against *indicator*, each half converted to the indicator's unit.

    Raises :class:`~ntmkit.errors.InvalidValue` naming the half that is wrong, or when the
    indicator is not observed by sex.
    """
    return BySex(*(value for value, _ in _by_sex_halves(indicator, raw)))


def _by_sex_halves(indicator: Indicator,
                   raw: BySex) -> list[tuple[float | bool | str | None, str | None]]:
    if not indicator.by_sex:
        raise InvalidValue(f"indicator {indicator.code} ({indicator.name_en}) is not observed "
                           "by sex: give one value, not ntmkit.BySex")
    halves = []
    for name, half in (("men", raw.men), ("women", raw.women)):
        try:
            halves.append(_coerce(indicator, half, part=True))
        except InvalidValue as exc:
            raise InvalidValue(f"{name}: {exc}") from None
    return halves


def _coerce_by_sex(indicator: Indicator, raw: BySex) -> tuple[float | None, str]:
    """The lower of the men's and women's values; missing when either is missing."""
    (men, men_observed), (women, women_observed) = _by_sex_halves(indicator, raw)
    observed = f"men {men_observed or 'missing'}; women {women_observed or 'missing'}"
    if men is None or women is None:
        return None, observed
    assert isinstance(men, float)
    assert isinstance(women, float)
    return min(men, women), observed


def split_sex_column(column: object) -> tuple[str, str | None]:
    """Split a column name of a value by sex: ``"15.1:men"`` → ``("15.1", "men")``.

    Any other name comes back as ``(name, None)``.

    >>> split_sex_column("15.1:women"), split_sex_column("3.1")
    (('15.1', 'women'), ('3.1', None))
    """
    name = str(column)
    for part in ("men", "women"):
        if name.endswith(f":{part}"):
            return name[: -len(part) - 1], part
    return name, None


def observable_indicators(
    cs: CriteriaSet, registry: CriteriaRegistry | None = None
) -> dict[str, Indicator]:
    """The indicators an observation for *cs* may name: its own and its prerequisites'.

    The advanced set requires the NTM set, so one row of observations serves both.
    """
    if registry is None:
        from ntmkit import registry as _registry_module

        registry = _registry_module.default()
    known = dict(cs.indicators)
    for key in cs.requires:
        for code, ind in observable_indicators(registry.get(key), registry).items():
            known.setdefault(code, ind)
    return known


def resolve_region(unit: Commune) -> Region:
    """The region of *unit*: its own, or its province's (raises when neither is known)."""
    if unit.region is not None:
        return unit.region
    if unit.province is not None:
        from ntmkit import places

        try:
            region = places.region_of(unit.province, unit.edition or "pre-2025-07")
        except UnknownProvince as exc:
            raise InvalidContext(f"commune {unit.code} ({unit.name}): {exc}") from None
        if region is not None:
            return region
        raise InvalidContext(
            f"commune {unit.code} ({unit.name}): province {unit.province!r} spans more than one "
            "region after the 2025 reform; give the commune's region explicitly"
        )
    raise InvalidContext(
        f"commune {unit.code} ({unit.name}) has neither a region nor a province; "
        "give its region or its province (a region or province column in a file; "
        "Commune(region=…) or Commune(province=…, edition=…) in Python)"
    )


def _substitution(cs: CriteriaSet, unit: Unit) -> RegionSubstitution | None:
    if not isinstance(unit, Commune):
        return None
    for sub in cs.region_substitutions:
        if sub.classes & unit.classes:
            return sub
    return None


def _uses_regions(cs: CriteriaSet) -> bool:
    return bool(cs.region_substitutions) or any(
        t.when.region is not None for i in cs.indicators.values() for t in i.rule.thresholds)


def _unit_region(unit: Unit, cs: CriteriaSet) -> Region | None:
    """A commune's region (required); a district's or province's, only if the set needs it."""
    if isinstance(unit, Commune):
        return resolve_region(unit)
    found: Region | None = unit.region
    if found is None and isinstance(unit, District) and unit.province:
        from ntmkit import places

        try:
            found = places.region_of(unit.province, unit.edition or "pre-2025-07")
        except UnknownProvince:
            found = None
    if found is None and _uses_regions(cs):
        raise InvalidContext(f"{type(unit).__name__.lower()} {unit.code or unit.name}: "
                             f"{cs.key} has regional thresholds; give the unit's region")
    return found


def _compare_share(share: Share | None, t: Threshold) -> tuple[Verdict, float | None, str]:
    """Exact comparison of a share with a percentage: ``100 * met >= p * total``.

    Returns the verdict, the gap (child units still needed) and the reason.
    """
    assert share is not None
    assert t.value is not None
    if share.total == 0:
        return Verdict.NOT_APPLICABLE, None, "no child units"
    wanted = fractions.Fraction(str(t.value)) * share.total
    if 100 * share.met >= wanted:
        return Verdict.MET, None, ""
    if 100 * (share.met + share.unknown) < wanted:
        short = math.ceil(wanted / 100) - share.met - share.unknown
        return Verdict.NOT_MET, float(short), f"{short} more child unit(s) needed"
    return Verdict.UNKNOWN, None, f"depends on {share.unknown} child unit(s) of unknown status"


_STRENGTH = list(Confidence)  # declared from the strongest to the weakest


def _resolve_relative(
    t: Threshold, context: Context, registry: CriteriaRegistry | None,
    policy: ThresholdPolicy = "published",
) -> tuple[Threshold | None, str, fractions.Fraction, bool]:
    """The effective threshold of a relative one: factor × the referenced set's value.

    Returns the threshold (``None`` when the referenced value is unknown), a label, the exact
    value, and whether the referenced value is a candidate (provisional policy only).
    """
    ref = t.relative_to
    assert ref is not None
    if registry is None:
        from ntmkit import registry as _registry

        registry = _registry.default()
    other = registry.get(ref.set)
    found = other.indicators[ref.indicator].rule.candidates(context) \
        if ref.indicator in other.indicators else []
    label = f"{ref.factor * 100:g} % of {ref.set} indicator {ref.indicator}"
    base_value = found[0].value if len(found) == 1 and found[0].confidence.has_value else None
    used_candidate = False
    if base_value is None and policy == "provisional" and len(found) == 1:
        base_value = candidate_value(found[0])
        used_candidate = base_value is not None
    if base_value is None:
        return None, f"{label}, whose value is unknown", fractions.Fraction(0), False
    base = found[0]
    exact = fractions.Fraction(repr(base_value)) * fractions.Fraction(repr(ref.factor))
    weakest = max(t.confidence, base.confidence, key=_STRENGTH.index)
    word = "candidate " if used_candidate else ""
    if used_candidate:
        label += f" (provisional: {word}{base.candidate})"
    effective = attrs.evolve(t, value=float(exact), confidence=weakest,
                             note=f"{label} ({word}{base_value:g}); {t.note}".rstrip("; "))
    return effective, label, exact, used_candidate


class _Step(NamedTuple):
    """One indicator's part of a scoring plan."""

    indicator: Indicator
    #: Its threshold in the plan's context (``None`` when none matches); under the
    #: provisional policy, a candidate value stands in for an uncertain one.
    threshold: Threshold | None
    #: The threshold's source URLs.
    urls: tuple[str, ...]
    #: The verdict when it does not depend on the observed value (``None`` when it does).
    fixed: Verdict | None
    reason: str
    #: The threshold is a candidate (``thresholds="provisional"``).
    provisional: bool = False
    #: The policy the plan was built with (a relative threshold resolves by it).
    policy: ThresholdPolicy = "published"
    #: AT_LEAST or AT_MOST when a value is simply compared with the threshold's own value
    #: (no fixed verdict, not relative): :func:`_compared` judges it.
    compared: RuleKind | None = None


def _simple(step: _Step) -> _Step:
    """*step* marked ``compared`` when a value is simply compared with its threshold."""
    t, kind = step.threshold, step.indicator.rule.kind
    if step.fixed is None and t is not None and t.relative_to is None and t.value is not None \
            and kind in (RuleKind.AT_LEAST, RuleKind.AT_MOST):
        return step._replace(compared=kind)
    return step


#: A plan step with the (immutable) result for a missing value, shared by every assessment.
_PlannedStep = tuple[_Step, IndicatorResult]
#: A criterion's part of a plan: the criterion, its steps, its indicator codes, and its result
#: when none of them is observed.
_PlannedCriterion = tuple[Criterion, tuple[_PlannedStep, ...], frozenset[str], CriterionResult]
#: A scoring plan: for each pillar, its criteria.
_Plan = tuple[tuple[Pillar, tuple[_PlannedCriterion, ...]], ...]
_MAX_PLANS = 512


def candidate_value(t: Threshold) -> float | None:
    """The candidate of an uncertain threshold as one number, or ``None``.

    Only a candidate that is a single number (``"95"``) can stand in for the value; a range
    or a choice (``"15-20"``, ``"60 or 65"``) cannot.

    >>> candidate_value(Threshold(candidate="95")), candidate_value(Threshold(candidate="15-20"))
    (95.0, None)
    """
    if t.candidate is None:
        return None
    try:
        value = float(t.candidate.strip())
    except ValueError:
        return None
    return value if math.isfinite(value) else None


def _step(indicator: Indicator, context: Context, source_urls: Mapping[str, str],
          policy: ThresholdPolicy = "published") -> _Step:
    found = indicator.rule.candidates(context)
    if len(found) > 1:
        raise InvalidContext(
            f"indicator {indicator.code}: {len(found)} thresholds match equally "
            f"({'; '.join(t.when.describe() for t in found)}); the set is ambiguous here"
        )
    if not found:
        return _Step(indicator, None, (), Verdict.UNKNOWN, "no threshold for this context")
    t = found[0]
    urls = tuple(source_urls.get(s, s) for s in t.sources)
    if not t.applies:
        return _Step(indicator, t, urls, Verdict.NOT_APPLICABLE, "does not apply here")
    if t.confidence.has_value:
        return _simple(_Step(indicator, t, urls, None, "", policy=policy))
    candidate = candidate_value(t) if indicator.numeric else None
    if policy == "provisional" and candidate is not None:
        stand_in = attrs.evolve(t, value=candidate,
                                note=f"provisional: candidate {t.candidate}; {t.note}".rstrip("; "))
        return _simple(_Step(indicator, stand_in, urls, None, f"provisional: candidate "
                             f"{t.candidate} of a threshold that is {t.confidence.value}",
                             provisional=True, policy=policy))
    if t.relative_to is not None:
        return _Step(indicator, t, urls, None, "", policy=policy)
    return _Step(indicator, t, urls, Verdict.UNKNOWN, f"threshold {t.confidence.value}")


def _plan(cs: CriteriaSet, context: Context, policy: ThresholdPolicy = "published") -> _Plan:
    """The thresholds of *cs* resolved for *context*, built once per set, context and policy."""
    plans: dict[tuple[Context, str], _Plan] = cs._plans  # the set's own cache
    plan: _Plan | None = plans.get((context, policy))
    if plan is None:
        urls = {s.id: s.url for s in cs.sources}

        def planned(indicator: Indicator) -> _PlannedStep:
            step = _step(indicator, context, urls, policy)
            return step, _judge(step, None, None, context, None, None, None)

        def planned_criterion(criterion: Criterion) -> _PlannedCriterion:
            steps = tuple(planned(i) for i in criterion.indicators)
            codes = frozenset(i.code for i in criterion.indicators)
            return criterion, steps, codes, _criterion_result(criterion, [r for _, r in steps])

        plan = tuple((pillar, tuple(planned_criterion(c) for c in pillar.criteria))
                     for pillar in cs.pillars)
        if len(plans) >= _MAX_PLANS:
            plans.clear()
        plans[(context, policy)] = plan
    return plan


def depends_on_provisional(verdict: Verdict, parts: list[tuple[Verdict, bool]]) -> bool:
    """Whether a whole's *verdict* rests on a provisional part (``(verdict, provisional)``).

    A MET whole rests on every part; a NOT_MET whole only on its NOT_MET parts, so it is
    provisional only when each of those is.  An undecided whole is not provisional.

    >>> M, N = Verdict.MET, Verdict.NOT_MET
    >>> depends_on_provisional(M, [(M, False), (M, True)])
    True
    >>> depends_on_provisional(N, [(N, False), (N, True)])
    False
    """
    if verdict is Verdict.MET:
        return any(p for _, p in parts)
    if verdict is Verdict.NOT_MET:
        return all(p for v, p in parts if v is Verdict.NOT_MET)
    return False


def _criterion_result(criterion: Criterion, results: list[IndicatorResult],
                      declared: Verdict | None = None) -> CriterionResult:
    computed = combine([r.verdict for r in results], complete=criterion.indicators_complete)
    reason = ""
    if not criterion.indicators_complete:
        reason = ("the registry does not hold every indicator of this criterion"
                  if results else "the indicators of this criterion are not in the registry")
    provisional = depends_on_provisional(computed, [(r.verdict, r.provisional) for r in results])
    result = CriterionResult(
        code=criterion.code, verdict=computed, name_vi=criterion.name_vi,
        name_en=criterion.name_en, indicators=tuple(results),
        indicators_complete=criterion.indicators_complete, reason=reason,
        provisional=provisional)
    if declared is None:
        return result
    if computed in (Verdict.MET, Verdict.NOT_MET) and computed is not declared:
        return attrs.evolve(
            result, verdict=Verdict.UNKNOWN, basis="conflict", declared=declared,
            computed=computed, provisional=False,
            reason=(f"declared {declared.value}, but the indicator values give "
                    f"{computed.value}{' (provisional)' if provisional else ''}"))
    agree = "; the indicator values agree" if computed is declared else ""
    return attrs.evolve(result, verdict=declared, basis="declared", declared=declared,
                        computed=computed, provisional=False,
                        reason=f"declared by the observer{agree}")


def _compared(step: _Step, value: float, observed: str) -> IndicatorResult:
    """:func:`_judge` for a step marked ``compared`` and a value (the common case, in one go)."""
    indicator, t = step.indicator, step.threshold
    assert t is not None
    target = t.value
    assert target is not None
    if step.compared is RuleKind.AT_LEAST:
        met = value >= target
        gap = None if met else target - value
    else:
        met = value <= target
        gap = None if met else value - target
    return IndicatorResult(
        code=indicator.code, criterion=indicator.criterion,
        verdict=Verdict.MET if met else Verdict.NOT_MET, rule=indicator.rule.kind,
        unit=indicator.unit, name_vi=indicator.name_vi, name_en=indicator.name_en, value=value,
        observed=observed, threshold=t, gap=gap, source_urls=step.urls, reason="",
        provisional=step.provisional)


def _judge(step: _Step, value: float | bool | str | None, observed: str | None,
           context: Context, force_unknown: str | None, share: Share | None,
           registry: CriteriaRegistry | None) -> IndicatorResult:
    """The verdict on one indicator, given its plan step and its (converted) value."""
    indicator, t, fixed, fixed_reason = step.indicator, step.threshold, step.fixed, step.reason
    kind = indicator.rule.kind
    if fixed is not None or t is None:
        return _result(step, value=value, observed=observed, reason=fixed_reason,
                       verdict=fixed if fixed is not None else Verdict.UNKNOWN)
    if value is None:
        return _result(step, value=value, observed=observed, verdict=Verdict.UNKNOWN,
                       reason="no data" if observed is None else f"incomplete data ({observed})")
    if force_unknown:
        return _result(step, value=value, observed=observed, verdict=Verdict.UNKNOWN,
                       reason=force_unknown)
    if kind is RuleKind.SHARE_OF_CHILDREN:
        verdict, short, reason = _compare_share(share, t)
        return _result(step, value=value, observed=observed, verdict=verdict, gap=short,
                       reason=reason)
    if t.relative_to is not None:
        effective, label, wanted, used_candidate = _resolve_relative(t, context, registry,
                                                                     step.policy)
        if effective is None:
            return _result(step, value=value, observed=observed, verdict=Verdict.UNKNOWN,
                           reason=label)
        # Compare exactly: value >= factor × referenced value, in rationals.
        assert isinstance(value, float)
        exact = fractions.Fraction(repr(value))
        ok = exact >= wanted if kind is RuleKind.AT_LEAST else exact <= wanted
        return _result(step, value=value, observed=observed, threshold=effective,
                       verdict=Verdict.MET if ok else Verdict.NOT_MET, reason=label,
                       gap=None if ok else abs(float(wanted - exact)),
                       provisional=used_candidate)
    gap: float | None = None
    if kind is RuleKind.ACHIEVED:
        met = value is True
    elif kind is RuleKind.ONE_OF:
        met = value in t.options
    else:
        assert isinstance(value, float)
        target = t.value
        assert target is not None
        if kind is RuleKind.AT_LEAST:
            met = value >= target
            gap = None if met else target - value
        elif kind is RuleKind.AT_MOST:
            met = value <= target
            gap = None if met else value - target
        else:
            assert t.upper is not None
            met = target <= value <= t.upper
            gap = None if met else (target - value if value < target else value - t.upper)
    return _result(step, value=value, observed=observed, gap=gap,
                   verdict=Verdict.MET if met else Verdict.NOT_MET)


def _check_codes(observations: Mapping[str, object], known: set[str], cs: CriteriaSet) -> None:
    for code in observations:
        if code not in known:
            close = difflib.get_close_matches(str(code), sorted(known), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UnknownIndicator(f"{cs.key} has no indicator {code!r}{hint}")


def _split_declared(
    observations: Mapping[str, object], cs: CriteriaSet, registry: CriteriaRegistry
) -> tuple[dict[str, object], dict[str, dict[str, Verdict]]]:
    """Indicator observations apart from declared criterion verdicts, by set id.

    ``criterion:<code>`` declares a criterion of *cs*; ``criterion:<set id>:<code>`` one of a
    prerequisite set.  Unknown criteria and values raise, naming the key.
    """
    values: dict[str, object] = {}
    declared: dict[str, dict[str, Verdict]] = {}
    chain = {cs.id: cs}
    for key in _requirement_chain(cs, registry):
        other = registry.get(key)
        chain.setdefault(other.id, other)
    for key, raw in observations.items():
        if not (isinstance(key, str) and key.startswith(DECLARED_PREFIX)):
            values[key] = raw
            continue
        rest = key[len(DECLARED_PREFIX):].strip()
        set_id, _, code = rest.rpartition(":") if "/" in rest else ("", "", rest)
        target = chain.get(set_id or cs.id)
        if target is None:
            raise UnknownIndicator(
                f"{key}: {set_id!r} is not {cs.key} nor one of the sets it requires "
                f"({', '.join(sorted(chain))})")
        if code not in target.criteria:
            close = difflib.get_close_matches(code, sorted(target.criteria), n=3)
            hint = f"; did you mean {', '.join(close)}?" if close else ""
            raise UnknownIndicator(f"{key}: {target.key} has no criterion {code!r}{hint}")
        verdict = declared_verdict(key, raw)
        if verdict is not None:
            declared.setdefault(target.id, {})[code] = verdict
    return values, declared


def _requirement_chain(cs: CriteriaSet, registry: CriteriaRegistry) -> list[str]:
    """The keys of every set *cs* requires, directly or through another."""
    out: list[str] = []
    for key in cs.requires:
        out.append(key)
        out.extend(_requirement_chain(registry.get(key), registry))
    return out


def assess(
    unit: Unit,
    observations: Mapping[str, object],
    criteria_set: CriteriaSet | str,
    *,
    year: int | None = None,
    on: dt.date | None = None,
    strict: Strict = "warn",
    registry: CriteriaRegistry | None = None,
    thresholds: ThresholdPolicy = "published",
    decided: Mapping[str, IndicatorResult] | None = None,
) -> Assessment:
    """Assess *unit* against *criteria_set* from *observations* (indicator code → value).

    Values are numbers in the indicator's unit, pint quantities in any compatible unit
    (see :func:`ntmkit.Q`), ``True``/``False`` for yes/no indicators, or ``None`` for missing
    data (verdict UNKNOWN).  Indicators left out are missing too.  A criterion's verdict may
    also be declared, as an appraisal record gives it: ``"criterion:10": "Đạt"`` (or
    ``True``/``False``, ``"Chưa đạt"``); the criterion result then has basis ``"declared"``,
    or ``"conflict"`` (verdict UNKNOWN) when its indicator values give the other verdict.
    *year* selects year-dependent thresholds (income); *on* is the assessment date (default:
    31 December of *year*).  When *on* is after the date the set was last checked against the
    law, *strict* decides: ``"warn"`` (a :class:`~ntmkit.errors.StaleCriteriaWarning`),
    ``"raise"`` (:class:`~ntmkit.errors.StaleCriteriaError`) or ``"unknown"`` (every verdict
    that would use a threshold is UNKNOWN).  *thresholds* ``"provisional"`` uses the
    candidate of an uncertain threshold where the registry has one, and marks every verdict
    that depends on one provisional.  Sets listed in ``requires`` (the advanced set requires
    the NTM set) are assessed too, from the same observations, and must be met.

    *criteria_set* may also be a set id (``"commune/ntm-advanced"``): the version in force on
    *on* (default: 31 December of *year*) is used, and where the unit's province has a set of
    its own installed for that date (``province/<slug>/<id>``), that one;
    :attr:`Assessment.resolution` says which and why.  *decided* holds indicator results
    decided outside this set, by code (a delegated criterion assessed against a provincial
    set, see :mod:`ntmkit.points.links`): they replace what the observations would give.

    >>> import ntmkit
    >>> cs = ntmkit.registry.get("commune/ntm", version="2022-03-08")
    >>> c = ntmkit.Commune(code="00001", name="Example", region="red_river_delta")
    >>> ntmkit.assess(c, {"3.1": 85.0, "3.2": True}, cs, year=2024).criteria["3"].verdict.value
    'met'
    """
    if isinstance(on, dt.datetime):
        on = on.date()
    if on is not None and not isinstance(on, dt.date):
        raise InvalidContext(f"on= must be a datetime.date, not {type(on).__name__}")
    if strict not in ("warn", "raise", "unknown"):
        raise ValueError(f"strict must be 'warn', 'raise' or 'unknown', not {strict!r}")
    if thresholds not in ("published", "provisional"):
        raise ValueError(f"thresholds must be 'published' or 'provisional', not {thresholds!r}")
    if not isinstance(observations, Mapping):
        raise InvalidValue(f"observations must be a mapping of indicator code to value, "
                           f"not {type(observations).__name__}")
    if registry is None:
        from ntmkit import registry as _registry_module

        registry = _registry_module.default()
    resolution = ""
    if isinstance(criteria_set, str):
        when = on if on is not None else (dt.date(year, 12, 31) if isinstance(year, int)
                                          and not isinstance(year, bool) and 1 <= year <= 9999
                                          else None)
        if when is None:
            raise InvalidContext(f"to choose the version of {criteria_set} in force, give "
                                 "year= or on=")
        chosen = registry.resolve(criteria_set, on=when,
                                  province=getattr(unit, "province", None) or None)
        criteria_set, resolution = chosen.set, chosen.reason
    declared: dict[str, dict[str, Verdict]] = {}
    if any(isinstance(k, str) and k.startswith(DECLARED_PREFIX) for k in observations):
        observations, declared = _split_declared(observations, criteria_set, registry)
    own = criteria_set.indicators
    if not own.keys() >= observations.keys():  # a code the set itself does not have
        _check_codes(observations, set(observable_indicators(criteria_set, registry)),
                     criteria_set)
    result = _assess(unit, observations, criteria_set, year, on, strict, registry, thresholds,
                     declared)
    if decided:
        result = _with_decided(result, criteria_set, decided)
    return attrs.evolve(result, resolution=resolution) if resolution else result


def _with_decided(a: Assessment, cs: CriteriaSet,
                  decided: Mapping[str, IndicatorResult]) -> Assessment:
    """*a* with the indicator results in *decided* put in, and the verdicts above redone."""
    for code in decided:
        if code not in cs.indicators:
            raise UnknownIndicator(f"decided result for {code!r}: {cs.key} has no such "
                                   "indicator")
    pillars = []
    for p in a.pillars:
        criteria = []
        for c in p.criteria:
            if any(i.code in decided for i in cs.criteria[c.code].indicators):
                results = [decided.get(r.code, r) for r in c.indicators]
                c = _criterion_result(cs.criteria[c.code], results, c.declared)
            criteria.append(c)
        pillars.append(attrs.evolve(p, criteria=tuple(criteria),
                                    verdict=combine([c.verdict for c in criteria])))
    parts = [(c.verdict, c.provisional) for p in pillars for c in p.criteria]
    parts += [(p.verdict, p.provisional) for p in a.prerequisites]
    verdict = combine([v for v, _ in parts], complete=a.complete)
    return attrs.evolve(a, pillars=tuple(pillars), verdict=verdict,
                        tier=cs.tier if verdict is Verdict.MET else None,
                        provisional=depends_on_provisional(verdict, parts))


def _assess(unit: Unit, observations: Mapping[str, object], cs: CriteriaSet,
            year: int | None, on: dt.date | None, strict: Strict,
            registry: CriteriaRegistry, policy: ThresholdPolicy = "published",
            declared: Mapping[str, Mapping[str, Verdict]] | None = None) -> Assessment:
    if not isinstance(unit, (Commune, District, Province, Village)):
        raise InvalidContext(f"assess() takes a Commune, District, Province or Village, not "
                             f"{type(unit).__name__}")
    expected = {"commune": Commune, "district": District, "province": Province,
                "village": Village}[cs.level.value]
    if not isinstance(unit, expected):
        raise InvalidContext(f"{cs.key} is a {cs.level.value} set: assess a "
                             f"{expected.__name__}, not a {type(unit).__name__}")
    needs_year = cs.year_dependent
    if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
        raise InvalidContext(f"year must be an integer, not {year!r}")
    if year is not None and not 1 <= year <= 9999:
        shown = year if -10**6 < year < 10**6 else "a number of more than six digits"
        raise InvalidContext(f"year {shown} is not a calendar year (1–9999)")
    if needs_year and year is None:
        raise InvalidContext(f"{cs.key} has year-dependent thresholds: give the assessment "
                             "year (--year or a year column in a file; year= in Python)")
    if needs_year and cs.years is not None and year is not None and \
            not cs.years[0] <= year <= cs.years[1]:
        raise InvalidContext(
            f"year {year} is outside the years {cs.years[0]}-{cs.years[1]} that {cs.key} "
            "gives thresholds for"
        )
    if cs.groups and isinstance(unit, Commune):
        if unit.group is None and cs.has_group_values:
            raise InvalidContext(
                f"{cs.key} has values per commune group: give the commune's group (a group "
                f"column in a file; Commune(group=…) in Python), one of "
                f"{', '.join(map(str, cs.groups))}")
        if unit.group is not None and unit.group not in cs.groups:
            raise InvalidContext(f"{cs.key} has no commune group {unit.group} (groups: "
                                 f"{', '.join(map(str, cs.groups))})")
    region = _unit_region(unit, cs)
    substitution = _substitution(cs, unit)
    column = substitution.region if substitution is not None else region
    is_commune = isinstance(unit, Commune)
    context = Context(region=column, year=year,
                      classes=unit.classes if is_commune else frozenset(),  # type: ignore[union-attr]
                      group=unit.group if is_commune else None)  # type: ignore[union-attr]

    notes: list[str] = []
    if isinstance(unit, Commune) and unit.region is None and unit.edition is None:
        notes.append(f"region of {unit.province!r} taken from the pre-2025-07 map "
                     "(the commune gives no edition)")
    when = on if on is not None else (dt.date(year, 12, 31) if year is not None else None)
    force_unknown: str | None = None
    if when is not None and when > cs.checked_on:
        message = (f"{cs.key} was last checked against the law on {cs.checked_on}; "
                   f"the assessment date {when} is later")
        if strict == "raise":
            raise StaleCriteriaError(message)
        if strict == "warn":
            warnings.warn(message, StaleCriteriaWarning, stacklevel=3)
            notes.append(message)
        else:
            force_unknown = f"not checked after {cs.checked_on}"
            notes.append(message)
    if on is not None and not cs.in_force(on):
        notes.append(f"{cs.key} is not in force on {on}")

    own_declared = (declared or {}).get(cs.id, {})
    get = observations.get
    pillar_results = []
    for pillar, criteria_plan in _plan(cs, context, policy):
        criterion_results = []
        for criterion, steps, codes, if_none_observed in criteria_plan:
            stated = own_declared.get(criterion.code)
            if stated is None and codes.isdisjoint(observations):
                criterion_results.append(if_none_observed)
                continue
            results = []
            for step, if_missing in steps:
                raw = get(step.indicator.code)
                if raw is None:
                    results.append(if_missing)
                    continue
                kind = type(raw)
                if kind is float or kind is bool:  # the common cases, no other checks needed
                    value, observed = _coerce(step.indicator, raw, False)
                    if step.compared is not None and not force_unknown and value is not None:
                        assert isinstance(value, float)
                        assert observed is not None
                        results.append(_compared(step, value, observed))
                    else:
                        results.append(_judge(step, value, observed, context, force_unknown,
                                              None, registry))
                    continue
                if raw is Verdict.NOT_APPLICABLE or (kind is str
                                                      and declares_not_applicable(raw)):
                    results.append(_declared_not_applicable(step))
                    continue
                value, observed = coerce_value(step.indicator, raw)
                results.append(_judge(step, value, observed, context, force_unknown,
                                      raw if isinstance(raw, Share) else None, registry))
            criterion_results.append(_criterion_result(criterion, results, stated))
        pillar_results.append(PillarResult(
            code=pillar.code, verdict=combine([c.verdict for c in criterion_results]),
            name_vi=pillar.name_vi, name_en=pillar.name_en, criteria=tuple(criterion_results)))

    prereqs = []
    for key in cs.requires:
        pre = registry.get(key)
        # Each prerequisite takes what it or a set it requires can observe (the model set's
        # observations reach the NTM set through the advanced set).
        wanted = observable_indicators(pre, registry)
        subset = {k: v for k, v in observations.items() if k in wanted}
        prereqs.append(_assess(unit, subset, pre, year, on, strict, registry, policy, declared))

    total = cs.criteria_count if cs.criteria_count is not None else len(cs.criteria)
    complete = cs.complete and len(cs.criteria) == total
    parts = [(c.verdict, c.provisional) for p in pillar_results for c in p.criteria]
    parts += [(p.verdict, p.provisional) for p in prereqs]
    verdict = combine([v for v, _ in parts], complete=complete)
    return Assessment(
        unit=unit, set_id=cs.id, set_version=cs.version, fingerprint=cs.fingerprint,
        verdict=verdict, region=region, region_column=column, pillars=tuple(pillar_results),
        total=total, legal_basis=cs.legal_basis, year=year, on=on,
        tier=cs.tier if verdict is Verdict.MET else None, substitution=substitution,
        complete=complete, prerequisites=tuple(prereqs), notes=tuple(notes),
        thresholds=policy, provisional=depends_on_provisional(verdict, parts),
        checked_on=cs.checked_on,
    )
